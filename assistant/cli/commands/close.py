"""closure-assistant close SITE [SITE...] --account A | --plan FILE"""
from __future__ import annotations

from pathlib import Path

from assistant.cli import checklist as checklist_cli
from assistant.cli import customer_service
from assistant.cli.commands import add_command, browser_options, tsa_options
from assistant.cli.commands.cases import db_option
from assistant.errors import AssistantError, ExitStatus

DESCRIPTION = """Close your account on SITE (注销账号).

The password comes from the OS keyring (save it once with `closure-assistant credentials set SITE
ACCOUNT`) or from a hidden prompt; it is never accepted as an argument. When the site sends the
verification code, the tool says where it went and asks for it. Just before the one irreversible
submit it shows the site and the masked account and asks for a yes.

Every closure is a case (see `closure-assistant cases`). A case already submitted, pending or
closed is never submitted again: the site's status is read first, and only when the site clearly
shows the account active with no closure request does a fresh closure start.

Before its own steps, a profile's `prepare` flow runs once per case: the documents to keep while the
account still exists (a settlement certificate, repayment records) go into the evidence, and its
checklist (what only you can do: unbind cards, cancel automatic debits) is asked once and shown at
the top of the report; --checked ITEM ticks items from a script (see `closure-assistant prepare`).

A site that closes only through customer service (or any site with --route customer-service) is
walked through that instead: what to say, what to ask for, and what they answered becomes the case
(the ticket number, and the deadline counted from the day you contacted them); --ticket,
--contacted-on and --promised-by answer from a script.

Several sites run one after another (each asks for its own code when its site sends it) and end
with a summary table. A plan file lists site/account pairs:
  - site: demo-lender
    account: "13800000001"

examples:
  closure-assistant close demo-lender --account 13800000001 --dry-run
  closure-assistant close demo-lender --account 13800000001
  closure-assistant close demo-lender other-lender --account 13800000001
  closure-assistant close --plan my-plan.yaml
  closure-assistant close demo-lender --account 13800000001 --yes --code-command "my-sms-reader"
  closure-assistant close wallet-lender --account 13900000101 --route customer-service --ticket GD123
"""


class UsageError(AssistantError):
    exit_status = ExitStatus.USAGE
    message_key = "error.usage"


def add_parser(sub):
    p = add_command(sub, "close", "close an account (several sites: one after another)", run, DESCRIPTION)
    p.add_argument("sites", nargs="*", metavar="SITE", help="profile id (see profiles list) or a .yaml path")
    p.add_argument("--account", help="your login on the site (phone number, e-mail); the same for every SITE")
    p.add_argument("--plan", metavar="FILE", type=Path, help="a YAML list of site/account pairs to close in turn")
    p.add_argument("--dry-run", action="store_true", help="do everything except the irreversible submit")
    p.add_argument("--yes", action="store_true", help="answer yes to the final confirmation (automation)")
    checklist_cli.checked_option(p)
    customer_service.route_options(p)
    code_options(p)
    db_option(p)
    browser_options(p)
    tsa_options(p)


def code_options(p) -> None:
    p.add_argument("--code-command", metavar="CMD",
                   help="run CMD to get the verification code (first line of its output); it sees "
                        "CLOSURE_ASSISTANT_SITE, _ACCOUNT, _DESTINATION, _ATTEMPT, _BASE_URL")
    p.add_argument("--password-stdin", action="store_true",
                   help="read the password from standard input, one line per site/account in order (scripts)")


# The closing logic lives in the engine (assistant/engine/closing.py, shared with the web app). Its names
# stay importable from here, loaded on first use so that --help does not start Playwright's imports.
ENGINE_NAMES = ("AlreadySubmitted", "CloseSettings", "FrontEnd", "Outcome", "PracticePortalGone", "RejectedBySite",
                "SharedBrowser", "SiteSession", "close_one", "refuse_fresh_portal", "saved_password")


def __getattr__(name: str):
    if name in ENGINE_NAMES:
        from assistant.engine import closing
        return getattr(closing, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def case_lines(case, lang: str, show_deadline: bool) -> list[str]:
    from assistant.engine.sentences import case_sentences, in_lang
    return [in_lang(s, lang) for s in case_sentences(case, show_deadline)]


def wanted_pairs(args) -> list[tuple[str, str]]:
    from assistant.cli.plan import load_plan
    from assistant.messages import say
    pairs: list[tuple[str, str]] = []
    if args.sites:
        if not args.account:
            raise UsageError(say("usage.account_with_site"))
        pairs += [(site, args.account) for site in args.sites]
    if args.plan:
        pairs += [(e.site, e.account) for e in load_plan(args.plan)]
    if not pairs:
        raise UsageError(say("usage.site_or_plan"))
    unique = list(dict.fromkeys(pairs))  # the same pair twice would only be checked twice
    return unique


def print_summary(outcomes, lang: str) -> None:
    from assistant.messages import CATALOGUE, t
    from assistant.cli.tables import render

    def label(o) -> str:
        text = t(f"outcome.{o.outcome}", lang) if f"outcome.{o.outcome}" in CATALOGUE else o.outcome
        if o.outcome == "status_read" and o.site_state:
            text = t("summary.status_read", lang, outcome=text, state=t(f"state.{o.site_state}", lang))
        return text
    header = [t(f"col.{k}", lang) for k in ("site", "account", "outcome", "application", "evidence")]
    rows = [[o.site, o.account, label(o), o.application_number or "-", o.evidence_dir or "-"] for o in outcomes]
    print()
    print(t("close.summary", lang))
    for line in render(header, rows):
        print(line)


def run_each(pairs, args, lang: str, one) -> list:
    """Runs `one(session)` for every (site, account) in turn (the engine's run_each, at this terminal):
    one site's failure does not stop the rest."""
    from assistant.cli.front import TerminalFrontEnd, settings_from
    from assistant.engine.closing import run_each as engine_run_each
    return engine_run_each(pairs, settings_from(args), TerminalFrontEnd(args, lang), one)


def run(args, lang: str) -> int:
    pairs = wanted_pairs(args)
    from assistant.engine.closing import close_one
    by_phone, pairs = customer_service.split_pairs(pairs, args)  # closed through customer service: no browser
    outcomes = [customer_service.walk(site, account, args, lang) for site, account in by_phone]
    outcomes += run_each(pairs, args, lang, close_one) if pairs else []
    if len(outcomes) > 1:
        print_summary(outcomes, lang)
    return next((o.status for o in outcomes if o.status), 0)
