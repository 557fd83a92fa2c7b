"""The date by which a platform should finish a closure: N working days after submission.

Computed once, when the site accepted the request, at the site's own calendar date (the profile's
`device.timezone`; Asia/Shanghai for a zh-CN site that names none). For mainland Chinese sites the
working days come from the `chinesecalendar` package (public holidays skipped, make-up working days
counted); outside the years it knows, and for other sites, Monday to Friday count. The result says
which calendar was used and up to which year it is known, so the report can say so.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Optional

MAINLAND = "cn-mainland"
WEEKDAYS = "weekdays"
MAINLAND_ZONES = ("Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "Asia/Urumqi", "PRC")
DEFAULT_MAINLAND_ZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class Deadline:
    date: dt.date                # the last day the platform has
    working_days: int
    submitted_on: dt.date        # the site's calendar date of the submission
    timezone: str                # the zone that date was read in
    calendar: str                # cn-mainland | weekdays
    calendar_source: str         # e.g. "chinesecalendar 1.11.0", or "" for plain weekdays
    known_until: Optional[int]   # the last year the holiday calendar knows
    beyond_calendar: bool        # some days were counted Monday–Friday because the calendar ends

    def as_dict(self) -> dict:
        out = asdict(self)
        out["date"], out["submitted_on"] = self.date.isoformat(), self.submitted_on.isoformat()
        return out

    @classmethod
    def from_dict(cls, data: dict) -> "Deadline":
        return cls(**{**data, "date": dt.date.fromisoformat(data["date"]),
                      "submitted_on": dt.date.fromisoformat(data["submitted_on"])})


def site_zone(timezone: Optional[str], locale: Optional[str]) -> Optional[str]:
    """The zone whose calendar date counts: the profile's, else Asia/Shanghai for zh-CN sites."""
    if timezone:
        return timezone
    if (locale or "").lower() in ("zh-cn", "zh"):
        return DEFAULT_MAINLAND_ZONE
    return None


def site_date(at: dt.datetime, zone: Optional[str]) -> dt.date:
    """The calendar date at the platform when `at` happened (this computer's, without a zone)."""
    if zone:
        try:
            from zoneinfo import ZoneInfo
            return at.astimezone(ZoneInfo(zone)).date()
        except Exception:  # noqa: BLE001 - no tz database (bare Windows): fixed +08:00 for mainland zones
            if zone in MAINLAND_ZONES:
                return at.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    return at.astimezone().date()


def calendar_for(zone: Optional[str], locale: Optional[str]) -> str:
    if zone in MAINLAND_ZONES or (not zone and (locale or "").lower() == "zh-cn"):
        return MAINLAND
    return WEEKDAYS


def mainland_calendar() -> tuple[Optional[object], str, Optional[int]]:
    """(module, "chinesecalendar X.Y", last known year), or (None, "", None) when it is not installed."""
    try:
        import chinese_calendar
        from chinese_calendar import constants
    except ImportError:
        return None, "", None
    try:
        from importlib.metadata import version
        source = f"chinesecalendar {version('chinesecalendar')}"
    except Exception:  # noqa: BLE001 - an unusual install: the name is still true
        source = "chinesecalendar"
    known = max(d.year for d in (*constants.holidays, *constants.workdays))
    return chinese_calendar, source, known


def add_working_days(start: dt.date, days: int, calendar: str = WEEKDAYS) -> tuple[dt.date, bool]:
    """The day `days` working days after `start`, and whether any day lay beyond the holiday calendar
    (then counted Monday–Friday)."""
    module, _source, known = mainland_calendar() if calendar == MAINLAND else (None, "", None)
    current, added, beyond = start, 0, False
    while added < days:
        current += dt.timedelta(days=1)
        if module is not None and known is not None and current.year <= known:
            working = module.is_workday(current)
        else:
            beyond = beyond or calendar == MAINLAND
            working = current.weekday() < 5
        if working:
            added += 1
    return current, beyond


def review_deadline(submitted_at: dt.datetime, days: int, *, timezone: Optional[str] = None,
                    locale: Optional[str] = None) -> Deadline:
    """The one deadline of a submission made at `submitted_at` (an aware time)."""
    zone = site_zone(timezone, locale)
    calendar = calendar_for(zone, locale)
    start = site_date(submitted_at, zone)
    date, beyond = add_working_days(start, days, calendar)
    _module, source, known = mainland_calendar() if calendar == MAINLAND else (None, "", None)
    if calendar == MAINLAND and _module is None:
        beyond = True  # the package is missing: every day was counted Monday–Friday
    return Deadline(date=date, working_days=days, submitted_on=start,
                    timezone=zone or "local", calendar=calendar, calendar_source=source,
                    known_until=known, beyond_calendar=beyond)


def calendar_words(deadline: Deadline, lang: str) -> str:
    """Which calendar counted the working days, and how far it is known, in the reader's language."""
    from assistant.messages import t
    if deadline.calendar == MAINLAND and deadline.calendar_source:
        text = t("result.calendar_cn", lang, source=deadline.calendar_source, year=deadline.known_until)
        if deadline.beyond_calendar:
            text += t("result.calendar_beyond", lang, year=deadline.known_until)
        return text
    return t("result.calendar_weekdays", lang)
