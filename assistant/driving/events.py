"""What the executor tells its subscribers (evidence, progress, case store). It writes no files itself."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Optional

from assistant.profiles.model import Step


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass
class Event:
    at: dt.datetime = field(default_factory=now, kw_only=True)


@dataclass
class RunStarted(Event):
    run_id: str
    flow: str                 # "close", "status" or "check"
    profile: Any
    account_masked: str
    total_steps: int
    browser: str
    dry_run: bool


@dataclass
class StepStarted(Event):
    index: int                # 1-based across the whole run
    total: int
    flow: str                 # "login", "close", "status"
    step: Step


@dataclass
class StepFinished(Event):
    index: int
    total: int
    flow: str
    step: Step
    status: str               # "ok", "skipped", "warning"
    url: str
    page: Any                 # live Playwright page, for screenshots; never stored
    masks: list               # Playwright locators to black out in screenshots
    matched: Optional[str] = None   # the locator candidate that matched
    note: str = ""


@dataclass
class Drift(Event):
    step: Step
    candidate_index: int
    candidate: str


@dataclass
class OverlayDismissed(Event):
    name: str
    url: str


@dataclass
class DialogHandled(Event):
    kind: str                 # alert / confirm / prompt / beforeunload
    message: str
    action: str               # accept / dismiss
    expected: bool
    url: str


@dataclass
class TextRecorded(Event):
    """Text the user accepted or was shown (agreements, the site's messages)."""
    label: str
    text: str
    url: str


@dataclass
class CodeRequested(Event):
    destination: str
    channel: str
    attempt: int


@dataclass
class Waiting(Event):
    """A bounded wait the person should know about (a resend countdown, an authenticator's next code)."""
    seconds: int
    reason: str


@dataclass
class Captured(Event):
    name: str
    value: str
    sensitive: bool


@dataclass
class ChecklistAnswered(Event):
    """Sent right after RunStarted when the person answered the profile's checklist before the run: what
    they ticked goes into the evidence (and to the top of the report)."""
    items: list               # [{id, zh, en, required, checked}]


@dataclass
class Downloaded(Event):
    """A `download` step got the file the site offered (from the profile's origins, within its size cap).
    `path` is the browser's temporary copy, gone after this event: a subscriber that keeps it copies it now.
    The file is never opened or run."""
    step: Step
    name: str                 # the step's save_as
    path: Any                 # pathlib.Path of the temporary file
    suggested: str            # the file name the site suggested
    url: str
    size: int
    what: Optional[dict] = None   # {zh, en}


@dataclass
class SubmitPreflight(Event):
    """Sent just before SubmitStarting: a subscriber that could not record the rest of the run (no room
    for the evidence, a case store that cannot write or lost its lock) raises here, and the executor
    does not click. Nothing about a submit has been recorded yet."""
    url: str


@dataclass
class SubmitStarting(Event):
    """Sent before the irreversible click: subscribers must record it durably before it happens."""
    url: str


@dataclass
class SubmitDone(Event):
    """Once per run whose submit step clicked: what became of the request (see driving/submit.py)."""
    url: str                  # the page the run ended on
    record: dict              # SubmitRecord.as_dict(): state, method, URL, status, times, the site's words


@dataclass
class SubmitBlocked(Event):
    """A request to the closure endpoint was stopped before it left (not the submit step's, or a second one)."""
    step: str
    method: str
    url: str
    after_submit: bool




@dataclass
class Retried(Event):
    step: Step
    attempt: int
    reason: str


@dataclass
class CheckingAfterSubmit(Retried):
    """The request left but its outcome is unclear: the site's status is read (read-only, never sent again).
    A kind of retry for subscribers that count them, said differently: it must not read like a resubmission."""
    what: str = ""            # what the request got (HTTP 502, no answer, a sign-in page)


@dataclass
class StepFailed(Event):
    index: int
    total: int
    flow: str
    step: Optional[Step]
    error: Exception
    url: str
    page: Any
    masks: list


@dataclass
class RunFinished(Event):
    result: Any


@dataclass
class RunInterrupted(Event):
    """The user stopped the run (Ctrl-C). No RunFinished follows: the evidence stays partial."""
    index: int                # the step in progress (0: before the first)
    step: Optional[Step]
    submitted: bool           # the irreversible click had started


class Listener:
    """Subscribers override `handle`; the executor calls it synchronously for each event."""

    def handle(self, event: Event) -> None:  # pragma: no cover - interface
        pass
