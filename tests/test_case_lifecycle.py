"""Case states to the end (issue 15): a closure followed from the submit to the confirmed closure with every
change an event, reminders without a daemon (`cases --due`, exit 20; `cases --ics`), notes, and the
migration of the states of before (with the journal a locked store leaves)."""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

from icalendar import Calendar

from assistant.cases import store as c
from assistant.cases.store import CaseStore
from assistant.deadlines import review_deadline
from tests.test_cli import READ_CODE, cli

UTC = dt.timezone.utc


def cases_json(db: Path, today: str | None = None, lang: str = "en") -> dict:
    proc = cli("cases", "--json", "--db", str(db), "--lang", lang,
               env_extra={"CLOSURE_ASSISTANT_TODAY": today} if today else None)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def due(db: Path, today: str):
    return cli("cases", "--due", "--db", str(db), "--lang", "en", env_extra={"CLOSURE_ASSISTANT_TODAY": today})


def test_a_closure_from_submitted_to_closed_with_every_event_and_its_reminders(demo_portal, tmp_path):
    account = demo_portal.info.accounts["clean"]
    password = demo_portal.info.passwords[account] + "\n"
    db, evidence = tmp_path / "cases.sqlite3", tmp_path / "evidence"
    site = ["--base-url", demo_portal.base_url, "--db", str(db), "--evidence-dir", str(evidence), "--lang", "en",
            "--password-stdin"]
    closed = cli("close", "demo-lender", "--account", account, *site, "--yes", "--code-command", READ_CODE,
                 "--checked", "cards_unbound", "autodebit_cancelled", "records_saved", stdin=password)
    assert closed.returncode == 0, closed.stderr

    [case] = cases_json(db)["cases"]
    assert case["state"] == "pending_review" and case["application_number"].startswith("ZX")
    deadline = dt.date.fromisoformat(case["expected_by"])
    assert case["next_action"]["due_on"] == deadline.isoformat()  # the re-check date: the deadline itself
    before, on_time, late = (deadline - dt.timedelta(days=1)).isoformat(), deadline.isoformat(), \
        (deadline + dt.timedelta(days=1)).isoformat()
    assert due(db, before).returncode == 0
    assert due(db, on_time).returncode == 20  # the day to look again
    overdue = due(db, late)
    assert overdue.returncode == 20 and "OVERDUE" in overdue.stdout and "letters 1" in overdue.stdout

    calendar = tmp_path / "closures.ics"
    written = cli("cases", "--ics", str(calendar), "--db", str(db), "--lang", "en",
                  env_extra={"CLOSURE_ASSISTANT_TODAY": late})
    assert written.returncode == 0, written.stderr
    events = {str(e["uid"]): e for e in Calendar.from_ical(calendar.read_bytes()).walk("VEVENT")}
    assert events["case-1-deadline@closure-assistant"]["dtstart"].dt == deadline
    assert case["application_number"] in str(events["case-1-deadline@closure-assistant"]["summary"])
    assert events["case-1-next@closure-assistant"]["dtstart"].dt == deadline + dt.timedelta(days=1)

    letters = cli("letters", "1", "--db", str(db), "--out", str(tmp_path / "letters"), "--lang", "en",
                  env_extra={"CLOSURE_ASSISTANT_TODAY": late})
    assert letters.returncode == 0, letters.stderr
    assert sorted(p.name for p in (tmp_path / "letters").iterdir()) == [
        f"{late}-{kind}.zh.{suffix}" for kind in ("complaint", "follow-up") for suffix in ("html", "pdf", "txt")]

    demo_portal.client.approve(account)  # the platform finishes; a status check sees it
    checked = cli("status", "demo-lender", "--account", account, *site, stdin=password,
                  env_extra={"CLOSURE_ASSISTANT_TODAY": late})
    assert checked.returncode == 0, checked.stderr
    assert due(db, late).returncode == 0  # nothing left to do

    [case] = cases_json(db, late)["cases"]
    assert (case["state"], case["confirmed_by"]) == ("closed", "refused_login")  # the site's login says so
    story = [(e["kind"], e["state"], e["source"]) for e in case["events"]]
    assert story == [
        ("state", "preparing", "user"), ("checklist", None, "user"),  # the checklist, asked before the run
        ("state", "submitted", "run"), ("prepared", None, "run"), ("state", "pending_review", "run"),
        ("state", "overdue", "deadline"), ("letter", None, "letters"), ("letter", None, "letters"),
        ("state", "closed", "status_check")]
    assert [e["detail"]["kind"] for e in case["events"] if e["kind"] == "letter"] == ["follow-up", "complaint"]
    overdue_event = next(e for e in case["events"] if e["state"] == "overdue")
    assert overdue_event["detail"]["expected_by"] == deadline.isoformat()
    assert demo_portal.client.state(account)["submissions"] == 1


def test_a_note_records_what_was_done_elsewhere_and_puts_the_reminder_off(tmp_path):
    db = tmp_path / "cases.sqlite3"
    with CaseStore(db) as store:
        case = store.ensure_case("demo-lender", "13800000002", site_timezone="Asia/Shanghai")
        store.set_needs_you(case.id, "您尚有未结清的借款", source="run")
    now = c.site_date(dt.datetime.now(UTC), "Asia/Shanghai")  # the platform's date, as the case counts it
    today = now.isoformat()
    assert due(db, today).returncode == 20
    noted = cli("note", "demo-lender", "还清了借款，明天再注销", "--db", str(db), "--lang", "en",
                env_extra={"CLOSURE_ASSISTANT_TODAY": today})
    assert noted.returncode == 0, noted.stderr
    assert "Noted in case 1" in noted.stdout and "Next: repay" in noted.stdout
    assert due(db, today).returncode == 0  # you said what you did: asked again in a week
    assert due(db, (now + dt.timedelta(days=8)).isoformat()).returncode == 20

    done = cli("note", "1", "客服确认已注销", "--closed", "--ticket", "GD42", "--db", str(db), "--lang", "zh")
    assert done.returncode == 0 and "已注销" in done.stdout
    [case] = cases_json(db)["cases"]
    assert (case["state"], case["confirmed_by"], case["application_number"]) == ("closed", "user", "GD42")
    assert [(e["kind"], e["source"]) for e in case["events"]][-2:] == [("note", "user"), ("state", "user")]
    assert case["events"][-2]["detail"] == {"text": "客服确认已注销", "ticket": "GD42"}


def test_a_case_that_does_not_exist_is_said_plainly(tmp_path):
    proc = cli("note", "7", "x", "--db", str(tmp_path / "cases.sqlite3"), "--lang", "en")
    assert proc.returncode == 2 and "no case numbered or named '7'" in proc.stderr


# ---------------------------------------------------------------- from the states of before

def _v3_store(path: Path, monkeypatch) -> None:
    monkeypatch.setattr(c, "MIGRATIONS", c.MIGRATIONS[:3])  # as the tool left it before version 4
    CaseStore(path).close()
    monkeypatch.undo()


OLD_CASES = [  # account, old state, reason, submitted (attempted, accepted), closed, a status run that saw closed
    ("13800000011", "not_started", None, None, None, False),
    ("13800000012", "blocked", "您尚有未结清的借款", None, None, False),
    ("13800000013", "needs_user", "no_code", None, None, False),
    ("13800000014", "submit_attempted", None, ("2026-01-05T02:00:00+00:00", None), None, False),
    ("13800000015", "pending", None, ("2026-01-05T02:00:00+00:00", "2026-01-05T02:00:05+00:00"), None, False),
    ("13800000016", "closed", None, ("2026-01-05T02:00:00+00:00", "2026-01-05T02:00:05+00:00"),
     "2026-01-20T03:00:00+00:00", True),
    ("13800000017", "failed", "rejected", None, None, False),
    ("13800000018", "failed", "submit_not_taken", None, None, False),
    ("13800000019", "failed", "site_changed", None, None, False),
    ("13800000020", "active_after_submit", "site_shows_active_after_submission",
     ("2026-01-05T02:00:00+00:00", "2026-01-05T02:00:05+00:00"), None, False),
]
NOW_STATES = {
    "13800000011": (c.PREPARING, None), "13800000012": (c.NEEDS_YOU, "您尚有未结清的借款"),
    "13800000013": (c.NEEDS_YOU, "no_code"), "13800000014": (c.SUBMITTED, None),
    "13800000015": (c.PENDING_REVIEW, None), "13800000016": (c.CLOSED, None),
    "13800000017": (c.DENIED, "rejected"), "13800000018": (c.PREPARING, "submit_not_taken"),
    "13800000019": (c.NEEDS_YOU, "site_changed"),
    "13800000020": (c.NEEDS_YOU, "site_shows_active_after_submission"),
}


def test_every_state_of_before_is_migrated_with_its_history(tmp_path, monkeypatch):
    path = tmp_path / "cases.sqlite3"
    _v3_store(path, monkeypatch)
    db = sqlite3.connect(path)
    for i, (account, state, reason, submitted, closed, saw_closed) in enumerate(OLD_CASES, start=1):
        attempted, accepted = submitted or (None, None)
        db.execute("INSERT INTO cases (id, site, account, state, reason, review_working_days, site_timezone, "
                   "submit_attempted_at, submitted_at, deadline, closed_at, submit_run, created_at, updated_at) "
                   "VALUES (?, 'demo-lender', ?, ?, ?, 15, 'Asia/Shanghai', ?, ?, ?, ?, ?, ?, ?)",
                   (i, account, state, reason, attempted, accepted, "2026-01-26" if accepted else None, closed,
                    i if attempted else None, "2026-01-01T00:00:00+00:00", "2026-01-02T00:00:00+00:00"))
        db.execute("INSERT INTO runs (id, case_id, run_id, flow, started_at, outcome, submit_attempted_at) "
                   "VALUES (?, ?, ?, 'close', '2026-01-05T01:59:00+00:00', 'failed', ?)", (i, i, f"r{i}", attempted))
        if saw_closed:
            db.execute("INSERT INTO runs (id, case_id, run_id, flow, started_at, outcome, site_state) "  # ids after the close runs'
                       "VALUES (?, ?, 's1', 'status', '2026-01-20T03:00:00+00:00', 'status_read', 'closed')",
                       (100 + i, i))
    db.commit()
    db.close()

    with CaseStore(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(c.MIGRATIONS)
        for case in store.all_cases():
            assert (case.state, case.reason) == NOW_STATES[case.account], case.account
            events = store.events(case.id)
            assert (events[0].state, events[0].source, events[0].at) == (
                c.PREPARING, "migration", dt.datetime(2026, 1, 1, tzinfo=UTC))
            old = next(row for row in OLD_CASES if row[0] == case.account)
            if old[1] != case.state:  # the state of before is kept in the event that says where it stands
                assert events[-1].detail["from"] == old[1]
            if old[2] and (case.state, case.reason) != (c.CLOSED, None):
                assert events[-1].source == "migration" and events[-1].detail["reason"] == old[2]
            assert len(store.runs(case.id)) == (2 if old[5] else 1)  # every run kept
        pending = store.case("demo-lender", "13800000015")
        assert [e.state for e in store.events(pending.id)] == [c.PREPARING, c.SUBMITTED, c.PENDING_REVIEW]
        assert store.events(pending.id)[2].detail == {"expected_by": "2026-01-26", "from": "pending"}
        closed = store.case("demo-lender", "13800000016")
        assert closed.confirmed_by == "site_status" and store.events(closed.id)[-1].source == "status_check"
        lost = store.case("demo-lender", "13800000020")
        assert lost.holds_request and lost.deadline == dt.date(2026, 1, 26)  # never submitted blindly again
        assert not store.case("demo-lender", "13800000018").holds_request  # the site did not take it: may retry


def test_a_journal_an_older_version_wrote_is_replayed_with_the_new_states(tmp_path, monkeypatch):
    path = tmp_path / "cases.sqlite3"
    _v3_store(path, monkeypatch)
    db = sqlite3.connect(path)
    db.execute("INSERT INTO cases (id, site, account, state, review_working_days, site_timezone, submit_attempted_at, "
               "submit_run, created_at, updated_at) VALUES (1, 'demo-lender', '13800000001', 'submit_attempted', 15, "
               "'Asia/Shanghai', '2026-01-05T02:00:00+00:00', 1, '2026-01-05T01:59:00+00:00', "
               "'2026-01-05T02:00:00+00:00')")
    db.execute("INSERT INTO runs (id, case_id, run_id, flow, started_at, submit_attempted_at) "
               "VALUES (1, 1, 'abcd', 'close', '2026-01-05T01:59:00+00:00', '2026-01-05T02:00:00+00:00')")
    db.commit()
    db.close()
    sent = dt.datetime(2026, 1, 5, 2, 0, 1, tzinfo=UTC)
    deadline = review_deadline(sent, 15, timezone="Asia/Shanghai")
    # What a run of the version before wrote while the store was locked after its submit.
    change = {"op": "finish", "case": 1, "run": 1, "at": "2026-01-05T02:00:09+00:00", "outcome": "submitted",
              "site_state": "pending", "detail": None, "state": "pending", "reason": None, "forget": False,
              "deadline": deadline.as_dict(), "submitted_at": sent.isoformat(), "confirm": True, "submit_record": None}
    path.with_name(path.name + ".journal").write_text(json.dumps(change) + "\n", "utf-8")

    with CaseStore(path) as store:
        case = store.case("demo-lender", "13800000001")
        assert (case.state, case.deadline) == (c.PENDING_REVIEW, deadline.date)
        last = store.events(case.id)[-1]
        assert (last.state, last.previous, last.source, last.run) == (c.PENDING_REVIEW, c.SUBMITTED, "run", 1)
        assert not store.journal_path.exists()
