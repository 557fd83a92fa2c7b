"""The case a witnessed walk opens or updates, through the case store's own public methods only.

One run of flow `witness` per walk. A final click that sent a request is recorded as a submit attempt
first (from then on `close` never submits blindly for this account); then the person's outcome sets
the state: pending_review (with the one deadline, counted from when the request left), closed, denied (the
site's reason in the person's words), or needs_you when they gave up (the run keeps the last page).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from assistant.cases import store as c

GAVE_UP = "witness_gave_up"   # the case's reason (a catalogue key: case.witness_gave_up, next.needs_you.witness_gave_up)


@dataclass
class Walked:
    """What the case needs to know of one walk."""
    site: str
    account: str
    review_working_days: int
    timezone: Optional[str]
    run_id: str
    evidence_dir: Optional[Path]
    started_at: dt.datetime
    finished_at: dt.datetime
    outcome: str                       # pending | closed | refused | gave_up
    run_outcome: str                   # as a close run says it: submitted | closed | blocked | stopped
    site_state: Optional[str]
    submit_attempted_at: Optional[dt.datetime]
    submitted_at: Optional[dt.datetime]
    deadline: object = None            # assistant.deadlines.Deadline
    application_number: Optional[str] = None
    reason: str = ""
    last_url: str = ""
    submit_record: Optional[dict] = None


def record_walk(store: c.CaseStore, walk: Walked) -> c.Case:
    with store.working_on(walk.site, walk.account):
        case = store.ensure_case(walk.site, walk.account, review_working_days=walk.review_working_days,
                                 site_timezone=walk.timezone, at=walk.started_at)
        before = case.state
        run = store.start_run(case.id, walk.run_id, "witness", dry_run=False, at=walk.started_at,
                              evidence_dir=str(walk.evidence_dir) if walk.evidence_dir else None)
        if walk.submit_attempted_at is not None:
            store.mark_submit_attempted(case.id, run, walk.submit_attempted_at)
        if walk.submit_record:
            store.set_submit_record(case.id, walk.submit_record)
        if walk.application_number:
            store.set_application_number(case.id, walk.application_number)
        if walk.outcome == "pending":
            store.confirm_submitted(case.id, submitted_at=walk.submitted_at or walk.finished_at, deadline=walk.deadline)
            state, reason = c.PENDING_REVIEW, None
        elif walk.outcome == "closed":
            state, reason = c.CLOSED, None
        elif walk.outcome == "refused":
            state, reason = c.DENIED, walk.reason or None
        elif walk.submit_attempted_at is not None:
            state, reason = c.SUBMITTED, None  # the request may be with the site: only it can say
        elif before in c.SUBMITTED_STATES:
            state, reason = before, case.reason        # an earlier request still stands: a stopped walk changes nothing
        else:
            state, reason = c.NEEDS_YOU, GAVE_UP
        detail = walk.last_url if walk.outcome == "gave_up" else (walk.reason or None)
        store.finish_run(run, outcome=walk.run_outcome, site_state=walk.site_state, detail=detail,
                         at=walk.finished_at)
        store.set_state(case.id, state, reason, at=walk.finished_at)
        return store.case_by_id(case.id)
