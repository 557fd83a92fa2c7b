"""The one next thing to do for a case, in the reader's language: `cases` and the web app's dashboard."""
from __future__ import annotations

import datetime as dt


def evidence_of(store, case) -> str:
    """The folder that best proves the case: the submitting run's, else the latest run's."""
    run = store.run(case.submit_run) if case.submit_run else None
    run = run if run and run.evidence_dir else store.last_run(case.id)
    return (run.evidence_dir if run else None) or "-"


def next_step(store, case, lang: str, today: dt.date) -> str:
    from assistant.messages import t
    from assistant.redaction import mask_account
    # Advice that follows the cause: next.<state>.<reason> where the catalogue has it.
    if case.reason and f"next.{case.state}.{case.reason}" in _catalogue():
        return t(f"next.{case.state}.{case.reason}", lang, site=case.site, account=mask_account(case.account),
                 evidence=evidence_of(store, case))
    if case.state == "pending" and case.submitted_at is None and not case.overdue(today):
        return t("next.pending_no_deadline", lang)
    if case.state == "needs_user" and case.reason and f"case.{case.reason}" in _catalogue():
        if f"next.needs_user.{case.reason}" in _catalogue():
            return t(f"next.needs_user.{case.reason}", lang)
        return t("next.then_close", lang, what=reason_text(case.reason, lang))  # the reason says what to do
    key = "next.overdue" if case.overdue(today) else f"next.{case.state}"
    text = t(key, lang, site=case.site, account=mask_account(case.account), evidence=evidence_of(store, case))
    if case.reason and case.state in ("blocked", "failed", "needs_user", "not_started"):
        text = f"{text}（{reason_text(case.reason, lang)}）" if lang == "zh" else f"{text} ({reason_text(case.reason, lang)})"
    return text


def reason_text(reason: str, lang: str) -> str:
    """Our own reasons are catalogue keys; the site's messages are shown as the site wrote them."""
    from assistant.messages import t
    return t(f"case.{reason}", lang) if f"case.{reason}" in _catalogue() else reason


def _catalogue() -> dict:
    from assistant.messages import CATALOGUE
    return CATALOGUE
