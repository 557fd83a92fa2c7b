"""The small core every front end uses: load → (start bundled portal) → browser → executor → evidence."""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from assistant.driving.executor import Executor, RunOptions, RunResult
from assistant.profiles.model import Profile
from assistant.redaction import Redactor


@dataclass
class RunRecord:
    result: RunResult
    evidence_dir: Optional[Path]
    final_hash: Optional[str]
    base_url: Optional[str]
    report: Optional[Path] = None   # report.pdf, made after the run (see assistant/evidence/report.py)
    report_error: str = ""          # why no report was made; the evidence itself is unaffected


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

    redactor = redactor or Redactor()
    writer = EvidenceWriter(Path(evidence_root), redactor)
    executor = Executor(profile, account, inputs, [writer, *listeners], options, redactor)
    if browser is not None:
        result = _run_in(browser, profile, executor)
        report, report_error = render_after_run(writer.dir, browser)
    else:
        from playwright.sync_api import sync_playwright

        from assistant.driving.browser import launch
        with sync_playwright() as pw:
            own, _choice = launch(pw, headed=options.headed, override=browser_path)
            try:
                result = _run_in(own, profile, executor)
                report, report_error = render_after_run(writer.dir, own)  # while the browser is open
            finally:
                own.close()
    return RunRecord(result, writer.dir, writer.manifest.get("final_hash"), options.base_url,
                     report.pdf if report else None, report_error)


def _run_in(browser, profile: Profile, executor: Executor) -> RunResult:
    from assistant.driving.browser import context_options
    context = browser.new_context(**context_options(profile.device))
    try:
        return executor.run(context)
    finally:
        context.close()


def tracked_run(store, profile, account: str, inputs, options, *, evidence_root: Path,
                listeners: tuple = (), redactor=None, browser_path: Optional[str] = None, browser=None):
    """runner.run_profile with the case kept up to date. Returns (RunRecord, Case after the run)."""
    from assistant.cases.tracking import CaseTracker
    redactor = redactor or Redactor()  # one for the run and the tracker: what the run learns stays out of the store
    tracker = CaseTracker(store, account, evidence_root=evidence_root, redactor=redactor)
    record = run_profile(profile, account, inputs, options, evidence_root=evidence_root,
                         listeners=(tracker, *listeners), redactor=redactor, browser_path=browser_path,
                         browser=browser)
    case = store.case(profile.id, account)
    return record, case
