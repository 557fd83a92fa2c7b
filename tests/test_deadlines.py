"""One deadline (issue 13.5): computed once when the site accepted the request, at the site's date,
with the mainland holiday calendar, and the same string in the summary, the report, `cases` and `status`."""
from __future__ import annotations

import datetime as dt
from html import unescape
from types import SimpleNamespace

import pytest

from assistant.cases.store import CaseStore
from assistant.cases.tracking import CaseTracker
from assistant.cli.commands import cases as cases_command
from assistant.cli.commands.close import case_lines
from assistant.cli.summary import outcome_lines
from assistant.deadlines import MAINLAND, WEEKDAYS, add_working_days, review_deadline
from assistant.driving import submit as submit_module
from assistant.evidence.report import render_html
from tests.playground.fixtures import playground, playground_site, run_playground  # noqa: F401
from tests.playground.site import ACCOUNTS

UTC = dt.timezone.utc


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


# Site time is UTC+8: 15:59 UTC is 23:59 in Shanghai, 16:01 UTC is 00:01 the next day there.
SHANGHAI = [
    ("2026-10-15T15:59:00", "2026-10-15", "2026-11-05"),   # Thursday 23:59: counted from Friday
    ("2026-10-15T16:01:00", "2026-10-16", "2026-11-06"),   # Friday 00:01: a day later, although UTC says Thursday
    ("2026-09-30T15:59:00", "2026-09-30", "2026-10-27"),   # National Day (Oct 1-7) skipped, Sat Oct 10 worked
]


@pytest.mark.parametrize("when, submitted_on, deadline", SHANGHAI)
def test_the_deadline_is_counted_at_the_sites_date_with_the_holiday_calendar(when, submitted_on, deadline):
    d = review_deadline(at(when), 15, timezone="Asia/Shanghai")
    assert (d.submitted_on.isoformat(), d.date.isoformat()) == (submitted_on, deadline)
    assert d.calendar == MAINLAND and d.calendar_source.startswith("chinesecalendar ") and d.known_until >= 2026


def test_the_make_up_saturday_counts_and_the_holiday_week_does_not():
    # Friday Sep 25 23:59: 3 days before the holiday, none in it, Saturday Oct 10 is the 6th.
    d = review_deadline(at("2026-09-25T15:59:00"), 15, timezone="Asia/Shanghai")
    assert d.date.isoformat() == "2026-10-22"
    plain, _ = add_working_days(dt.date(2026, 9, 25), 15, WEEKDAYS)
    assert plain.isoformat() == "2026-10-16"  # what counting Monday to Friday would have said


def test_a_zh_cn_site_without_a_timezone_counts_in_shanghai_and_others_count_weekdays():
    assert review_deadline(at("2026-10-15T16:01:00"), 15, locale="zh-CN").submitted_on.isoformat() == "2026-10-16"
    other = review_deadline(at("2026-09-30T15:59:00"), 15, timezone="America/New_York")
    assert (other.calendar, other.date.isoformat()) == (WEEKDAYS, "2026-10-21")


def test_beyond_the_calendars_years_weekdays_count_and_it_says_so():
    d = review_deadline(at("2026-12-20T10:00:00"), 15, timezone="Asia/Shanghai")
    assert d.beyond_calendar and d.date.isoformat() == "2027-01-08"
    from assistant.deadlines import calendar_words
    assert f"after {d.known_until} counted Monday to Friday" in calendar_words(d, "en")
    assert f"{d.known_until} 年以后按周一至周五计算" in calendar_words(d, "zh")


@pytest.mark.parametrize("when, submitted_on, deadline", SHANGHAI)
def test_one_deadline_string_in_summary_report_cases_and_status(when, submitted_on, deadline, run_playground,
                                                                 playground, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(submit_module, "_now", lambda: at(when))  # the moment the request left
    monkeypatch.setenv("CLOSURE_ASSISTANT_TODAY", "2026-10-01")
    phone = ACCOUNTS["clean"]
    store = CaseStore(tmp_path / "cases.sqlite3")
    run = run_playground("good/playground-quick", "clean",
                         listeners=(CaseTracker(store, phone, evidence_root=tmp_path / "evidence"),))
    assert run.result.outcome == "submitted", run.result.error
    case = store.case("playground-quick", phone)

    summary = "\n".join(outcome_lines(run.record, None, "en", case.deadline_info))
    report = unescape(render_html(run.record.evidence_dir))
    capsys.readouterr()
    cases_command.run(SimpleNamespace(db=tmp_path / "cases.sqlite3"), "en")
    listed = capsys.readouterr().out
    status_run = run_playground("good/playground-quick", "clean", flow="status",
                                listeners=(CaseTracker(store, phone, evidence_root=tmp_path / "evidence"),))
    assert status_run.result.state == "pending"
    status = "\n".join(case_lines(store.case("playground-quick", phone), "en", show_deadline=True))

    assert case.deadline.isoformat() == deadline
    for where, text in (("summary", summary), ("report", report), ("cases", listed), ("status", status)):
        assert deadline in text, where
        others = {d for _, _, d in SHANGHAI} - {deadline}
        assert not any(o in text for o in others), where
    assert submitted_on in listed and submitted_on in status
    assert "chinesecalendar" in summary and "chinesecalendar" in report
