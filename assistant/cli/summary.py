"""The words printed at the end of a run, in the terminal's language. What they say is decided once, in
the engine (`assistant/engine/sentences.py`), for every front end."""
from __future__ import annotations

from typing import Optional

from assistant.deadlines import Deadline
from assistant.deadlines import calendar_words as calendar_text  # noqa: F401 - part of this module's names
from assistant.engine import sentences


def deadline_line(deadline: Deadline, lang: str) -> str:
    return sentences.deadline_sentence(deadline).in_lang(lang)


def submit_lines(record, lang: str) -> list[str]:
    """The one honest line about the closure request, and its technical line."""
    return [s.in_lang(lang) for s in sentences.submit_sentences(record)]


def outcome_lines(record, profile, lang: str, deadline: Optional[Deadline] = None) -> list[str]:
    return [s.in_lang(lang) for s in sentences.outcome_sentences(record, deadline)]


def after_submit_lines(record, lang: str) -> list[str]:
    """What is known of a submit when something after it failed, said plainly (see the engine's sentences)."""
    return [s.in_lang(lang) for s in sentences.after_submit_sentences(record)]
