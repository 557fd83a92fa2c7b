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
    header: dict = field(default_factory=dict)  # more of the manifest's (hashed) header: witness says who acted
    environment: dict = field(default_factory=dict)   # the capture environment (driving/site_identity.py)


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
class SiteIdentified(Event):
    """The first main-frame answer from an origin: the server's address and, for https, the certificate the
    browser accepted (driving/site_identity.py). Once per origin per run."""
    identity: dict


@dataclass
class CodeRequested(Event):
    destination: str
    channel: str
    attempt: int
    resend_in_s: Optional[int] = None   # the page's countdown before a new code may be asked for, if it shows one


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


# ---------------------------------------------------------------- a person's own walk (`closure-assistant witness`)
# The person does every step; the tool only watches. These say what it saw, for the same subscribers.

@dataclass
class WitnessStepStarting(Event):
    """The step about to be captured: what comes before its screenshot (a dialog, the submit) belongs to it."""
    index: int
    title: str
    screen: Optional[str] = None


@dataclass
class WitnessStep(Event):
    """Something the person did, or a page the browser came to, once the page settled."""
    index: int
    title: str                # both languages, as a profile's step names are: "点击「注销账号」 / click 注销账号"
    names: dict               # {"zh": ..., "en": ...}: the terminal says one of them
    action: str               # open | navigation | new_tab | click | check | select | press | scroll | drag |
                              # overlay | submit | mark | sensitive
    url: str
    page: Any                 # live Playwright page, for screenshots; never stored
    masks: list               # Playwright locators to black out in screenshots
    screen: Optional[str] = None
    text: str = ""            # a screen the person marked: its words in full
    flow: str = "witness"
    note: str = ""


@dataclass
class FieldFilled(Event):
    """The person typed into a field. Only that they did, and what the field is: never the value."""
    label: str
    field: str                # password | code | account | personal | text
    url: str


@dataclass
class PersonNote(Event):
    text: str
    url: str


@dataclass
class DownloadSeen(Event):
    """A file the site sent. Kept (when not too large) and hashed, never opened."""
    name: str
    url: str
    path: Optional[Any] = None   # where the browser saved it, while the run lasts
    size: Optional[int] = None
    sha256: Optional[str] = None
    failure: str = ""


@dataclass
class OriginsVisited(Event):
    origins: list


@dataclass
class WitnessStopped(Event):
    """The walk ended without an outcome (the person gave up): no RunFinished follows, the bundle stays partial."""
    how: str                  # gave_up | window_closed | interrupted
    last_url: str
    reason: str = ""          # the person's words, if any


class Listener:
    """Subscribers override `handle`; the executor calls it synchronously for each event."""

    def handle(self, event: Event) -> None:  # pragma: no cover - interface
        pass
