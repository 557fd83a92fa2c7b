"""Keeps the case store in step with a run, event by event (a subscriber, like the evidence writer).

The one event that matters most is SubmitStarting: the case becomes `submit_attempted` and is
committed before the executor clicks, so a run killed at any later moment is resolved by reading
the site's status, never by submitting again. Just before it (SubmitPreflight) the tracker checks
that the store takes a write and that this run still holds the case's lock. If the check or the write
fails the click must not happen: a CaseStoreError (an environment problem) is raised, which the
executor turns into a failed run before the click.

After the submit a store that fails (locked by another program, its disk gone) must not lose what the
run learned: the remaining changes go to the store's journal and are applied when it opens next.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from assistant.cases import store as c
from assistant.driving import events as ev
from assistant.redaction import mask_account


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
        self.site = ""
        self.state = ""              # the case's state as this run last saw or wrote it
        self.submit_recorded = False
        self.took_lock = False
        self.problem = ""            # why the store could not be written (then the journal took over)
        self.journaled: list[dict] = []
        self.lost: list[dict] = []   # neither the store nor its journal could take these

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

    def _record(self, change: dict) -> None:
        """Into the store; once it failed after the submit (or as the run ends), into its journal."""
        if not self.problem:
            try:
                self.store.apply(change)
                return
            except c.CaseStoreError as exc:
                if not self.submit_recorded and change["op"] != "finish":
                    raise  # before the submit a store that cannot write stops the run: nothing is clicked
                self.problem = exc.detail
        try:
            self.store.journal(change)
            self.journaled.append(change)
        except OSError:
            self.lost.append(change)

    def _on_RunStarted(self, e: ev.RunStarted) -> None:
        profile = e.profile
        self.site = profile.id
        self.took_lock = self.store.acquire(profile.id, self.account)  # the command may hold it already
        case = self.store.ensure_case(profile.id, self.account,
                                      review_working_days=profile.closure.review_working_days,
                                      site_timezone=profile.device.timezone, at=e.at)
        self.case_id, self.flow, self.state = case.id, e.flow, case.state
        self.run_pk = self.store.start_run(case.id, e.run_id, e.flow, dry_run=e.dry_run, at=e.at,
                                           evidence_dir=self._evidence_dir(e.run_id))

    def _on_Captured(self, e: ev.Captured) -> None:
        if e.name == "application_number" and not e.sensitive and self.case_id is not None:
            self._record({"op": "application_number", "case": self.case_id, "number": e.value})

    def _on_SubmitPreflight(self, e: ev.SubmitPreflight) -> None:
        if self.case_id is None:
            raise c.CaseStoreError("the case was never recorded for this run; nothing was submitted")
        self.store.check_can_record(self.case_id, self.site, self.account)

    def _on_SubmitStarting(self, e: ev.SubmitStarting) -> None:
        try:
            self.store.mark_submit_attempted(self.case_id, self.run_pk, e.at)
        except c.CaseStoreError:
            raise
        except Exception as exc:  # noqa: BLE001 - whatever it was, an unrecorded submit must not happen
            raise c.CaseStoreError(f"the case database could not record the submit attempt ({exc}); "
                                   f"nothing was submitted", path=str(self.store.path)) from None
        self.submit_recorded = True
        self.state = c.SUBMIT_ATTEMPTED

    def _on_RunFinished(self, e: ev.RunFinished) -> None:
        if self.case_id is None:
            return
        try:
            result = e.result
            before = self.state
            if not self.problem:
                try:
                    before = self.store.case_by_id(self.case_id).state  # what the case says now
                except c.CaseStoreError as exc:
                    self.problem = exc.detail
            state, reason = next_state(self.flow, before, result)
            self._record({
                "op": "finish", "case": self.case_id, "run": self.run_pk, "at": e.at.isoformat(),
                "site": self.site, "account": mask_account(self.account),  # for a person reading the journal
                "outcome": result.outcome, "site_state": result.state,
                "detail": self._scrub(result.error.detail if result.error is not None else None),
                "state": state, "reason": self._scrub(reason),
                "forget": state == c.NOT_STARTED and before in c.SUBMITTED_STATES,
                "confirm": state == c.PENDING or (state == c.CLOSED and (before in c.SUBMITTED_STATES
                                                                          or result.submitted)),
            })
        finally:
            if self.took_lock:
                self.store.release(self.site, self.account)
