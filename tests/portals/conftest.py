"""Fixtures for the local portal tests: a running portal, its test-hook
client, and cookie-keeping HTTP sessions against it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
for path in (HERE.parents[1], HERE):  # run from anywhere, installed or not
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from assistant.portals import PortalClient, PortalServer  # noqa: E402
from portal_http import WebSession  # noqa: E402


@pytest.fixture
def portal():
    with PortalServer("demo-lender", test_mode=True) as server:
        yield server


@pytest.fixture
def hooks(portal) -> PortalClient:
    return PortalClient(portal.base_url)


@pytest.fixture
def web(portal):
    """Factory: web() gives a fresh cookie jar against the running portal."""
    return lambda: WebSession(portal.base_url)
