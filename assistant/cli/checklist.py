"""The checklist at the terminal: what only the person can do before closing, asked once, item by item
(assistant/engine/preparing.py decides what to ask and keeps the answers); --checked ITEM... answers from
a script."""
from __future__ import annotations

import sys

from assistant.messages import t

YES = ("y", "yes", "是", "确认", "已完成", "好")


def checked_option(p) -> None:
    p.add_argument("--checked", metavar="ITEM", nargs="+", action="extend", default=None,
                   help="tick these checklist items (ids from the profile's prepare.checklist; see "
                        "profiles show SITE); the others are recorded as not done")


def can_ask(args) -> bool:
    """A person at a terminal, and standard input not taken by --password-stdin."""
    return sys.stdin is not None and sys.stdin.isatty() and not getattr(args, "password_stdin", False)


def ask_items(items, lang: str) -> dict[str, bool]:
    """Each item as a yes/no question on the terminal."""
    print(t("checklist.intro", lang), file=sys.stderr, flush=True)
    answers = {}
    for n, item in enumerate(items, start=1):
        question = t("checklist.ask", lang, n=n, count=len(items), item=item.ask.get(lang) or item.ask["en"])
        answers[item.id] = input(question).strip().lower() in YES
    return answers
