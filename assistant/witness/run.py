"""One witnessed walk from start to finish: the evidence folder, the browser, the person's walk, how it
ended (asked), the run's record, the report, the case and the profile draft.

A front end gives it `Questions` (the terminal asks them; tests answer them) and prints what comes back.
Nothing that fails after the walk (the report, the case store, the draft) hides what the walk recorded:
each failure is kept beside the rest in the WitnessRecord.
"""
from __future__ import annotations

import datetime as dt
import secrets as _secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Protocol

from playwright.sync_api import Error as PlaywrightError

from assistant.cases.store import CaseStoreError
from assistant.driving import events as ev
from assistant.driving.executor import UNREACHABLE, RunResult
from assistant.driving.submit import SubmitRecord
from assistant.errors import AssistantError, SiteError, SiteUnreachable
from assistant.interrupts import Interrupted
from assistant.messages import say
from assistant.recording.draft import OUTCOME_CLOSED, OUTCOME_PENDING
from assistant.redaction import Redactor, mask_account
from assistant.witness import capture
from assistant.witness.case import Walked, record_walk
from assistant.witness.draft import DraftWritten, draft_id_and_path, write_draft
from assistant.witness.draft import draft_id as draft_id_for  # `draft_id` is witness()'s parameter
from assistant.witness.outcome import Verdict, default_outcome, numbers_on, run_result
from assistant.witness.session import HIDE_TOOLBAR_CSS, WitnessSession
from assistant.witness.site import WitnessSite

PROFILE_NOTE = "no site profile guided this walk: what it started from (a person did every step)"


@dataclass
class Ending:
    """What the person is asked about once they finished (or closed the window)."""
    ended: str                  # finished | closed | timeout
    last_url: str
    numbers: list               # what on the last page may be the application number
    default: str                # the outcome Enter chooses
    submit: SubmitRecord        # what the final click sent, if the person marked it
    marked_submit: bool


class Questions(Protocol):
    def verdict(self, ending: Ending) -> Verdict: ...

    def account(self) -> Optional[str]: ...


@dataclass
class WitnessRecord:
    site: WitnessSite
    run_id: str
    ended: str
    verdict: Verdict
    result: Optional[RunResult]         # None when the walk ended without an outcome (the bundle is partial)
    account: Optional[str]
    evidence_dir: Optional[Path]
    final_hash: Optional[str]
    submitted_at: Optional[dict] = None
    report: Optional[Path] = None
    report_error: str = ""
    evidence_error: str = ""
    case: object = None
    case_error: str = ""
    draft: DraftWritten = field(default_factory=DraftWritten)
    last_url: str = ""
    steps: int = 0
    origins: list = field(default_factory=list)
    subscriber_errors: list = field(default_factory=list)
    case_lost: bool = False
    case_journal: Optional[Path] = None

    @property
    def environment_problem(self) -> bool:
        return bool(self.evidence_error or self.case_error)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class _Listeners:
    """The run's subscribers. The walk is the person's: a subscriber that fails (a full disk) is noted and
    the walk goes on (the evidence writer keeps a valid partial bundle and says why it stopped)."""

    def __init__(self, listeners: list):
        self.listeners = listeners
        self.failures: list[str] = []

    def __call__(self, event: ev.Event) -> None:
        for listener in self.listeners:
            try:
                listener.handle(event)
            except AssistantError as exc:
                self.failures.append(f"{type(listener).__name__}: {exc.detail or exc}")


def witness(site: WitnessSite, *, account: Optional[str], questions: Questions, evidence_root: Path, store,
            lang: str = "zh", headed: bool = True, browser_path: Optional[str] = None,
            draft_output: Optional[Path] = None, draft_id: Optional[str] = None, force: bool = False,
            on_step: Optional[Callable[[int, dict], None]] = None, listeners: tuple = ()) -> WitnessRecord:
    from playwright.sync_api import sync_playwright

    from assistant.driving.browser import close_quietly, context_options, launch
    from assistant.evidence.report import render_after_run
    from assistant.evidence.writer import EvidenceWriter

    redactor = Redactor()
    writer = EvidenceWriter(Path(evidence_root), redactor)
    writer.prepare()  # an unusable evidence folder stops here, before a browser opens
    writer.screenshot_style = HIDE_TOOLBAR_CSS
    emit = _Listeners([writer, *listeners])
    session = WitnessSession(emit, redactor, account=account, lang=lang, mobile=site.device.mobile, on_step=on_step)
    run_id = _secrets.token_hex(4)
    started = _now()
    interrupted = False
    report = None
    report_error = ""
    with tempfile.TemporaryDirectory(prefix="closure-witness-") as scratch:
        if site.profile is None:
            site.describe(Path(scratch))
        pw = sync_playwright().start()
        try:
            browser, _choice = launch(pw, headed=headed, override=browser_path)
            try:
                context = browser.new_context(**{**context_options(site.device), "accept_downloads": True})
                session.attach(context)
                emit(ev.RunStarted(run_id=run_id, flow="witness", profile=site,
                                   account_masked=mask_account(account) if account else "-", total_steps=0,
                                   browser=browser.version, dry_run=False, at=started,
                                   header={"performed_by": "person", "profile_note": PROFILE_NOTE
                                           if site.profile is None else "the site profile the walk started from"}))
                try:
                    _open(session, context, site.start_url)
                    ended = session.walk(context)
                    session.finish(context)
                except KeyboardInterrupt:
                    ended, interrupted = "interrupted", True
                except SiteError:
                    emit(ev.WitnessStopped(how="unreachable", last_url=site.start_url))
                    raise
                if interrupted:
                    verdict = Verdict("gave_up")
                else:
                    last_text = capture.page_text(session.last_page) if session.last_page is not None else ""
                    verdict = questions.verdict(Ending(
                        ended=ended, last_url=session.last_url,
                        numbers=numbers_on(last_text or session.after_submit_text or ""),
                        default=default_outcome(session.watch.record), submit=session.watch.record,
                        marked_submit=session.submit_action is not None))
                    if account is None and session.typed_account is None:
                        account = questions.account()
                account = account or session.typed_account
                result = _conclude(emit, session, site, run_id, account, verdict, ended)
                if not interrupted:
                    report_files, report_error = render_after_run(writer.dir, browser)
                    report = report_files.main if report_files else None
            finally:
                close_quietly(browser.close)
        finally:
            close_quietly(pw.stop)
    finished = _now()
    record = WitnessRecord(site=site, run_id=run_id, ended=ended, verdict=verdict, result=result, account=account,
                           evidence_dir=writer.dir, final_hash=writer.saved_hash, submitted_at=writer.submitted_at,
                           report=report, report_error=report_error, evidence_error=writer.failure,
                           last_url=session.last_url, steps=session.index, origins=list(session.origins),
                           subscriber_errors=list(emit.failures))
    if account:
        record.case, record.case_error = _record_case(store, site, account, session, verdict, result, record,
                                                      started, finished)
    if not interrupted:
        profile_id, dest = draft_id_and_path(draft_id_for(site, draft_id), draft_output, run_id, force)
        record.draft = write_draft(session, site, verdict, profile_id=profile_id, dest=dest, force=force,
                                   account=account)
    if interrupted:
        raise Interrupted(writer.dir, session.watch.sent)
    return record


def _open(session: WitnessSession, context, url: str) -> None:
    try:
        session.open(context, url)
    except PlaywrightError as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        cls = SiteUnreachable if UNREACHABLE.search(str(exc)) else SiteError
        raise cls(say("site.cannot_open", url=url, detail=first), url=url) from None


def _conclude(emit, session: WitnessSession, site: WitnessSite, run_id: str, account: Optional[str],
              verdict: Verdict, ended: str) -> Optional[RunResult]:
    """The last entries of the bundle: complete with a result, or partial where the person stopped."""
    emit(ev.OriginsVisited(origins=list(session.origins)))
    if account:
        emit(ev.Captured(name="account", value=mask_account(account), sensitive=True))
    if verdict.outcome == "gave_up":
        how = "interrupted" if ended == "interrupted" else "gave_up"
        emit(ev.WitnessStopped(how=how, last_url=session.last_url, reason=verdict.reason))
        return None
    words = _result_words(session)
    result = run_result(run_id, site, mask_account(account) if account else "-", verdict, session.watch.record,
                        finished_at=_now(), result_words=words)
    if verdict.application_number:
        emit(ev.Captured(name="application_number", value=verdict.application_number, sensitive=False))
    if result.submit.sent:
        emit(ev.SubmitDone(url=session.last_url, record=result.submit.as_dict()))
    emit(ev.RunFinished(result=result))
    return result


def _result_words(session: WitnessSession) -> str:
    """What the page after the final click said, in a few words: the usual phrase on it (注销申请已提交),
    else its heading, else its first line."""
    text = (session.marked_result_text or session.after_submit_text or "").strip()
    phrase = next((p for p in (*OUTCOME_PENDING, *OUTCOME_CLOSED) if p in text), "")
    if phrase:
        line = next(line.strip() for line in text.splitlines() if phrase in line)
        return line if len(line) <= 60 else phrase
    if session.after_submit_heading:
        return session.after_submit_heading
    return text.splitlines()[0][:200] if text else ""


def _record_case(store, site: WitnessSite, account: str, session: WitnessSession, verdict: Verdict,
                 result: Optional[RunResult], record: WitnessRecord, started: dt.datetime,
                 finished: dt.datetime) -> tuple[object, str]:
    submit = session.watch.record
    run_outcome = {"pending": "submitted", "closed": "closed", "refused": "blocked"}.get(verdict.outcome, "stopped")
    try:
        account = site.account(account)
    except AssistantError as exc:  # an account typed at the end that is no account (BadAccount)
        return None, exc.detail or str(exc)
    walked = Walked(
        site=site.id, account=account, review_working_days=site.closure.review_working_days,
        timezone=site.timezone, run_id=record.run_id, evidence_dir=record.evidence_dir,
        started_at=started, finished_at=finished, outcome=verdict.outcome, run_outcome=run_outcome,
        site_state=result.state if result else None,
        submit_attempted_at=(session.watch.pressed_at if submit.sent else None),
        submitted_at=submit.sent_at, deadline=result.deadline if result else None,
        application_number=verdict.application_number, reason=verdict.reason, last_url=session.last_url,
        submit_record=(result.submit if result else submit).as_dict() if submit.sent else None)
    try:
        return record_walk(store, walked), ""
    except (CaseStoreError, AssistantError) as exc:
        return None, exc.detail or str(exc)
