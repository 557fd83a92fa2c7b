"""When the network or this session is the problem, not the site's pages and not a bug: no display for a
visible browser (exit 4), a site that cannot be reached (exit 9), no browser at all (exit 15). Each says
what happened and what to do, through the real CLI."""
from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest

from assistant.errors import ExitStatus
from tests.conftest import ROOT
from tests.test_cli import cli

WITHOUT_DISPLAY = {"DISPLAY": "", "WAYLAND_DISPLAY": ""}
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="only Linux needs an X/Wayland display")


def no_bug(proc) -> None:
    for wrong in ("Traceback", "This is a bug", "Unexpected error", "Missing X server"):
        assert wrong not in proc.stderr + proc.stdout, proc.stderr


@linux_only
def test_a_visible_browser_without_a_display_asks_for_a_desktop(tmp_path):
    proc = cli("close", "demo-lender", "--account", "13800000001", "--headed", "--password-stdin", "--lang", "en",
               "--db", str(tmp_path / "cases.sqlite3"), "--evidence-dir", str(tmp_path), stdin="x\n",
               env_extra=WITHOUT_DISPLAY)
    assert proc.returncode == ExitStatus.NEEDS_USER, proc.stderr
    assert "needs a desktop session" in proc.stderr and "xvfb-run closure-assistant" in proc.stderr
    no_bug(proc)


@linux_only
def test_recording_without_a_display_asks_for_a_desktop(tmp_path):
    proc = cli("profiles", "record", "acme-loan", "--url", "http://127.0.0.1:9/login", "--output", str(tmp_path),
               "--lang", "zh", env_extra=WITHOUT_DISPLAY)
    assert proc.returncode == ExitStatus.NEEDS_USER, proc.stderr
    assert "有桌面的会话" in proc.stderr and "xvfb-run" in proc.stderr
    no_bug(proc)
    assert not list(tmp_path.iterdir())  # nothing half-written


@linux_only
def test_doctor_says_whether_a_window_can_be_shown():
    without = cli("doctor", "--lang", "en", env_extra=WITHOUT_DISPLAY)
    assert "[--] display: none" in without.stdout, without.stdout
    with_one = cli("doctor", "--lang", "en", env_extra={"DISPLAY": ":0"})
    assert "[ok] display:" in with_one.stdout
    assert without.returncode == with_one.returncode == 0  # a headless closure needs no display


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


def profile_at(tmp_path: Path, origin: str, start_url: str) -> Path:
    """The demo lender's profile, pointed somewhere else (a copy: profiles are data)."""
    text = (ROOT / "site_profiles" / "demo-lender.yaml").read_text("utf-8")
    text = (text.replace("id: demo-lender", "id: nowhere-lender")
                .replace('  - "http://127.0.0.1:*"', f'  - "{origin}"')
                .replace("start_url: http://127.0.0.1:8000/login", f"start_url: {start_url}")
                .replace("  portal: demo-lender\n", "  skip: an address where nothing answers\n"))
    path = tmp_path / "nowhere-lender.yaml"
    path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize("where", ["closed port", "unresolvable host"])
def test_an_unreachable_site_is_the_network_not_a_changed_site(tmp_path, where):
    if where == "closed port":
        port = closed_port()
        profile = profile_at(tmp_path, "http://127.0.0.1:*", f"http://127.0.0.1:{port}/login")
        error = "net::ERR_CONNECTION_REFUSED"
    else:
        profile = profile_at(tmp_path, "https://lender.invalid", "https://lender.invalid/login")  # RFC 2606: never resolves
        error = "net::ERR_NAME_NOT_RESOLVED"
    proc = cli("close", str(profile), "--account", "13800000001", "--password-stdin", "--yes", "--lang", "en",
               "--db", str(tmp_path / "cases.sqlite3"), "--evidence-dir", str(tmp_path / "evidence"), stdin="x\n")
    assert proc.returncode == ExitStatus.SITE_ERROR, proc.stderr
    assert "Cannot reach the site" in proc.stderr and error in proc.stderr
    assert "did not match its profile" not in proc.stderr and "may have changed" not in proc.stderr
    no_bug(proc)

    check = cli("profiles", "check", str(profile), "--account", "13800000001", "--password-stdin", "--lang", "en",
                "--evidence-dir", str(tmp_path / "evidence"), stdin="x\n")
    assert check.returncode == ExitStatus.SITE_ERROR, check.stdout + check.stderr
    assert "Cannot reach the site" in check.stdout and error in check.stdout
    for advice in ("is broken", "update this step", "Update ", "has changed"):  # no advice to edit the profile
        assert advice not in check.stdout, check.stdout


def test_doctor_without_a_browser_says_how_to_get_one(tmp_path):
    proc = cli("doctor", "--browser-path", str(tmp_path / "no-such-chrome"), "--lang", "en")
    assert proc.returncode == ExitStatus.ENVIRONMENT, proc.stdout + proc.stderr
    assert f"[!!] browser: No Chromium browser found ({tmp_path / 'no-such-chrome'})" in proc.stdout
    assert "closure-assistant doctor --fix" in proc.stdout
    no_bug(proc)


@linux_only
def test_doctor_when_no_browser_is_installed_at_all(tmp_path):
    # No system Chromium on PATH and an empty Playwright browser folder: what a fresh machine looks like.
    proc = cli("doctor", "--lang", "en", env_extra={"PATH": str(tmp_path), "PLAYWRIGHT_BROWSERS_PATH": str(tmp_path),
                                                    "CLOSURE_ASSISTANT_BROWSER": ""})
    assert proc.returncode == ExitStatus.ENVIRONMENT, proc.stdout + proc.stderr
    assert "[!!] browser: No Chromium browser found (none on this computer or in Playwright)" in proc.stdout
    no_bug(proc)


def test_close_with_a_browser_path_that_does_not_exist(tmp_path):
    proc = cli("close", "demo-lender", "--account", "13800000001", "--browser-path", "/nonexistent/chrome",
               "--password-stdin", "--lang", "zh", "--db", str(tmp_path / "cases.sqlite3"),
               "--evidence-dir", str(tmp_path), stdin="x\n")
    assert proc.returncode == ExitStatus.ENVIRONMENT, proc.stderr
    assert "找不到 Chromium 浏览器（/nonexistent/chrome）" in proc.stderr and "doctor --fix" in proc.stderr
    no_bug(proc)
