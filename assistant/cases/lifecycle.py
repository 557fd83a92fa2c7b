"""Where each case stands and the one thing to do next, with the day it is due: the same answer for
`closure-assistant cases`, `cases --due`, `cases --json`, the calendar file and the local web app.

A next action is a catalogue key and its parameters (said in the reader's language by `text`), and
`due_on`: the day it needs doing (None: nothing to do by a date). `cases --due` lists the actions due
today or earlier. The reminder days are the tool's own, not the law's:

    submitted       check the site's status: due at once
    pending_review  check again on the day the platform must finish by (`expected_by`)
    overdue         write the follow-up letter: due the day after `expected_by`; once it is written,
                    the complaint FOLLOW_UP_WAIT_DAYS later; once that is written, look again
                    COMPLAINT_WAIT_DAYS later
    needs_you       due at once; denied: due at once (complain, or deal with the site's reason)
    preparing, closed, withdrawn: nothing due

A note the person records (`closure-assistant note`) puts the reminder of a case that waits on them
(needs_you, denied, overdue) off by NOTE_WAIT_DAYS: they said what they did, the tool asks again later.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

from assistant.cases import store as c
from assistant.errors import AssistantError, ExitStatus
from assistant.messages import CATALOGUE, say, t
from assistant.redaction import mask_account

FOLLOW_UP_WAIT_DAYS = 7
COMPLAINT_WAIT_DAYS = 15
NOTE_WAIT_DAYS = 7


@dataclass
class NextAction:
    key: str                                  # a catalogue key: next.<state>[.<reason>]
    params: dict = field(default_factory=dict)
    due_on: Optional[dt.date] = None          # the day it needs doing; None: nothing due by a date
    reason: Optional[str] = None              # said after the advice, in brackets (a catalogue key or the site's words)

    def due(self, today: dt.date) -> bool:
        return self.due_on is not None and self.due_on <= today

    def text(self, lang: str) -> str:
        # A parameter may differ by language ({"zh": ..., "en": ...}): the checklist's items, a reason.
        params = {k: v.get(lang, v.get("en")) if isinstance(v, dict) else v for k, v in self.params.items()}
        words = t(self.key, lang, **params)
        if self.reason:
            said = reason_text(self.reason, lang)
            words = f"{words}（{said}）" if lang == "zh" else f"{words} ({said})"
        return words


def reason_text(reason: str, lang: str) -> str:
    """Our own reasons are catalogue keys (case.<reason>); the site's messages are shown as it wrote them."""
    return t(f"case.{reason}", lang) if f"case.{reason}" in CATALOGUE else reason


def state_label(case: c.Case, lang: str) -> str:
    return t(f"case.{case.state}", lang)


def evidence_folder(store: c.CaseStore, case: c.Case) -> Optional[str]:
    """The folder that best proves the case: the submitting run's, else the latest run's."""
    run = store.run(case.submit_run) if case.submit_run else None
    run = run if run and run.evidence_dir else store.last_run(case.id)
    return run.evidence_dir if run else None


def _day(at: dt.datetime, case: c.Case) -> dt.date:
    return c.site_date(at, case.site_timezone)


def _latest(events: list[c.CaseEvent], kind: str, letter: Optional[str] = None) -> Optional[c.CaseEvent]:
    """The latest event of `kind` (a letter: of that letter kind)."""
    for event in reversed(events):
        if event.kind == kind and (letter is None or event.detail.get("kind") == letter):
            return event
    return None


def _entered(events: list[c.CaseEvent], case: c.Case) -> dt.date:
    """The day the case entered its present state."""
    event = next((e for e in reversed(events) if e.kind == "state" and e.state == case.state), None)
    return _day(event.at if event else case.updated_at, case)


def _put_off_by_note(due: Optional[dt.date], events: list[c.CaseEvent], case: c.Case) -> Optional[dt.date]:
    note = _latest(events, "note")
    if due is None or note is None:
        return due
    return max(due, _day(note.at, case) + dt.timedelta(days=NOTE_WAIT_DAYS))


def unticked(case: c.Case) -> list[dict]:
    """The checklist items the person has not ticked (yet)."""
    checklist = case.checklist or {}
    answers = checklist.get("answers") or {}
    return [item for item in checklist.get("items") or [] if not answers.get(item.get("id"))]


# A case with no run (closed through customer service): what it has is its record and its events.
NO_EVIDENCE_FOLDER = {"zh": "案件记录（closure-assistant cases --json）", "en": "the case record (closure-assistant cases --json)"}


def next_action(store: c.CaseStore, case: c.Case, events: Optional[list[c.CaseEvent]] = None) -> NextAction:
    """The one next thing to do about `case`, and by when."""
    events = store.events(case.id) if events is None else events
    today = case.today()
    common = {"site": case.site, "account": mask_account(case.account), "case": case.id,
              "evidence": evidence_folder(store, case) or NO_EVIDENCE_FOLDER}
    state, reason = case.state, case.reason
    if state == c.PREPARING:
        if reason and f"next.preparing.{reason}" in CATALOGUE:
            return NextAction(f"next.preparing.{reason}", common)
        missing = unticked(case)
        if missing:
            items = {"zh": "、".join(i.get("zh") or i["id"] for i in missing),
                     "en": ", ".join(i.get("en") or i["id"] for i in missing)}
            return NextAction("next.preparing.checklist", {**common, "items": items})
        if case.route == "customer_service":
            return NextAction("next.preparing.customer_service", common)
        return NextAction("next.preparing", common, reason=reason)
    if state == c.SUBMITTED:
        return NextAction("next.submitted", common, due_on=_entered(events, case))
    if state == c.PENDING_REVIEW:
        if case.deadline is None:
            return NextAction("next.pending_no_deadline", common)
        key = "next.pending_review.customer_service" if case.route == "customer_service" else "next.pending_review"
        return NextAction(key, {**common, "expected_by": case.deadline.isoformat(),
                                "ticket": case.application_number or "-"}, due_on=case.deadline)
    if state == c.OVERDUE:
        late_from = (case.deadline + dt.timedelta(days=1)) if case.deadline else _entered(events, case)
        complaint = _latest(events, "letter", "complaint")
        follow_up = _latest(events, "letter", "follow-up")
        if complaint is not None:
            written = _day(complaint.at, case)
            action = NextAction("next.overdue.complained", {**common, "date": written.isoformat()},
                                due_on=written + dt.timedelta(days=COMPLAINT_WAIT_DAYS))
        elif follow_up is not None:
            written = _day(follow_up.at, case)
            due = written + dt.timedelta(days=FOLLOW_UP_WAIT_DAYS)
            action = NextAction("next.overdue.followed_up", {**common, "date": written.isoformat(),
                                                             "due": due.isoformat()}, due_on=due)
        else:
            action = NextAction("next.overdue", {**common, "expected_by": case.deadline.isoformat()
                                                 if case.deadline else "-"}, due_on=late_from)
        action.due_on = _put_off_by_note(action.due_on, events, case)
        return action
    if state == c.NEEDS_YOU:
        action = _needs_you(case, common)
        action.due_on = _put_off_by_note(_entered(events, case), events, case)
        return action
    if state == c.DENIED:
        complaint = _latest(events, "letter", "complaint")
        if complaint is not None:
            written = _day(complaint.at, case)
            return NextAction("next.denied.complained", {**common, "date": written.isoformat()},
                              due_on=_put_off_by_note(written + dt.timedelta(days=COMPLAINT_WAIT_DAYS), events, case))
        what = {lang: reason_text(reason, lang) if reason else "-" for lang in ("zh", "en")}
        return NextAction("next.denied", {**common, "what": what},
                          due_on=_put_off_by_note(_entered(events, case), events, case))
    if state == c.CLOSED:
        return NextAction("next.closed", common)
    return NextAction("next.withdrawn", common)


def _needs_you(case: c.Case, common: dict) -> NextAction:
    """Advice that follows the cause: next.needs_you.<reason> where the catalogue has it."""
    reason = case.reason
    if reason and f"next.needs_you.{reason}" in CATALOGUE:
        return NextAction(f"next.needs_you.{reason}", common)
    if reason and f"case.{reason}" in CATALOGUE:  # the reason says what to do
        return NextAction("next.then_close", {**common, "what": {lang: t(f"case.{reason}", lang)
                                                                 for lang in ("zh", "en")}})
    if reason:  # the site's own words (an unpaid loan, a balance)
        return NextAction("next.needs_you.site", common, reason=reason)
    return NextAction("next.needs_you", common)


# ---------------------------------------------------------------- one case, as a person names it

class UnknownCase(AssistantError):
    exit_status = ExitStatus.USAGE
    message_key = "error.unknown_case"


def find_case(store: c.CaseStore, spec: str, account: Optional[str] = None) -> c.Case:
    """The case `spec` names: its number (as `cases` lists it), or a site id with one case (or with
    `account`, already in its one spelling)."""
    spec = (spec or "").strip()
    if spec.isdigit():
        rows = [case for case in store.all_cases() if case.id == int(spec)]
    else:
        rows = [case for case in store.all_cases() if case.site == spec and (account is None or case.account == account)]
    if len(rows) == 1:
        return rows[0]
    if not rows:
        raise UnknownCase(say("cases.no_such_case", spec=spec))
    listing = ", ".join(f"{case.id} ({mask_account(case.account)})" for case in rows)
    raise UnknownCase(say("cases.several_cases", spec=spec, cases=listing))


# ---------------------------------------------------------------- every case at once

@dataclass
class CaseView:
    """A case with its events and its next action, as every front end shows it."""
    case: c.Case
    events: list[c.CaseEvent]
    action: NextAction
    evidence: Optional[str]

    @property
    def due(self) -> bool:
        return self.action.due(self.case.today())

    def as_dict(self, lang: str) -> dict:
        """For scripts (`cases --json`) and the web app: plain values, the account masked."""
        case = self.case
        return {
            "id": case.id, "site": case.site, "account": mask_account(case.account),
            "state": case.state, "state_label": t(f"case.{case.state}", lang),
            "what": case.reason, "what_text": reason_text(case.reason, lang) if case.reason else None,
            "route": case.route, "application_number": case.application_number,
            "submitted_at": case.submitted_at.isoformat() if case.submitted_at else None,
            "submitted_on": case.deadline_info.submitted_on.isoformat() if case.deadline_info else None,
            "expected_by": case.deadline.isoformat() if case.deadline else None,
            "closed_at": case.closed_at.isoformat() if case.closed_at else None,
            "confirmed_by": case.confirmed_by,
            "checklist": case.checklist,
            "evidence": self.evidence,
            "today": case.today().isoformat(),
            "next_action": {"key": self.action.key, "text": self.action.text(lang),
                            "due_on": self.action.due_on.isoformat() if self.action.due_on else None,
                            "due": self.due},
            "events": [e.as_dict() for e in self.events],
        }


def overview(store: c.CaseStore) -> list[CaseView]:
    """Every case, its deadline passed where it has (cases become overdue here, with an event), each
    with its events and next action."""
    store.refresh_overdue()
    views = []
    for case in store.all_cases():
        events = store.events(case.id)
        views.append(CaseView(case, events, next_action(store, case, events), evidence_folder(store, case)))
    return views


def due_today(store: c.CaseStore) -> list[CaseView]:
    return [view for view in overview(store) if view.due]
