"""Where the run needs a person: secrets, the verification code, the yes before submitting.

The executor calls an `Inputs`; the CLI, the demo and the tests each provide one.
"""
from __future__ import annotations

import re

from assistant.errors import NeedsUser

MAX_CODE_LENGTH = 12
CODE_RE = re.compile(r"^[0-9A-Za-z]{3,12}$")


def clean_code(raw: str | None) -> str | None:
    """A code as the user or a command gave it; None when it is not a plausible code."""
    if raw is None:
        return None
    text = raw.strip().replace(" ", "").replace("-", "")
    if len(text) > MAX_CODE_LENGTH or not CODE_RE.match(text):
        return None
    return text


class Inputs:
    """Default: nobody is there. Every question ends the run with `needs user`."""

    def secret(self, name: str, label: dict) -> str:
        raise NeedsUser(name, what="secret", name=name)

    def code(self, destination: str, channel: str, attempt: int) -> str | None:
        return None

    def confirm_submit(self, summary: dict) -> bool:
        return False

    def manual(self, instructions: dict, headed: bool) -> bool:
        """Tell the person what to do in the visible browser. True: it was done without one."""
        return False


class ScriptedInputs(Inputs):
    """Answers from values given up front (tests, automation)."""

    def __init__(self, secrets: dict | None = None, codes=None, yes: bool = False, manual=None):
        self.secrets = dict(secrets or {})
        self.manual_solver = manual  # callable(instructions) that does the human's part (tests only)
        self.codes = codes  # list of codes, or a callable(destination, channel, attempt)
        self.yes = yes
        self.asked_codes = 0

    def secret(self, name, label):
        if name in self.secrets:
            return self.secrets[name]
        return super().secret(name, label)

    def code(self, destination, channel, attempt):
        self.asked_codes += 1
        if callable(self.codes):
            return self.codes(destination, channel, attempt)
        if self.codes and attempt - 1 < len(self.codes):
            return self.codes[attempt - 1]
        return None

    def confirm_submit(self, summary):
        return self.yes

    def manual(self, instructions, headed):
        if self.manual_solver is None:
            return False
        self.manual_solver(instructions)
        return True
