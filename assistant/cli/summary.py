"""The words printed at the end of a run: outcome, application number, deadline, evidence folder."""
from __future__ import annotations

import datetime as dt

from assistant.deadlines import add_working_days
from assistant.messages import t


def outcome_lines(record, profile, lang: str) -> list[str]:
    r = record.result
    lines = []
    if r.outcome == "submitted":
        lines.append(t("result.submitted", lang, app=r.application_number or "-"))
        days = profile.closure.review_working_days
        deadline = add_working_days(dt.date.today(), days)
        lines.append(t("result.deadline", lang, deadline=deadline.isoformat(), days=days))
    elif r.outcome == "closed":
        lines.append(t("result.closed", lang))
    elif r.outcome in ("already_closed", "dry_run_ok"):
        lines.append(t(f"result.{r.outcome}", lang))
    elif r.outcome == "status_read":
        lines.append(t("result.status_read", lang, state=t(f"state.{r.state}", lang)))
    if record.evidence_dir:
        lines.append(t("result.evidence", lang, path=record.evidence_dir))
    if record.final_hash:
        lines.append(t("result.final_hash", lang, hash=record.final_hash))
    return lines
