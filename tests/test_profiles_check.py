"""`profiles check`: a contributor asks "does my profile still fit the site?" and gets each step's
locator back, or exactly which step and locator broke after a redesign; nothing is ever submitted.
"""
from __future__ import annotations

import re

import pytest

from assistant.errors import ExitStatus
from assistant.driving.interaction import ScriptedInputs
from assistant.engine.check import check_profile
from assistant.profiles.registry import load_site
from tests.test_cli import READ_CODE, cli

ENTRY = "注销账号入口 / close-account entry"


@pytest.fixture
def redesigned(demo_portal):
    demo_portal.client.set_faults(redesign=True)
    # No advert, so the first thing the redesign breaks is the step that finds the closure entry.
    demo_portal.client.set_popups("never")
    yield demo_portal
    demo_portal.client.set_faults(redesign=False)


def test_redesign_names_the_broken_step_and_locator(redesigned, browser, tmp_path):
    portal = redesigned
    account = portal.info.accounts["clean"]
    inputs = ScriptedInputs(secrets={"password": portal.info.passwords[account]},
                            codes=lambda d, c, a: portal.client.latest_code(account))
    report = check_profile(load_site("demo-lender"), account, inputs, base_url=portal.base_url,
                           evidence_root=tmp_path, timeout_ms=3_000, browser=browser)
    assert report.exit_status == ExitStatus.SITE_CHANGED
    broken = report.broken
    assert (broken.index, broken.name) == (9, ENTRY)
    assert broken.locator.startswith("role=link name='注销账号'")
    assert broken.screenshot is not None and broken.screenshot.stat().st_size > 1000
    login = next(s for s in report.steps if s.name == "登录 / log in")
    assert (login.status, login.fallback) == ("drift", 2)
    assert login.matched == "role=button name='立即登录'" and login.first_choice == "role=button name='登录'"
    before = [s for s in report.steps if s.index < 9]
    assert all(s.status in ("ok", "drift") and s.screenshot is not None for s in before)
    assert {s.status for s in report.steps if s.index > 9} == {"not_reached"}
    assert portal.client.state(account)["submissions"] == 0


def test_check_command_reports_redesign_with_exit_six():
    """`profiles check demo-lender --redesign` starts the redesigned demo portal itself."""
    proc = cli("profiles", "check", "demo-lender", "--redesign", "--timeout-ms", "4000", "--lang", "en")
    assert proc.returncode == 6, proc.stdout + proc.stderr
    assert "redesigned variant" in proc.stdout
    assert "fallback #2 matched: role=button name='立即登录'" in proc.stdout
    broken = [re.match(r"✗\s+(\d+)\s+(.+?) — BROKEN", line) for line in proc.stdout.splitlines()]
    broken = [m.groups() for m in broken if m]
    assert len(broken) == 1
    number, name = broken[0]
    # The portal it starts is in test mode, so no advert shows: the closure entry is what is missing.
    assert (number, name) == ("9", ENTRY)
    assert f"Step {number} '{name}' is broken" in proc.stdout
    assert "role=link name='注销账号'" in proc.stdout
    assert "A screenshot of every step is in:" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_check_command_walks_a_real_site_and_submits_nothing(demo_portal, tmp_path):
    """Against a site it did not start: password from stdin, the code from --code-command."""
    account = demo_portal.info.accounts["clean"]
    proc = cli("profiles", "check", "demo-lender", "--account", account, "--base-url", demo_portal.base_url,
               "--password-stdin", "--code-command", READ_CODE, "--evidence-dir", str(tmp_path), "--lang", "en",
               stdin=demo_portal.info.passwords[account] + "\n")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "found (final submit: not clicked): role=button name='确认注销'" in proc.stdout
    assert "All 20 steps found their elements" in proc.stdout
    assert demo_portal.client.state(account)["submissions"] == 0
    shots = list(tmp_path.glob("*/steps/*.png"))
    assert len(shots) >= 20
    assert demo_portal.info.passwords[account] not in proc.stdout + proc.stderr


def test_check_needs_an_account_for_a_site_it_does_not_start(demo_portal):
    proc = cli("profiles", "check", "demo-lender", "--base-url", demo_portal.base_url, "--lang", "en")
    assert proc.returncode == 2
    assert "--account" in proc.stderr


def test_a_site_that_refuses_is_a_stop_not_a_broken_step(demo_portal, browser, tmp_path):
    account = demo_portal.info.accounts["unpaid"]
    inputs = ScriptedInputs(secrets={"password": demo_portal.info.passwords[account]})
    report = check_profile(load_site("demo-lender"), account, inputs, base_url=demo_portal.base_url,
                           evidence_root=tmp_path, timeout_ms=5_000, browser=browser)
    assert report.exit_status == ExitStatus.BLOCKED_BY_SITE
    assert report.broken is None
    stopped = [s for s in report.steps if s.status == "stopped"]
    assert [s.name for s in stopped] == ["注销条件检测 / closure conditions"] and "未结清" in stopped[0].detail
    assert demo_portal.client.state(account)["submissions"] == 0
