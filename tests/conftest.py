"""Fixtures layered like pytest-playwright's: launch args → browser (shared) → portal → run helpers.

Everything is real: Chromium (Playwright's or the system one) against portals on 127.0.0.1.
"""
from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CANARY_PASSWORD = "Canary-Pw-7Q9zX"
CANARY_CODE = "864209"
TEST_KEYRING_DIR = Path(__file__).resolve().parent / "keyring_backend"
TEST_KEYRING = "closure_test_keyring.SessionKeyring"


@pytest.fixture(scope="session", autouse=True)
def isolated_home(tmp_path_factory):
    """Never touch the user's data directory or real keyring."""
    home = tmp_path_factory.mktemp("home")
    os.environ["CLOSURE_ASSISTANT_HOME"] = str(home)
    os.environ["XDG_DATA_HOME"] = str(home / "xdg-data")
    # The suite's own keyring (tests/keyring_backend/), for this process and every command it starts.
    sys.path.insert(0, str(TEST_KEYRING_DIR))
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(TEST_KEYRING_DIR), os.environ.get("PYTHONPATH")) if p)
    os.environ["PYTHON_KEYRING_BACKEND"] = TEST_KEYRING
    os.environ["CLOSURE_TEST_KEYRING_FILE"] = str(home / "test-keyring" / "sealed.json")
    os.environ["CLOSURE_TEST_KEYRING_KEY"] = secrets.token_hex(32)
    # A test that selects keyrings.alt on purpose keeps its file in here too (it follows XDG_DATA_HOME only on Linux).
    os.environ["KEYRING_PROPERTY_FILE_PATH"] = str(home / "keyring" / "keyring_pass.cfg")
    # No time-stamping authority of the person running the suite: a test that wants one starts its own.
    for name in ("CLOSURE_ASSISTANT_TSA", "CLOSURE_ASSISTANT_TSA_CA"):
        os.environ.pop(name, None)
    # Runs write report.html only: printing the PDF costs about a second a run, and only the tests that
    # read report.pdf ask for it (the `pdf_reports` fixture).
    os.environ["CLOSURE_ASSISTANT_REPORT_PDF"] = "0"
    return home


@pytest.fixture(scope="module")
def pdf_reports():
    """Runs in this module print report.pdf as a user's runs do (the suite's default skips it)."""
    old = os.environ.get("CLOSURE_ASSISTANT_REPORT_PDF")
    os.environ["CLOSURE_ASSISTANT_REPORT_PDF"] = "1"
    yield
    if old is None:
        os.environ.pop("CLOSURE_ASSISTANT_REPORT_PDF", None)
    else:
        os.environ["CLOSURE_ASSISTANT_REPORT_PDF"] = old


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, playwright):
    from assistant.driving.browser import choose_browser, launch_args
    choice = choose_browser(playwright)
    args = {**browser_type_launch_args, "args": launch_args()}
    if choice.executable:
        args["executable_path"] = choice.executable
    return args


class Portal:
    """A running bundled portal plus its test-hook client."""

    def __init__(self, name: str):
        from assistant.portals import PORTALS, PortalClient, start_portal
        self.name = name
        self.info = PORTALS[name]
        self.server = start_portal(name, test_mode=True)
        self.base_url = self.server.base_url
        self.client = PortalClient(self.base_url)

    def stop(self):
        self.server.stop()


@pytest.fixture(scope="session")
def portals():
    running: dict[str, Portal] = {}

    def get(name: str) -> Portal:
        if name not in running:
            running[name] = Portal(name)
        portal = running[name]
        from assistant.portals import Faults
        portal.client.set_faults(**Faults().as_dict())  # every knob back to its default (no pop-ups in test mode)
        portal.client.reset()
        return portal
    yield get
    for portal in running.values():
        portal.stop()


@pytest.fixture
def demo_portal(portals):
    return portals("demo-lender")


@pytest.fixture
def run_close(browser, tmp_path):
    """Runs a profile's close flow in the shared browser; returns the RunRecord."""
    from assistant.driving.executor import RunOptions
    from assistant.driving.interaction import ScriptedInputs
    from assistant.profiles.registry import load_site
    from assistant.engine.runner import run_profile

    def run(portal, account, *, password=None, codes="hook", yes=True, dry_run=False, flow="close",
            profile=None, listeners=(), timeout_ms=10_000, manual="hook"):
        prof = profile or load_site(portal.name)
        if codes == "hook":
            codes = lambda destination, channel, attempt: portal.client.latest_code(account)  # noqa: E731
        if manual == "hook":  # a person's part (slider captcha) done through the portal's test hook
            manual = lambda instructions: portal.client.solve_captcha(account)  # noqa: E731
        pw = password if password is not None else portal.info.passwords.get(account)
        inputs = ScriptedInputs(secrets={"password": pw}, codes=codes, yes=yes, manual=manual)
        options = RunOptions(flow=flow, dry_run=dry_run, base_url=portal.base_url, timeout_ms=timeout_ms)
        return run_profile(prof, account, inputs, options, evidence_root=tmp_path / "evidence",
                           listeners=listeners, browser=browser)
    return run
