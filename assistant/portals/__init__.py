"""Local lender portals: realistic practice sites that tests and the
`closure-assistant demo` command run on 127.0.0.1."""

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
