"""Keeps the case store in step with a run, event by event (a subscriber, like the evidence writer).

The one event that matters most is SubmitStarting: the case becomes `submitted` and is
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
from assistant.deadlines import site_zone
from assistant.driving import events as ev
from assistant.redaction import mask_account


def next_state(flow: str, before: str, result, *, had_submission: bool = False) -> tuple[str, Optional[str]]:
    """The case state after a run, from the state before it and what the run saw.

    `had_submission`: the case holds a submission the site accepted earlier (submit date, deadline).
    """
    outcome, site_state = result.outcome, result.state
    detail = result.error.detail if result.error is not None else None
    holds = before in c.SUBMITTED_STATES or had_submission
    if flow == "status" or outcome == "already_pending":
        if outcome not in ("status_read", "already_pending", "already_closed"):
            return before, None  # a failed check teaches nothing about the closure
        if site_state == "pending":
            # Still under review: past its deadline it stays overdue (the site's "审核中" changes nothing).
            return (c.OVERDUE if before == c.OVERDUE else c.PENDING_REVIEW), None
        if site_state == "closed":
            # The login refused as the profile says a closed account is (login.closed_when_refused), after
            # a closure the site accepted: closed, and the case says on what evidence.
            return c.CLOSED, ("closed_login_refused" if getattr(result, "closed_by", None) == "login_refused"
                              else None)
        if site_state == "rejected":
            return c.DENIED, "rejected"
        if site_state == "active" and had_submission:
            # A finding, not a reset: the accepted request is kept, and the person told to follow it up.
            return c.NEEDS_YOU, "site_shows_active_after_submission"
        if site_state == "active" and before in c.SUBMITTED_STATES:
            return c.PREPARING, "site_shows_no_request"
        return before, None
    if outcome == "submitted":
        return (c.CLOSED if site_state == "closed" else c.PENDING_REVIEW), None
    if outcome in ("closed", "already_closed"):
        return c.CLOSED, None
    record = result.submit
    if record.clicked:
        if record.state == "rejected":
            # The site read the request and said no (a wrong code checked by the submit, a refusal):
            # nothing is pending, and the cause is the person's next step.
            return _after_refusal(result.error, detail)
        if _not_taken(result.error):
            return c.PREPARING, "submit_not_taken"  # sent, answered with an error; the site shows no request
        # Sent (or clicked and not seen) and not confirmed: only the site can say what became of it.
        return c.SUBMITTED, detail
    if outcome in ("dry_run_ok", "prepared") or holds:
        # Nothing was submitted now; an earlier request may still stand. A prepare run that went well
        # leaves a case that needed you (an unpaid loan, now repaid) ready to close.
        if outcome == "prepared" and before == c.NEEDS_YOU and not holds:
            return c.PREPARING, None
        return before, None
    if outcome == "blocked":
        return c.NEEDS_YOU, _reason(result.error, detail)
    if outcome == "needs_user":
        return c.NEEDS_YOU, _reason(result.error, detail)
    return c.NEEDS_YOU, _reason(result.error, detail)


def confirmation(texts: list[str]) -> Optional[str]:
    """How a run saw the closure done, from the labels of the texts it recorded."""
    if "account_closed" in texts:
        return "refused_login"      # the login page says the account is closed
    if "status_closed" in texts:
        return "site_status"
    if "outcome_closed" in texts:
        return "result_page"
    return None


def recorded_closure(case) -> Optional[str]:
    """When the site accepted this case's closure request (ISO time), or None: only then can a refused login
    mean that the account is gone (login.closed_when_refused)."""
    if case is None or case.submitted_at is None or not case.holds_request:  # closed, pending, overdue, active after
        return None
    return case.submitted_at.isoformat()


def _not_taken(error) -> bool:
    from assistant.errors import SubmitNotTaken
    return isinstance(error, SubmitNotTaken)


def _after_refusal(error, detail: Optional[str]) -> tuple[str, Optional[str]]:
    from assistant.errors import CodeLocked, NeedsUser
    if isinstance(error, CodeLocked):
        return c.NEEDS_YOU, "code_locked"
    if isinstance(error, NeedsUser):
        return c.NEEDS_YOU, _reason(error, detail)
    return c.DENIED, detail or "rejected"  # the site's own words where it gave them


# What a person must do, kept as a catalogue key (case.<key>) so `cases` can say it in their language.
REASONS = ("manual", "no_code", "declined", "no_terminal", "wrong_code", "code_expired", "code_locked",
           "wrong_password", "wrong_password_keyring", "session_expired", "server_errors", "site_changed",
           "submit_endpoint_reached")


def _reason(error, detail: Optional[str]) -> Optional[str]:
    """The cause as a catalogue key where the tool knows it; else the site's own words."""
    from assistant import errors as e
    if isinstance(error, e.WrongPassword):
        return "wrong_password_keyring" if error.params.get("keyring") else "wrong_password"
    if isinstance(error, e.CodeExpired):
        return "code_expired"
    if isinstance(error, e.WrongCode):
        return "wrong_code"
    if isinstance(error, e.CodeLocked):
        return "code_locked"
    if isinstance(error, e.SessionExpired):
        return "session_expired"
    if isinstance(error, e.SubmitEndpointReached):
        return "submit_endpoint_reached"
    if isinstance(error, e.BlockedBySite):
        return detail  # the site's reason, in its words
    reason = getattr(error, "params", {}).get("reason")
    if reason in REASONS:
        return reason
    if isinstance(error, e.SiteChanged):
        return "site_changed"
    if isinstance(error, e.SiteError):
        return "server_errors"
    return detail


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
        self.texts: dict[str, str] = {}  # the site's words the run recorded, by label (status_rejected, ...)
        self.documents: list[dict] = []  # what the run's download steps saved

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
                                      site_timezone=site_zone(profile.device.timezone, profile.device.locale),
                                      at=e.at)
        self.case_id, self.flow, self.state = case.id, e.flow, case.state
        self.run_pk = self.store.start_run(case.id, e.run_id, e.flow, dry_run=e.dry_run, at=e.at,
                                           evidence_dir=self._evidence_dir(e.run_id))

    def _on_TextRecorded(self, e: ev.TextRecorded) -> None:
        self.texts[e.label] = e.text

    def _on_Downloaded(self, e: ev.Downloaded) -> None:
        self.documents.append({"name": e.name, "file": e.suggested, "bytes": e.size})

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
        self.state = c.SUBMITTED

    def _on_RunFinished(self, e: ev.RunFinished) -> None:
        if self.case_id is None:
            return
        try:
            result = e.result
            before, had_submission = self.state, False
            if not self.problem:
                try:
                    case = self.store.case_by_id(self.case_id)  # what the case says now
                    before = case.state
                    had_submission = case.submitted_at is not None and case.state in (
                        c.PENDING_REVIEW, c.OVERDUE, c.CLOSED, c.NEEDS_YOU)
                except c.CaseStoreError as exc:
                    self.problem = exc.detail
            state, reason = next_state(self.flow, before, result, had_submission=had_submission)
            if state == c.DENIED and reason == "rejected" and self.texts.get("status_rejected"):
                reason = self.texts["status_rejected"][:500]  # the site's own reason, as its status page gives it
            self._record({
                "op": "finish", "case": self.case_id, "run": self.run_pk, "at": e.at.isoformat(),
                "site": self.site, "account": mask_account(self.account),  # for a person reading the journal
                "outcome": result.outcome, "site_state": result.state,
                "detail": self._scrub(result.error.detail if result.error is not None else None),
                "state": state, "reason": self._scrub(reason),
                "source": "status_check" if self.flow == "status" else "run",
                "confirmed_by": confirmation(list(self.texts)) if state == c.CLOSED else None,
                "forget": state == c.PREPARING and before in c.SUBMITTED_STATES,
                # this run saw the site accept its request: its one deadline, from the time the request left
                "deadline": result.deadline.as_dict() if result.deadline is not None else None,
                "submitted_at": (result.submit.sent_at or e.at).isoformat() if result.deadline is not None else None,
                "confirm": state in (c.PENDING_REVIEW, c.OVERDUE) or (state == c.CLOSED and before in c.SUBMITTED_STATES),
                "submit_record": self._clean(result.submit.as_dict()) if result.submit.clicked else None,
                # the prepare steps all ran: a later close need not run them again
                "prepared": {"documents": self.documents} if getattr(result, "prepared", False) else None,
            })
        finally:
            if self.took_lock:
                self.store.release(self.site, self.account)

    def _clean(self, value):
        if isinstance(value, str):
            return self._scrub(value)
        if isinstance(value, dict):
            return {k: self._clean(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._clean(v) for v in value]
        return value
