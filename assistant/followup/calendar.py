"""Every deadline and re-check date as calendar events (an .ics file any calendar imports), with the
`icalendar` package: reminders without a daemon, in the calendar the person already uses.

One all-day event per case for the date the platform must finish by (`expected_by`), and one for the
day its next action is due (a re-check, the follow-up letter, the complaint), each with the next action
in the reader's language. Event ids are stable (case number and kind), so importing the file again
updates the events instead of doubling them.
"""
from __future__ import annotations

import datetime as dt
import errno
import os
from pathlib import Path

from assistant.cases import lifecycle
from assistant.messages import t
from assistant.redaction import mask_account

PRODID = "-//closure-assistant//cases//EN"


def build_calendar(views: list[lifecycle.CaseView], lang: str):
    """The calendar of `views` (an icalendar.Calendar) and how many events it holds."""
    from icalendar import Alarm, Calendar, Event
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", t("ics.calendar_name", lang))
    stamp = dt.datetime.now(dt.timezone.utc)
    count = 0

    def add(uid: str, day: dt.date, summary: str, description: str) -> None:
        nonlocal count
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
        event.add("summary", summary)
        event.add("description", description)
        alarm = Alarm()  # a reminder at 09:00 of that day
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", dt.timedelta(hours=9))
        event.add_component(alarm)
        calendar.add_component(event)
        count += 1

    for view in views:
        case = view.case
        if case.state in ("closed", "withdrawn"):
            continue
        who = f"{case.site} {mask_account(case.account)}"
        if case.deadline is not None:
            add(f"case-{case.id}-deadline@closure-assistant", case.deadline,
                t("ics.deadline", lang, who=who, app=case.application_number or "-"),
                t("ics.deadline_description", lang, who=who, date=case.deadline.isoformat(), next=view.action.text(lang)))
        due = view.action.due_on
        if due is not None and due != case.deadline:
            add(f"case-{case.id}-next@closure-assistant", due, t("ics.next", lang, who=who),
                view.action.text(lang))
    return calendar, count


def write_calendar(views: list[lifecycle.CaseView], path: Path, lang: str) -> int:
    from assistant.evidence.writer import atomic_write
    calendar, count = build_calendar(views, lang)
    path = Path(path)
    if not path.parent.is_dir():  # a mistyped folder is said, never created
        code = errno.ENOTDIR if path.parent.exists() else errno.ENOENT
        raise OSError(code, os.strerror(code), str(path.parent))
    atomic_write(path, calendar.to_ical())
    return count
