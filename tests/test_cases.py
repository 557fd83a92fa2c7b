"""The case store: schema migrations, the lifecycle of a closure against real portals, the cases table."""
from __future__ import annotations

import datetime as dt
import sqlite3
from types import SimpleNamespace

import pytest

from assistant.cases import store as c
from assistant.cases.tracking import CaseTracker, next_state
from assistant.cases.store import CaseStore, CaseStoreError
from assistant.deadlines import add_working_days
from assistant.errors import ExitStatus

UTC = dt.timezone.utc


def portals_with_status_check() -> list[str]:
    """Every bundled portal whose site profile can read a closure's status (picks up new portals)."""
    from assistant.portals import PORTALS
    from assistant.profiles.loader import load_profile
    from assistant.profiles.registry import BUNDLED_DIR
    names = []
    for name in PORTALS:
        path = BUNDLED_DIR / f"{name}.yaml"
        if path.exists() and load_profile(path).status is not None:
            names.append(name)
    return names


# ---------------------------------------------------------------- schema

def test_empty_database_migrates_to_the_current_schema(tmp_path):
    path = tmp_path / "cases.sqlite3"
    sqlite3.connect(path).close()  # an existing, empty (user_version 0) database file
    with CaseStore(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(c.MIGRATIONS)
        case = store.ensure_case("demo-lender", "13800000001", review_working_days=15)
        assert case.state == c.PREPARING
    with CaseStore(path) as store:  # reopening migrates nothing and keeps the data
        assert [x.account for x in store.all_cases()] == ["13800000001"]


def test_a_version_1_database_gains_the_deadline_and_submit_columns(tmp_path, monkeypatch):
    path = tmp_path / "cases.sqlite3"
    monkeypatch.setattr(c, "MIGRATIONS", c.MIGRATIONS[:1])  # written by the tool before version 2
    with CaseStore(path) as store:
        store.db.execute("INSERT INTO cases (site, account, review_working_days, created_at, updated_at) "
                         "VALUES ('demo-lender', '13800000001', 15, '2026-01-01T00:00:00+00:00', "
                         "'2026-01-01T00:00:00+00:00')")
    monkeypatch.undo()
    with CaseStore(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(c.MIGRATIONS)
        case = store.case("demo-lender", "13800000001")
        assert (case.deadline_info, case.submit_record) == (None, None)


def test_a_further_schema_version_is_one_more_function(tmp_path, monkeypatch):
    path = tmp_path / "cases.sqlite3"
    with CaseStore(path) as store:
        store.ensure_case("demo-lender", "13800000001")

    def next_version(db):
        db.execute("ALTER TABLE cases ADD COLUMN note TEXT DEFAULT ''")
    current = len(c.MIGRATIONS)
    monkeypatch.setattr(c, "MIGRATIONS", [*c.MIGRATIONS, next_version])
    with CaseStore(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == current + 1
        assert tuple(store.db.execute("SELECT account, note FROM cases").fetchone()) == ("13800000001", "")


def test_a_failing_migration_changes_nothing(tmp_path, monkeypatch):
    path = tmp_path / "cases.sqlite3"
    CaseStore(path).close()
    current = len(c.MIGRATIONS)

    def broken(db):
        db.execute("ALTER TABLE cases ADD COLUMN half_done TEXT")
        raise RuntimeError("disk on fire")
    monkeypatch.setattr(c, "MIGRATIONS", [*c.MIGRATIONS, broken])
    with pytest.raises(RuntimeError):
        CaseStore(path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == current
    assert "half_done" not in [row[1] for row in db.execute("PRAGMA table_info(cases)")]


def test_a_database_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "cases.sqlite3"
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(CaseStoreError) as caught:
        CaseStore(path)
    assert "newer closure-assistant" in caught.value.detail


def test_database_location_defaults_and_overrides(tmp_path, monkeypatch, isolated_home):
    monkeypatch.delenv(c.DB_ENV, raising=False)
    assert c.default_path() == isolated_home / "cases.sqlite3"
    monkeypatch.setenv(c.DB_ENV, str(tmp_path / "elsewhere.db"))
    assert c.default_path() == tmp_path / "elsewhere.db"


# ---------------------------------------------------------------- state changes

def _result(outcome, state=None, submitted=False, error=None):
    submit = SimpleNamespace(clicked=submitted, sent=submitted, state="sent_no_answer" if submitted else "not_sent")
    return SimpleNamespace(outcome=outcome, state=state, submitted=submitted, submit=submit,
                           error=SimpleNamespace(detail=error) if error else None)


@pytest.mark.parametrize("flow, before, result, after", [
    ("close", c.PREPARING, _result("submitted", "pending", True), c.PENDING_REVIEW),
    ("close", c.PREPARING, _result("already_closed", "closed"), c.CLOSED),
    ("close", c.PREPARING, _result("blocked", error="您尚有未结清的借款"), c.NEEDS_YOU),
    ("close", c.PREPARING, _result("needs_user", error="no code"), c.NEEDS_YOU),
    ("close", c.NEEDS_YOU, _result("dry_run_ok"), c.NEEDS_YOU),
    ("close", c.SUBMITTED, _result("failed", submitted=True, error="result page not recognised"), c.SUBMITTED),
    ("close", c.PENDING_REVIEW, _result("failed", error="login page changed"), c.PENDING_REVIEW),  # never downgraded
    ("close", c.OVERDUE, _result("failed", error="login page changed"), c.OVERDUE),
    ("status", c.SUBMITTED, _result("status_read", "pending"), c.PENDING_REVIEW),
    ("status", c.SUBMITTED, _result("status_read", "active"), c.PREPARING),
    ("status", c.PENDING_REVIEW, _result("status_read", "closed"), c.CLOSED),
    ("status", c.OVERDUE, _result("status_read", "pending"), c.OVERDUE),  # still late, whatever the site says
    ("status", c.OVERDUE, _result("status_read", "closed"), c.CLOSED),
    ("status", c.PENDING_REVIEW, _result("failed", error="timeout"), c.PENDING_REVIEW),
    ("status", c.PENDING_REVIEW, _result("status_read", "rejected"), c.DENIED),
    ("status", c.NEEDS_YOU, _result("status_read", "active"), c.NEEDS_YOU),
    ("prepare", c.NEEDS_YOU, _result("prepared"), c.PREPARING),  # the loan was repaid: ready to close
    ("prepare", c.PENDING_REVIEW, _result("prepared"), c.PENDING_REVIEW),
    ("prepare", c.PREPARING, _result("blocked", error="您尚有未结清的借款"), c.NEEDS_YOU),
])
def test_case_state_after_a_run(flow, before, result, after):
    assert next_state(flow, before, result)[0] == after


# ---------------------------------------------------------------- against the portals

def _tracked(run_close, portal, store, tmp_path, account, flow="close", **kw):
    tracker = CaseTracker(store, account, evidence_root=tmp_path / "evidence")
    record = run_close(portal, account, flow=flow, listeners=(tracker,), **kw)
    return record, store.case(portal.name, account)


@pytest.mark.parametrize("portal_name", portals_with_status_check())
def test_case_lifecycle_close_pending_approved_closed(portal_name, portals, run_close, tmp_path):
    portal = portals(portal_name)
    account = portal.info.demo_account
    store = CaseStore(tmp_path / "cases.sqlite3")

    record, case = _tracked(run_close, portal, store, tmp_path, account)
    assert record.result.outcome == "submitted", record.result.error
    assert case.state == c.PENDING_REVIEW
    assert case.application_number and case.application_number == portal.client.state(account)["application_no"]
    submitted_on = c.site_date(case.submitted_at, case.site_timezone)
    # The one deadline, computed when the site accepted the request, at the site's date.
    assert case.deadline == case.deadline_info.date == record.result.deadline.date
    assert case.deadline == add_working_days(submitted_on, case.review_working_days,
                                             case.deadline_info.calendar)[0]
    assert case.submit_attempted_at <= case.submitted_at  # recorded before the click; sent just after
    assert case.submitted_at == record.result.submit.sent_at.replace(microsecond=0)

    record, case = _tracked(run_close, portal, store, tmp_path, account, flow="status")
    assert (record.result.outcome, record.result.state) == ("status_read", "pending"), record.result.error
    assert case.state == c.PENDING_REVIEW

    portal.client.approve(account)
    record, case = _tracked(run_close, portal, store, tmp_path, account, flow="status")
    assert (record.result.outcome, record.result.state) == ("status_read", "closed"), record.result.error
    assert case.state == c.CLOSED and case.closed_at is not None
    assert case.confirmed_by in ("site_status", "refused_login")  # how the site said it, as the run saw it
    assert portal.client.state(account)["submissions"] == 1

    runs = store.runs(case.id)
    assert [(r.flow, r.outcome) for r in runs] == [("close", "submitted"), ("status", "status_read"),
                                                    ("status", "status_read")]
    assert all(r.evidence_dir and r.evidence_dir.startswith(str(tmp_path / "evidence")) for r in runs)
    assert runs[0].submit_attempted_at is not None and runs[1].submit_attempted_at is None


def test_status_of_an_untouched_account_reads_active(demo_portal, run_close, tmp_path):
    account = demo_portal.info.accounts["clean2"]
    store = CaseStore(tmp_path / "cases.sqlite3")
    record, case = _tracked(run_close, demo_portal, store, tmp_path, account, flow="status")
    assert (record.result.state, record.result.error) == ("active", None)
    assert case.state == c.PREPARING and case.application_number is None


def test_submit_attempt_is_committed_before_the_click(demo_portal, run_close, tmp_path):
    account = demo_portal.info.accounts["clean"]
    path = tmp_path / "cases.sqlite3"
    store = CaseStore(path)
    seen = {}

    class LookFromAnotherProcess:
        def handle(self, event):
            if type(event).__name__ == "SubmitStarting":
                other = sqlite3.connect(path)  # what a fresh process would find if this one died now
                seen["state"] = other.execute("SELECT state FROM cases").fetchone()[0]
                seen["submissions"] = demo_portal.client.state(account)["submissions"]
                other.close()
    tracker = CaseTracker(store, account, evidence_root=tmp_path / "evidence")
    record = run_close(demo_portal, account, listeners=(tracker, LookFromAnotherProcess()))
    assert record.result.outcome == "submitted", record.result.error
    assert seen == {"state": c.SUBMITTED, "submissions": 0}


def test_no_click_when_the_attempt_cannot_be_recorded(demo_portal, run_close, tmp_path):
    account = demo_portal.info.accounts["clean"]
    store = CaseStore(tmp_path / "cases.sqlite3")

    def disk_full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")
    store.mark_submit_attempted = disk_full
    tracker = CaseTracker(store, account, evidence_root=tmp_path / "evidence")
    record = run_close(demo_portal, account, listeners=(tracker,))
    assert isinstance(record.result.error, CaseStoreError)  # an environment problem (exit 15), not a bug
    assert record.result.error.exit_status == ExitStatus.ENVIRONMENT
    assert record.result.submitted is False
    assert demo_portal.client.state(account)["submissions"] == 0


# ---------------------------------------------------------------- the cases table

def pending_case(store, account, submitted: dt.datetime, evidence: str, number: str | None = None):
    """A case as a submitting run leaves it, written straight into the store."""
    case = store.ensure_case("demo-lender", account, review_working_days=15, site_timezone="Asia/Shanghai",
                             at=submitted)
    run = store.start_run(case.id, "r" + account[-4:], "close", dry_run=False, at=submitted, evidence_dir=evidence)
    store.mark_submit_attempted(case.id, run, submitted)
    store.set_application_number(case.id, number or "ZX" + account)
    store.finish_run(run, outcome="submitted", site_state="pending", detail=None, at=submitted)
    store.confirm_submitted(case.id)  # from the click's time, as a later status check does
    store.set_state(case.id, c.PENDING_REVIEW, at=submitted)
    return store.case("demo-lender", account)


def test_cases_marks_the_overdue_case(tmp_path, monkeypatch, capsys):
    from assistant.cli.main import main
    path = tmp_path / "cases.sqlite3"
    with CaseStore(path) as store:
        old = pending_case(store, "13800000011", dt.datetime(2026, 1, 5, 2, 0, tzinfo=UTC), "/ev/old-run")
        new = pending_case(store, "13800000012", dt.datetime(2026, 1, 20, 2, 0, tzinfo=UTC), "/ev/new-run")
        blocked = store.ensure_case("demo-lender", "13800000013")
        store.set_state(blocked.id, c.NEEDS_YOU, "您尚有未结清的借款")
    assert old.deadline == dt.date(2026, 1, 26) and new.deadline == dt.date(2026, 2, 10)

    monkeypatch.setenv(c.TODAY_ENV, "2026-01-27")  # the clock is injected, never slept
    assert main(["cases", "--db", str(path), "--lang", "en"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:4] == ["#", "site", "account", "state"]
    rows = {line.split()[2]: line for line in lines[1:4]}
    assert set(rows) == {"138****0011", "138****0012", "138****0013"}
    assert "OVERDUE" in rows["138****0011"] and "complain" in rows["138****0011"]
    assert "/ev/old-run" in rows["138****0011"] and "2026-01-26" in rows["138****0011"]
    assert "OVERDUE" not in rows["138****0012"] and "status --all" in rows["138****0012"]
    assert "repay" in rows["138****0013"] and "未结清" in rows["138****0013"]
    assert "\033[" not in "\n".join(lines)  # no colour codes when the output is not a terminal

    monkeypatch.setenv(c.TODAY_ENV, "2026-01-26")  # the deadline day itself is not late yet
    main(["cases", "--db", str(path), "--lang", "zh"])
    assert "逾期" not in capsys.readouterr().out
    monkeypatch.setenv(c.TODAY_ENV, "2026-03-01")
    main(["cases", "--db", str(path), "--lang", "zh"])
    out = capsys.readouterr().out
    assert out.count("逾期") == 2 and "审核中" in out and "投诉" in out


def test_overdue_rows_are_red_on_a_terminal(tmp_path, monkeypatch, capsys):
    from assistant.cli.main import main
    from assistant.cli.commands import cases as cases_command
    path = tmp_path / "cases.sqlite3"
    with CaseStore(path) as store:
        pending_case(store, "13800000011", dt.datetime(2026, 1, 5, 2, 0, tzinfo=UTC), "/ev/old-run")
        store.ensure_case("demo-lender", "13800000013")
    monkeypatch.setenv(c.TODAY_ENV, "2026-02-27")
    monkeypatch.setattr(cases_command, "colour_wanted", lambda stream: True)
    main(["cases", "--db", str(path), "--lang", "en"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("\033[31m") and "OVERDUE" in lines[1]
    assert "\033[" not in lines[2]


def test_cases_with_no_database_yet_says_how_to_start(tmp_path, capsys):
    from assistant.cli.main import main
    assert main(["cases", "--db", str(tmp_path / "new.sqlite3"), "--lang", "en"]) == 0
    assert "No cases yet" in capsys.readouterr().out


def test_a_bad_today_is_a_plain_error(tmp_path, monkeypatch, capsys):
    from assistant.cli.main import main
    monkeypatch.setenv(c.TODAY_ENV, "next tuesday")
    assert main(["cases", "--db", str(tmp_path / "x.sqlite3"), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "CLOSURE_ASSISTANT_TODAY" in err and "Traceback" not in err


# ---------------------------------------------------------------- plans

@pytest.mark.parametrize("text, where, words", [
    ("- site: demo-lender\n  account: '1'\n  passwd: x\n", ":3:3:", "unknown key 'passwd'"),
    ("- site: demo-lender\n", ":1:3:", "`account:` is missing"),
    ("site: demo-lender\naccount: 1\n", ":1:1:", "a plan is a list"),
    ("- site: demo-lender\n  account: [1\n", ":", "not valid YAML"),
    ("- !!python/object:os.system {site: x, account: y}\n", ":1:3:", "not allowed"),
    ("- {site: demo-lender, account: '1'}\n- {site: demo-lender, account: 1}\n", ":2:3:", "listed twice"),
])
def test_bad_plans_are_refused_with_file_line_and_column(tmp_path, text, where, words):
    from assistant.cli.plan import PlanError, load_plan
    path = tmp_path / "plan.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    assert f"plan.yaml{where}" in caught.value.detail and words in caught.value.detail


def test_a_plan_lists_pairs_in_order(tmp_path):
    from assistant.cli.plan import PlanEntry, load_plan
    path = tmp_path / "plan.yaml"
    path.write_text("# two lenders\n- site: demo-lender\n  account: 13800000001\n"
                    "- site: other-lender\n  account: me@example.com\n", "utf-8")
    assert load_plan(path) == [PlanEntry("demo-lender", "13800000001"), PlanEntry("other-lender", "me@example.com")]
