"""closure-assistant status SITE --account A | --all: read the closure's state on the site."""
from __future__ import annotations

from assistant.cli.commands import add_command, browser_options, tsa_options
from assistant.cli.commands.cases import db_option, open_store

DESCRIPTION = """Log in to SITE and read where the closure stands (pending review, closed, or the
account still active), keeping screenshots as evidence, and update the case (see `cases`). Nothing
is ever submitted. A site that refuses the login with "account closed" counts as closed; so does
a refused login on a site whose profile says it answers a closed account like a wrong password
(login.closed_when_refused), but only after a closure the site accepted in an earlier run.
After the platform's deadline it reminds you to check again until the site shows the account gone.

With --all, every case that is submitted, pending review or overdue is checked in turn (with
--password-stdin, one password line per case in the order `cases` lists them).

examples:
  closure-assistant status demo-lender --account 13800000001
  closure-assistant status --all
"""


def __getattr__(name: str):
    if name in ("NoStatusFlow", "check_one"):  # the status logic lives in the engine (assistant/engine/closing.py)
        from assistant.engine import closing
        return getattr(closing, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def add_parser(sub):
    from assistant.cli.commands.close import code_options
    p = add_command(sub, "status", "read a closure's state on the site and update its case", run, DESCRIPTION)
    p.add_argument("site", nargs="?", metavar="SITE", help="profile id (see profiles list) or a .yaml path")
    p.add_argument("--account", help="your login on the site")
    p.add_argument("--all", action="store_true", help="check every submitted, pending or overdue case")
    code_options(p)
    db_option(p)
    browser_options(p)
    tsa_options(p)


def run(args, lang: str) -> int:
    from assistant.cli.commands.close import UsageError, print_summary, run_each
    from assistant.engine.closing import cases_to_check, check_one
    from assistant.messages import say, t
    if args.all:
        if args.site or args.account:
            raise UsageError(say("usage.all_alone"))
        with open_store(args) as store:
            pairs = cases_to_check(store)
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
