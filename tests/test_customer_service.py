"""Closing through customer service as a first-class path (issue 15): the script, the questions, and what the
person reports becomes a pending case with the ticket number and a deadline counted from the contact."""
from __future__ import annotations

import datetime as dt
import json

from assistant.cases import store as c
from assistant.cases.store import CaseStore
from assistant.deadlines import review_deadline
from tests.conftest import ROOT
from tests.test_cli import cli

PHONE_ONLY = ROOT / "tests" / "profiles" / "good" / "phone-only-lender.yaml"
TODAY = {"CLOSURE_ASSISTANT_TODAY": "2026-12-03"}


def test_a_profile_that_closes_only_by_phone_ends_as_a_pending_case_with_the_ticket_and_a_deadline(tmp_path):
    db = tmp_path / "cases.sqlite3"
    proc = cli("close", str(PHONE_ONLY), "--account", "138 0000 0001", "--ticket", "GD20261201001",
               "--contacted-on", "2026-12-01", "--db", str(db), "--evidence-dir", str(tmp_path / "evidence"),
               "--lang", "zh", env_extra=TODAY)
    assert proc.returncode == 0, proc.stderr
    # The walk-through: who to call, what to say (with the legal basis), what to ask for.
    for words in ("客服热线 400-000-0000", "第四十七条", "第二十四条", "第五十条", "工单号或申请编号", "预计办结日期"):
        assert words in proc.stdout, words
    expected = review_deadline(dt.datetime(2026, 12, 1, 12, tzinfo=dt.timezone(dt.timedelta(hours=8))), 15,
                               timezone="Asia/Shanghai").date
    with CaseStore(db) as store:
        [case] = store.all_cases()
        events = store.events(case.id)
    assert (case.state, case.route, case.application_number) == (c.PENDING_REVIEW, "customer_service", "GD20261201001")
    assert case.account == "13800000001" and case.deadline == expected and case.holds_request
    assert case.deadline_info.submitted_on == dt.date(2026, 12, 1)
    assert [(e.kind, e.source) for e in events] == [("state", "user"), ("contact", "customer_service"),
                                                    ("state", "customer_service")]
    assert events[1].detail["ticket"] == "GD20261201001" and events[2].detail["expected_by"] == expected.isoformat()
    assert expected.isoformat() in proc.stdout and "GD20261201001" in proc.stdout
    assert not (tmp_path / "evidence").exists()  # no browser was needed
    late = cli("cases", "--due", "--db", str(db), "--lang", "en",
               env_extra={"CLOSURE_ASSISTANT_TODAY": (expected + dt.timedelta(days=1)).isoformat()})
    assert late.returncode == 20 and "letters 1" in late.stdout
    assert "evidence at -" not in late.stdout and "the case record" in late.stdout  # no folder: where it is instead


def test_answers_on_standard_input_and_a_sooner_promise_for_any_site(tmp_path):
    db = tmp_path / "cases.sqlite3"
    proc = cli("close", "wallet-lender", "--account", "13900000101", "--route", "customer-service", "--db", str(db),
               "--lang", "en", stdin="SXH-TICKET-7\n2026-12-02\n2026-12-04\n", env_extra=TODAY)
    assert proc.returncode == 0, proc.stderr
    assert "hotline 95000-0000" in proc.stdout and "ticket or reference number" in proc.stdout
    listed = json.loads(cli("cases", "--json", "--db", str(db), env_extra=TODAY).stdout)
    [case] = listed["cases"]
    # The platform promised 2026-12-04, sooner than its 7 working days: the promise is the date it must keep.
    assert (case["state"], case["application_number"], case["expected_by"]) == ("pending_review", "SXH-TICKET-7",
                                                                                 "2026-12-04")
    assert "ticket SXH-TICKET-7" in case["next_action"]["text"]

    again = cli("close", "wallet-lender", "--account", "13900000101", "--route", "customer-service", "--ticket",
                "OTHER-1", "--db", str(db), "--lang", "en", env_extra=TODAY)
    assert again.returncode == 0 and "the contact is noted; the deadline stays" in again.stdout
    [case] = json.loads(cli("cases", "--json", "--db", str(db), env_extra=TODAY).stdout)["cases"]
    assert (case["application_number"], case["expected_by"]) == ("SXH-TICKET-7", "2026-12-04")  # never a second request
    assert [e["kind"] for e in case["events"]].count("contact") == 2


def test_without_answers_nothing_is_recorded(tmp_path):
    db = tmp_path / "cases.sqlite3"
    proc = cli("close", str(PHONE_ONLY), "--account", "13800000001", "--db", str(db), "--lang", "en", stdin="")
    assert proc.returncode == 4 and "No answers about the contact" in proc.stderr
    bad = cli("close", str(PHONE_ONLY), "--account", "13800000001", "--db", str(db), "--lang", "en",
              "--contacted-on", "yesterday")
    assert bad.returncode == 2 and "'yesterday' is not a date" in bad.stderr
    with CaseStore(db) as store:
        assert store.all_cases() == []
