"""Problems on this computer, not the site's: a full disk, a folder that cannot be written, a case
database that is locked, corrupt or read-only, a browser or Playwright driver that dies.

Before the submit the run stops safely: exit 15, a message saying what to fix, nothing submitted. After
the submit nothing may hide the outcome: it is printed with the evidence fingerprint and folder, the
bundle stays a valid (partial) one, and the case is recorded once the database is back. No test here
may see exit 1, which the README keeps for bugs.

A full disk is a real tmpfs of a few MB where the test may mount one (root with CAP_SYS_ADMIN, as in
CI's container); elsewhere tests/helpers/cli_with_full_disk.py plays the full disk.
"""
from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cases import store as c
from assistant.cases.store import CaseStore
from assistant.errors import ExitStatus
from tests.conftest import ROOT
from tests.test_cli import READ_CODE, cli
from tests.test_status_and_resume import code_was_used, wait_for

FULL_DISK = str(ROOT / "tests" / "helpers" / "cli_with_full_disk.py")
KILL_THEN_CODE = f"{sys.executable} {ROOT / 'tests' / 'helpers' / 'kill_browser_then_code.py'}"
RESULT_LATENCY_MS = 2_000  # once the code is in, the portal answers this slowly: room to act right after the submit
ENVIRONMENT = int(ExitStatus.ENVIRONMENT)


# ---------------------------------------------------------------- a small disk

def _mount(path: Path, options: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    if os.environ.get("CLOSURE_ASSISTANT_TEST_NO_TMPFS"):  # exercise the stand-in where tmpfs works too
        return False
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True,
                              timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


@pytest.fixture
def tmpfs(tmp_path):
    """tmpfs(name, size) → a mounted tmpfs of that size under tmp_path, or None where mounting is not allowed."""
    mounted: list[Path] = []

    def make(name: str, size: str, *, read_only: bool = False) -> Path | None:
        path = tmp_path / name
        if not _mount(path, f"size={size}" + (",ro" if read_only else "")):
            return None
        mounted.append(path)
        return path
    yield make
    for path in reversed(mounted):
        subprocess.run(["umount", "-l", str(path)], capture_output=True, timeout=30)


def fill_up(folder: Path) -> Path:
    """Writes zeros into folder/filler until the disk has no byte left."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as fh:
        block = b"\0" * (1 << 20)
        while block:
            try:
                fh.write(block)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
                block = block[: len(block) // 2]
    return filler


# ---------------------------------------------------------------- running the CLI

def close_args(portal, account: str, tmp_path: Path, evidence: Path, *, db: Path | None = None) -> list[str]:
    return ["close", "demo-lender", "--account", account, "--base-url", portal.base_url, "--password-stdin", "--yes",
            "--code-command", READ_CODE, "--db", str(db or tmp_path / "cases.sqlite3"), "--evidence-dir", str(evidence),
            "--lang", "en"]


def start(args: list[str], password: str, *, full_disk: str | None = None) -> subprocess.Popen:
    """The CLI in the background; `full_disk` runs it through the full-disk stand-in instead."""
    prefix = [sys.executable, FULL_DISK, full_disk] if full_disk else [sys.executable, "-m", "assistant"]
    proc = subprocess.Popen(prefix + args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT, start_new_session=True)
    proc.stdin.write(password + "\n")
    proc.stdin.close()
    proc.stdin = None
    return proc


def right_after_the_submit(portal, account: str, proc: subprocess.Popen, act) -> tuple[str, str]:
    """Runs `act()` once the portal has the closure request and before its answer reaches the CLI;
    returns the CLI's (stdout, stderr)."""
    try:
        wait_for(lambda: code_was_used(portal, account), proc, "the code was accepted")
        portal.client.set_faults(latency_ms=RESULT_LATENCY_MS)
        wait_for(lambda: portal.client.state(account)["submissions"] == 1, proc, "the submission arrived")
        if act is not None:
            act()
        return proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=30)
        portal.client.set_faults(latency_ms=0)


def only_folder(evidence: Path) -> Path:
    [folder] = list(evidence.iterdir())
    return folder


def manifest_of(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text("utf-8"))


def verify(folder: Path, *extra) -> subprocess.CompletedProcess:
    return cli("evidence", "verify", str(folder), "--lang", "en", *extra)


def fingerprint(out: str) -> str:
    return re.search(r"Evidence fingerprint [^:]*: ([0-9a-f]{64})", out).group(1)


# ---------------------------------------------------------------- the evidence disk

def test_a_disk_too_full_for_the_rest_of_the_run_stops_before_the_submit(demo_portal, tmp_path, tmpfs):
    account = demo_portal.info.accounts["clean"]
    disk = tmpfs("disk", "3m")  # the 20 steps before the submit fit (about 1 MB); the rest and the report do not
    evidence = (disk or tmp_path) / "evidence"
    proc = start(close_args(demo_portal, account, tmp_path, evidence), demo_portal.info.passwords[account],
                 full_disk=None if disk else "before_submit")
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == ENVIRONMENT, err
    assert "The evidence folder cannot be used; stopped without submitting" in err
    assert "MB free, the rest of the run needs about" in err
    assert demo_portal.client.state(account)["submissions"] == 0
    with CaseStore(tmp_path / "cases.sqlite3") as store:
        case = store.case("demo-lender", account)
    assert case.state not in c.SUBMITTED_STATES and case.submit_attempted_at is None
    folder = only_folder(evidence)
    assert "submit_started" not in [e["kind"] for e in manifest_of(folder)["entries"]]
    assert not list(folder.rglob("*.tmp"))


def test_a_disk_that_fills_up_after_the_submit_still_shows_the_outcome(demo_portal, tmp_path, tmpfs):
    account = demo_portal.info.accounts["clean"]
    disk = tmpfs("disk", "24m")  # room enough at the preflight; filled to the last byte right after the submit
    evidence = (disk or tmp_path) / "evidence"
    proc = start(close_args(demo_portal, account, tmp_path, evidence), demo_portal.info.passwords[account],
                 full_disk=None if disk else "after_submit")
    filled = []
    out, err = right_after_the_submit(demo_portal, account, proc,
                                      (lambda: filled.append(fill_up(disk))) if disk else None)
    state = demo_portal.client.state(account)
    assert proc.returncode == ENVIRONMENT, err
    assert state["submissions"] == 1
    assert f"Application number: {state['application_no']}" in out
    assert "Closure request: accepted by the site" in out  # the record: it left and the site took it
    assert "The evidence could not be saved after this point" in out and "the disk is full" in out
    assert "The report could not be made" in out
    assert "This is a bug" not in out + err
    folder = only_folder(evidence)
    assert f"Evidence folder: {folder}" in out
    assert not list(folder.rglob("*.tmp"))
    for filler in filled:
        filler.unlink()  # the disk has room again: the bundle is what the run left
    checked = verify(folder, "--final-hash", fingerprint(out))
    assert checked.returncode == ExitStatus.EVIDENCE_PARTIAL, checked.stdout
    with CaseStore(tmp_path / "cases.sqlite3") as store:  # the database lives on another disk
        case = store.case("demo-lender", account)
    assert (case.state, case.application_number) == (c.PENDING_REVIEW, state["application_no"])


# ---------------------------------------------------------------- the case database

def test_a_case_store_locked_right_after_the_submit_records_the_case_when_it_is_back(demo_portal, tmp_path):
    account = demo_portal.info.accounts["clean"]
    db = tmp_path / "cases.sqlite3"
    evidence = tmp_path / "evidence"
    proc = start(close_args(demo_portal, account, tmp_path, evidence), demo_portal.info.passwords[account])
    holder = {}

    def lock_the_store():  # another program holds a write lock (and keeps readers out) from now on
        other = sqlite3.connect(db, isolation_level=None, timeout=30)
        other.execute("BEGIN EXCLUSIVE")
        holder["db"] = other
    try:
        out, err = right_after_the_submit(demo_portal, account, proc, lock_the_store)
    finally:
        if "db" in holder:
            holder["db"].execute("ROLLBACK")
            holder["db"].close()
    state = demo_portal.client.state(account)
    journal = db.with_name(db.name + ".journal")
    assert proc.returncode == ENVIRONMENT, err
    assert f"Application number: {state['application_no']}" in out
    assert "The case database could not be written" in out and str(journal) in out
    assert journal.is_file()
    assert verify(only_folder(evidence)).returncode == 0  # the evidence itself was never touched

    listed = cli("cases", "--db", str(db), "--lang", "en")  # any command that opens the store replays it
    assert listed.returncode == 0, listed.stderr
    assert state["application_no"] in listed.stdout and "pending review" in listed.stdout
    assert not journal.exists()
    with CaseStore(db) as store:
        case = store.case("demo-lender", account)
        run = store.run(case.submit_run)
    assert (case.state, case.application_number, run.outcome) == (c.PENDING_REVIEW, state["application_no"], "submitted")
    assert case.deadline is not None


def test_a_journal_is_applied_once_when_the_store_opens_next(tmp_path):
    path = tmp_path / "cases.sqlite3"
    at = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.timezone.utc)
    with CaseStore(path) as store:
        case = store.ensure_case("demo-lender", "13800000001", review_working_days=15, site_timezone="Asia/Shanghai")
        run = store.start_run(case.id, "r1", "close", dry_run=False, at=at, evidence_dir=None)
        store.mark_submit_attempted(case.id, run, at)
        store.journal({"op": "application_number", "case": case.id, "number": "ZX20261201000001"})
        store.journal({"op": "finish", "case": case.id, "run": run, "at": at.isoformat(), "outcome": "submitted",
                       "site_state": "pending", "detail": None, "state": c.PENDING_REVIEW, "reason": None,
                       "forget": False, "confirm": True})
    journal = path.with_name(path.name + ".journal")
    with open(journal, "a", encoding="utf-8") as fh:
        fh.write('{"op": "finish", "case": ')  # a line cut off by a crash while it was written
    lines = journal.read_text("utf-8")
    with CaseStore(path) as store:
        case = store.case("demo-lender", "13800000001")
        assert (case.state, case.application_number, case.submitted_at) == (c.PENDING_REVIEW, "ZX20261201000001", at)
        assert case.deadline == dt.date(2026, 12, 22)
        assert store.run(run).outcome == "submitted"
        assert not journal.exists()
        store.set_state(case.id, c.CLOSED)  # the site closed it later
    journal.write_text(lines, "utf-8")  # the same journal again (a crash before it was removed)
    with CaseStore(path) as store:
        assert store.case("demo-lender", "13800000001").state == c.CLOSED  # nothing undone


def test_a_corrupt_or_read_only_case_store_is_an_environment_problem(demo_portal, tmp_path, tmpfs):
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(os.urandom(8192))
    for args in (["cases"], ["close", "demo-lender", "--account", "13800000001", "--dry-run"]):
        proc = cli(*args, "--db", str(corrupt), "--lang", "en")
        assert proc.returncode == ENVIRONMENT, proc.stderr
        assert "The case database cannot be used" in proc.stderr

    folder = tmpfs("ro-store", "1m")
    if folder is None:
        pytest.skip("cannot mount a read-only disk here")
    with CaseStore(folder / "cases.sqlite3"):
        pass
    assert subprocess.run(["mount", "-o", "remount,ro", str(folder)], capture_output=True).returncode == 0
    account = demo_portal.info.accounts["clean"]
    proc = cli(*close_args(demo_portal, account, tmp_path, tmp_path / "evidence", db=folder / "cases.sqlite3"),
               stdin=demo_portal.info.passwords[account] + "\n")
    assert proc.returncode == ENVIRONMENT, proc.stderr
    assert "The case database cannot be used" in proc.stderr
    assert demo_portal.client.state(account)["submissions"] == 0


# ---------------------------------------------------------------- the evidence folder itself

def test_an_evidence_folder_that_is_a_file_or_read_only_stops_before_anything(demo_portal, tmp_path, tmpfs):
    account = demo_portal.info.accounts["clean"]
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x", "utf-8")
    read_only = tmpfs("ro-evidence", "1m", read_only=True)
    for evidence in (a_file, a_file / "evidence", *([read_only] if read_only else [])):
        proc = cli(*close_args(demo_portal, account, tmp_path, evidence), stdin=demo_portal.info.passwords[account] + "\n")
        assert proc.returncode == ENVIRONMENT, proc.stderr
        assert "The evidence folder cannot be used; stopped without submitting" in proc.stderr
    assert demo_portal.client.state(account)["submissions"] == 0


# ---------------------------------------------------------------- the browser and its driver

@pytest.mark.parametrize("what", ["browser", "driver"])
def test_a_browser_or_driver_that_dies_mid_run_is_not_a_changed_site(demo_portal, tmp_path, what):
    account = demo_portal.info.accounts["clean"]
    evidence = tmp_path / "evidence"
    args = close_args(demo_portal, account, tmp_path, evidence)
    args[args.index(READ_CODE)] = KILL_THEN_CODE  # it kills the browser (or driver) when the code is asked for
    proc = cli(*args, stdin=demo_portal.info.passwords[account] + "\n", env_extra={"KILL": what})
    assert proc.returncode == ENVIRONMENT, proc.stderr
    assert "stopped unexpectedly" in proc.stderr and "the profile needs no update" in proc.stderr
    assert "site may have changed" not in proc.stderr and "This is a bug" not in proc.stderr
    assert demo_portal.client.state(account)["submissions"] == 0
    folder = only_folder(evidence)
    data = manifest_of(folder)
    assert data["complete"] is False and data["entries"][-1]["kind"] == "interrupted"
    assert verify(folder).returncode == ExitStatus.EVIDENCE_PARTIAL  # the run did not finish normally


def test_a_browser_that_dies_after_the_submit_still_says_the_request_was_sent(demo_portal, tmp_path):
    from tests.helpers.processes import command_line, descendants
    account = demo_portal.info.accounts["clean"]
    evidence = tmp_path / "evidence"
    proc = start(close_args(demo_portal, account, tmp_path, evidence), demo_portal.info.passwords[account])

    def kill_the_browser():
        for pid in descendants(proc.pid):
            line = command_line(pid)
            if "chrom" in line.split(" ")[0] and "--type=" not in line:
                os.kill(pid, 9)
    out, err = right_after_the_submit(demo_portal, account, proc, kill_the_browser)
    assert proc.returncode == ENVIRONMENT, err
    # The record says the request left. Whether the site's answer reached the browser before it died depends
    # on the machine's pace (the portal processed it either way): both are true records, never "not sent".
    assert "Closure request: answered HTTP 200" in out or "Closure request: sent, no answer" in out, out
    assert "run closure-assistant status later" in out  # the answer was not seen; nothing is sent again
    assert "stopped unexpectedly" in err
    assert demo_portal.client.state(account)["submissions"] == 1
    folder = only_folder(evidence)
    assert verify(folder, "--final-hash", fingerprint(out)).returncode == ExitStatus.EVIDENCE_PARTIAL
    with CaseStore(tmp_path / "cases.sqlite3") as store:
        assert store.case("demo-lender", account).state == c.SUBMITTED  # `close` reads the site before anything


# ---------------------------------------------------------------- the command line

@pytest.mark.parametrize("value", ["0", "-1", "99", "900001", str(10 ** 12), "1e3"])
def test_timeout_outside_100_to_900000_ms_is_a_bad_command_line(value, tmp_path):
    proc = cli("close", "demo-lender", "--account", "13800000001", "--timeout-ms", value, "--db",
               str(tmp_path / "cases.sqlite3"))
    assert proc.returncode == 2
    assert "--timeout-ms" in proc.stderr


def test_dev_zero_as_a_plan_is_refused_at_the_cap(tmp_path):
    proc = cli("close", "--plan", "/dev/zero", "--db", str(tmp_path / "cases.sqlite3"), "--lang", "en", timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert "larger than 64 KB" in proc.stderr
