"""Typed site-profile objects. The loader builds them; the executor only ever sees these."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional


@dataclass(frozen=True)
class Candidate:
    """One way to find an element: kind is role/text/text_re/label/placeholder/title/alt/css."""

    kind: str
    value: str
    name: Optional[str] = None      # accessible name, with kind == "role"
    exact: bool = False
    first: bool = False
    within: Optional["Locator"] = None
    frame: Optional[str] = None
    has_text: Optional[str] = None  # keep only elements containing this text (a card, a row)

    def describe(self) -> str:
        if self.kind == "role":
            text = f"role={self.value}" + (f" name={self.name!r}" if self.name else "")
        else:
            text = f"{self.kind}={self.value!r}"
        if self.has_text:
            text += f" containing {self.has_text!r}"
        if self.frame:
            text += f" in frame {self.frame!r}"
        if self.within:
            text += f" within [{self.within.describe()}]"
        return text


@dataclass(frozen=True)
class Locator:
    candidates: tuple[Candidate, ...]

    def describe(self) -> str:
        return " | ".join(c.describe() for c in self.candidates)


@dataclass(frozen=True)
class Capture:
    name: str
    source: Locator
    pattern: Optional[str] = None
    sensitive: bool = False


@dataclass(kw_only=True)
class Step:
    """Keys every step may carry. `line` points into the profile file for messages."""

    name: str = ""
    optional: bool = False
    if_visible: Optional[Locator] = None
    screen: Optional[str] = None
    timeout_ms: Optional[int] = None
    dialog: Optional[str] = None
    opens_tab: bool = False
    line: int = 0
    action: str = ""  # the YAML key, e.g. "click"

    @property
    def title(self) -> str:
        return self.name or self.action


@dataclass(kw_only=True)
class GotoStep(Step):
    url: str


@dataclass(kw_only=True)
class ClickStep(Step):
    target: Locator


@dataclass(kw_only=True)
class FillStep(Step):
    target: Locator
    value: Optional[str] = None
    secret: Optional[str] = None


@dataclass(kw_only=True)
class SelectStep(Step):
    target: Locator
    options: tuple[str, ...]


@dataclass(kw_only=True)
class CheckStep(Step):
    target: Locator


@dataclass(kw_only=True)
class PressStep(Step):
    key: str
    target: Optional[Locator] = None


@dataclass(kw_only=True)
class ScrollStep(Step):
    to: str
    target: Optional[Locator] = None


@dataclass(kw_only=True)
class WaitStep(Step):
    visible: Optional[Locator] = None
    hidden: Optional[Locator] = None
    url: Optional[str] = None


@dataclass(kw_only=True)
class PreconditionStep(Step):
    ok_if: Locator
    blocked_if: Locator
    message: Optional[Locator] = None


@dataclass(kw_only=True)
class VerificationCodeStep(Step):
    input: Locator
    confirm: Optional[Locator] = None   # None only with checked_by: submit
    accepted: Optional[Locator] = None
    channel: str = "sms"
    send: Optional[Locator] = None
    sent: Optional[Locator] = None
    destination: Optional[Locator] = None
    wrong_code: Optional[Locator] = None
    expired: Optional[Locator] = None
    locked: Optional[Locator] = None
    attempts: int = 3
    checked_by: str = "confirm"     # confirm | submit: the final submit sends and checks the code
    auto_send: bool = False         # the site sends the first code by itself; `send` is the resend button
    resend_wait_s: int = 90
    period_s: int = 30              # channel authenticator: the app's time step


@dataclass(kw_only=True)
class ManualStep(Step):
    instructions: dict
    done_when: Locator
    timeout_s: int = 600


@dataclass(kw_only=True)
class CaptureStep(Step):
    capture: Capture


@dataclass(kw_only=True)
class SubmitStep(Step):
    target: Locator
    request_url: Optional[str] = None   # required by the schema; the runtime guard matches it


@dataclass(kw_only=True)
class OutcomeStep(Step):
    states: dict[str, Locator]  # pending / closed / failed


@dataclass(kw_only=True)
class SwitchTabStep(Step):
    which: str


DEFAULT_DOWNLOAD_MB = 20


@dataclass(kw_only=True)
class DownloadStep(Step):
    """Click `target`, keep the file the site offers (from the profile's origins, at most max_mb) as evidence."""
    target: Locator
    save_as: str
    what: Optional[dict] = None     # {zh, en}
    max_mb: int = DEFAULT_DOWNLOAD_MB


@dataclass(frozen=True)
class Overlay:
    name: str
    appears: Locator
    dismiss: Locator


@dataclass
class LoginFlow:
    steps: list[Step]
    logged_in: Locator
    login_page: Optional[Locator] = None
    account_closed: Optional[Locator] = None
    failed: Optional[Locator] = None
    closed_when_refused: bool = False   # `failed` after a recorded closure means the account is gone


@dataclass
class StatusFlow:
    states: dict[str, Locator]
    steps: list[Step] = field(default_factory=list)
    captures: list[Capture] = field(default_factory=list)


@dataclass(frozen=True)
class ChecklistItem:
    """Something the person must have done before closing that the tool cannot check."""
    id: str
    ask: dict                       # {zh, en}
    required: bool = False

    def as_dict(self) -> dict:
        return {"id": self.id, "zh": self.ask.get("zh", ""), "en": self.ask.get("en", ""), "required": self.required}


@dataclass
class PrepareFlow:
    steps: list[Step] = field(default_factory=list)
    checklist: list[ChecklistItem] = field(default_factory=list)


@dataclass
class Device:
    viewport: Optional[dict] = None
    mobile: bool = False
    locale: str = "zh-CN"
    timezone: Optional[str] = None
    user_agent: Optional[str] = None


@dataclass
class ClosureInfo:
    routes: list[str]
    modes: list[str] = field(default_factory=list)
    review_working_days: int = 15
    fees: str = ""
    prerequisites: list[str] = field(default_factory=list)
    customer_service: str = ""
    notes: str = ""


@dataclass
class Profile:
    id: str
    names: dict
    origins: list[str]
    start_url: str
    credentials: dict[str, dict]
    closure: ClosureInfo
    login: LoginFlow
    close_steps: list[Step]
    device: Device
    path: Path
    sha256: str
    website: str = ""
    maintainer: str = ""
    verified: Optional[dict] = None
    overlays: list[Overlay] = field(default_factory=list)
    sensitive: list[Locator] = field(default_factory=list)
    status: Optional[StatusFlow] = None
    tests: dict = field(default_factory=dict)
    jurisdiction: Optional[str] = None   # ISO 3166-1 code (CN, ...): which law the report may cite
    prepare: Optional[PrepareFlow] = None

    @property
    def closes_online(self) -> bool:
        """The site offers a closure the tool can make (online or in the app), not only customer service."""
        return bool(self.close_steps) and any(r in ("online", "in_app") for r in self.closure.routes)

    def display_name(self, lang: str) -> str:
        return self.names.get(lang) or self.names["en"]

    def account(self, raw: str) -> str:
        """The one spelling of a login on this site (assistant/accounts.py): it keys the case, the lock,
        the keyring entry and every message, so two spellings can never make two closures."""
        from assistant.accounts import normalise
        spec = self.credentials.get("account") or {}
        return normalise(raw, spec.get("kind"), case_insensitive=bool(spec.get("case_insensitive")))
    @property
    def is_practice(self) -> bool:
        """Every origin is this computer: a practice portal bundled for tests and the demo, never a lender."""
        from urllib.parse import urlsplit

        from assistant.profiles.origins import LOOPBACK_HOSTS
        return bool(self.origins) and all(
            (urlsplit(o.replace(":*", "")).hostname or "") in LOOPBACK_HOSTS for o in self.origins)
