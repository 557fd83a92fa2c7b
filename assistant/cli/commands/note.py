"""closure-assistant note CASE "…": record what you did outside the tool (a call, a ticket number, a reply)."""
from __future__ import annotations

from assistant.cli.commands import add_command
from assistant.cli.commands.cases import db_option, open_store

DESCRIPTION = """Record in a case what you did or heard outside the tool: a phone call to customer
service, a ticket number, the platform's reply, a complaint you filed. The note becomes one of the
case's events (see `cases --json`), is told in the letters, and puts the case's reminder off by a
week when it waits on you.

CASE is the number `closure-assistant cases` shows (or the site id when it has one case).
--closed records that the platform confirmed the closure (the case is closed, confirmed by you);
--withdrawn that you gave up this closure; --ticket keeps a ticket or application number.

examples:
  closure-assistant note 3 "打了客服电话 95000，答复 3 个工作日内处理"
  closure-assistant note 3 "客服来电确认已注销" --closed
  closure-assistant note demo-lender "ticket from the chat" --ticket GD20261201
"""


def add_parser(sub):
    p = add_command(sub, "note", "record what you did outside the tool in a case (a call, a ticket number)", run,
                    DESCRIPTION)
    p.add_argument("case", metavar="CASE", help="the case number (see cases), or a site id with one case")
    p.add_argument("text", metavar="TEXT", help="what you did or heard, in your words")
    p.add_argument("--account", help="with a site id: which account's case")
    state = p.add_mutually_exclusive_group()
    state.add_argument("--closed", action="store_true", help="the platform confirmed the account is closed")
    state.add_argument("--withdrawn", action="store_true", help="you gave up this closure")
    p.add_argument("--ticket", metavar="NUMBER", help="a ticket or application number to keep with the case")
    db_option(p)


def run(args, lang: str) -> int:
    from assistant.cases import lifecycle
    from assistant.cases import store as c
    from assistant.messages import t
    from assistant.redaction import mask_account
    text = " ".join(args.text.split())[:2000]
    with open_store(args) as store:
        account = _account(args.case, args.account)
        case = lifecycle.find_case(store, args.case, account)
        with store.working_on(case.site, case.account):
            store.add_note(case.id, text, **({"ticket": args.ticket} if args.ticket else {}))
            if args.ticket and not case.application_number:
                store.set_application_number(case.id, args.ticket)
            if args.closed:
                store.set_state(case.id, c.CLOSED, source="user", confirmed_by="user", detail={"note": text})
            elif args.withdrawn:
                store.set_state(case.id, c.WITHDRAWN, source="user", detail={"note": text})
        case = store.case_by_id(case.id)
        action = lifecycle.next_action(store, case)
    print(t("note.saved", lang, case=case.id, site=case.site, account=mask_account(case.account),
            state=t(f"case.{case.state}", lang)))
    print(t("note.next", lang, next=action.text(lang)))
    return 0


def _account(spec: str, account):
    """--account in the one spelling of the site's profile (a site id names the profile)."""
    if account is None or spec.strip().isdigit():
        return account
    from assistant.errors import ProfileNotFound
    try:
        from assistant.profiles.registry import load_site
        return load_site(spec.strip()).account(account)
    except ProfileNotFound:
        return account.strip()
