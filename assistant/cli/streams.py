"""Output streams whose reader may leave: `closure-assistant cases | head -3`, a cron job's closed pipe.

When the reader closes the pipe, the rest of the output is dropped and the command carries on to its own
exit status (`evidence verify … | head` still exits 10 for an altered bundle), instead of a
BrokenPipeError reported as "a bug" with exit 1.
"""
from __future__ import annotations

import os
import sys


class ReaderMayLeave:
    """Wraps a text stream; after a broken pipe every write is dropped and the file descriptor points at
    /dev/null, so the interpreter's own flush at exit cannot fail either."""

    def __init__(self, stream):
        self._stream = stream
        self._gone = False

    def _left(self) -> None:
        self._gone = True
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):  # a stream with no descriptor (a test's capture)
            pass

    def write(self, text: str) -> int:
        if not self._gone:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._left()
        return len(text)

    def flush(self) -> None:
        if not self._gone:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._left()

    def __getattr__(self, name):
        return getattr(self._stream, name)


def guard_output() -> None:
    """Wrap stdout and stderr once per process."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, ReaderMayLeave):
            setattr(sys, name, ReaderMayLeave(stream))
