"""Evidence bundle writer: a subscriber that turns run events into files and a hash-chained manifest.

Every entry carries the SHA-256 of its file (if any) and of the previous entry, so removing,
reordering or altering anything is detectable. The first entry also carries the hash of the
manifest's header (site, account, browser, device...) and the last ("finished") the hash of the
result block, so editing those is detected too. The manifest is rewritten atomically after every
entry and every file is written atomically, so a killed run still leaves a valid partial bundle
(`complete: false`). `assistant/evidence/verify.py` checks all of this.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from pathlib import Path

from assistant import __version__
from assistant.driving import events as ev
from assistant.redaction import Redactor

FORMAT = "closure-assistant-evidence/1"
GENESIS = "0" * 64
MANIFEST = "manifest.json"
SUMMARY_KEYS = ("finished_at", "complete", "result")   # written at the end, covered by the "finished" entry
UNHASHED_KEYS = ("entries", "final_hash") + SUMMARY_KEYS  # everything else is the header
# A click that navigates can destroy the page mid-screenshot (then: wait for the new page and retry), and
# Chromium never answers a screenshot whose capture a navigation commit overtakes (measured: about 1 shot
# in 100 on the demo portal, when a page script navigates some ms after the click returned). A normal
# full-page shot of a portal page takes tens of milliseconds, so the first attempt gives up early.
SCREENSHOT_TIMEOUTS_MS = (1_500, 5_000, 15_000)

# Text and values inside masked elements, so that what is blacked out in screenshots is also
# scrubbed from HTML snapshots and texts.
MASKED_VALUES_JS = """els => els.flatMap(el => {
  const out = [];
  if (typeof el.value === 'string') out.push(el.value);
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) out.push(n.nodeValue);
  return out.map(s => s.trim()).filter(Boolean);
})"""


def _masked_values(masks: list) -> list[str]:
    """The texts and values under `masks`: one round trip when they share a frame (the usual case),
    else one per mask. A stale locator or a closed page just has nothing to give."""
    if not masks:
        return []
    try:
        combined = masks[0]
        for loc in masks[1:]:
            combined = combined.or_(loc)  # raises when the locators live in different frames
        return combined.evaluate_all(MASKED_VALUES_JS)
    except Exception:  # noqa: BLE001 - different frames, or a page in flux: ask each mask on its own
        if len(masks) == 1:
            return []
    values: list[str] = []
    for loc in masks:
        try:
            values += loc.evaluate_all(MASKED_VALUES_JS)
        except Exception:  # noqa: BLE001
            continue
    return values


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def canonical_hash(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def entry_hash(entry: dict) -> str:
    return canonical_hash({k: v for k, v in entry.items() if k != "hash"})


def header_hash(manifest: dict) -> str:
    return canonical_hash({k: v for k, v in manifest.items() if k not in UNHASHED_KEYS})


def summary_hash(manifest: dict) -> str:
    return canonical_hash({k: manifest.get(k) for k in SUMMARY_KEYS})


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
        self.step: dict = {}        # the step in progress, so texts and dialogs say where they came from
        self.last_view: dict = {}   # the latest screenshot: what the next step saw before acting
        self.seen_before: dict = {}
        self.submitted_at: dict | None = None

    # ------------------------------------------------------------ manifest

    def _clean(self, value):
        """Scrub before hashing: a scrub after hashing would break the chain."""
        if isinstance(value, str):
            return self.redactor.scrub(value)
        if isinstance(value, dict):
            return {k: self._clean(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self._clean(v) for v in value]
        return value

    def _add(self, kind: str, at: dt.datetime, file: Path | None = None, **fields) -> dict:
        self.seq += 1
        entries = self.manifest["entries"]
        entry = {"seq": self.seq, "kind": kind, **times(at)}
        if file is not None:
            entry["file"] = file.relative_to(self.dir).as_posix()
            entry["sha256"] = sha256_file(file)
            entry["bytes"] = file.stat().st_size
        entry.update({k: self._clean(v) for k, v in fields.items() if v not in (None, "")})
        entry["prev"] = entries[-1]["hash"] if entries else GENESIS
        entry["hash"] = entry_hash(entry)
        entries.append(entry)
        self.manifest["final_hash"] = entry["hash"]
        self._save()
        return entry

    def _save(self) -> None:
        text = json.dumps(self.manifest, ensure_ascii=False, indent=2)
        atomic_write(self.dir / MANIFEST, text.encode("utf-8"))

    def _write(self, rel: str, data: bytes) -> Path:
        path = self._unique(self.dir / rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)
        return path

    @staticmethod
    def _unique(path: Path) -> Path:
        # A step can be photographed several times (code typed, wrong code, accepted): never overwrite.
        n = 2
        candidate = path
        while candidate.exists():
            candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
            n += 1
        return candidate

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
            "device": {"viewport": p.device.viewport, "mobile": p.device.mobile, "locale": p.device.locale,
                       "timezone": p.device.timezone, "user_agent": p.device.user_agent},
            "review_working_days": p.closure.review_working_days,
            "started_at": times(e.at),
            "finished_at": None,
            "complete": False,
            "result": None,
            "entries": [],
            "final_hash": GENESIS,
        }
        self.manifest = self._clean(self.manifest)
        copy = self.dir / "profile.yaml"
        atomic_write(copy, Path(p.path).read_bytes())
        self._add("profile", e.at, copy, note="the site profile used for this run",
                  header_sha256=header_hash(self.manifest))

    def _on_StepStarted(self, e: ev.StepStarted) -> None:
        self.step = {"index": e.index, "step": e.step.title, "screen": e.step.screen}
        self.seen_before = dict(self.last_view)

    def _learn_masked(self, masks) -> None:
        for value in _masked_values(list(masks or ())):
            self.redactor.add(value)

    def _screenshot(self, name: str, page, masks) -> Path | None:
        if page is None:
            return None
        self.screenshot_error = ""
        for timeout_ms in SCREENSHOT_TIMEOUTS_MS:
            try:
                data = page.screenshot(full_page=True, mask=masks, mask_color="#000000",
                                       animations="disabled", caret="hide", timeout=timeout_ms)
            except Exception as exc:  # noqa: BLE001 - a crashed page must not lose the rest of the bundle
                self.screenshot_error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                if page.is_closed():
                    return None
                try:
                    page.wait_for_load_state("load", timeout=5_000)
                except Exception:  # noqa: BLE001
                    pass
                continue
            return self._write(f"steps/{name}.png", data)
        return None

    def _html(self, name: str, page, masks) -> Path | None:
        if page is None or not self.html_snapshots:
            return None
        for _attempt in range(len(SCREENSHOT_TIMEOUTS_MS)):  # as many tries as a screenshot gets
            try:
                # Learn what the masks cover on the page as it is now, before and after reading it:
                # a click that navigates can put a new page (with new values) under the same tab.
                self._learn_masked(masks)
                html = page.content()
                self._learn_masked(masks)
            except Exception:  # noqa: BLE001 - same navigation race as screenshots
                if page.is_closed():
                    return None
                try:
                    page.wait_for_load_state("load", timeout=5_000)
                except Exception:  # noqa: BLE001
                    pass
                continue
            return self._write(f"steps/{name}.html", self.redactor.scrub(html).encode("utf-8"))
        return None

    def _step_files(self, e, status: str, label: str, screen, **fields) -> None:
        name = f"{e.index:03d}-{_slug(label)}" + ("" if status == "ok" else f"-{status}")
        common = dict(step=label, index=e.index, flow=e.flow, url=e.url, outcome=status, screen=screen)
        if screen and self.seen_before:
            # A step's screenshot is taken after it acted (e.g. after "仍要注销" was clicked); the
            # labelled screen itself is the one the previous screenshot shows.
            common.update(screen_shown_in=self.seen_before["file"], screen_url=self.seen_before["url"])
        if not self.html_snapshots:  # else _html learns them, just before and after reading the page
            self._learn_masked(e.masks)
        shot = self._screenshot(name, e.page, e.masks)
        if shot is not None:
            entry = self._add("screenshot", e.at, shot, **common, **fields)
            self.last_view = {"file": entry["file"], "url": entry["url"]}
        else:
            fields["note"] = f"no screenshot ({self.screenshot_error}) {fields.get('note') or ''}".strip()
            self._add("step", e.at, **common, **fields)
        html = self._html(name, e.page, e.masks)
        if html is not None:
            self._add("html", e.at, html, step=label, index=e.index, screen=screen)

    def _on_StepFinished(self, e: ev.StepFinished) -> None:
        self._step_files(e, e.status, e.step.title, e.step.screen, matched=e.matched, note=e.note)

    def _on_StepFailed(self, e: ev.StepFailed) -> None:
        label = e.step.title if e.step else "run"
        self._step_files(e, "failed", label, e.step.screen if e.step else None, error=type(e.error).__name__,
                         note=e.error.detail or str(e.error))

    def _on_TextRecorded(self, e: ev.TextRecorded) -> None:
        path = self._write(f"texts/{self.seq + 1:03d}-{_slug(e.label)}.txt",
                           self.redactor.scrub(e.text).encode("utf-8"))
        self._add("text", e.at, path, label=e.label, url=e.url, **self.step)

    def _on_DialogHandled(self, e: ev.DialogHandled) -> None:
        path = self._write(f"texts/{self.seq + 1:03d}-dialog-{e.kind}.txt",
                           self.redactor.scrub(e.message).encode("utf-8"))
        self._add("dialog", e.at, path, dialog=e.kind, action=e.action, expected=e.expected, url=e.url,
                  **self.step)

    def _on_OverlayDismissed(self, e: ev.OverlayDismissed) -> None:
        self._add("overlay", e.at, name=e.name, url=e.url, index=self.step.get("index"),
                  step=self.step.get("step"), screen="obstruction")

    def _on_Drift(self, e: ev.Drift) -> None:
        self._add("drift", e.at, step=e.step.title, candidate=e.candidate, candidate_index=e.candidate_index,
                  index=self.step.get("index"))

    def _on_Captured(self, e: ev.Captured) -> None:
        self._add("capture", e.at, name=e.name, value=e.value, sensitive=e.sensitive, index=self.step.get("index"))

    def _on_SubmitStarting(self, e: ev.SubmitStarting) -> None:
        self.submitted_at = times(e.at)
        self._add("submit_started", e.at, url=e.url, index=self.step.get("index"), step=self.step.get("step"))

    def _on_SubmitDone(self, e: ev.SubmitDone) -> None:
        self._add("submit_request", e.at, url=e.url, request_url=e.request_url,
                  response_status=e.response_status, index=self.step.get("index"))

    def _on_Retried(self, e: ev.Retried) -> None:
        self._add("retry", e.at, step=e.step.title, attempt=e.attempt, note=e.reason,
                  index=self.step.get("index"))

    def _on_RunInterrupted(self, e: ev.RunInterrupted) -> None:
        # Where the user stopped, as the bundle's last entry; no "finished" follows, so it stays partial.
        if self.dir is not None:
            self._add("interrupted", e.at, index=e.index, step=e.step.title if e.step else None,
                      submitted=e.submitted)

    def _on_RunFinished(self, e: ev.RunFinished) -> None:
        r = e.result
        self.manifest["finished_at"] = times(e.at)
        self.manifest["complete"] = True
        self.manifest["result"] = self._clean({
            "outcome": r.outcome, "state": r.state, "submitted": r.submitted,
            "submitted_at": self.submitted_at,
            "captures": r.captures, "submit_request": r.submit_request,
            "error": None if r.error is None else {"type": type(r.error).__name__, "detail": r.error.detail or ""},
            "failed_step": r.failed_step, "drift": r.drift, "warnings": r.warnings,
            "overlays_dismissed": r.overlays_dismissed,
        })
        self._add("finished", e.at, outcome=r.outcome, summary_sha256=summary_hash(self.manifest))
