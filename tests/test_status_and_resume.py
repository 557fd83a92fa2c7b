"""Status checks, resuming after a killed run, and several sites in one go — the CLI as a subprocess
against a portal the test started, with its own case database."""
from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from assistant.cases import store as c
from assistant.cases.store import CaseStore
from assistant.portals.demo_lender.app import SUBMIT_PATH
from tests.conftest import CANARY_PASSWORD, ROOT
from tests.portals.portal_http import WebSession
from tests.test_cases import pending_case
from tests.test_cli import READ_CODE, cli

KILL_WINDOW_LATENCY_MS = 2_000   # the portal's answers take this long once the code is in
WAIT_LIMIT_S = 180


def flow_args(command, portal, db, evidence, *extra):
    return [command, *extra, "--base-url", portal.base_url, "--db", str(db), "--code-command", READ_CODE,
            "--evidence-dir", str(evidence), "--lang", "en"]


def code_was_used(portal, account) -> bool:
    url = f"{portal.base_url}/__test__/code?account={urllib.parse.quote(account)}"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=5) as resp:
            return bool(json.load(resp)["used"])
    except urllib.error.HTTPError:
        return False  # no code sent yet


def wait_for(condition, proc, what: str) -> None:
    """Polls `condition` until true; fails if the CLI ends first or the bounded wait runs out."""
    deadline = time.monotonic() + WAIT_LIMIT_S
    while not condition():
        if proc.poll() is not None:
            raise AssertionError(f"the CLI ended (exit {proc.returncode}) before {what}")
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        try:
            proc.wait(timeout=0.02)  # a pause that also notices the CLI ending
        except subprocess.TimeoutExpired:
            pass


def test_killed_right_after_the_submit_click_is_resolved_without_a_second_submission(demo_portal, tmp_path):
    account = demo_portal.info.accounts["clean"]
    password = demo_portal.info.passwords[account]
    db = tmp_path / "cases.sqlite3"
    args = flow_args("close", demo_portal, db, tmp_path / "evidence", "demo-lender", "--account", account,
                     "--password-stdin", "--yes")
    proc = subprocess.Popen([sys.executable, "-m", "assistant", *args], stdin=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True, cwd=ROOT,
                            start_new_session=True)  # its own group: the kill takes its browser too
    try:
        proc.stdin.write(password + "\n")
        proc.stdin.close()
        # Once the code is accepted, slow the portal so the result page cannot arrive before the kill.
        wait_for(lambda: code_was_used(demo_portal, account), proc, "the code was accepted")
        demo_portal.client.set_faults(latency_ms=KILL_WINDOW_LATENCY_MS)
        wait_for(lambda: demo_portal.client.state(account)["submissions"] == 1, proc, "the submission arrived")
        os.killpg(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    demo_portal.client.set_faults(latency_ms=0)

    with CaseStore(db) as store:
        case = store.case("demo-lender", account)
        assert case.state == c.SUBMITTED  # written before the click, so it survived the kill
        assert store.last_run(case.id).outcome is None  # the killed run never finished
    assert demo_portal.client.state(account)["submissions"] == 1

    again = cli(*args, stdin=password + "\n")
    assert again.returncode == 0, again.stderr
    assert "checking the site's status first" in again.stderr
    assert "nothing was submitted again" in again.stdout
    portal_state = demo_portal.client.state(account)
    assert portal_state["submissions"] == 1
    with CaseStore(db) as store:
        case = store.case("demo-lender", account)
        assert case.state == c.PENDING_REVIEW
        assert case.application_number == portal_state["application_no"]
        assert case.submitted_at == case.submit_attempted_at  # the click's time, not the check's
        assert [r.flow for r in store.runs(case.id)] == ["close", "status"]

    third = cli(*args, stdin=password + "\n")  # and again: still only a status check
    assert third.returncode == 0, third.stderr
    assert demo_portal.client.state(account)["submissions"] == 1


def test_a_submit_that_never_reached_the_site_is_closed_afresh(demo_portal, tmp_path):
    account = demo_portal.info.accounts["clean"]
    db = tmp_path / "cases.sqlite3"
    with CaseStore(db) as store:  # as left by a run killed between recording the attempt and the click
        case = store.ensure_case("demo-lender", account)
        run = store.start_run(case.id, "deadbeef", "close", dry_run=False, at=dt.datetime.now(dt.timezone.utc),
                              evidence_dir=None)
        store.mark_submit_attempted(case.id, run, dt.datetime.now(dt.timezone.utc))
    proc = cli(*flow_args("close", demo_portal, db, tmp_path / "evidence", "demo-lender", "--account", account,
                          "--password-stdin", "--yes"), stdin=demo_portal.info.passwords[account] + "\n")
    assert proc.returncode == 0, proc.stderr
    assert "checking the site's status first" in proc.stderr
    assert "starting a fresh closure" in proc.stderr
    assert "nothing will be submitted again" not in proc.stdout + proc.stderr  # no sentence contradicts another
    assert "Application number: ZX" in proc.stdout
    assert demo_portal.client.state(account)["submissions"] == 1
    with CaseStore(db) as store:
        case = store.case("demo-lender", account)
        assert case.state == c.PENDING_REVIEW
        assert [r.flow for r in store.runs(case.id)] == ["close", "status", "close"]


def submit_over_http(portal, account) -> str:
    """A closure request made straight through the portal's API, as an earlier run would have."""
    session = WebSession(portal.base_url)
    session.login(account)
    session.post("/api/sms/send")
    session.post("/api/sms/verify", {"code": portal.client.latest_code(account)})
    return session.post(SUBMIT_PATH).json["application_no"]


def test_status_all_checks_open_cases_and_closes_the_approved_one(demo_portal, tmp_path):
    db = tmp_path / "cases.sqlite3"
    approved, never_arrived = demo_portal.info.accounts["clean"], demo_portal.info.accounts["clean2"]
    now = dt.datetime.now(dt.timezone.utc)
    number = submit_over_http(demo_portal, approved)  # submitted earlier; the site has it under review
    with CaseStore(db) as store:
        pending_case(store, approved, now, str(tmp_path / "evidence" / "earlier-run"), number)
        attempted = store.ensure_case("demo-lender", never_arrived)  # killed before its click went out
        store.mark_submit_attempted(attempted.id, store.start_run(attempted.id, "cafe", "close", dry_run=False,
                                                                  at=now, evidence_dir=None), now)
        untouched = store.ensure_case("demo-lender", "13800000004")
        store.set_state(untouched.id, c.NEEDS_YOU, "余额")
    demo_portal.client.approve(approved)

    passwords = "".join(demo_portal.info.passwords[a] + "\n" for a in (approved, never_arrived))  # cases order
    proc = cli(*flow_args("status", demo_portal, db, tmp_path / "evidence", "--all", "--password-stdin"),
               stdin=passwords)
    assert proc.returncode == 0, proc.stderr
    summary = proc.stdout.split("Summary:")[1].splitlines()
    assert any("138****0001" in line and "status read: closed" in line for line in summary)
    assert any("138****0003" in line and "status read: not closed" in line for line in summary)
    assert "138****0004" not in proc.stdout  # a blocked case has nothing to check
    with CaseStore(db) as store:
        assert store.case("demo-lender", approved).state == c.CLOSED
        fresh = store.case("demo-lender", never_arrived)
        assert (fresh.state, fresh.reason, fresh.submit_attempted_at) == (c.PREPARING, "site_shows_no_request", None)
    assert demo_portal.client.state(approved)["submissions"] == 1
    assert demo_portal.client.state(never_arrived)["submissions"] == 0


def test_two_accounts_from_a_plan_with_passwords_from_the_keyring(demo_portal, tmp_path):
    canary_account, unpaid = "13900000088", demo_portal.info.accounts["unpaid"]
    demo_portal.client.add_account(canary_account, CANARY_PASSWORD)
    for account, password in ((canary_account, CANARY_PASSWORD), (unpaid, demo_portal.info.passwords[unpaid])):
        saved = cli("credentials", "set", "demo-lender", account, "--password-stdin", stdin=password + "\n")
        assert saved.returncode == 0, saved.stderr
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"- site: demo-lender\n  account: '{canary_account}'\n"
                    f"- site: demo-lender\n  account: {unpaid}\n", "utf-8")
    db = tmp_path / "cases.sqlite3"
    proc = cli(*flow_args("close", demo_portal, db, tmp_path / "evidence", "--plan", str(plan), "--yes"), stdin="")
    assert proc.returncode == 3, proc.stderr  # the first non-zero: the unpaid loan
    summary = proc.stdout.split("Summary:")[1].splitlines()
    header, rows = summary[1], summary[2:]
    assert header.split()[:3] == ["site", "account", "outcome"]
    first = next(r for r in rows if "139****0088" in r)
    second = next(r for r in rows if "138****0002" in r)
    assert "submitted" in first and demo_portal.client.state(canary_account)["application_no"] in first
    assert str(tmp_path / "evidence") in first
    assert "refused by the site" in second
    assert CANARY_PASSWORD not in proc.stdout + proc.stderr
    assert CANARY_PASSWORD.encode() not in db.read_bytes()
    with CaseStore(db) as store:
        assert store.case("demo-lender", canary_account).state == c.PENDING_REVIEW
        blocked = store.case("demo-lender", unpaid)
        assert blocked.state == c.NEEDS_YOU and "未结清" in blocked.reason
    assert demo_portal.client.state(unpaid)["submissions"] == 0


def test_close_needs_an_account_or_a_plan(tmp_path):
    proc = cli("close", "demo-lender", "--lang", "en", "--db", str(tmp_path / "x.sqlite3"))
    assert proc.returncode == 2
    assert "--account" in proc.stderr and "Traceback" not in proc.stderr
    bad = tmp_path / "plan.yaml"
    bad.write_text("- site: demo-lender\n", "utf-8")
    proc = cli("close", "--plan", str(bad), "--lang", "en", "--db", str(tmp_path / "x.sqlite3"))
    assert proc.returncode == 2
    assert "plan.yaml:1:3:" in proc.stderr


def test_two_closes_of_the_same_account_never_run_at_once(tmp_path):
    db = tmp_path / "cases.sqlite3"
    with CaseStore(db) as store, store.working_on("demo-lender", "13800000001"):  # another process at work
        proc = cli("close", "demo-lender", "--account", "13800000001", "--db", str(db), "--password-stdin",
                   "--yes", "--base-url", "http://127.0.0.1:9", "--lang", "en", stdin="x\n")
    assert proc.returncode == 8, proc.stderr
    assert "Another closure-assistant is working on demo-lender / 138****0001" in proc.stderr


# ---------------------------------------------------------------- ask the site, never erase (issue 20.1, 20.2)

def _close_cli(portal, db, evidence, account, *extra):
    return cli(*flow_args("close", portal, db, evidence, "demo-lender", "--account", account, "--password-stdin",
                          "--yes", *extra), stdin=portal.info.passwords[account] + "\n")


def test_a_second_close_from_another_case_store_asks_the_site_and_submits_nothing(demo_portal, tmp_path):
    account = demo_portal.info.accounts["clean2"]
    first = _close_cli(demo_portal, tmp_path / "one.sqlite3", tmp_path / "evidence", account)
    assert first.returncode == 0, first.stderr
    assert demo_portal.client.state(account)["submissions"] == 1
    number = demo_portal.client.state(account)["application_no"]

    # Another computer, a reinstall, a deleted data folder: a case store that knows nothing.
    second = _close_cli(demo_portal, tmp_path / "two.sqlite3", tmp_path / "evidence", account)
    assert second.returncode == 0, second.stderr
    assert "The site already shows your request (pending)" in second.stdout
    assert demo_portal.client.state(account)["submissions"] == 1
    with CaseStore(tmp_path / "two.sqlite3") as store:
        case = store.case("demo-lender", account)
        assert (case.state, case.application_number) == (c.PENDING_REVIEW, number)
        assert case.submitted_at is None and case.deadline is None  # not submitted from here: no invented date
        run = store.last_run(case.id)
        assert (run.flow, run.outcome, run.site_state) == ("close", "already_pending", "pending")
    # The read is part of the close run's own evidence.
    manifest = json.loads((Path(run.evidence_dir) / "manifest.json").read_text("utf-8"))
    assert manifest["flow"] == "close" and any(e.get("label") == "status_pending" for e in manifest["entries"])


def test_status_reading_active_after_an_accepted_submission_keeps_the_record(demo_portal, tmp_path):
    account = demo_portal.info.accounts["clean"]
    db = tmp_path / "cases.sqlite3"
    closed = _close_cli(demo_portal, db, tmp_path / "evidence", account)
    assert closed.returncode == 0, closed.stderr
    with CaseStore(db) as store:
        before = store.case("demo-lender", account)
    assert before.state == c.PENDING_REVIEW and before.application_number and before.deadline

    demo_portal.client.reset()  # the site lost the request: it shows the account active again
    checked = cli(*flow_args("status", demo_portal, db, tmp_path / "evidence", "demo-lender", "--account", account,
                             "--password-stdin"), stdin=demo_portal.info.passwords[account] + "\n")
    assert checked.returncode == 0, checked.stderr
    assert "site shows active after submission: the request may have been rejected or lost" in checked.stdout
    with CaseStore(db) as store:
        after = store.case("demo-lender", account)
    assert (after.state, after.reason, after.holds_request) == (c.NEEDS_YOU, "site_shows_active_after_submission", True)
    assert (after.application_number, after.submitted_at, after.deadline) == (
        before.application_number, before.submitted_at, before.deadline)
    listed = cli("cases", "--db", str(db), "--lang", "en")
    assert "customer service" in listed.stdout and before.deadline.isoformat() in listed.stdout


def test_status_cannot_check_a_fresh_practice_portal_and_keeps_the_case(demo_portal, tmp_path):
    account = demo_portal.info.accounts["clean"]
    db = tmp_path / "cases.sqlite3"
    assert _close_cli(demo_portal, db, tmp_path / "evidence", account).returncode == 0
    with CaseStore(db) as store:
        before = store.case("demo-lender", account)
    # No --base-url: status would start a new bundled portal, which never saw this closure.
    proc = cli("status", "demo-lender", "--account", account, "--db", str(db), "--password-stdin",
               "--evidence-dir", str(tmp_path / "evidence"), "--lang", "en",
               stdin=demo_portal.info.passwords[account] + "\n")
    assert proc.returncode == 4, proc.stderr
    assert "Cannot check" in proc.stderr and "--base-url" in proc.stderr
    with CaseStore(db) as store:
        after = store.case("demo-lender", account)
    assert (after.state, after.application_number, after.deadline) == (before.state, before.application_number,
                                                                       before.deadline)
