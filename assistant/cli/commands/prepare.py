"""closure-assistant prepare SITE --account A: before closing, save the documents and answer the checklist."""
from __future__ import annotations

from assistant.cli import checklist as checklist_cli
from assistant.cli.commands import add_command, browser_options
from assistant.cli.commands.cases import db_option

DESCRIPTION = """Before closing your account on SITE: log in, save the documents the site offers while
the account still exists (a settlement certificate 结清证明, repayment records), keep screenshots of
the pages that matter (bound bank cards), and answer the profile's checklist of what only you can do
(unbind cards, cancel automatic debits in Alipay or WeChat Pay). Nothing is submitted.

The documents go into the evidence folder with their SHA-256 in its manifest (closure-assistant
evidence verify checks them); they are never opened or run. A file from outside the site's origins,
or larger than the profile allows (20 MB at most), is refused. The checklist is asked once and kept
in the case; --checked ITEM... ticks items from a script (the others are recorded as not done).
Your answers are shown at the top of the report. `close` runs this first by itself when it has not
run yet.

examples:
  closure-assistant prepare demo-lender --account 13800000001
  closure-assistant prepare wallet-lender --account 13900000101 --checked cards_unbound autodebit_cancelled
"""


def add_parser(sub):
    from assistant.cli.commands.close import code_options
    p = add_command(sub, "prepare", "save the documents and answer the checklist before closing (nothing is submitted)",
                    run, DESCRIPTION)
    p.add_argument("site", metavar="SITE", help="profile id (see profiles list) or a .yaml path")
    p.add_argument("--account", required=True, help="your login on the site")
    checklist_cli.checked_option(p)
    code_options(p)
    db_option(p)
    browser_options(p)


def run(args, lang: str) -> int:
    import sys

    from assistant.cli.commands.cases import open_store
    from assistant.cli.commands.close import run_each
    from assistant.engine import preparing
    from assistant.messages import t
    from assistant.profiles.registry import load_site
    profile = load_site(args.site)
    if profile.prepare is None:
        raise preparing.NoPrepareFlow(profile.display_name(lang), site=profile.id)
    preparing.checked_ids(profile, args.checked)  # a wrong id is said before anything starts
    if not preparing.prepare_steps(profile):  # only a checklist: nothing to open in a browser, no password
        with open_store(args) as store:
            ask = (lambda items: checklist_cli.ask_items(items, lang)) if checklist_cli.can_ask(args) else None
            preparing.settle(store, profile, profile.account(args.account), checked=args.checked, ask=ask,
                             tell=lambda sentence: print(sentence.in_lang(lang), file=sys.stderr))
        print(t("prepare.checklist_only", lang))
        return 0
    args.yes, args.dry_run = False, False  # nothing is submitted here: nothing to say yes to
    outcomes = run_each([(args.site, args.account)], args, lang, preparing.prepare_one)
    return next((o.status for o in outcomes if o.status), 0)
