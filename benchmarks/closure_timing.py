"""Wall time of one full closure, run by the tool (several ways) and by the hand-written script.

Every run: portal reset, a fresh browser context from the same launched Chromium with the
profile's device options, the clock from `new_context` to the context closed (for run_profile: the
whole call, report included), and a check that the portal recorded exactly one submission (a timed
run that did not close the account is no data).
"""
from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from assistant.driving import events as ev
from assistant.driving.browser import context_options
from assistant.driving.executor import Executor, RunOptions
from assistant.driving.interaction import ScriptedInputs
from assistant.portals import PORTALS, Faults, PortalClient, start_portal
from assistant.engine.runner import run_profile

from evidence_cost import REPORT_PARTS, Stopwatch, bundle_sizes, timed_parts
from handwritten_demo_lender import close_account as handwritten_demo_lender
from handwritten_demo_lender import full_page_screenshot
from process_tree import tree_cpu_seconds

HANDWRITTEN = {"demo-lender": handwritten_demo_lender}
SEED = 7  # the portal's random source (ads, delays, codes): the same sequence for every run after a reset

VARIANTS = {
    "script": "hand-written Playwright script",
    "script_shots": "hand-written script + 1 full-page screenshot per step",
    "tool": "closure-assistant executor, no evidence",
    "tool_shots": "executor + 1 full-page screenshot per step",
    "tool_evidence": "run_profile: full evidence + HTML/PDF report",
    "tool_evidence_no_report": "run_profile, report time subtracted",
    "tool_evidence_outcome": "run_profile until the outcome is shown (report printed after it)",
}


class BenchmarkFailed(RuntimeError):
    pass


class ScreenshotsOnly:
    """The hand-written script's evidence, as a subscriber: one full-page PNG per finished step."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0

    def handle(self, event) -> None:
        if isinstance(event, ev.StepFinished) and event.page is not None:
            self.count += 1
            full_page_screenshot(event.page, str(self.folder / f"{self.count:03d}.png"))


@dataclass
class Site:
    """One bundled portal running at one added latency, with the account the benchmark closes."""
    name: str
    latency_ms: int
    profile: object
    account: str
    password: str
    server: object = None
    client: Optional[PortalClient] = None

    def start(self) -> "Site":
        # The site's own pop-ups (popups="site"), drawn from the seed like everything else.
        self.server = start_portal(self.name, test_mode=True,
                                   faults=Faults(latency_ms=self.latency_ms, seed=SEED, popups="site"))
        self.client = PortalClient(self.server.base_url)
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def read_code(self) -> Optional[str]:
        return self.client.latest_code(self.account)

    def inputs(self) -> ScriptedInputs:
        # A person's part (a slider captcha) is done through the portal's test hook, as the tests do.
        from assistant.cli.commands.demo import hook_manual
        return ScriptedInputs(secrets={"password": self.password}, codes=lambda *_: self.read_code(), yes=True,
                              manual=hook_manual(self.client, self.account))

    def check_closed(self, variant: str) -> None:
        submissions = self.client.state(self.account).get("submissions")
        if submissions != 1:
            raise BenchmarkFailed(f"{self.name} {variant}: the portal recorded {submissions} submissions, not 1")


def site_for(name: str, latency_ms: int) -> Site:
    from assistant.profiles.registry import load_site
    profile = load_site(name)
    info = PORTALS[name]
    account = (profile.tests.get("accounts") or {}).get("clean") or info.demo_account
    return Site(name, latency_ms, profile, account, info.passwords[account])


class DriverCalls:
    """Counts the calls the Python client sends to Playwright's driver: every one is a round trip.

    Hooks a private Playwright method; when it is not there the counts are simply missing.
    """

    def __init__(self):
        self.calls = 0
        self.routed = 0
        self._undo = None

    def __enter__(self) -> "DriverCalls":
        try:
            from playwright._impl.connection import Connection
        except ImportError:
            return self
        original = getattr(Connection, "send_message_to_server", None)
        if original is None:
            return self
        counter = self

        def counted(conn, obj, method, params, options):
            if method != "__waitInfo__":
                counter.calls += 1
                if getattr(obj, "_type", "") == "Route":
                    counter.routed += 1
            return original(conn, obj, method, params, options)
        Connection.send_message_to_server = counted
        self._undo = (Connection, original)
        return self

    def __exit__(self, *exc) -> None:
        if self._undo:
            cls, original = self._undo
            cls.send_message_to_server = original

    def take(self) -> tuple[int | None, int | None]:
        if self._undo is None:
            return None, None
        out = (self.calls, self.routed)
        self.calls = self.routed = 0
        return out


@dataclass
class Sample:
    seconds: float
    screenshots: int = 0
    cpu_s: float | None = None        # CPU of this Python process meanwhile (the portal's threads included)
    tree_cpu_s: float | None = None   # CPU of Python + driver + Chromium meanwhile: steadier than wall time
                                      # when other work shares the machine
    driver_calls: int | None = None   # round trips to Playwright's driver
    routed: int | None = None         # requests answered by a Python route handler
    parts: dict = field(default_factory=dict)   # evidence parts, seconds (tool_evidence only)
    bundle: dict = field(default_factory=dict)  # bundle sizes (tool_evidence only)
    outcome_s: float | None = None    # tool_evidence: until run_profile returned the outcome (the CLI prints it)


class ClosureRunner:
    """Runs one variant once. `browser`: the one launched Chromium every variant shares."""

    def __init__(self, browser, site: Site, stopwatch: Stopwatch, calls: DriverCalls):
        self.browser = browser
        self.site = site
        self.stopwatch = stopwatch
        self.calls = calls

    def run(self, variant: str) -> Sample:
        self.site.client.reset()
        scratch = Path(tempfile.mkdtemp(prefix="bench-"))
        self.calls.take()
        cpu, tree_cpu = time.process_time(), tree_cpu_seconds()
        try:
            sample = getattr(self, "_" + variant)(scratch)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        sample.cpu_s = time.process_time() - cpu
        if tree_cpu is not None:
            sample.tree_cpu_s = tree_cpu_seconds() - tree_cpu
        sample.driver_calls, sample.routed = self.calls.take()
        self.site.check_closed(variant)
        return sample

    def _context(self):
        return self.browser.new_context(**context_options(self.site.profile.device))

    def _handwritten(self, folder: Optional[Path]) -> Sample:
        script = HANDWRITTEN[self.site.name]
        shots = []

        started = time.perf_counter()
        context = self._context()
        page = context.new_page()

        def shoot(label: str) -> None:
            shots.append(label)
            full_page_screenshot(page, str(folder / f"{len(shots):03d}-{label}.png"))
        number = script(page, self.site.base_url, self.site.account, self.site.password, self.site.read_code,
                        shoot if folder else None)
        context.close()
        seconds = time.perf_counter() - started
        if not number:
            raise BenchmarkFailed(f"{self.site.name} hand-written script: no application number")
        return Sample(seconds, len(shots))

    def _script(self, scratch: Path) -> Sample:
        return self._handwritten(None)

    def _script_shots(self, scratch: Path) -> Sample:
        return self._handwritten(scratch)

    def _executor(self, listeners: list) -> float:
        options = RunOptions(base_url=self.site.base_url)
        executor = Executor(self.site.profile, self.site.account, self.site.inputs(), listeners, options)
        started = time.perf_counter()
        context = self._context()
        try:
            result = executor.run(context)
        finally:
            context.close()
        seconds = time.perf_counter() - started
        if result.outcome != "submitted":
            raise BenchmarkFailed(f"{self.site.name} tool: outcome {result.outcome} ({result.error})")
        return seconds

    def _tool(self, scratch: Path) -> Sample:
        return Sample(self._executor([]))

    def _tool_shots(self, scratch: Path) -> Sample:
        shots = ScreenshotsOnly(scratch)
        return Sample(self._executor([shots]), shots.count)

    def _tool_evidence(self, scratch: Path) -> Sample:
        options = RunOptions(base_url=self.site.base_url)
        self.stopwatch.take()
        started = time.perf_counter()
        # As the CLI runs it: the outcome first (shown at once), then the timestamp and the report.
        record = run_profile(self.site.profile, self.site.account, self.site.inputs(), options,
                             evidence_root=scratch, browser=self.browser, defer_report=True)
        outcome_s = time.perf_counter() - started
        record.finish()
        seconds = time.perf_counter() - started
        parts = self.stopwatch.take()
        if record.result.outcome != "submitted":
            raise BenchmarkFailed(f"{self.site.name} run_profile: outcome {record.result.outcome} "
                                  f"({record.result.error})")
        bundle = bundle_sizes(record.evidence_dir)
        bundle["report_error"] = record.report_error
        return Sample(seconds, bundle["png_files"], parts=parts, bundle=bundle, outcome_s=outcome_s)


def measure_site(browser, site: Site, runs: int, variants: list[str], *, warmup: list[str],
                 sampler=None, progress: Callable[[str], None] = print) -> dict:
    """Interleaves the variants round by round (rotating the order) so drift in the machine's load
    hits them alike. Returns {variant: [Sample, ...]}."""
    stopwatch = Stopwatch()
    calls = DriverCalls()
    runner = ClosureRunner(browser, site, stopwatch, calls)
    samples: dict[str, list[Sample]] = {v: [] for v in variants}
    with timed_parts(stopwatch) as missing, calls:
        try:
            for variant in warmup:  # untimed: the first run in a new browser pays for caches
                if sampler is not None:
                    sampler.label = f"{site.name}:{variant}"
                runner.run(variant)
            for round_no in range(runs):
                order = variants[round_no % len(variants):] + variants[:round_no % len(variants)]
                for variant in order:
                    if sampler is not None:
                        sampler.label = f"{site.name}:{variant}"
                    sample = runner.run(variant)
                    samples[variant].append(sample)
                    progress(f"  {site.name} +{site.latency_ms}ms {variant:14s} run {round_no + 1}/{runs}: "
                             f"{sample.seconds:.2f} s")
        finally:
            if sampler is not None:
                sampler.label = "-"
    if "tool_evidence" in samples:
        samples["tool_evidence_no_report"] = [
            Sample(s.seconds - sum(s.parts.get(p, 0.0) for p in REPORT_PARTS)) for s in samples["tool_evidence"]]
        samples["tool_evidence_outcome"] = [Sample(s.outcome_s) for s in samples["tool_evidence"]
                                            if s.outcome_s is not None]
    return {"samples": samples, "missing_parts": missing}


def round_trip_ms(browser, calls: int = 100) -> float:
    """What one call to the driver costs on this machine: the median of `calls` locator counts."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content("<p>round trip</p>")
        times = []
        for _ in range(calls):
            started = time.perf_counter()
            page.locator("p").count()
            times.append(time.perf_counter() - started)
    finally:
        context.close()
    times.sort()
    return 1000 * times[len(times) // 2]
