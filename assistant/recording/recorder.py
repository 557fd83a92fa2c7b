"""Records what a person does in a browser as profile steps (`closure-assistant profiles record`).

The page side (recorder_script.js) computes locators and reports each action through a binding;
this side keeps the actions in order and decides, the moment a value arrives, whether it may ever
be written: passwords and codes never reach Python at all, the account and anything that looks
like personal data become `secret:` references and their values are dropped at once.

The core takes any BrowserContext, headed or headless: the command opens a visible browser, the
tests drive a headless one. `closure-assistant witness` embeds it (`attach(context, embedded=True)`):
no toolbar or mark mode of its own, frames recorded too, and native dialogs left to the person.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Callable, Optional

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from assistant.errors import SiteError
from assistant.messages import say

BINDING = "__closureAssistantRecord"
OPTIONS_NAME = "__closureAssistantRecorderOptions"  # block-scoped around the script, never a page global
MAX_RECORDING_MS = 2 * 60 * 60 * 1000  # a recording left open is ended after two hours
PUMP_MS = 1_000  # the wait for the person wakes this often to notice a closed window

# Field words that mark personal data: its typed value becomes a secret reference, never text.
PERSONAL_FIELDS = [
    (re.compile(r"身份证|证件|id ?card|id ?number|idno", re.I), "id_number", "id_number"),
    (re.compile(r"银行卡|卡号|bank ?card|card ?(no|number)", re.I), "bank_card", "bank_card"),
    (re.compile(r"姓名|真实姓名|real ?name|full ?name", re.I), "real_name", "other"),
]
ACCOUNT_FIELD = re.compile(r"手机|账号|帐号|用户名|邮箱|phone|mobile|account|user|e-?mail|login", re.I)
FRAME_TODO = "TODO 内嵌框架的 CSS 选择器 / the frame's CSS selector"

# The selector a profile's `frame:` needs for a frame's <iframe> element: its title, name or id when one
# of them finds it alone in its document, else the tag when it is the only frame there.
FRAME_SELECTOR_JS = r"""el => {
  const tag = el.tagName.toLowerCase();
  const quoted = (v) => '"' + v.replace(/["\\]/g, '\\$&') + '"';
  const alone = (css) => { try { return el.ownerDocument.querySelectorAll(css).length === 1; } catch (e) { return false; } };
  for (const attr of ['title', 'name', 'id']) {
    const value = el.getAttribute(attr);
    if (value && value.length <= 80 && alone(`${tag}[${attr}=${quoted(value)}]`)) return `${tag}[${attr}=${quoted(value)}]`;
  }
  return alone(tag) ? tag : null;
}"""


def page_script(embedded: bool = False) -> str:
    text = resources.files("assistant.recording").joinpath("recorder_script.js").read_text("utf-8")
    if not embedded:
        return text
    return f"{{ const {OPTIONS_NAME} = {{toolbar: false, frames: true}};\n{text}\n}}"


@dataclass
class RecordedAction:
    """One thing the person did. `value` is only ever plain, non-personal text they typed or chose."""

    kind: str                      # click | fill | check | select | press | scroll | submit | drag
    target: list[dict]             # locator candidates, best first
    label: str                     # what the element says (never a typed value)
    url: str
    id: int = 0
    page: Any = field(default=None, repr=False, compare=False)
    value: Optional[str] = None
    secret: Optional[str] = None   # password | account | another credential name
    secret_label: str = ""
    secret_kind: str = "other"
    code: bool = False             # a verification code was typed here (its value never left the page)
    key: Optional[str] = None
    overlay: bool = False          # closed a pop-up: becomes an `overlays` entry, not a step
    sends_code: bool = False       # a click whose words say it sends a code
    after_text: Optional[str] = None   # what the clicked element said a moment later (a countdown)
    destination: Optional[list] = None
    dialog: Optional[str] = None
    opens_tab: bool = False
    element_key: str = ""
    field_type: str = ""
    frame: Optional[str] = None    # the CSS selector of the <iframe> it happened in (also in each candidate)
    frame_ref: Any = field(default=None, repr=False, compare=False)  # that live Frame, while the run lasts
    page_text: str = field(default="", repr=False)  # submit marks: the page's words, kept in memory only

    def describe(self) -> str:
        """One line for the terminal listing; never a typed value."""
        what = {"click": "点击 / click", "fill": "输入 / type", "check": "勾选 / tick", "select": "选择 / choose",
                "press": "按键 / press", "scroll": "滚动到底 / scroll to end",
                "submit": "最终提交（已标记，未点击）/ FINAL SUBMIT (marked, not clicked)",
                "drag": "拖动 / drag"}[self.kind]
        text = f"{what} 「{self.label}」" if self.label else what
        if self.kind == "fill":
            if self.code:
                text += " ← 验证码 / verification code"
            elif self.secret:
                text += f" ← secret: {self.secret}"
            elif self.value is not None:
                text += f" = {self.value!r}"
        if self.kind == "select" and self.value:
            text += f" = {self.value!r}"
        if self.kind == "press" and self.key:
            text += f" {self.key}"
        if self.dialog:
            text += f" (dialog: {self.dialog})"
        if self.opens_tab:
            text += " (opens a tab)"
        return text


def classify_fill(payload: dict, account: Optional[str]) -> dict:
    """Where a typed value may go: a secret reference, a code, or (harmless text only) a literal."""
    label = payload.get("label") or ""
    hints = f"{payload.get('hints') or ''} {label}"
    field_type = (payload.get("fieldType") or "").lower()
    if payload.get("password"):
        return {"secret": "password", "secret_label": label}
    if payload.get("codeField"):
        if payload.get("codeLike"):
            return {"code": True}
        return {"secret": "typed_code", "secret_label": label}
    value = (payload.get("value") or "").strip()
    if account and value == account.strip():
        return {"secret": "account", "secret_label": label, "secret_kind": account_kind(field_type, hints, value)}
    for pattern, name, kind in PERSONAL_FIELDS:
        if pattern.search(hints):
            return {"secret": name, "secret_label": label, "secret_kind": kind}
    if account is None and (field_type in ("tel", "email") or ACCOUNT_FIELD.search(hints)):
        return {"secret": "account", "secret_label": label, "secret_kind": account_kind(field_type, hints, value)}
    if re.search(r"\d{6,}", value) or "@" in value:
        return {"secret": "typed_value", "secret_label": label}  # looks like a number or address of a person
    return {"value": value}


def account_kind(field_type: str, hints: str, value: str) -> str:
    if field_type == "email" or "@" in value or re.search(r"邮箱|e-?mail", hints, re.I):
        return "email"
    if field_type == "tel" or re.search(r"手机|phone|mobile", hints, re.I) or re.fullmatch(r"\+?\d{6,15}", value):
        return "phone"
    return "username"


class Recorder:
    """Attach to a BrowserContext, let the person (or a test) act, then read `actions` and `overlays`.

    `answer_dialog(kind, message) -> "accept" | "dismiss"` decides native dialogs seen while
    recording (default: accept, as the person clicked what raised them); `on_action(number, action)`
    is told of each new step (the terminal echo), `on_overlay(action)` of each click that closed a
    pop-up, `on_account(value)` of the text typed where the account goes (in memory only: the witness
    keys its case with it when no --account was given).
    """

    def __init__(self, *, account: Optional[str] = None,
                 answer_dialog: Optional[Callable[[str, str], str]] = None,
                 on_action: Optional[Callable[[int, RecordedAction], None]] = None,
                 on_overlay: Optional[Callable[[RecordedAction], None]] = None,
                 on_account: Optional[Callable[[str], None]] = None):
        self.account = account.strip() if account else None
        self.answer_dialog = answer_dialog
        self.on_action = on_action
        self.on_overlay = on_overlay
        self.on_account = on_account
        self.actions: list[RecordedAction] = []
        self.overlays: list[RecordedAction] = []
        self.dialogs: list[tuple[str, str]] = []   # (kind, answer); the message is shown, never kept
        self.finished = False
        self._next_id = 0
        self._by_id: dict[int, RecordedAction] = {}
        self._frames: dict = {}   # Frame -> its selector (None: not one a profile can name)

    # ------------------------------------------------------------ wiring

    def attach(self, context, *, embedded: bool = False) -> None:
        """`embedded`: inside another tool that has its own toolbar and leaves dialogs to the person."""
        context.expose_binding(BINDING, self._on_binding)
        context.add_init_script(script=page_script(embedded))
        if not embedded:
            context.on("dialog", self._on_dialog)
        context.on("page", self._on_page)

    def dialog_seen(self, dialog, answer: str = "accept") -> None:
        """A native dialog somebody else answered (the person, in `witness`): the step that raised it says so."""
        action = self._last_on(dialog.page)
        if action is not None and dialog.type != "beforeunload":
            action.dialog = answer
        self.dialogs.append((dialog.type, answer))

    def flush(self, context) -> None:
        """Report text typed but not yet committed (no blur yet), in every open page."""
        for page in list(context.pages):
            try:
                page.evaluate("() => window.__closureAssistantRecorder && window.__closureAssistantRecorder.flush()")
            except PlaywrightError:
                pass  # a page closing or navigating has flushed on `pagehide` already

    def wait_until_finished(self, context, max_ms: int = MAX_RECORDING_MS) -> str:
        """Block while the person records. Returns why it ended: finished | closed | timeout."""
        waited = 0
        while not self.finished:
            if not [p for p in context.pages if not p.is_closed()]:
                return "closed"
            if waited >= max_ms:
                return "timeout"
            try:
                context.wait_for_event("console", predicate=lambda _msg: self.finished, timeout=PUMP_MS)
            except PlaywrightTimeout:
                waited += PUMP_MS
            except PlaywrightError:
                return "closed"
        return "finished"

    # ------------------------------------------------------------ events from the page

    def _on_binding(self, source, payload) -> dict:
        if not isinstance(payload, dict):
            return {"count": len(self.actions)}
        kind = payload.get("kind")
        if kind == "finish":
            self.finished = True
        elif kind == "after":
            action = self._by_id.get(payload.get("ref"))
            if action is not None and action.after_text is None:
                action.after_text = str(payload.get("text") or "")[:200]
        elif kind in ("click", "fill", "check", "uncheck", "select", "press", "scroll", "submit", "drag"):
            source = source if isinstance(source, dict) else {}
            return {"id": self._record(kind, payload, source.get("page"), source.get("frame")),
                    "count": len(self.actions)}
        return {"count": len(self.actions)}

    def _frame_selector(self, frame) -> Optional[str]:
        """None for the top document; the <iframe>'s selector for a frame in it; FRAME_TODO when a profile
        cannot name it (a frame inside a frame, an <iframe> nothing tells apart)."""
        if frame is None or frame.parent_frame is None:
            return None
        if frame not in self._frames:
            selector = None
            try:
                if frame.parent_frame.parent_frame is None:
                    selector = frame.frame_element().evaluate(FRAME_SELECTOR_JS)
            except PlaywrightError:
                selector = None  # the frame went away meanwhile
            self._frames[frame] = selector or FRAME_TODO
        return self._frames[frame]

    def _record(self, kind: str, p: dict, page, frame=None) -> int:
        target = [c for c in (p.get("candidates") or []) if isinstance(c, dict)]
        frame_selector = self._frame_selector(frame)
        if frame_selector:
            target = [{**c, "frame": frame_selector} for c in target]
        self._next_id += 1
        action = RecordedAction(kind=kind, target=target, label=str(p.get("label") or "")[:80],
                                url=str(p.get("url") or ""), id=self._next_id, page=page,
                                element_key=str(p.get("elementKey") or ""), field_type=str(p.get("fieldType") or ""),
                                frame=frame_selector, frame_ref=frame)
        self._by_id[action.id] = action
        if kind == "uncheck":
            self._drop_last(lambda a: a.kind == "check" and a.element_key == action.element_key and a.page is page)
            return action.id
        if kind == "fill":
            if p.get("empty"):
                return action.id
            for key, value in classify_fill(p, self.account).items():
                setattr(action, key, value)
            if action.secret == "account" and self.on_account is not None:
                self.on_account(str(p.get("value") or ""))
            destination = [c for c in (p.get("destination") or []) if isinstance(c, dict)]
            action.destination = [{**c, "frame": frame_selector} if frame_selector else c for c in destination] or None
            last = self.actions[-1] if self.actions else None
            if (last and last.kind == "fill" and last.element_key == action.element_key and last.page is page
                    and last.url == action.url):
                self.actions.pop()  # still typing into the same field: keep the final text only
        elif kind == "select":
            action.value = str(p.get("option") or "")
        elif kind == "press":
            action.key = str(p.get("key") or "Enter")
        elif kind == "click":
            action.overlay = bool(p.get("overlay"))
            action.sends_code = bool(p.get("send"))
            if action.overlay:
                if not any(o.target[:1] == action.target[:1] for o in self.overlays):
                    self.overlays.append(action)
                if self.on_overlay is not None:
                    self.on_overlay(action)
                return action.id
        elif kind == "submit":
            action.page_text = str(p.get("pageText") or "")
            self._drop_last(lambda a: a.kind == "submit")  # marked again: the newest mark counts
        self.actions.append(action)
        if self.on_action:
            self.on_action(len(self.actions), action)
        return action.id

    def _drop_last(self, matches) -> None:
        for i in range(len(self.actions) - 1, -1, -1):
            if matches(self.actions[i]):
                del self.actions[i]
                return

    def _last_on(self, page) -> Optional[RecordedAction]:
        for action in reversed(self.actions):
            if action.page is page:
                return action
        return self.actions[-1] if self.actions else None

    def _on_dialog(self, dialog) -> None:
        answer = "accept"
        if self.answer_dialog is not None:
            answer = self.answer_dialog(dialog.type, dialog.message)
        self.dialog_seen(dialog, answer)
        try:
            dialog.accept() if answer == "accept" else dialog.dismiss()
        except PlaywrightError:
            pass  # the page went away meanwhile

    def _on_page(self, page) -> None:
        try:
            opener = page.opener()
        except PlaywrightError:
            opener = None
        if opener is not None:
            action = self._last_on(opener)
            if action is not None:
                action.opens_tab = True


def record_session(url: str, device, recorder: Recorder, *, browser_path: Optional[str] = None,
                   headed: bool = True, on_open: Optional[Callable[[], None]] = None) -> str:
    """Open a browser at `url`, record until the person finishes or closes it; returns why it ended."""
    from playwright.sync_api import sync_playwright

    from assistant.driving.browser import context_options, launch
    with sync_playwright() as pw:
        browser, _choice = launch(pw, headed=headed, override=browser_path)
        try:
            context = browser.new_context(**context_options(device))
            recorder.attach(context)
            page = context.new_page()
            try:
                page.goto(url, wait_until="domcontentloaded")
            except PlaywrightError as exc:
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                raise SiteError(say("site.cannot_open", url=url, detail=first), url=url) from None
            if on_open:
                on_open()
            try:
                ended = recorder.wait_until_finished(context)
            except KeyboardInterrupt:
                ended = "interrupted"
            if ended in ("finished", "timeout"):
                recorder.flush(context)
            return ended
        finally:
            try:
                browser.close()
            except PlaywrightError:
                pass  # the person closed it already
