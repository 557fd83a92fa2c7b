"""The small core every front end uses: load → (start bundled portal) → browser → executor → evidence.

Once the closure request was sent, nothing that fails afterwards (the disk, the case store, the
report, the browser) may hide its outcome: the run's record always comes back, with what failed
said next to it, for the front end to show.

After the run come the trusted timestamp (RFC 3161, when an authority is set) and the report. Neither
changes the outcome, so a front end may show the outcome first: `run_profile(defer_report=True)` returns
as soon as the run ended, and `record.finish()` then stamps the evidence fingerprint and prints the PDF
(the slow part) while the person is already reading the result.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from assistant.driving import events as ev
from assistant.driving.executor import BROWSER_GONE, Executor, RunOptions, RunResult
from assistant.evidence.timestamp import Stamp
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
    report: Optional[Path] = None   # report.pdf (report.html when no PDF is wanted), made after the run
    report_error: str = ""          # why no report was made (text, or a catalogue key); the evidence is unaffected
    submitted_at: Optional[dict] = None  # when the submit was clicked, as the evidence has it (time_utc, time_local)
    evidence_error: str = ""        # why the evidence writer stopped (oserror.ENOSPC, ...): the bundle ends there, partial
    case_error: str = ""            # the case store could not record this run (see case_journal)
    case_journal: Optional[Path] = None  # where the changes wait until the store opens again
    case_lost: bool = False         # neither the store nor its journal could take them
    subscriber_errors: list = field(default_factory=list)
    timestamp: Optional[Stamp] = None   # the trusted timestamp asked for after the run (None: not asked yet)
    timestamp_error: str = ""       # why it could not be asked or kept (a catalogue key or text)
    _after: Optional["AfterRun"] = field(default=None, repr=False)

    def finish(self) -> "RunRecord":
        """The timestamp and the report, once (a no-op when they were made already)."""
        after, self._after = self._after, None
        if after is not None:
            after.finish(self)
        return self

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
                browser_path: str | None = None, browser=None, timestamp_authorities=(),
                defer_report: bool = False, report_lang: Optional[str] = None) -> RunRecord:
    """One run of one flow against a site whose base URL is already decided (options.base_url).

    `browser`: an already launched Playwright browser (tests share one); else one is launched here.
    `timestamp_authorities`: RFC 3161 authorities to ask, in order, for a token over the evidence fingerprint.
    `defer_report`: return once the run ended; the caller calls `record.finish()` for the timestamp and report.
    `report_lang`: the report's language (the reader's --lang); None: the site's.
    """
    from assistant.evidence.writer import EvidenceWriter

    account = profile.account(account)
    redactor = redactor or Redactor()
    writer = EvidenceWriter(Path(evidence_root), redactor)
    writer.prepare()  # an unusable evidence folder stops here, before the browser does anything
    executor = Executor(profile, account, inputs, [writer, *listeners], options, redactor)
    closers: list = []
    try:
        if browser is None:
            from playwright.sync_api import sync_playwright

            from assistant.driving.browser import launch
            pw = sync_playwright().start()
            closers.append(pw.stop)
            browser, _choice = launch(pw, headed=options.headed, override=browser_path)
            closers.insert(0, browser.close)  # kept open for the report (printed while it is open)
        result = _run_in(browser, profile, executor)
    except KeyboardInterrupt:
        _close(closers)
        # The user's stop: the evidence so far stays as a partial bundle; say where, and whether the submit began.
        raise Interrupted(writer.dir, executor.result.submitted) from None
    except BaseException:
        _close(closers)
        raise
    record = RunRecord(result, writer.dir, writer.saved_hash, options.base_url,
                       submitted_at=writer.submitted_at,
                       evidence_error=writer.failure, subscriber_errors=list(executor.subscriber_failures))
    record._after = AfterRun(writer.dir, browser, list(timestamp_authorities), closers, result.submitted, report_lang)
    if not defer_report:
        record.finish()
    return record


def _close(closers: list) -> None:
    from assistant.driving.browser import close_quietly
    if closers:
        close_quietly(*closers)


class AfterRun:
    """What follows a run: the trusted timestamp over its fingerprint, then the report (while the run's
    browser is still open). A failure of either is said next to the run's record, never raised."""

    def __init__(self, bundle: Optional[Path], browser, authorities: list, closers: list, submitted: bool,
                 lang: Optional[str] = None):
        self.bundle, self.browser, self.authorities = bundle, browser, authorities
        self.closers, self.submitted, self.lang = closers, submitted, lang

    def finish(self, record: RunRecord) -> None:
        from assistant.evidence.report import render_after_run
        from assistant.evidence.timestamp import stamp_after_run
        try:
            record.timestamp, record.timestamp_error = stamp_after_run(self.bundle, self.authorities)
            report, record.report_error = render_after_run(self.bundle, self.browser, self.lang)
            record.report = report.main if report else None
        except KeyboardInterrupt:
            raise Interrupted(self.bundle, self.submitted) from None
        finally:
            _close(self.closers)


def _run_in(browser, profile: Profile, executor: Executor) -> RunResult:
    from assistant.driving.browser import close_quietly, context_options
    options = context_options(profile.device, downloads=has_downloads(profile))
    if executor.options.ignore_certificate_errors:  # tests only (a throwaway certificate); the manifest says so
        options["ignore_https_errors"] = True
    context = browser.new_context(**options)
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
                listeners: tuple = (), redactor=None, browser_path: Optional[str] = None, browser=None,
                timestamp_authorities=(), defer_report: bool = False, report_lang: Optional[str] = None):
    """runner.run_profile with the case kept up to date. Returns (RunRecord, Case after the run); the
    case is None when the store cannot be read now (the record says why)."""
    import dataclasses

    from assistant.cases.store import CaseStoreError
    from assistant.cases.tracking import CaseTracker, recorded_closure
    account = profile.account(account)
    # What a refused login means depends on the case: after a closure the site accepted, on a profile with
    # login.closed_when_refused, it is evidence the account is gone; otherwise it stays a wrong password.
    with contextlib.suppress(CaseStoreError):  # unreadable now: the run's own tracker will say so
        options = dataclasses.replace(options, closure_recorded=recorded_closure(store.case(profile.id, account)))
    redactor = redactor or Redactor()  # one for the run and the tracker: what the run learns stays out of the store
    tracker = CaseTracker(store, account, evidence_root=evidence_root, redactor=redactor)
    record = run_profile(profile, account, inputs, options, evidence_root=evidence_root,
                         listeners=(tracker, *listeners), redactor=redactor, browser_path=browser_path,
                         browser=browser, timestamp_authorities=timestamp_authorities, defer_report=defer_report,
                         report_lang=report_lang)
    record.case_error = tracker.problem
    record.case_journal = store.journal_path if tracker.journaled else None
    record.case_lost = bool(tracker.lost)
    case = None
    if not tracker.problem:
        with contextlib.suppress(CaseStoreError):  # written, but not readable this moment: nothing is lost
            case = store.case(profile.id, account)
    return record, case
