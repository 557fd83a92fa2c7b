"""One closure (or status check) started from a page: the engine's closing logic on a worker thread, its
browser launched and used on that thread only (Playwright's sync API is bound to the thread that
started it), its questions answered from the page, its progress kept as a list of events the page
streams (server-sent events).

Every text an event carries is said in both languages as it is emitted, and whatever could hold a
secret (the site's words, an error) passes the run's redactor first: once the run is over, no secret
needs to be kept for anything the page may still ask for.
"""
from __future__ import annotations

import secrets as _secrets
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from assistant.driving import events as ev
from assistant.driving.interaction import Inputs, clean_code
from assistant.engine import closing, sentences
from assistant.errors import AssistantError, ExitStatus
from assistant.interrupts import Interrupted
from assistant.messages import say
from assistant.redaction import mask_account
from assistant.webapp.words import LANGS, w

ANSWER_WAIT_S = 15 * 60   # a question (code, final yes) left unanswered this long ends the run, submitting nothing


def both(text, scrub: Callable[[str], str] = lambda s: s) -> dict:
    """A sentence (or plain text) in every language the page speaks."""
    return {lang: scrub(sentences.in_lang(text, lang)) for lang in LANGS}


def words(key: str, **params) -> dict:
    """One of the app's own sentences in every language."""
    return {lang: w(key, lang, **params) for lang in LANGS}


@dataclass
class Question:
    seq: int
    kind: str                       # code | confirm
    answer: Optional[str] = None
    answered: bool = False


@dataclass
class Run:
    """A run as the page knows it. Its thread is the only one that touches the browser."""
    site: object                    # assistant.webapp.sites.Site
    profile: object
    account: str
    flow: str                       # close | status
    dry_run: bool
    secrets: dict = field(repr=False)  # used once, then cleared; never in a repr
    password_source: str
    settings: closing.CloseSettings
    answer_wait_s: float = ANSWER_WAIT_S
    id: str = field(default_factory=lambda: _secrets.token_urlsafe(12))
    events: list = field(default_factory=list)
    status: Optional[int] = None    # the exit status the CLI would give; None while running
    outcome: Optional[closing.Outcome] = None
    evidence_folder: Optional[str] = None
    submit_started: bool = False

    def __post_init__(self):
        self.cond = threading.Condition()
        self.stopping = threading.Event()
        self.question: Optional[Question] = None
        self._seq = 0
        self.thread: Optional[threading.Thread] = None
        self.account_masked = mask_account(self.account)

    # -------------------------------------------------------- events

    def emit(self, kind: str, **data) -> None:
        with self.cond:
            self.events.append({"n": len(self.events), "kind": kind, **data})
            self.cond.notify_all()

    def events_after(self, n: int, timeout: float) -> list[dict]:
        """The events from number `n` on, waiting up to `timeout` for one when there is none yet."""
        with self.cond:
            if len(self.events) <= n and self.status is None:
                self.cond.wait(timeout)
            return self.events[n:]

    @property
    def finished(self) -> bool:
        return self.status is not None

    # -------------------------------------------------------- questions

    def ask(self, kind: str, **data) -> Optional[str]:
        """Shows a question on the page and waits for its answer (None: no answer in time). A stop while
        waiting is the user's stop: the run ends as a Ctrl-C ends it at the terminal's prompt."""
        with self.cond:
            self._seq += 1
            question = self.question = Question(self._seq, kind)
        self.emit("ask", seq=question.seq, what=kind, wait_minutes=int(self.answer_wait_s // 60), **data)
        deadline = time.monotonic() + self.answer_wait_s
        with self.cond:
            while not question.answered and not self.stopping.is_set():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self.cond.wait(min(remaining, 1.0))
            self.question = None
        self.emit("answered", seq=question.seq)
        if self.stopping.is_set() and not question.answered:
            raise KeyboardInterrupt
        return question.answer

    def answer(self, seq: int, value: Optional[str]) -> bool:
        """The page's answer to question `seq`; False when that question is no longer asked."""
        with self.cond:
            if self.question is None or self.question.seq != seq or self.question.answered:
                return False
            self.question.answer, self.question.answered = value, True
            self.cond.notify_all()
            return True

    def stop(self) -> None:
        self.stopping.set()
        with self.cond:
            self.cond.notify_all()

    # -------------------------------------------------------- the thread

    def start(self) -> None:
        self.thread = threading.Thread(target=self._main, name=f"run-{self.site.id}", daemon=True)
        self.thread.start()

    def _main(self) -> None:
        front = PageFrontEnd(self)
        one = closing.close_one if self.flow == "close" else closing.check_one
        settings = self.settings
        settings.dry_run = self.dry_run
        status = int(ExitStatus.ERROR)
        try:
            outcomes = closing.run_each([(self.site.id, self.account)], settings, front, one)
            self.outcome = outcomes[0] if outcomes else None
            status = self.outcome.status if self.outcome else 0
        except Interrupted as exc:
            status = int(ExitStatus.INTERRUPTED)
            self.emit("say", err=True, text=both(say("interrupt.after_submit" if exc.submitted
                                                     else "interrupt.nothing_submitted")))
            if exc.evidence_dir is not None:
                self.emit("say", err=True, text=both(say("interrupt.evidence", path=str(exc.evidence_dir))))
        except KeyboardInterrupt:  # stopped before any run began (while the portal or browser started)
            status = int(ExitStatus.INTERRUPTED)
            self.emit("say", err=True, text=both(say("interrupt.nothing_submitted")))
        except closing.PracticePortalGone as exc:  # the terminal's advice (--base-url) means nothing here
            status = int(exc.exit_status)
            self.emit("say", err=True, text={lang: w("app.error.practice_gone", lang, site=self.site.name(lang))
                                              for lang in LANGS})
        except AssistantError as exc:
            status = int(exc.exit_status)
            self.emit("say", err=True, text=both(sentences.error_sentence(exc), front.scrub))
        except Exception as exc:  # noqa: BLE001 - the page says it as the CLI's edge would; the thread must end
            status = int(ExitStatus.ERROR)
            crashed = _browser_gone(exc)
            text = sentences.error_sentence(crashed) if crashed else say(
                "error.unexpected", detail=f"{type(exc).__name__}: {exc}")
            status = int(crashed.exit_status) if crashed else status
            self.emit("say", err=True, text=both(text, front.scrub))
            traceback.print_exception(type(exc), exc, None, file=sys.stderr)  # no frames: they may hold values
        finally:
            self.secrets.clear()  # used once: nothing of the password stays with the run
            self._finish(status, front)

    def _finish(self, status: int, front: "PageFrontEnd") -> None:
        o = self.outcome
        result = {"status": status, "outcome": o.outcome if o else "failed", "folder": self.evidence_folder}
        if o is not None:
            result.update(application=o.application_number, site_state=o.site_state)
            if o.deadline is not None:
                result["deadline"] = o.deadline.date.isoformat()
                result["deadline_text"] = both(sentences.deadline_sentence(o.deadline))
            folder = Path(o.evidence_dir) if o.evidence_dir else None
            if folder is not None and folder.parent.resolve() == self.evidence_root().resolve():
                result["folder"] = folder.name
                result["report_html"] = (folder / "report.html").is_file()
                result["report_pdf"] = (folder / "report.pdf").is_file()
        with self.cond:
            self.events.append({"n": len(self.events), "kind": "done", **result})
            self.status = status
            self.cond.notify_all()

    def evidence_root(self) -> Path:
        from assistant.settings import evidence_root
        return Path(self.settings.evidence_dir or evidence_root())


def _browser_gone(exc: Exception):
    if not type(exc).__module__.startswith("playwright"):
        return None
    from assistant.driving.executor import BROWSER_GONE
    from assistant.errors import BrowserCrashed
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return BrowserCrashed(first) if BROWSER_GONE.search(str(exc)) else None


class PageFrontEnd(closing.FrontEnd):
    """The engine's closing logic on a page: the secrets came with the start form, questions wait for the
    page's answer, progress and sentences become events."""

    def __init__(self, run: Run):
        self.run = run
        self.redactor = None
        self.page_inputs: Optional[PageInputs] = None

    def scrub(self, text: str) -> str:
        return self.redactor.scrub(text) if self.redactor is not None else text

    def secrets(self, profile, account):
        return dict(self.run.secrets), self.run.password_source

    def inputs(self, session):
        self.redactor = session.redactor
        self.page_inputs = PageInputs(self.run, session)
        return self.page_inputs

    def listeners(self, session):
        return (PageProgress(self.run, self, self.run.evidence_root()),)

    def say(self, sentence, *, err=False):
        # An error's words are scrubbed by its own sentence; the run's records are said as they are (a
        # password 2026 must not mask a date), as the terminal prints them.
        self.run.emit("say", err=err, text=both(sentence))


class PageInputs(Inputs):
    """Answers from the page: the questions wait like the terminal's prompts, bounded by answer_wait_s."""

    def __init__(self, run: Run, session):
        self.run, self.session = run, session
        self.site_name = session.profile.names
        self.secrets = dict(session.secrets)
        self.resend_in_s: Optional[int] = None

    def secret(self, name, label):
        if name in self.secrets:
            return self.secrets[name]
        return super().secret(name, label)  # every credential is asked on the start form, before the browser

    def code(self, destination, channel, attempt):
        from assistant.messages import terminal_safe
        destination = terminal_safe(destination or "", 100)  # read off the site's page
        names = self.session.profile.names
        if channel == "authenticator" and attempt == 1:
            prompt = words("app.code.authenticator", site=_name(names))
        elif attempt > 1:
            prompt = words("app.code.retry", attempt=attempt)
        elif destination:
            prompt = words("app.code.sent", site=_name(names), destination=destination)
        else:
            prompt = words("app.code.sent_nowhere", site=_name(names))
        extra = {}
        if self.session.practice_code is not None:  # a practice portal's "phone" is shown on the page
            code = self.session.practice_code()
            sms = {lang: w("app.code.practice_sms", lang, site=names.get(lang) or names["en"], code=code)
                   for lang in LANGS}
            extra["practice"] = {lang: w("app.code.practice", lang, sms=sms[lang]) for lang in LANGS}
        answer = self.run.ask("code", prompt=prompt, resend_in=self.resend_in_s, **extra)
        if answer is None or not answer.strip():
            return None
        return answer if clean_code(answer) else None

    def confirm_submit(self, summary):
        names = self.session.profile.names
        answer = self.run.ask("confirm", text=words("app.confirm.text", site=_name(names),
                                                     account=summary["account"]))
        return answer == "yes"

    def manual(self, instructions, headed):
        key = "app.manual.headed" if headed else "app.manual.headless"
        self.run.emit("say", err=not headed, text={lang: w(key, lang, text=instructions.get(lang) or instructions["en"])
                                                   for lang in LANGS})
        return False


def _name(names: dict):
    return sentences.Sentence(lambda lang: names.get(lang) or names["en"])


class PageProgress(ev.Listener):
    """The run's events as the page shows them: each step with its screenshot (the evidence's own, taken by
    the evidence writer just before), pop-ups, retries, waits; and a stop between steps."""

    def __init__(self, run: Run, front: PageFrontEnd, evidence_root: Path):
        self.run, self.front, self.root = run, front, Path(evidence_root)
        self.redactor = front.redactor
        self.folder: Optional[Path] = None
        self.shown: set[str] = set()

    def note(self, key: str, **params) -> None:
        self.run.emit("note", text=both(say(key, **params), self.redactor.scrub))

    def handle(self, event: ev.Event) -> None:
        run = self.run
        if isinstance(event, ev.RunStarted):
            found = sorted(self.root.glob(f"*-{event.run_id}"))  # the writer (first subscriber) made it
            self.folder = found[0] if found else None
            run.evidence_folder = self.folder.name if self.folder else None
            run.emit("started", total=event.total_steps, flow=event.flow, dry_run=event.dry_run,
                     folder=run.evidence_folder)
        elif isinstance(event, ev.StepStarted):
            if run.stopping.is_set() and not run.submit_started:
                raise KeyboardInterrupt  # the user's stop, between two steps, never once the submit began
            run.emit("step", i=event.index, total=event.total, name=event.step.title)
        elif isinstance(event, (ev.StepFinished, ev.StepFailed)):
            status = event.status if isinstance(event, ev.StepFinished) else "failed"
            note = getattr(event, "note", "") or ""
            run.emit("stepdone", i=event.index, status=status, note=both(note, self.redactor.scrub) if note else None,
                     shots=self._new_screenshots())
        elif isinstance(event, ev.SubmitStarting):
            run.submit_started = True
        elif isinstance(event, ev.CodeRequested) and self.front.page_inputs is not None:
            self.front.page_inputs.resend_in_s = event.resend_in_s  # said with the question that follows
        elif isinstance(event, ev.Drift):
            self.note("progress.drift", k=event.candidate_index + 1, candidate=event.candidate)
        elif isinstance(event, ev.OverlayDismissed):
            self.note("progress.overlay", name=event.name)
        elif isinstance(event, ev.DialogHandled):
            self.note("progress.dialog", action=say(f"dialog.{event.action}"), message=event.message)
        elif isinstance(event, ev.CheckingAfterSubmit):
            self.note("progress.checking_after_submit", reason=event.what)
        elif isinstance(event, ev.Retried):
            self.note("progress.retry", attempt=event.attempt, reason=event.reason)
        elif isinstance(event, ev.Waiting):
            run.emit("wait", seconds=event.seconds,
                     text=both(say("progress.waiting", seconds=event.seconds, reason=event.reason)))
        elif isinstance(event, ev.SubmitBlocked):
            self.note("progress.submit_blocked", step=event.step, method=event.method, url=event.url)

    def _new_screenshots(self) -> list[str]:
        """The step screenshots written since the last look, as names inside the run's folder."""
        if self.folder is None:
            return []
        try:
            names = sorted(p.name for p in (self.folder / "steps").glob("*.png"))
        except OSError:
            return []
        new = [n for n in names if n not in self.shown]
        self.shown.update(new)
        return [f"steps/{n}" for n in new]


class RunBoard:
    """The runs of this app, by id; one at a time per site/account (the case store's lock says so too)."""

    def __init__(self):
        self.runs: dict[str, Run] = {}
        self.lock = threading.Lock()

    def add(self, run: Run) -> bool:
        with self.lock:
            if any(r.site.id == run.site.id and r.account == run.account and not r.finished
                   for r in self.runs.values()):
                return False
            self.runs[run.id] = run
        run.start()
        return True

    def get(self, run_id: str) -> Optional[Run]:
        return self.runs.get(run_id)

    def running(self) -> list[Run]:
        return [r for r in self.runs.values() if not r.finished]

    def stop_all(self, wait_s: float = 60.0) -> None:
        """Stops every run (between steps, or at its question) and waits for them to keep their evidence."""
        for run in self.running():
            run.stop()
        deadline = time.monotonic() + wait_s
        for run in list(self.runs.values()):
            if run.thread is not None:
                run.thread.join(max(0.0, deadline - time.monotonic()))
