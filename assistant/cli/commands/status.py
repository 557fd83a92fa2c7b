"""closure-assistant status SITE --account A | --all: read the closure's state on the site."""
from __future__ import annotations

from assistant.cli.commands import add_command, browser_options, tsa_options
from assistant.cli.commands.cases import db_option, open_store
from assistant.errors import NeedsUser

DESCRIPTION = """Log in to SITE and read where the closure stands (pending review, closed, or the
account still active), keeping screenshots as evidence, and update the case (see `cases`). Nothing
is ever submitted. A site that refuses the login with "account closed" counts as closed; so does
a refused login on a site whose profile says it answers a closed account like a wrong password
(login.closed_when_refused), but only after a closure the site accepted in an earlier run.
After the platform's deadline it reminds you to check again until the site shows the account gone.

With --all, every case that is pending or whose submit was attempted is checked in turn (with
--password-stdin, one password line per case in the order `cases` lists them).

examples:
  closure-assistant status demo-lender --account 13800000001
  closure-assistant status --all
"""


class NoStatusFlow(NeedsUser):
    message_key = "error.no_status_flow"


def add_parser(sub):
    from assistant.cli.commands.close import code_options
    p = add_command(sub, "status", "read a closure's state on the site and update its case", run, DESCRIPTION)
    p.add_argument("site", nargs="?", metavar="SITE", help="profile id (see profiles list) or a .yaml path")
    p.add_argument("--account", help="your login on the site")
    p.add_argument("--all", action="store_true", help="check every pending / submit-attempted case")
    code_options(p)
    db_option(p)
    browser_options(p)
    tsa_options(p)


def check_one(session):
    from assistant.cli.commands.close import refuse_fresh_portal
    if session.profile.status is None:
        raise NoStatusFlow(session.profile.display_name(session.lang))
    refuse_fresh_portal(session, session.store.case(session.profile.id, session.account))
    record, case = session.run("status")
    for line in after_deadline_lines(session, case):
        session.say(line)
    return session.outcome(record, session.finished(record))


def after_deadline_lines(session, case) -> list[str]:
    """Past the platform's deadline and the account not shown closed: check again (the refused login counts
    where the profile says so)."""
    from assistant.cases import store as c
    from assistant.messages import t
    if case is None or case.deadline is None or case.state == c.CLOSED or case.today() <= case.deadline:
        return []
    lang = session.lang
    refused = t("status.after_deadline_refused", lang) if session.profile.login.closed_when_refused else ""
    return [t("status.after_deadline", lang, deadline=case.deadline.isoformat(), site=session.profile.id,
              account=session.account, refused=refused)]


def run(args, lang: str) -> int:
    from assistant.cases import store as c
    from assistant.cli.commands.close import UsageError, print_summary, run_each
    from assistant.messages import say, t
    if args.all:
        if args.site or args.account:
            raise UsageError(say("usage.all_alone"))
        with open_store(args) as store:
            pairs = [(case.site, case.account) for case in store.cases_in((c.PENDING, c.SUBMIT_ATTEMPTED))]
        if not pairs:
            print(t("status.none", lang))
            return 0
    else:
        if not args.site or not args.account:
            raise UsageError(say("usage.site_and_account"))
        pairs = [(args.site, args.account)]
    args.yes = False  # a status check never submits, so there is nothing to say yes to
    outcomes = run_each(pairs, args, lang, check_one)
    if len(outcomes) > 1:
        print_summary(outcomes, lang)
    return next((o.status for o in outcomes if o.status), 0)
