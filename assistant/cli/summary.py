"""The words printed at the end of a run: outcome, the closure request's record, the deadline, warnings,
the evidence folder. The deadline is the one the run computed when the site accepted the request (the
same the case, the report and `cases` show), never recomputed here."""
from __future__ import annotations

from typing import Optional

from assistant.deadlines import Deadline
from assistant.deadlines import calendar_words as calendar_text
from assistant.errors import EnvironmentProblem, EvidenceUnwritable
from assistant.messages import reason, t


def deadline_line(deadline: Deadline, lang: str) -> str:
    return t("result.deadline", lang, deadline=deadline.date.isoformat(), days=deadline.working_days,
             calendar=calendar_text(deadline, lang))


def submit_lines(record, lang: str) -> list[str]:
    """The one honest line about the closure request, and its technical line."""
    if not record.clicked:
        return []
    words = record.site_words.replace("\n", " ")[:200]
    at = record.answered_at.strftime("%Y-%m-%d %H:%M:%S UTC") if record.answered_at else "-"
    state = t(f"submit.{record.state}", lang, status=record.status, at=at, words=words)
    lines = [t("submit.line", lang, state=state)]
    if record.sent:
        answer = f"HTTP {record.status}" if record.status is not None else (
            t("submit.no_answer", lang) + (f" ({record.failure})" if record.failure else ""))
        lines.append(t("submit.technical", lang, method=record.method, url=record.url, answer=answer,
                       sent=record.sent_at.strftime("%Y-%m-%d %H:%M:%S UTC")))
    return lines


def outcome_lines(record, profile, lang: str, deadline: Optional[Deadline] = None) -> list[str]:
    r = record.result
    lines = submit_lines(r.submit, lang)
    deadline = r.deadline or deadline
    if r.outcome == "submitted":
        lines.append(t("result.submitted", lang, app=r.application_number or "-"))
    elif r.outcome == "closed":
        lines.append(t("result.closed", lang))
    elif r.outcome in ("already_closed", "dry_run_ok", "already_pending", "prepared"):
        lines.append(t(f"result.{r.outcome}", lang))
    elif r.outcome == "status_read":
        lines.append(t("result.status_read", lang, state=t(f"state.{r.state}", lang)))
    # A deadline only for a request the site accepted (this run, or one the site already shows).
    accepted = (r.outcome == "submitted" and r.submit.state == "accepted") or r.outcome == "already_pending"
    if deadline is not None and accepted:
        lines.append(deadline_line(deadline, lang))
    for warning in r.warnings:  # every warning the manifest keeps is said here too
        lines.append(t("result.warning", lang, text=warning))
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
    # That the request was sent, and the site's answer, are the record's own lines (submit_lines): here
    # only the application number when the run did not end on the result page that shows it.
    if r.submitted and r.outcome not in ("submitted", "closed"):
        if r.application_number:
            lines.append(t("case.application", lang, app=r.application_number))
        if isinstance(r.error, EnvironmentProblem):  # its message is about this computer, not the request
            lines.append(t("after.unconfirmed", lang))
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

