"""close through customer service, at the terminal: the script to say or send, the questions to ask, and
what the person reports (or --ticket / --contacted-on / --promised-by, or answers on standard input)
recorded as the case (assistant/followup/customer_service.py)."""
from __future__ import annotations

import datetime as dt
import sys

from assistant.errors import AssistantError, ExitStatus, NeedsUser
from assistant.messages import say, t

ROUTES = ("online", "customer-service")


class BadDate(AssistantError):
    exit_status = ExitStatus.USAGE
    message_key = "error.usage"


class NotContactedYet(NeedsUser):
    message_key = "error.customer_service_first"


def route_options(p) -> None:
    p.add_argument("--route", choices=ROUTES, default=None,
                   help="how to close: online (the site's own closure, when the profile has one) or "
                        "customer-service (walks you through the call or chat and records what they say); "
                        "default: the profile's (customer-service when the site offers nothing else)")
    p.add_argument("--ticket", metavar="NUMBER", help="customer service: the ticket or application number you were given")
    p.add_argument("--contacted-on", metavar="YYYY-MM-DD", help="customer service: the day you contacted them (default today)")
    p.add_argument("--promised-by", metavar="YYYY-MM-DD", help="customer service: the completion date they promised, if any")


def split_pairs(pairs, args) -> tuple[list, list]:
    """(pairs closed through customer service, pairs closed online)."""
    from assistant.profiles.registry import load_site
    by_phone, online = [], []
    for site, account in pairs:
        route = getattr(args, "route", None)
        if route is None:
            route = "online" if load_site(site).closes_online else "customer-service"
        (by_phone if route == "customer-service" else online).append((site, account))
    return by_phone, online


def _date(text: str | None, option: str) -> dt.date | None:
    if not text or not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise BadDate(say("usage.bad_date", option=option, value=repr(text.strip()))) from None


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _answers(args, lang: str) -> tuple[str | None, str | None, str | None]:
    """(ticket, contacted on, promised by) from the options, the terminal, or standard input (one per line)."""
    if args.ticket or args.contacted_on or args.promised_by:
        return args.ticket, args.contacted_on, args.promised_by
    if _interactive():
        if input(t("cs.ask_contacted", lang)).strip().lower() not in ("y", "yes", "是", "已联系", "好"):
            raise NotContactedYet(say("cs.contact_first"))
        return (input(t("cs.ask_ticket", lang)), input(t("cs.ask_contacted_on", lang)),
                input(t("cs.ask_promised_by", lang)))
    lines = sys.stdin.read().splitlines() if sys.stdin is not None else []
    if not lines:
        raise NotContactedYet(say("cs.no_answers"))
    lines += [""] * 3
    return lines[0], lines[1], lines[2]


def walk(site: str, account: str, args, lang: str):
    """One customer-service closure: the script, the answers, the case. Returns the summary's Outcome."""
    from assistant.cases.store import today as case_today
    from assistant.cli.commands.cases import open_store
    from assistant.cli.commands.close import case_lines
    from assistant.engine.closing import Outcome
    from assistant.followup import customer_service as cs
    from assistant.profiles.registry import load_site
    from assistant.redaction import mask_account
    profile = load_site(site)
    account = profile.account(account)
    _date(args.contacted_on, "--contacted-on"), _date(args.promised_by, "--promised-by")  # a typo before the script
    print(cs.script(profile, account, lang).text())
    ticket, contacted, promised = _answers(args, lang)
    contacted_on = _date(contacted, "--contacted-on") or case_today()
    promised_by = _date(promised, "--promised-by")
    if contacted_on > case_today():
        raise BadDate(say("usage.date_in_future", option="--contacted-on", value=contacted_on.isoformat()))
    contact = cs.Contact(contacted_on=contacted_on, ticket=(ticket or "").strip() or None, promised_by=promised_by)
    with open_store(args) as store, store.working_on(profile.id, account):
        recorded = cs.record_contact(store, profile, account, contact)
    case = recorded.case
    if not recorded.new_request:
        print(t("cs.already_requested", lang, state=t(f"case.{case.state}", lang),
                app=case.application_number or "-", deadline=case.deadline.isoformat() if case.deadline else "-"))
    for line in case_lines(case, lang, show_deadline=True):
        print(line)
    if recorded.new_request:
        print(t("cs.recorded", lang, deadline=case.deadline.isoformat(), case=case.id))
    return Outcome(profile.id, mask_account(account), 0, "customer_service", None, case.application_number)
