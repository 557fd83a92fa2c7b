"""The user's stop (Ctrl-C): one flag, set by the command line's SIGINT handler, read below it.

A terminal's Ctrl-C reaches the whole process group: the Playwright driver closes Chromium and a
`--code-command` dies at the same moment. Whatever then fails (a closed browser, a dead driver, a
code command without an answer) is the user's stop, not a changed site and not a bug; the layers
that could mistake it for one ask `requested()`.
"""
from __future__ import annotations

import logging
import os
import signal
import warnings
from pathlib import Path
from typing import Optional

_requested = False


class Interrupted(KeyboardInterrupt):
    """The user stopped a run. A KeyboardInterrupt, so no `except Exception` can swallow it (one site's
    failure lets the next site run; a stop must not). Carries what the user needs to hear."""

    def __init__(self, evidence_dir: Optional[Path] = None, submitted: bool = False):
        super().__init__()
        self.evidence_dir = evidence_dir
        self.submitted = submitted  # the irreversible click had started: only the site can say what became of it


def requested() -> bool:
    return _requested


def _quiet_after_stop() -> None:
    # The driver vanished mid-call: Playwright and asyncio would log its dangling futures as errors.
    for name in ("asyncio", "playwright"):
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
    warnings.filterwarnings("ignore", category=RuntimeWarning, message="coroutine .* was never awaited")


def _on_sigint(signum, frame):
    global _requested
    if _requested:
        os._exit(130)  # a second Ctrl-C: the user means it, whatever the cleanup was doing
    _requested = True
    _quiet_after_stop()
    raise KeyboardInterrupt


def install():
    """Handle Ctrl-C for this process (main thread only). Returns the handler to restore afterwards."""
    return signal.signal(signal.SIGINT, _on_sigint)


def restore(previous) -> None:
    global _requested
    signal.signal(signal.SIGINT, previous if previous is not None else signal.default_int_handler)
    _requested = False
