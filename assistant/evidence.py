"""Evidence bundle writer: a subscriber that turns run events into files and a hash-chained manifest.

Every entry carries the SHA-256 of its file (if any) and of the previous entry, so removing,
reordering or altering anything is detectable. The manifest is rewritten atomically after every
entry, so a killed run still leaves a valid partial bundle.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
from pathlib import Path

from assistant import __version__
from assistant import events as ev
from assistant.redaction import Redactor

FORMAT = "closure-assistant-evidence/1"
GENESIS = "0" * 64
MANIFEST = "manifest.json"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def entry_hash(entry: dict) -> str:
    body = {k: v for k, v in entry.items() if k != "hash"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def times(at: dt.datetime) -> dict:
    return {"time_utc": at.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "time_local": at.astimezone().isoformat(timespec="milliseconds")}


def atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _slug(text: str) -> str:
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")  # ASCII names travel well (zip, e-mail)
    return (text or "step")[:40]


class EvidenceWriter(ev.Listener):
    def __init__(self, root: Path, redactor: Redactor, *, html_snapshots: bool = True):
        self.root = Path(root)
        self.redactor = redactor
        self.html_snapshots = html_snapshots
        self.dir: Path | None = None
        self.manifest: dict = {}
        self.seq = 0
        self.screenshot_error = ""

    # ------------------------------------------------------------ manifest

    def _add(self, kind: str, at: dt.datetime, file: Path | None = None, **fields) -> dict:
        self.seq += 1
        entries = self.manifest["entries"]
        entry = {"seq": self.seq, "kind": kind, **times(at)}
        if file is not None:
            entry["file"] = file.relative_to(self.dir).as_posix()
            entry["sha256"] = sha256_file(file)
            entry["bytes"] = file.stat().st_size
        entry.update({k: v for k, v in fields.items() if v not in (None, "")})
        entry["prev"] = entries[-1]["hash"] if entries else GENESIS
        entry["hash"] = entry_hash(entry)
        entries.append(entry)
        self.manifest["final_hash"] = entry["hash"]
        self._save()
        return entry

    def _save(self) -> None:
        text = json.dumps(self.manifest, ensure_ascii=False, indent=2)
        atomic_write(self.dir / MANIFEST, self.redactor.scrub(text).encode("utf-8"))

    def _write(self, rel: str, data: bytes) -> Path:
        path = self.dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)
        return path

    # ------------------------------------------------------------ events

    def handle(self, event: ev.Event) -> None:
        method = getattr(self, "_on_" + type(event).__name__, None)
        if method is not None:
            method(event)

    def _on_RunStarted(self, e: ev.RunStarted) -> None:
        stamp = e.at.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        digits = re.sub(r"\D", "", e.account_masked)[-4:] or "acct"
        self.dir = self.root / f"{stamp}-{e.profile.id}-{digits}-{e.run_id}"
        self.dir.mkdir(parents=True, exist_ok=False)
        p = e.profile
        self.manifest = {
            "format": FORMAT,
            "tool": {"name": "closure-assistant", "version": __version__},
            "run_id": e.run_id, "flow": e.flow, "dry_run": e.dry_run,
            "site": {"id": p.id, "names": p.names, "website": p.website},
            "account": e.account_masked,
            "profile": {"file": "profile.yaml", "sha256": p.sha256, "path": p.path.name},
            "browser": {"name": "chromium", "version": e.browser},
            "device": {"viewport": p.device.viewport, "mobile": p.device.mobile, "locale": p.device.locale},
            "review_working_days": p.closure.review_working_days,
            "started_at": times(e.at),
            "finished_at": None,
            "complete": False,
            "result": None,
            "entries": [],
            "final_hash": GENESIS,
        }
        copy = self.dir / "profile.yaml"
        shutil.copyfile(p.path, copy)
        self._add("profile", e.at, copy, note="the site profile used for this run")

    def _screenshot(self, name: str, page, masks) -> Path | None:
        if page is None:
            return None
        path = self.dir / "steps" / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            page.screenshot(path=str(path), full_page=True, mask=masks, mask_color="#000000",
                            animations="disabled", caret="hide")
        except Exception as exc:  # noqa: BLE001 - a crashed page must not lose the rest of the bundle
            self.screenshot_error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            return None
        return path

    def _html(self, name: str, page) -> Path | None:
        if page is None or not self.html_snapshots:
            return None
        try:
            html = page.content()
        except Exception:  # noqa: BLE001
            return None
        return self._write(f"steps/{name}.html", self.redactor.scrub(html).encode("utf-8"))

    def _step_files(self, e, status: str, label: str, **fields) -> None:
        name = f"{e.index:03d}-{_slug(label)}" + ("-failed" if status == "failed" else "")
        common = dict(step=label, index=e.index, flow=e.flow, url=self.redactor.scrub(e.url), outcome=status)
        shot = self._screenshot(name, e.page, e.masks)
        if shot is not None:
            self._add("screenshot", e.at, shot, **common, **fields)
        else:
            fields["note"] = f"no screenshot ({self.screenshot_error}) {fields.get('note') or ''}".strip()
            self._add("step", e.at, **common, **fields)
        html = self._html(name, e.page)
        if html is not None:
            self._add("html", e.at, html, step=label, index=e.index)

    def _on_StepFinished(self, e: ev.StepFinished) -> None:
        self._step_files(e, e.status, e.step.title, matched=e.matched, screen=e.step.screen,
                         note=self.redactor.scrub(e.note))

    def _on_StepFailed(self, e: ev.StepFailed) -> None:
        label = e.step.title if e.step else "run"
        self._step_files(e, "failed", label, error=type(e.error).__name__,
                         note=self.redactor.scrub(e.error.detail or str(e.error)))

    def _on_TextRecorded(self, e: ev.TextRecorded) -> None:
        path = self._write(f"texts/{self.seq + 1:03d}-{_slug(e.label)}.txt",
                           self.redactor.scrub(e.text).encode("utf-8"))
        self._add("text", e.at, path, label=e.label, url=self.redactor.scrub(e.url))

    def _on_DialogHandled(self, e: ev.DialogHandled) -> None:
        path = self._write(f"texts/{self.seq + 1:03d}-dialog-{e.kind}.txt", e.message.encode("utf-8"))
        self._add("dialog", e.at, path, dialog=e.kind, action=e.action, expected=e.expected,
                  url=self.redactor.scrub(e.url))

    def _on_OverlayDismissed(self, e: ev.OverlayDismissed) -> None:
        self._add("overlay", e.at, name=e.name, url=self.redactor.scrub(e.url), screen="obstruction")

    def _on_Drift(self, e: ev.Drift) -> None:
        self._add("drift", e.at, step=e.step.title, candidate=e.candidate, candidate_index=e.candidate_index)

    def _on_Captured(self, e: ev.Captured) -> None:
        self._add("capture", e.at, name=e.name, value=e.value, sensitive=e.sensitive)

    def _on_SubmitStarting(self, e: ev.SubmitStarting) -> None:
        self._add("submit_started", e.at, url=self.redactor.scrub(e.url))

    def _on_SubmitDone(self, e: ev.SubmitDone) -> None:
        self._add("submit_request", e.at, url=self.redactor.scrub(e.url), request_url=e.request_url,
                  response_status=e.response_status)

    def _on_Retried(self, e: ev.Retried) -> None:
        self._add("retry", e.at, step=e.step.title, attempt=e.attempt, note=self.redactor.scrub(e.reason))

    def _on_RunFinished(self, e: ev.RunFinished) -> None:
        r = e.result
        self.manifest["finished_at"] = times(e.at)
        self.manifest["complete"] = True
        self.manifest["result"] = {
            "outcome": r.outcome, "state": r.state, "submitted": r.submitted,
            "captures": r.captures, "submit_request": r.submit_request,
            "error": None if r.error is None else {"type": type(r.error).__name__,
                                                   "detail": self.redactor.scrub(r.error.detail or "")},
            "failed_step": r.failed_step, "drift": r.drift, "warnings": r.warnings,
        }
        self._add("finished", e.at, outcome=r.outcome)
