"""The command line as a borrower or a script uses it: exit statuses, messages, no secret anywhere."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import CANARY_CODE, CANARY_PASSWORD, ROOT

READ_CODE = f"{sys.executable} {ROOT / 'tests' / 'helpers' / 'read_code.py'}"


def cli(*args, stdin: str = "", env_extra: dict | None = None, timeout: int = 180):
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "assistant", *args], input=stdin, capture_output=True,
                          text=True, timeout=timeout, env=env, cwd=ROOT)


def close_args(portal, account, evidence: Path, *extra):
    return ["close", portal.name, "--account", account, "--base-url", portal.base_url, "--password-stdin",
            "--code-command", READ_CODE, "--evidence-dir", str(evidence), "--lang", "en", *extra]


def test_help_teaches_and_lists_exit_statuses():
    started = time.monotonic()
    proc = cli("--help")
    assert proc.returncode == 0
    assert "closure-assistant demo" in proc.stdout and "exit statuses" in proc.stdout
    assert time.monotonic() - started < 10
    proc = cli("close", "--help")
    assert "--code-command" in proc.stdout and "--dry-run" in proc.stdout
    assert "--password " not in proc.stdout  # never a password argument


def test_close_with_canary_secrets_leaks_nothing(demo_portal, tmp_path):
    account = "13900000077"
    demo_portal.client.add_account(account, CANARY_PASSWORD)
    demo_portal.client.set_next_code(account, CANARY_CODE)
    proc = cli(*close_args(demo_portal, account, tmp_path, "--yes"), stdin=CANARY_PASSWORD + "\n")
    assert proc.returncode == 0, proc.stderr
    assert "Application number: ZX" in proc.stdout
    assert "[1/" in proc.stderr  # progress shown
    assert demo_portal.client.state(account)["submissions"] == 1
    printed = proc.stdout + proc.stderr
    assert CANARY_PASSWORD not in printed and CANARY_CODE not in printed
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) > 20
    for path in files:
        data = path.read_bytes()
        assert CANARY_PASSWORD.encode() not in data, path
        assert CANARY_CODE.encode() not in data, path


def test_unpaid_loan_exit_status_and_site_message(demo_portal, tmp_path):
    account = demo_portal.info.accounts["unpaid"]
    proc = cli(*close_args(demo_portal, account, tmp_path, "--yes"),
               stdin=demo_portal.info.passwords[account] + "\n")
    assert proc.returncode == 3, proc.stderr
    assert "未结清" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert demo_portal.client.state(account)["submissions"] == 0


def test_without_yes_and_without_terminal_nothing_is_submitted(demo_portal, tmp_path):
    account = demo_portal.info.accounts["clean"]
    proc = cli(*close_args(demo_portal, account, tmp_path), stdin=demo_portal.info.passwords[account] + "\n")
    assert proc.returncode == 4
    assert demo_portal.client.state(account)["submissions"] == 0


def test_wrong_code_from_command_exit_status(demo_portal, tmp_path):
    account = demo_portal.info.accounts["clean"]
    proc = cli(*close_args(demo_portal, account, tmp_path, "--yes"), stdin=demo_portal.info.passwords[account] + "\n",
               env_extra={"TEST_CODE_OVERRIDE": "111111"})
    assert proc.returncode == 4
    assert demo_portal.client.state(account)["submissions"] == 0


def test_dry_run_cli(demo_portal, tmp_path):
    account = demo_portal.info.accounts["clean"]
    proc = cli(*close_args(demo_portal, account, tmp_path, "--dry-run"), stdin=demo_portal.info.passwords[account] + "\n")
    assert proc.returncode == 0, proc.stderr
    assert "Dry run finished" in proc.stdout
    assert demo_portal.client.state(account)["submissions"] == 0


def test_base_url_outside_origins_is_refused(demo_portal, tmp_path):
    proc = cli("close", "demo-lender", "--account", "13800000001", "--base-url", "http://lender.invalid:9",
               "--password-stdin", "--yes", "--evidence-dir", str(tmp_path), "--lang", "en", stdin="x\n")
    assert proc.returncode == 8
    assert "Refused for safety" in proc.stderr


def test_broken_profile_exit_status(tmp_path):
    bad = ROOT / "tests" / "profiles" / "bad" / "unknown-step.yaml"
    proc = cli("close", str(bad), "--account", "1", "--lang", "en", "--password-stdin", stdin="x\n")
    assert proc.returncode == 5
    assert "unknown-step.yaml:13:7" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_demo_command_closes_end_to_end(tmp_path):
    proc = cli("demo", "--evidence-dir", str(tmp_path), "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert "Closure request submitted" in proc.stdout
    assert "Evidence folder:" in proc.stdout
    assert "submissions=1" in proc.stdout


def test_demo_list_prints_one_portal_per_line():
    proc = cli("demo", "--list")
    assert proc.returncode == 0
    names = [line.split("\t")[0] for line in proc.stdout.splitlines()]
    assert "demo-lender" in names


def test_a_reader_that_leaves_does_not_turn_the_exit_status_into_a_bug():
    # `closure-assistant … | head -1` where head has gone before the command writes: a pipe with no reader.
    for args, status in ((["profiles", "list"], 0), (["profiles", "validate", str(ROOT / "tests" / "profiles" / "bad"
                                                                                      / "alias-bomb.yaml")], 5)):
        read_end, write_end = os.pipe()
        os.close(read_end)
        try:
            proc = subprocess.run([sys.executable, "-m", "assistant", *args, "--lang", "en"], stdout=write_end,
                                  stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=60)
        finally:
            os.close(write_end)
        assert proc.returncode == status, proc.stderr
        assert "bug" not in proc.stderr and "BrokenPipe" not in proc.stderr, proc.stderr
