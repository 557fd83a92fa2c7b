"""Local lender portals: realistic practice sites that tests and the
`closure-assistant demo` command run on 127.0.0.1.

Each lender (`demo_lender`, `desktop_lender`, `wallet_lender`) is a Flask blueprint with Jinja2
templates and its own rules; `base` wraps it in what every portal shares (fault knobs, login
sessions, the redesign skin, the `/__test__/` hooks) and `server` serves it with Werkzeug's
threaded server from a background thread. Imports nothing of the tool.

Knobs: the fault and variant knobs are listed in faults.py (latency, server errors, session expiry,
redesign, seed, pop-ups, a second request while one is pending, how the irreversible submit answers,
the code resend cooldown, and each lender's variants); when a pop-up shows is in popups.py. Tests
turn them through the /__test__/ hooks (test_hooks.py) with `PortalClient`."""

from __future__ import annotations

from .client import PortalClient, PortalHookError
from .faults import Faults
from .registry import PORTALS, PortalInfo
from .server import PortalServer, print_code


def start_portal(name: str, *, test_mode: bool = True, faults: Faults | None = None,
                 show_codes: bool = False, ssl_context=None) -> PortalServer:
    """Start portal `name` on a free local port and return the running server. `show_codes`: print
    each code it sends to stderr, as the person's phone or mailbox would show it; `ssl_context`: serve
    it over https with that context's certificate."""
    return PortalServer(name, test_mode=test_mode, faults=faults, code_sink=print_code if show_codes else None,
                        ssl_context=ssl_context).start()


__all__ = [
    "PORTALS",
    "Faults",
    "PortalClient",
    "PortalHookError",
    "PortalInfo",
    "PortalServer",
    "start_portal",
]
