"""closure-assistant letters CASE: a follow-up letter to the platform and a complaint draft, from the case."""
from __future__ import annotations

from pathlib import Path

from assistant.cli.commands import add_command
from assistant.cli.commands.cases import db_option, open_store

DESCRIPTION = """Write the letters that make a stalled platform act, from the case and its evidence:

  follow-up  to the platform: the application number, when you submitted, the deadline that passed,
             the request to finish the closure and delete your personal information (citing the
             Personal Information Protection Law Arts. 47 and 50 and the E-Commerce Law Art. 24 for
             a mainland site), with the evidence report and its fingerprint attached by name
  complaint  a draft with where to file it, in order: the platform's own complaint channel, then the
             financial regulator's consumer line 12378, market regulation 12315 and the cyberspace
             authority's reporting centre 12377

A mainland site's letters are in Chinese; an English site gets a neutral English template. Each
letter is written as plain text, HTML and PDF into the case's folder (beside the case database:
cases/NUMBER-SITE-…/letters/), copied to --out DIR when given, and recorded in the case. Without
--kind both are written. Send the follow-up first; complain when it stays unanswered. Check and
complete every letter before you send it: they are drafts, not legal advice.

CASE is the number `closure-assistant cases` shows (or the site id when it has one case).

examples:
  closure-assistant letters 3
  closure-assistant letters 3 --kind complaint --out ~/Desktop
"""


def add_parser(sub):
    from assistant.followup.letters import KINDS
    p = add_command(sub, "letters", "write a follow-up letter and a complaint draft for a stalled closure", run,
                    DESCRIPTION)
    p.add_argument("case", metavar="CASE", help="the case number (see cases), or a site id with one case")
    p.add_argument("--kind", choices=KINDS, help="only this letter (default: both)")
    p.add_argument("--out", metavar="DIR", type=Path, help="also copy the letters into DIR")
    p.add_argument("--account", help="with a site id: which account's case")
    p.add_argument("--browser-path", metavar="PATH", help="Chromium/Chrome executable for the PDF")
    db_option(p)


def run(args, lang: str) -> int:
    from playwright.sync_api import sync_playwright

    from assistant.cases import lifecycle
    from assistant.cli.commands.note import _account
    from assistant.driving.browser import launch
    from assistant.errors import ProfileNotFound
    from assistant.followup.letters import KINDS, check_can_follow_up, write_letters
    from assistant.messages import t
    from assistant.profiles.registry import load_site
    with open_store(args) as store:
        store.refresh_overdue()
        case = lifecycle.find_case(store, args.case, _account(args.case, args.account))
        check_can_follow_up(case)  # before any browser starts
        try:
            profile = load_site(case.site)
        except ProfileNotFound:
            profile = None  # the letters still say what the case knows
        with sync_playwright() as pw:
            browser, _choice = launch(pw, headed=False, override=args.browser_path)
            try:
                written = write_letters(store, case, profile, kinds=(args.kind,) if args.kind else KINDS,
                                        out=args.out, browser=browser)
            finally:
                browser.close()
    for letter in written:
        print(t(f"letters.done_{letter.kind.replace('-', '_')}", lang))
        for path in letter.files:
            print(f"  {path}")
    if args.out:
        print(t("letters.copied", lang, out=args.out))
    print(t("letters.check", lang))
    return 0
