"""The words printed at the end of a run: outcome, application number, deadline, evidence folder."""
from __future__ import annotations

import datetime as dt

from assistant.deadlines import add_working_days
from assistant.errors import EvidenceUnwritable
from assistant.messages import reason, t


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


def after_submit_lines(record, lang: str) -> list[str]:
    """What is known of a submit when something after it failed (the site's answer not seen, the disk,
    the case store): said plainly, so that no failure hides that the request was sent."""
    r = record.result
    lines = []
    if r.submitted and (r.outcome not in ("submitted", "closed") or record.environment_problem):
        lines.append(t("after.sent", lang, time=_local_time(record.submitted_at)))
        if r.outcome not in ("submitted", "closed"):
            lines.append(t("after.answer", lang, state=t(f"state.{r.state}", lang)) if r.state
                         else t("after.no_answer", lang))
            if r.application_number:
                lines.append(t("case.application", lang, app=r.application_number))
    if record.evidence_error and not isinstance(r.error, EvidenceUnwritable):  # else the error says it
        lines.append(t("after.evidence_incomplete", lang, detail=reason(record.evidence_error, lang)))
    if record.case_lost:
        lines.append(t("after.case_lost", lang))
    elif record.case_error:
        lines.append(t("after.case_journaled", lang, detail=record.case_error, journal=record.case_journal or "-"))
    for failure in record.subscriber_errors:  # kept by the executor after the submit instead of stopping it
        lines.append(t("after.listener_failed", lang, detail=failure))
    if record.report_error and record.evidence_dir:
        lines.append(t("evidence.report_failed", lang, detail=reason(record.report_error, lang),
                       path=record.evidence_dir))
    return lines


def _local_time(stamp) -> str:
    from assistant.evidence.report import display_time
    shown = display_time(stamp)
    return shown["local"] if shown else "-"
