"""Fixtures for the playground: import them into a test module (`from tests.playground.fixtures import ...`).

`playground` is one running site for the session, reset before each test; `run_playground` runs a
profile from tests/profiles/ against it in the shared browser, like conftest's run_close does for the
bundled portals, and keeps every event the executor emitted.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from assistant.driving import events as ev
from tests.playground.site import ACCOUNTS, PASSWORD, Playground

PROFILES = Path(__file__).resolve().parent.parent / "profiles"


class EventLog(ev.Listener):
    def __init__(self):
        self.events: list = []

    def handle(self, event) -> None:
        self.events.append(event)

    def of(self, kind) -> list:
        return [e for e in self.events if isinstance(e, kind)]


@dataclass
class PlaygroundRun:
    record: object
    log: EventLog
    codes_asked: list = field(default_factory=list)

    @property
    def result(self):
        return self.record.result


@pytest.fixture(scope="session")
def playground_site():
    site = Playground().start()
    yield site
    site.stop()


@pytest.fixture
def playground(playground_site):
    playground_site.state.reset()
    return playground_site


def playground_runner(browser, evidence_root: Path, site: Playground):
    """The run callable behind `run_playground`, for fixtures of a wider scope (one run, many tests)."""
    from assistant.driving.executor import RunOptions
    from assistant.driving.interaction import ScriptedInputs
    from assistant.profiles.loader import load_profile
    from assistant.engine.runner import run_profile

    def run(profile, account: str = "clean", *, password: str = PASSWORD, codes="hook", yes=True,
            flow="close", dry_run=False, timeout_ms=5_000, manual=None, listeners=(), status_first=False,
            inputs=None) -> PlaygroundRun:
        phone = ACCOUNTS.get(account, account)
        asked: list = []

        def answer(destination, channel, attempt):
            asked.append((destination, attempt))
            if codes == "hook":
                return site.state.account(phone).code
            return codes(destination, channel, attempt) if callable(codes) else codes[attempt - 1]
        inputs = inputs or ScriptedInputs(secrets={"password": password}, codes=answer, yes=yes, manual=manual)
        options = RunOptions(flow=flow, dry_run=dry_run, base_url=site.base_url, timeout_ms=timeout_ms,
                             **({"status_first": True} if status_first else {}))
        log = EventLog()
        loaded = profile if not isinstance(profile, str) else load_profile(PROFILES / f"{profile}.yaml")
        record = run_profile(loaded, phone, inputs, options, evidence_root=evidence_root,
                             listeners=(log, *listeners), browser=browser)
        return PlaygroundRun(record, log, asked)
    return run


@pytest.fixture
def run_playground(browser, tmp_path, playground):
    """run_playground("good/playground-quick", "clean", codes=...) → PlaygroundRun."""
    return playground_runner(browser, tmp_path / "evidence", playground)
