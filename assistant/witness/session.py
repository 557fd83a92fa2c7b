"""A person's own walk through a site, watched and turned into evidence events.

Every page the browser comes to, every click, tick, choice, Enter and drag (the recorder reports them,
with the locators the draft profile needs), every pop-up closed, native dialog, new tab and download
becomes an event for the evidence writer, once the page has settled. The toolbar says what only the
person knows: the final submit, what a screen is, what to hide, a note, the end.

Handlers only queue what they hear; one loop takes the queue in order and does the looking (waiting for
a page to settle, screenshots), so captures never overlap. The loop sleeps until the browser says
something: the toolbar script logs a line to the console on each action and page, which wakes it.

The tool opens the first page and nothing more: no click, no typing, no navigation, no request of its
own. Native dialogs are the person's to answer: listening to them (without answering) is what keeps
Playwright from dismissing them.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import deque
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Optional

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from assistant.driving import events as ev
from assistant.profiles.origins import origin_of
from assistant.recording.recorder import RecordedAction, Recorder
from assistant.witness import capture
from assistant.witness.submit_watch import SubmitWatch

BINDING = "__closureAssistantWitness"
OPTIONS_NAME = "__closureAssistantWitnessOptions"  # block-scoped around the script, never a page global
HOST_TAG = "closure-assistant-witness"
HIDE_TOOLBAR_CSS = f"{HOST_TAG} {{ display: none !important; }}"  # the evidence shows the site, not us
PUMP_MS = 500                            # the loop also wakes this often (a download, a closed window)
MAX_WALK_MS = 3 * 60 * 60 * 1000         # a walk left open is ended after three hours
SCREENS = ("retention", "agreement", "notice", "result")
# The toolbar shows the count; `seen` (the page the tool last captured) and `pending` (what it still has to
# look at) let a person (or a test) see that it has caught up before going on.
STATE_JS = """([state, tag]) => { const host = document.querySelector(tag);
  if (host) { host.dataset.steps = String(state.steps); host.dataset.armed = state.armed ? '1' : '0';
              host.dataset.pending = String(state.pending); host.dataset.seen = state.seen; } }"""

# What each kind of step is called, in both languages; {label} is what the person clicked.
NAMES = {
    "click": ("点击「{label}」", 'click "{label}"'),
    "check": ("勾选「{label}」", 'tick "{label}"'),
    "select": ("选择「{label}」", 'choose "{label}"'),
    "press": ("在「{label}」按回车", 'press Enter in "{label}"'),
    "scroll": ("滚动到底", "scrolled to the end"),
    "drag": ("拖动「{label}」", 'drag "{label}"'),
    "overlay": ("关闭弹窗「{label}」", 'close the pop-up: "{label}"'),
    "submit": ("最终提交：点击「{label}」", 'final submit: click "{label}"'),
    "open": ("打开网页 {label}", "open {label}"),
    "navigation": ("来到新页面 {label}", "new page {label}"),
    "new_tab": ("新标签页 {label}", "new tab {label}"),
    "mark": ("标记本页：{label}", "marked this screen: {label}"),
    "sensitive": ("遮盖后重新截图", "taken again with the hidden element blacked out"),
}
SCREEN_NAMES = {"retention": ("挽留页", "retention screen"), "agreement": ("协议", "agreement"),
                "notice": ("须知", "notice"), "result": ("结果页", "result page")}


def toolbar_script(lang: str, bottom: bool = False) -> str:
    text = resources.files("assistant.witness").joinpath("toolbar.js").read_text("utf-8")
    return f"{{ const {OPTIONS_NAME} = {json.dumps({'lang': lang, 'bottom': bottom})};\n{text}\n}}"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _short(text: str, n: int = 40) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


@dataclass
class Item:
    """Something heard, waiting its turn in the loop."""
    kind: str
    page: Any = None
    url: str = ""
    action: Optional[RecordedAction] = None
    screen: Optional[str] = None
    text: str = ""
    dialog: Optional[tuple] = None
    download: Any = None
    seq: int = 0
    at: dt.datetime = field(default_factory=_now)


@dataclass
class PageSeen:
    shot_seq: int = -1      # the queue position its latest screenshot covers
    shot_url: str = ""
    new_tab: bool = False   # opened by the site (a link with target=_blank, window.open)
    opened: bool = False


class WitnessSession:
    """`attach(context)`, `open(context, url)`, `walk(context)`, then `finish(context)`; `emit` gets the events."""

    def __init__(self, emit: Callable[[ev.Event], None], redactor, *, account: Optional[str] = None,
                 lang: str = "zh", mobile: bool = False, on_step: Optional[Callable[[int, dict], None]] = None):
        self.emit = emit
        self.redactor = redactor
        self.lang = lang
        self.toolbar_bottom = not mobile
        self.on_step = on_step
        self.recorder = Recorder(account=account, on_action=self._on_action, on_overlay=self._on_overlay,
                                 on_account=self._on_account)
        self.watch = SubmitWatch()
        self.queue: deque[Item] = deque()
        self.seq = 0
        self.index = 0                     # evidence steps so far
        self.pages: dict = {}              # page -> PageSeen
        self.hidden: list[tuple] = []      # (page, address, css) the person hid from the toolbar
        self.armed = False
        self.submit_action: Optional[RecordedAction] = None
        self.finished = False
        self.typed_account: Optional[str] = None   # in memory only: keys the case when no --account was given
        self.origins: list[str] = []
        self.last_page = None
        self.last_url = ""
        self.after_submit_text: Optional[str] = None  # the words of the page the final click led to
        self.after_submit_heading = ""
        self.marked_result_text: Optional[str] = None
        self.notes = 0
        self._last_fill = None
        self._opened_any = False

    # ------------------------------------------------------------ wiring

    def attach(self, context) -> None:
        context.expose_binding(BINDING, self._on_toolbar)
        # First: its listeners run before the recorder's (and before any of the page's).
        context.add_init_script(script=toolbar_script(self.lang, self.toolbar_bottom))
        self.recorder.attach(context, embedded=True)
        self.watch.install(context)
        context.on("page", self._on_new_page)

    def open(self, context, url: str):
        """The one navigation the tool makes: the page the person asked for."""
        page = context.new_page()
        page.goto(url, wait_until="domcontentloaded")
        return page

    def _on_new_page(self, page) -> None:
        try:
            opener = page.opener()
        except PlaywrightError:
            opener = None
        self.pages[page] = PageSeen(new_tab=opener is not None)

        def navigated(frame):
            self._on_navigated(page, frame)

        def dialog(d):
            self._on_dialog(page, d)

        def download(d):
            self._queue(Item("download", page, url=page.url, download=d))
        page.on("framenavigated", navigated)
        page.on("dialog", dialog)
        page.on("download", download)
        if opener is not None:
            # A tab the site opened is announced once its first page is there: that page is its first step.
            self._on_navigated(page, page.main_frame)

    # ------------------------------------------------------------ what the browser and the person say

    def _queue(self, item: Item) -> None:
        self.seq += 1
        item.seq = self.seq
        self.queue.append(item)

    def _on_navigated(self, page, frame) -> None:
        url = frame.url
        if url.startswith(("http://", "https://")):
            origin = origin_of(url)
            if origin not in self.origins:
                self.origins.append(origin)
        if frame is page.main_frame and url and url != "about:blank":
            self._queue(Item("navigation", page, url=url))

    def _on_dialog(self, page, dialog) -> None:
        self.recorder.dialog_seen(dialog)  # the step that raised it says so in the draft
        self._queue(Item("dialog", page, url=page.url, dialog=(dialog.type, dialog.message)))

    def _on_action(self, _number: int, action: RecordedAction) -> None:
        if action.kind == "fill":
            self._queue(Item("fill", action.page, url=action.url, action=action))
            return
        if self.submit_action is not None and self.watch.watching:
            self.watch.stop()  # the person's next action: the final click's requests are all in
        if self.armed and action.kind in ("click", "press"):
            self.armed = False
            self.submit_action = action
            self.watch.start(_now())  # the press, when the toolbar saw it, came first and counts
            self._queue(Item("submit", action.page, url=action.url, action=action))
            return
        self._queue(Item("action", action.page, url=action.url, action=action))

    def _on_overlay(self, action: RecordedAction) -> None:
        self._queue(Item("overlay", action.page, url=action.url, action=action))

    def _on_account(self, value: str) -> None:
        if value.strip() and self.typed_account is None:
            self.typed_account = value.strip()

    def _on_toolbar(self, source, payload) -> dict:
        kind = payload.get("kind") if isinstance(payload, dict) else None
        page = source.get("page") if isinstance(source, dict) else None
        reply: dict = {}
        if kind == "arm":
            self.armed = True
        elif kind == "disarm":
            self.armed = False
        elif kind == "submit_press" and self.armed:
            self.watch.start(_now())
        elif kind == "mark" and payload.get("screen") in SCREENS:
            # Its words now, as the person sees it (the screenshot may come a moment later).
            self._queue(Item("mark", page, url=page.url if page else "", screen=payload["screen"],
                             text=capture.page_text(page)))
            reply["marked"] = payload["screen"]
        elif kind == "sensitive" and isinstance(payload.get("css"), str) and payload["css"].strip():
            # A selector means that element on that page only: elsewhere it may find something else.
            self.hidden.append((page, capture.address(page.url) if page else "", payload["css"][:500]))
            self._queue(Item("sensitive", page, url=page.url if page else ""))
        elif kind == "note" and isinstance(payload.get("text"), str) and payload["text"].strip():
            self._queue(Item("note", page, url=page.url if page else "", text=payload["text"][:2000]))
        elif kind == "finish":
            self.finished = True
        return {**self.state(), **reply}

    def state(self) -> dict:
        return {"steps": self.index, "armed": self.armed, "pending": len(self.queue), "seen": self.last_url}

    # ------------------------------------------------------------ the loop

    def walk(self, context, max_ms: int = MAX_WALK_MS) -> str:
        """Until the person finishes (finished), closes every window (closed), or `max_ms` (timeout)."""
        waited = 0
        while True:
            self.drain()
            if self.finished:
                return "finished"
            if not self.open_pages(context):
                return "closed"
            if waited >= max_ms:
                return "timeout"
            try:
                context.wait_for_event("console", predicate=lambda _msg: bool(self.queue) or self.finished,
                                       timeout=PUMP_MS)
            except PlaywrightTimeout:
                waited += PUMP_MS
            except PlaywrightError:
                if not self.open_pages(context):
                    return "closed"
                raise

    @staticmethod
    def open_pages(context) -> list:
        try:
            return [p for p in context.pages if not p.is_closed()]
        except PlaywrightError:
            return []

    def finish(self, context) -> None:
        """After the walk: what was typed but not yet reported, and what is still in the queue."""
        self.recorder.flush(context)
        self.drain()
        if self.watch.watching:
            self.watch.stop()

    def drain(self) -> None:
        handled = False
        while self.queue:
            item = self.queue.popleft()
            getattr(self, "_handle_" + item.kind)(item)
            handled = True
        if handled:
            self._show_state(self.last_page)

    def _show_state(self, page) -> None:
        if page is None or page.is_closed():
            return
        try:
            page.evaluate(STATE_JS, [self.state(), HOST_TAG])  # the toolbar's count follows
        except PlaywrightError:
            pass  # the page moved on meanwhile; its next document asks for the state itself

    # ------------------------------------------------------------ turning what was heard into events

    def _handle_navigation(self, item: Item) -> None:
        seen = self.pages.setdefault(item.page, PageSeen())
        if item.seq <= seen.shot_seq and item.url == seen.shot_url:
            return  # the step that caused it already shows this page
        kind = "open" if not self._opened_any else ("new_tab" if seen.new_tab and not seen.opened else "navigation")
        self._capture(item, kind, item.url)

    def _handle_action(self, item: Item) -> None:
        action = item.action
        label = "" if action.kind == "scroll" else action.label
        self._capture(item, action.kind, label, frame=action.frame_ref)

    def _handle_overlay(self, item: Item) -> None:
        self._capture(item, "overlay", item.action.label, frame=item.action.frame_ref)

    def _handle_submit(self, item: Item) -> None:
        def started() -> None:  # recorded with the step, at the moment of the press
            self.emit(ev.SubmitStarting(url=item.url, at=self.watch.pressed_at or item.at))
        self._capture(item, "submit", item.action.label, frame=item.action.frame_ref, first=started)

    def _handle_mark(self, item: Item) -> None:
        zh, en = SCREEN_NAMES[item.screen]
        if item.screen == "result":
            self.marked_result_text = item.text
        self._capture(item, "mark", (zh, en), screen=item.screen, text=item.text or "-")

    def _handle_sensitive(self, item: Item) -> None:
        if item.page is not None and not item.page.is_closed() and \
                capture.address(item.page.url) == capture.address(item.url):
            self._capture(item, "sensitive", "")  # the same screen again, now with it blacked out

    def _handle_note(self, item: Item) -> None:
        self.notes += 1
        self.emit(ev.PersonNote(text=item.text, url=item.url, at=item.at))

    def _handle_dialog(self, item: Item) -> None:
        kind, message = item.dialog
        self.emit(ev.DialogHandled(kind=kind, message=self.redactor.scrub(message), action="person",
                                   expected=False, url=item.url, at=item.at))

    def _handle_fill(self, item: Item) -> None:
        a = item.action
        key = (a.page, a.element_key, a.url)
        if key == self._last_fill:
            return  # typed into the same field again: once is enough to say it was filled
        self._last_fill = key
        what = "password" if a.secret == "password" else "code" if a.code or a.secret == "typed_code" else \
            "account" if a.secret == "account" else "personal" if a.secret else "text"
        self.emit(ev.FieldFilled(label=_short(a.label, 80), field=what, url=item.url, at=item.at))

    def _handle_download(self, item: Item) -> None:
        download = item.download
        path = size = digest = None
        failure = ""
        try:
            path = download.path()  # waits until the browser has the whole file; it is read, never opened
            size = Path(path).stat().st_size
            h = hashlib.sha256()
            with open(path, "rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 16), b""):
                    h.update(chunk)
            digest = h.hexdigest()
        except (PlaywrightError, OSError) as exc:
            path = None
            failure = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        self.emit(ev.DownloadSeen(name=download.suggested_filename, url=download.url, path=path, size=size,
                                  sha256=digest, failure=failure, at=item.at))

    def _pending_dialogs(self) -> None:
        """Dialogs that opened while a page settled come before its screenshot, as they did on the screen."""
        for item in [i for i in self.queue if i.kind == "dialog"]:
            self.queue.remove(item)
            self._handle_dialog(item)

    def _typed_fields(self) -> list:
        return [(a.frame_ref or (a.page.main_frame if a.page else None), a.element_key)
                for a in self.recorder.actions if a.kind == "fill" and a.secret and a.element_key]

    def _capture(self, item: Item, kind: str, label, *, frame=None, screen: Optional[str] = None,
                 text: str = "", first: Optional[Callable[[], None]] = None) -> None:
        page = item.page
        if page is None or page.is_closed():
            return
        problem = capture.settle(page, frame)
        if page.is_closed():
            return
        zh, en = NAMES[kind]
        label_zh, label_en = label if isinstance(label, tuple) else (_short(label), _short(label))
        names = {"zh": self.redactor.scrub(zh.format(label=label_zh)), "en": self.redactor.scrub(en.format(label=label_en))}
        title = f"{names['zh']} / {names['en']}"
        self.index += 1
        self.emit(ev.WitnessStepStarting(index=self.index, title=title, screen=screen))
        if first is not None:
            first()
        self._pending_dialogs()
        moved = kind == "mark" and capture.address(page.url) != capture.address(item.url)
        url = page.url
        self.emit(ev.WitnessStep(index=self.index, title=title, names=names, action=kind,
                                 url=url, page=page, masks=capture.masks(page, self.hidden, self._typed_fields()),
                                 screen=screen, text=text, note=" ".join(filter(None, [
                                     "the page was still loading" if problem == "loading" else "",
                                     f"marked on {item.url}; the page had moved on when it was taken" if moved else ""]))))
        seen = self.pages.setdefault(page, PageSeen())
        seen.shot_seq, seen.shot_url, seen.opened = self.seq, url, True
        self._opened_any = True
        self.last_page, self.last_url = page, url
        if self.submit_action is not None and (kind == "submit" or self.watch.watching):
            self._read_result(page)
        if self.on_step is not None:
            self.on_step(self.index, names)
        self._show_state(page)

    def _read_result(self, page) -> None:
        """The words of the page the final click led to: the frame it happened in, else the page."""
        frame = self.submit_action.frame_ref
        if frame is None or frame.is_detached() or frame.page is not page:
            frame = page.main_frame
        text = capture.frame_text(frame)
        if text is not None:
            self.after_submit_text = text
            self.after_submit_heading = capture.heading(frame)
