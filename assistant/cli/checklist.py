"""The checklist at the terminal: what only the person can do before closing, asked once, item by item
(assistant/engine/preparing.py keeps the answers); --checked ITEM... answers from a script."""
from __future__ import annotations

import sys

from assistant.messages import t

YES = ("y", "yes", "是", "确认", "已完成", "好")


def checked_option(p) -> None:
    p.add_argument("--checked", metavar="ITEM", nargs="+", action="extend", default=None,
                   help="tick these checklist items (ids from the profile's prepare.checklist; see "
                        "profiles show SITE); the others are recorded as not done")


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def ask_items(items, lang: str) -> dict[str, bool]:
    """Each item as a yes/no question on the terminal."""
    print(t("checklist.intro", lang), file=sys.stderr, flush=True)
    answers = {}
    for n, item in enumerate(items, start=1):
        question = t("checklist.ask", lang, n=n, count=len(items), item=item.ask.get(lang) or item.ask["en"])
        answers[item.id] = input(question).strip().lower() in YES
    return answers


def settle(session_like, profile, account: str, lang: str) -> dict | None:
    """The checklist's answers, asked once (or from --checked), kept in the case; warnings for what is not done."""
    from assistant.engine import preparing
    args = session_like.args
    ask = (lambda items: ask_items(items, lang)) if _interactive() and not getattr(args, "password_stdin", False) else None
    answers = preparing.settle_answers(session_like.store, profile, account, checked=getattr(args, "checked", None),
                                       ask=ask)
    if not preparing.checklist(profile):
        return None
    preparing.refuse_if_required_missing(profile, answers, lang)
    if answers is None or len(answers) < len(preparing.checklist(profile)):
        ids = " ".join(item.id for item in preparing.unanswered_from(profile, answers))
        print(t("checklist.unanswered", lang, ids=ids, site=profile.id), file=sys.stderr)
    for item in preparing.not_done(profile, answers):
        if answers and item.id in answers:
            print(t("checklist.not_done", lang, item=item.ask.get(lang) or item.ask["en"]), file=sys.stderr)
    return answers


def before_closing(session) -> dict:
    """The RunOptions `close` adds: the checklist for the evidence, and whether to run the prepare steps."""
    from assistant.engine import preparing
    answers = settle(session, session.profile, session.account, session.lang)
    return {"checklist": preparing.evidence_items(session.profile, answers),
            "prepare": preparing.prepare_needed(session.store, session.profile, session.account)}
