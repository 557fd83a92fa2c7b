"""Keeps the case store in step with a run, event by event (a subscriber, like the evidence writer).

The one event that matters most is SubmitStarting: the case becomes `submit_attempted` and is
committed before the executor clicks, so a run killed at any later moment is resolved by reading
the site's status, never by submitting again. If that write fails the click must not happen: the
failure is raised as an UnsafeAction, which the executor turns into a failed run before the click.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from assistant.cases import store as c
from assistant.driving import events as ev
from assistant.errors import UnsafeAction


def next_state(flow: str, before: str, result) -> tuple[str, Optional[str]]:
    """The case state after a run, from the state before it and what the run saw."""
    outcome, site_state = result.outcome, result.state
    detail = result.error.detail if result.error is not None else None
    if flow == "status":
        if outcome != "status_read":
            return before, None  # a failed check teaches nothing about the closure
        if site_state == "pending":
            return c.PENDING, None
        if site_state == "closed":
            return c.CLOSED, None
        if site_state == "rejected":
            return c.FAILED, "rejected"
        if site_state == "active" and before in c.SUBMITTED_STATES:
            return c.NOT_STARTED, "site_shows_no_request"
        return before, None
    if outcome == "submitted":
        return (c.CLOSED if site_state == "closed" else c.PENDING), None
    if outcome in ("closed", "already_closed"):
        return c.CLOSED, None
    if result.submitted:
        # The click happened but the result was not recognised: only the site can say what became of it.
        return c.SUBMIT_ATTEMPTED, detail
    if outcome == "dry_run_ok" or before in c.SUBMITTED_STATES:
        return before, None  # nothing was submitted now; an earlier request may still stand
    if outcome == "blocked":
        return c.BLOCKED, detail
    if outcome == "needs_user":
        return c.NEEDS_USER, _needs_user_reason(result.error, detail)
    return c.FAILED, detail


# What a person must do, kept as a catalogue key (case.<key>) so `cases` can say it in their language.
NEEDS_USER_REASONS = ("manual", "no_code", "declined", "no_terminal")


def _needs_user_reason(error, detail: Optional[str]) -> Optional[str]:
    from assistant.errors import WrongCode
    if isinstance(error, WrongCode):
        return "wrong_code"
    reason = getattr(error, "params", {}).get("reason")
    return reason if reason in NEEDS_USER_REASONS else detail


class CaseTracker(ev.Listener):
    """Records one run of `account` on the run's site into `store`."""

    def __init__(self, store: c.CaseStore, account: str, *, evidence_root: Optional[Path] = None, redactor=None):
        self.store = store
        self.redactor = redactor
        self.account = account
        self.evidence_root = Path(evidence_root) if evidence_root else None
        self.case_id: Optional[int] = None
        self.run_pk: Optional[int] = None
        self.flow = ""

    def handle(self, event: ev.Event) -> None:
        method = getattr(self, "_on_" + type(event).__name__, None)
        if method is not None:
            method(event)

    def _evidence_dir(self, run_id: str) -> Optional[str]:
        # The evidence writer subscribes first and has made the run's folder (named …-<run_id>) by now.
        if self.evidence_root is None or not self.evidence_root.is_dir():
            return None
        found = sorted(self.evidence_root.glob(f"*-{run_id}"))
        return str(found[-1]) if found else None

    def _scrub(self, text: Optional[str]) -> Optional[str]:
        return self.redactor.scrub(text) if text and self.redactor is not None else text

    def _on_RunStarted(self, e: ev.RunStarted) -> None:
        profile = e.profile
        case = self.store.ensure_case(profile.id, self.account,
                                      review_working_days=profile.closure.review_working_days,
                                      site_timezone=profile.device.timezone, at=e.at)
        self.case_id, self.flow = case.id, e.flow
        self.run_pk = self.store.start_run(case.id, e.run_id, e.flow, dry_run=e.dry_run, at=e.at,
                                           evidence_dir=self._evidence_dir(e.run_id))

    def _on_Captured(self, e: ev.Captured) -> None:
        if e.name == "application_number" and not e.sensitive and self.case_id is not None:
            self.store.set_application_number(self.case_id, e.value)

    def _on_SubmitStarting(self, e: ev.SubmitStarting) -> None:
        try:
            self.store.mark_submit_attempted(self.case_id, self.run_pk, e.at)
        except Exception as exc:  # noqa: BLE001 - whatever it was, an unrecorded submit must not happen
            raise UnsafeAction(f"the case database could not record the submit attempt ({exc}); "
                               f"nothing was submitted", reason="case_store") from None

    def _on_RunFinished(self, e: ev.RunFinished) -> None:
        if self.case_id is None:
            return
        result = e.result
        before = self.store.case_by_id(self.case_id).state  # SubmitStarting may have moved it
        state, reason = next_state(self.flow, before, result)
        detail = self._scrub(result.error.detail if result.error is not None else None)
        reason = self._scrub(reason)
        self.store.finish_run(self.run_pk, outcome=result.outcome, site_state=result.state, detail=detail, at=e.at)
        if state == c.NOT_STARTED and before in c.SUBMITTED_STATES:
            self.store.forget_submission(self.case_id)
        if state == c.PENDING or (state == c.CLOSED and (before in c.SUBMITTED_STATES or result.submitted)):
            self.store.confirm_submitted(self.case_id, seen_at=e.at)
        self.store.set_state(self.case_id, state, reason, at=e.at)

