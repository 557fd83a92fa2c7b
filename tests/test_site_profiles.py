"""Every shipped site profile proves itself, the way each yt-dlp extractor carries its _TESTS.

A profile names the bundled portal that exercises it and its accounts (`tests: {portal, accounts}`),
or says why it cannot be tested (`tests: {skip: reason}`). For each one this closes the `clean`
account on that portal through the real driver in a real Chromium; the test id is the profile id.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import ProfileError
from assistant.portals import PORTALS
from assistant.profiles.loader import load_profile
from assistant.profiles.registry import BUNDLED_DIR


def _shipped_profiles():
    for path in sorted(BUNDLED_DIR.glob("*.yaml")):
        try:
            skip = load_profile(path).tests.get("skip")
        except ProfileError:
            skip = None  # the test itself reports the broken profile
        marks = [pytest.mark.skip(reason=skip)] if skip else []
        yield pytest.param(path, id=path.stem, marks=marks)


@pytest.mark.parametrize("path", list(_shipped_profiles()))
def test_profile_closes_the_clean_account_on_its_portal(path: Path, portals, run_close):
    profile = load_profile(path)
    name = profile.tests.get("portal")
    assert name, f"{path.name}: tests.portal (or tests.skip with a reason) is required"
    assert name in PORTALS, f"{path.name}: tests.portal names no bundled portal: {name!r}"
    account = profile.tests.get("accounts", {}).get("clean")
    assert account, f"{path.name}: tests.accounts.clean is required"

    portal = portals(name)
    record = run_close(portal, account, profile=profile)

    assert record.result.error is None, (record.result.failed_step, record.result.error)
    assert record.result.outcome in ("submitted", "closed")
    state = portal.client.state(account)
    assert state["submissions"] == 1
    assert state["status"] in ("pending_review", "closed")
    assert record.result.application_number == state["application_no"]


def test_profile_ids_are_unique_and_match_their_files():
    ids = [load_profile(path).id for path in sorted(BUNDLED_DIR.glob("*.yaml"))]
    assert len(ids) == len(set(ids))
    assert ids == [path.stem for path in sorted(BUNDLED_DIR.glob("*.yaml"))]
