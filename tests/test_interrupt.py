"""Ctrl-C is the user's stop at every point: exit 130, a partial bundle that verifies as partial, no
traceback, no "this is a bug", and no second submission when the user runs the command again.

A terminal's Ctrl-C reaches the whole foreground process group: the CLI, the Playwright driver (which
then closes Chromium) and a --code-command. So each test starts the real CLI in a session of its own
(`start_new_session=True`) and sends SIGINT to that whole group with `os.killpg`, as the terminal does.
"""
from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.errors import ExitStatus
from tests.conftest import ROOT
from tests.test_cli import READ_CODE, cli
from tests.test_status_and_resume import code_was_used, wait_for

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="process groups and SIGINT are POSIX")

WAIT_LIMIT_S = 180
SLOW_MS = 1_500  # the portal's answers take this long while the test interrupts a step

# A code command that never answers: it says it is waiting, then waits (the Ctrl-C ends it, as it ends the CLI).
WAITING_CODE_COMMAND = """import pathlib, sys, time
pathlib.Path(sys.argv[1]).write_text("waiting", "utf-8")
time.sleep(600)
"""


class Terminal:
    """The CLI on a pseudo-terminal of its own, in its own process group: what a person at a terminal runs."""

    def __init__(self, args: list[str], env: dict | None = None):
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen([sys.executable, "-m", "assistant", *args], stdin=slave, stdout=slave,
                                     stderr=slave, cwd=ROOT, env=env, start_new_session=True)
        os.close(slave)
        self.output = ""

    def type(self, text: str) -> None:
        os.write(self.master, text.encode("utf-8"))

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # the other end closed: the CLI ended
            return False
        self.output += chunk.decode("utf-8", "replace")
        return bool(chunk)

    def wait_for_text(self, text: str) -> None:
        deadline = time.monotonic() + WAIT_LIMIT_S
        while text not in self.output:
            assert time.monotonic() < deadline, f"gave up waiting for {text!r}; so far:\n{self.output}"
            assert self._read(0.2) or text in self.output, f"the CLI ended before {text!r}:\n{self.output}"

    def ctrl_c(self) -> int:
        """SIGINT to the whole process group, as a terminal's Ctrl-C; returns the exit status."""
        os.killpg(self.proc.pid, signal.SIGINT)
        deadline = time.monotonic() + 60
        while self._read(0.2) and time.monotonic() < deadline:
            if self.proc.poll() is not None and not select.select([self.master], [], [], 0)[0]:
                break
        return self.proc.wait(timeout=60)

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)
        os.close(self.master)


@pytest.fixture
def terminal():
    opened: list[Terminal] = []

    def start(args, env=None) -> Terminal:
        opened.append(Terminal(args, env))
        return opened[-1]
    yield start
    for term in opened:
        term.close()


def close_args(portal, account, tmp_path: Path, *extra) -> list[str]:
    return ["close", "demo-lender", "--account", account, "--base-url", portal.base_url, "--db",
            str(tmp_path / "cases.sqlite3"), "--evidence-dir", str(tmp_path / "evidence"), "--lang", "en", *extra]


def the_partial_bundle(tmp_path: Path) -> Path:
    [folder] = list((tmp_path / "evidence").iterdir())
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["complete"] is False and manifest["result"] is None
    assert manifest["entries"][-1]["kind"] == "interrupted"  # where the user stopped, as the last entry
    proc = cli("evidence", "verify", str(folder), "--lang", "en")
    assert proc.returncode == ExitStatus.EVIDENCE_PARTIAL, proc.stdout + proc.stderr
    assert "intact but partial" in proc.stdout
    return folder


def said_as_a_stop(output: str, folder: Path) -> None:
    assert "Stopped as you asked (Ctrl-C)" in output, output
    assert str(folder) in output
    for wrong in ("Traceback", "This is a bug", "Unexpected error", "did not match its profile"):
        assert wrong not in output, output


def unattended(terminal, portal, account, tmp_path: Path, code_command: str = READ_CODE) -> Terminal:
    """close as a script runs it (password on stdin, --yes, a code command), on a terminal of its own."""
    term = terminal(close_args(portal, account, tmp_path, "--password-stdin", "--yes", "--code-command", code_command))
    term.type(portal.info.passwords[account] + "\n")
    return term


def stopped_by_ctrl_c(term: Terminal, tmp_path: Path) -> Path:
    """Ctrl-C now: exit 130, the partial bundle, and words that say it was the user's stop. Returns the bundle."""
    assert term.ctrl_c() == ExitStatus.INTERRUPTED, term.output
    folder = the_partial_bundle(tmp_path)
    said_as_a_stop(term.output, folder)
    return folder


def closes_once_when_run_again(portal, account, tmp_path: Path) -> None:
    again = cli(*close_args(portal, account, tmp_path, "--password-stdin", "--yes", "--code-command", READ_CODE),
                stdin=portal.info.passwords[account] + "\n")
    assert again.returncode == 0, again.stderr
    assert portal.client.state(account)["submissions"] == 1


def test_ctrl_c_at_the_code_prompt(demo_portal, tmp_path, terminal):
    account = demo_portal.info.accounts["clean"]
    term = terminal(close_args(demo_portal, account, tmp_path))
    term.wait_for_text("(hidden): ")
    term.type(demo_portal.info.passwords[account] + "\n")
    for n, answer in ((1, "y"), (2, "n"), (3, "y")):  # the profile's checklist, asked once at a terminal
        term.wait_for_text(f"[{n}/3] ")
        term.type(answer + "\n")
    term.wait_for_text("Reminder: not done yet: automatic debits")
    term.wait_for_text("Enter the code: ")
    stopped_by_ctrl_c(term, tmp_path)
    assert "no closure request was submitted" in term.output
    assert demo_portal.client.state(account)["submissions"] == 0
    closes_once_when_run_again(demo_portal, account, tmp_path)


def test_ctrl_c_mid_step_reaches_the_code_command_and_the_browser_too(demo_portal, tmp_path, terminal):
    account = demo_portal.info.accounts["clean"]
    marker = tmp_path / "code-command-waiting"
    script = tmp_path / "wait_for_code.py"
    script.write_text(WAITING_CODE_COMMAND, "utf-8")
    term = unattended(terminal, demo_portal, account, tmp_path, f"{sys.executable} {script} {marker}")
    wait_for(marker.exists, term.proc, "the code command to start")
    stopped_by_ctrl_c(term, tmp_path)
    assert demo_portal.client.state(account)["submissions"] == 0
    closes_once_when_run_again(demo_portal, account, tmp_path)


def test_ctrl_c_while_a_step_waits_for_a_slow_page(demo_portal, tmp_path, terminal):
    account = demo_portal.info.accounts["clean"]
    term = unattended(terminal, demo_portal, account, tmp_path)
    term.wait_for_text("[4/")
    demo_portal.client.set_faults(latency_ms=SLOW_MS)  # from here each page takes its time: a step is in flight
    term.wait_for_text("[6/")
    try:
        stopped_by_ctrl_c(term, tmp_path)
    finally:
        demo_portal.client.set_faults(latency_ms=0)
    closes_once_when_run_again(demo_portal, account, tmp_path)


def test_ctrl_c_just_after_the_submit_click_says_it_may_have_been_sent(demo_portal, tmp_path, terminal):
    account = demo_portal.info.accounts["clean"]
    term = unattended(terminal, demo_portal, account, tmp_path)
    # Once the code is accepted, slow the portal: the result page cannot arrive before the Ctrl-C.
    wait_for(lambda: code_was_used(demo_portal, account), term.proc, "the code was accepted")
    demo_portal.client.set_faults(latency_ms=SLOW_MS)
    try:
        wait_for(lambda: demo_portal.client.state(account)["submissions"] == 1, term.proc, "the submission")
        stopped_by_ctrl_c(term, tmp_path)
    finally:
        demo_portal.client.set_faults(latency_ms=0)
    assert "may already have been sent" in term.output
    again = cli(*close_args(demo_portal, account, tmp_path, "--password-stdin", "--yes", "--code-command", READ_CODE),
                stdin=demo_portal.info.passwords[account] + "\n")
    assert again.returncode == 0, again.stderr
    assert "nothing was submitted again" in again.stdout
    assert demo_portal.client.state(account)["submissions"] == 1
