"""Closing through customer service, as a first-class path: what to say (with the legal basis) and what to
ask for, then what the person reports becomes the case: the contact as an event, the ticket number as
the application number, and the deadline counted from the day of the contact (`review_deadline`, the
same working days as an online closure), or the date the platform promised when that is earlier.

A case that already holds a request (submitted, pending, overdue, closed) is never given a second
submission: a later contact is recorded as an event, and its deadline stays.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from assistant.cases import store as c
from assistant.deadlines import review_deadline, site_zone
from assistant.followup.letters import Document, render
from assistant.redaction import mask_account

ROUTE = "customer_service"


def script(profile, account: str, lang: Optional[str] = None) -> Document:
    """What to say or send, and what to ask for, in the site's language unless `lang` says otherwise."""
    lang = lang or ("zh" if (profile.device.locale or "").lower().startswith("zh") else "en")
    names = profile.names
    return render(ROUTE, lang, {
        "site": (names.get("zh") or names["en"]) if lang == "zh" else names["en"],
        "account": mask_account(account),
        "customer_service": profile.closure.customer_service,
        "working_days": profile.closure.review_working_days,
    }, section="scripts")


@dataclass
class Contact:
    contacted_on: dt.date              # the day the person contacted customer service (at the site's date)
    ticket: Optional[str] = None       # the ticket or application number they were given
    promised_by: Optional[dt.date] = None   # the completion date the platform promised, if any
    channel: str = "customer_service"


@dataclass
class Recorded:
    case: c.Case
    new_request: bool                  # False: the case already held a request; the contact was only noted
    deadline: Optional[dt.date]


def _noon(day: dt.date, zone: Optional[str]) -> dt.datetime:
    """Midday of `day` at the platform: a date the person gave, as a moment that is that date there."""
    if zone:
        try:
            from zoneinfo import ZoneInfo
            return dt.datetime.combine(day, dt.time(12), ZoneInfo(zone))
        except Exception:  # noqa: BLE001 - no tz database: mainland zones are +08:00
            return dt.datetime.combine(day, dt.time(12), dt.timezone(dt.timedelta(hours=8)))
    return dt.datetime.combine(day, dt.time(12)).astimezone()


def record_contact(store: c.CaseStore, profile, account: str, contact: Contact) -> Recorded:
    """What the person reports of their contact, as case events; a first request makes the case pending
    review with the ticket number and a deadline counted from the contact."""
    zone = site_zone(profile.device.timezone, profile.device.locale)
    case = store.ensure_case(profile.id, account, review_working_days=profile.closure.review_working_days,
                             site_timezone=zone, source="user")
    detail = {"contacted_on": contact.contacted_on.isoformat(), "ticket": contact.ticket,
              "promised_by": contact.promised_by.isoformat() if contact.promised_by else None,
              "channel": contact.channel}
    store.add_event(case.id, "contact", source="customer_service", detail=detail)
    if case.holds_request:
        return Recorded(store.case_by_id(case.id), False, case.deadline)
    contacted_at = _noon(contact.contacted_on, zone)
    deadline = review_deadline(contacted_at, profile.closure.review_working_days, timezone=profile.device.timezone,
                               locale=profile.device.locale)
    if contact.promised_by and contact.promised_by < deadline.date:
        # The platform's own promise is the sooner date it must keep (what the working days count is kept too).
        from dataclasses import replace
        deadline = replace(deadline, date=contact.promised_by)
    case = store.record_submission(case.id, submitted_at=contacted_at, deadline=deadline,
                                   application_number=contact.ticket, route=ROUTE, source="customer_service",
                                   detail={"promised_by": detail["promised_by"]} if contact.promised_by else None)
    return Recorded(case, True, case.deadline)
