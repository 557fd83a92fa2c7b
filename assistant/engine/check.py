"""`profiles check`: walk a profile in a dry run and say, step by step, whether each locator still
finds its element, which fallback matched, and where exactly a changed site broke it.

The dry run stops at the submit step after finding its target and never clicks it (RunOptions
dry_run, enforced by the executor), so a check is safe to run at any time.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from assistant.driving import events as ev
from assistant.errors import ExitStatus, SiteChanged
from assistant.driving.executor import RunOptions
from assistant.profiles.model import Profile, Step


@dataclass
class StepCheck:
    index: int
    flow: str
    name: str
    action: str
    status: str = "not_reached"    # ok | drift | found_not_clicked | skipped | warning | broken | stopped | not_reached | after_submit
    matched: Optional[str] = None  # the candidate that found the element
    first_choice: Optional[str] = None
    fallback: Optional[int] = None  # 2 = the second candidate matched, ...
    detail: str = ""
    locator: str = ""               # for a broken step: what was looked for
    reason: str = ""                # for a broken step: not_found | ambiguous | timeout | ...
    screenshot: Optional[Path] = None


@dataclass
class CheckReport:
    site: str
    steps: list[StepCheck]
    outcome: str
    error: Optional[Exception]
    evidence_dir: Optional[Path]
    final_hash: Optional[str] = None

    @property
    def broken(self) -> Optional[StepCheck]:
        return next((s for s in self.steps if s.status == "broken"), None)

    @property
    def drifted(self) -> list[StepCheck]:
        return [s for s in self.steps if s.fallback]

    @property
    def exit_status(self) -> int:
        if self.error is None:
            return int(ExitStatus.OK) if self.outcome == "dry_run_ok" else int(ExitStatus.NEEDS_USER)
        return int(getattr(self.error, "exit_status", ExitStatus.ERROR))


class StepRecorder(ev.Listener):
    """Collects what the executor says about each step, keyed by the step object."""

    def __init__(self):
        self.checks: dict[int, StepCheck] = {}
        self.order: list[int] = []

    def _check(self, index: int, flow: str, step: Step) -> StepCheck:
        key = id(step)
        if key not in self.checks:
            self.checks[key] = StepCheck(index, flow, step.title, step.action)
            self.order.append(key)
        check = self.checks[key]
        check.index = index  # a retried step keeps its latest number
        return check

    def handle(self, event: ev.Event) -> None:
        if isinstance(event, ev.StepStarted):
            check = self._check(event.index, event.flow, event.step)
            check.status, check.fallback, check.matched = "running", None, None
        elif isinstance(event, ev.Drift):
            check = self.checks.get(id(event.step))
            if check is not None:
                check.fallback = event.candidate_index + 1
                check.matched = event.candidate
        elif isinstance(event, ev.StepFinished):
            check = self._check(event.index, event.flow, event.step)
            if event.status == "progress":
                return
            check.matched = event.matched or check.matched
            if event.step.action == "submit" and event.status == "skipped":
                check.status = "found_not_clicked"
            elif event.status == "ok":
                check.status = "drift" if check.fallback else "ok"
            else:
                check.status = event.status
            check.detail = event.note
        elif isinstance(event, ev.StepFailed) and event.step is not None:
            check = self._check(event.index, event.flow, event.step)
            # Broken means the site no longer matches; a refusal or a needed person only stops the walk.
            check.status = "broken" if isinstance(event.error, SiteChanged) else "stopped"
            check.detail = getattr(event.error, "detail", "") or str(event.error)
            params = getattr(event.error, "params", {}) or {}
            check.locator = str(params.get("locator") or "")
            check.reason = str(params.get("reason") or "")


def _first_choice(step: Step) -> Optional[str]:
    for attr in ("target", "input", "ok_if", "done_when", "visible"):
        loc = getattr(step, attr, None)
        if loc is not None and getattr(loc, "candidates", None):
            return loc.candidates[0].describe()
    if getattr(step, "capture", None) is not None:
        return step.capture.source.candidates[0].describe()
    return None


def _screenshots(evidence_dir: Optional[Path]) -> dict[int, Path]:
    """index → the step's last screenshot in the evidence bundle (a failed step's own shot wins)."""
    shots: dict[int, Path] = {}
    if evidence_dir is None:
        return shots
    try:
        manifest = json.loads((evidence_dir / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError):
        return shots
    for entry in manifest.get("entries", []):
        if entry.get("kind") == "screenshot" and isinstance(entry.get("index"), int):
            shots[entry["index"]] = evidence_dir / entry["file"]
    return shots


def _not_reached(profile: Profile, seen: set, last_index: int, submitted_part: bool) -> list[StepCheck]:
    out = []
    index = last_index
    after_submit = False
    for flow, steps in (("login", profile.login.steps), ("close", profile.close_steps)):
        for step in steps:
            if flow == "close" and step.action == "submit":
                after_submit = True
                if id(step) in seen:
                    continue
            if id(step) in seen:
                continue
            index += 1
            status = "after_submit" if (after_submit and submitted_part) else "not_reached"
            out.append(StepCheck(index, flow, step.title, step.action, status=status,
                                 first_choice=_first_choice(step)))
    return out


def check_profile(profile: Profile, account: str, inputs, *, base_url: Optional[str], evidence_root: Path,
                  timeout_ms: int, headed: bool = False, browser=None, browser_path: Optional[str] = None,
                  listeners: tuple = (), redactor=None) -> CheckReport:
    """A dry run of the close flow with a step-by-step account of every locator."""
    from assistant.engine.runner import run_profile

    steps = StepRecorder()
    options = RunOptions(flow="close", dry_run=True, headed=headed, base_url=base_url, timeout_ms=timeout_ms)
    record = run_profile(profile, account, inputs, options, evidence_root=evidence_root,
                         listeners=(steps, *listeners), redactor=redactor, browser=browser,
                         browser_path=browser_path)
    result = record.result
    shots = _screenshots(record.evidence_dir)
    checks = [steps.checks[k] for k in steps.order]
    by_step = {k: steps.checks[k] for k in steps.order}
    for flow, flow_steps in (("login", profile.login.steps), ("close", profile.close_steps)):
        for step in flow_steps:
            check = by_step.get(id(step))
            if check is not None:
                check.first_choice = _first_choice(step)
                if check.status == "found_not_clicked" and not check.matched:
                    check.matched = check.first_choice  # no drift was reported: the first choice found it
    for check in checks:
        check.screenshot = shots.get(check.index)
        if check.status == "running":  # started, then the run ended without a word on it
            check.status = "broken" if isinstance(result.error, SiteChanged) else "not_reached"
    last = max((c.index for c in checks), default=0)
    reached_submit = result.outcome == "dry_run_ok"
    checks += _not_reached(profile, set(by_step), last, reached_submit)
    return CheckReport(profile.id, checks, result.outcome, result.error, record.evidence_dir, record.final_hash)
