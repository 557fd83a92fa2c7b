"""Text that comes from a site (where the code went, its messages, dialog texts) or from a profile is
printed to the person's terminal and handed to --code-command: control characters (ESC sequences can
retitle or rewrite a terminal), bidirectional overrides and huge values must not get through."""
from __future__ import annotations

import sys

from assistant.messages import MAX_PARAM_CHARS, t
from assistant.cli.terminal import DESTINATION_CHARS, TerminalInputs

HOSTILE = "\x1b]0;pwned\x07\x1b[2J138\u202e1000\x00\x9b" + "9" * 50_000


def test_every_message_parameter_is_terminal_safe():
    for key, params in (("prompt.code", {"site": HOSTILE, "destination": HOSTILE, "attempt": 1}),
                        ("progress.dialog", {"action": "accept", "message": HOSTILE}),
                        ("progress.retry", {"attempt": 2, "reason": HOSTILE})):
        for lang in ("zh", "en"):
            text = t(key, lang, **params)
            assert not any(ch in text for ch in "\x1b\x07\x00\x9b\u202e"), (key, lang)
            assert "138" in text and "1000" in text  # the readable part stays
            assert len(text) < 2 * (MAX_PARAM_CHARS + 200)


def test_newlines_and_tabs_in_messages_stay():
    assert "a\nb\tc" in t("progress.retry", "en", attempt=1, reason="a\nb\tc")


def test_code_command_gets_a_short_clean_destination(tmp_path):
    seen = tmp_path / "destination.txt"
    script = tmp_path / "code.py"
    script.write_text("import os, pathlib\n"
                      f"pathlib.Path({str(seen)!r}).write_text(os.environ['CLOSURE_ASSISTANT_DESTINATION'], 'utf-8')\n"
                      "print('123456')\n", "utf-8")
    inputs = TerminalInputs("en", "示例贷", "13800000001", code_command=f"{sys.executable} {script}")
    assert inputs.code(HOSTILE, "sms", 1) == "123456"  # a NUL byte in the environment would have crashed
    destination = seen.read_text("utf-8")
    assert not any(ch in destination for ch in "\x1b\x07\x00\x9b\u202e")
    assert destination.startswith("\ufffd]0;pwned") and len(destination) <= DESTINATION_CHARS + 1
