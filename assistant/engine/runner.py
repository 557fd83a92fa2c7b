"""The small core every front end uses: load → (start bundled portal) → browser → executor → evidence.

Once the closure request was sent, nothing that fails afterwards (the disk, the case store, the
report, the browser) may hide its outcome: the run's record always comes back, with what failed
said next to it, for the front end to show.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from assistant.driving import events as ev
from assistant.driving.executor import BROWSER_GONE, Executor, RunOptions, RunResult
from assistant.errors import AssistantError, BrowserCrashed
from assistant.interrupts import Interrupted
from assistant.profiles.model import Profile
from assistant.redaction import Redactor


@dataclass
class RunRecord:
    result: RunResult
    evidence_dir: Optional[Path]
    final_hash: Optional[str]       # the chain's last hash as it is on disk
    base_url: Optional[str]
    report: Optional[Path] = None   # report.pdf, made after the run (see assistant/evidence/report.py)
    report_error: str = ""          # why no report was made (text, or a catalogue key); the evidence is unaffected
    submitted_at: Optional[dict] = None  # when the submit was clicked, as the evidence has it (time_utc, time_local)
    evidence_error: str = ""        # why the evidence writer stopped (oserror.ENOSPC, ...): the bundle ends there, partial
    case_error: str = ""            # the case store could not record this run (see case_journal)
    case_journal: Optional[Path] = None  # where the changes wait until the store opens again
    case_lost: bool = False         # neither the store nor its journal could take them
    subscriber_errors: list = field(default_factory=list)

    @property
    def environment_problem(self) -> bool:
        """Something on this computer failed: the run's own outcome may still be fine."""
        return bool(self.evidence_error or self.case_error or self.case_lost)


def bundled_portal_name(profile: Profile) -> Optional[str]:
    from assistant.portals import PORTALS
    name = profile.tests.get("portal")
    return name if name in PORTALS else None


@contextlib.contextmanager
def site_base_url(profile: Profile, base_url: Optional[str], *, test_mode: bool = True, faults=None):
    """Yields (base_url, server). A bundled portal is started here when no base URL was given."""
    if base_url or bundled_portal_name(profile) is None:
        yield base_url, None
        return
    from assistant.portals import start_portal
    # Its codes are printed to the terminal, where the person practising looks for their "SMS".
    server = start_portal(bundled_portal_name(profile), test_mode=test_mode, faults=faults, show_codes=True)
    try:
        yield server.base_url, server
    finally:
        server.stop()


def run_profile(profile: Profile, account: str, inputs, options: RunOptions, *, evidence_root: Path,
                listeners: tuple = (), redactor: Redactor | None = None,
                browser_path: str | None = None, browser=None) -> RunRecord:
    """One run of one flow against a site whose base URL is already decided (options.base_url).

    `browser`: an already launched Playwright browser (tests share one); else one is launched here.
    """
    from assistant.evidence.writer import EvidenceWriter
    from assistant.evidence.report import render_after_run

    account = profile.account(account)
    redactor = redactor or Redactor()
    writer = EvidenceWriter(Path(evidence_root), redactor)
    writer.prepare()  # an unusable evidence folder stops here, before the browser does anything
    executor = Executor(profile, account, inputs, [writer, *listeners], options, redactor)
    try:
        if browser is not None:
            result = _run_in(browser, profile, executor)
            report, report_error = render_after_run(writer.dir, browser)
        else:
            from playwright.sync_api import sync_playwright

            from assistant.driving.browser import close_quietly, launch
            pw = sync_playwright().start()
            try:
                own, _choice = launch(pw, headed=options.headed, override=browser_path)
                try:
                    result = _run_in(own, profile, executor)
                    report, report_error = render_after_run(writer.dir, own)  # while the browser is open
                finally:
                    close_quietly(own.close)
            finally:
                close_quietly(pw.stop)
    except KeyboardInterrupt:
        # The user's stop: the evidence so far stays as a partial bundle; say where, and whether the submit began.
        raise Interrupted(writer.dir, executor.result.submitted) from None
    return RunRecord(result, writer.dir, writer.saved_hash, options.base_url,
                     report.pdf if report else None, report_error,
                     submitted_at=writer.submitted_at,
                     evidence_error=writer.failure, subscriber_errors=list(executor.subscriber_failures))


def _run_in(browser, profile: Profile, executor: Executor) -> RunResult:
    from assistant.driving.browser import close_quietly, context_options
    context = browser.new_context(**context_options(profile.device, downloads=has_downloads(profile)))
    try:
        return executor.run(context)
    except Exception as exc:
        if not executor.result.submitted:
            raise
        # After the submit the run's record is returned whatever happened, and its subscribers hear the end.
        executor.result.error = executor.result.error or _as_error(exc)
        executor.emit(ev.RunFinished(result=executor.result))
        return executor.result
    finally:
        close_quietly(context.close)  # a context whose browser died cannot be closed politely


def has_downloads(profile: Profile) -> bool:
    from assistant.profiles.model import DownloadStep
    flows = [profile.login.steps, profile.close_steps, profile.status.steps if profile.status else [],
             profile.prepare.steps if profile.prepare else []]
    return any(isinstance(step, DownloadStep) for steps in flows for step in steps)


def _as_error(exc: Exception) -> AssistantError:
    if isinstance(exc, AssistantError):
        return exc
    text = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
    if BROWSER_GONE.search(str(exc)):
        return BrowserCrashed(text, reason="browser_crashed")
    error = AssistantError(text)
    error.expected = False
    return error


def tracked_run(store, profile, account: str, inputs, options, *, evidence_root: Path,
                listeners: tuple = (), redactor=None, browser_path: Optional[str] = None, browser=None):
    """runner.run_profile with the case kept up to date. Returns (RunRecord, Case after the run); the
    case is None when the store cannot be read now (the record says why)."""
    from assistant.cases.store import CaseStoreError
    from assistant.cases.tracking import CaseTracker
    account = profile.account(account)
    redactor = redactor or Redactor()  # one for the run and the tracker: what the run learns stays out of the store
    tracker = CaseTracker(store, account, evidence_root=evidence_root, redactor=redactor)
    record = run_profile(profile, account, inputs, options, evidence_root=evidence_root,
                         listeners=(tracker, *listeners), redactor=redactor, browser_path=browser_path,
                         browser=browser)
    record.case_error = tracker.problem
    record.case_journal = store.journal_path if tracker.journaled else None
    record.case_lost = bool(tracker.lost)
    case = None
    if not tracker.problem:
        with contextlib.suppress(CaseStoreError):  # written, but not readable this moment: nothing is lost
            case = store.case(profile.id, account)
    return record, case
