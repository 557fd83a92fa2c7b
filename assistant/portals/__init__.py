"""Local lender portals: realistic practice sites that tests and the
`closure-assistant demo` command run on 127.0.0.1.

Each lender (`demo_lender`, `desktop_lender`, `wallet_lender`) is a Flask blueprint with Jinja2
templates and its own rules; `base` wraps it in what every portal shares (fault knobs, login
sessions, the redesign skin, the `/__test__/` hooks) and `server` serves it with Werkzeug's
threaded server from a background thread. Imports nothing of the tool."""

from __future__ import annotations

from .client import PortalClient, PortalHookError
from .faults import Faults
from .registry import PORTALS, PortalInfo
from .server import PortalServer


def start_portal(name: str, *, test_mode: bool = True, faults: Faults | None = None) -> PortalServer:
    """Start portal `name` on a free local port and return the running server."""
    return PortalServer(name, test_mode=test_mode, faults=faults).start()


__all__ = [
    "PORTALS",
    "Faults",
    "PortalClient",
    "PortalHookError",
    "PortalInfo",
    "PortalServer",
    "start_portal",
]
