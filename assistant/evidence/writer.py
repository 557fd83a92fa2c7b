"""Evidence bundle writer: a subscriber that turns run events into files and a hash-chained manifest.

Every entry carries the SHA-256 of its file (if any) and of the previous entry, so removing,
reordering or altering anything is detectable. The first entry also carries the hash of the
manifest's header (site, account, browser, device...) and the last ("finished") the hash of the
result block, so editing those is detected too. The manifest is rewritten atomically after every
entry and every file is written atomically, so a killed run still leaves a valid partial bundle
(`complete: false`). `assistant/evidence/verify.py` checks all of this.

The machine can fail under it (a full disk, a folder made read-only): before the submit the writer
then stops the run (EvidenceUnwritable: nothing is clicked), and just before the submit it checks that
the folder still takes files and has room for the rest of the run. After the submit it never raises:
it stops writing, keeps the bundle a valid partial one, and says why (`failure`), so that the run's
outcome is still shown.

Only the site's own text (page HTML, texts, dialogs, its messages in notes and errors) is scrubbed of
secrets; the run's records (times, URLs, file names, the application number) are kept as they are.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import os
import re
import shutil
from pathlib import Path

from assistant import __version__
from assistant.driving import events as ev
from assistant.errors import BrowserCrashed, EvidenceUnwritable
from assistant.evidence.bundle import MANIFEST
from assistant.messages import reason
from assistant.redaction import Redactor

FORMAT = "closure-assistant-evidence/1"
GENESIS = "0" * 64
# Entry fields that may carry the site's words (its messages in notes, error details): scrubbed of
# secrets. Everything else in an entry is the run's own record and is stored as it is.
SITE_TEXT_FIELDS = ("note",)
# Room the rest of a run needs, checked just before the submit: the steps still to come (at the
# average size of those so far), the report (measured: report.html + report.pdf are about 2.2 times
# the evidence of a demo closure), all with a margin, and never less than the floor.
ROOM_MARGIN = 1.5
REPORT_FACTOR = 2.5
ROOM_FLOOR_BYTES = 4 * 1024 * 1024
PROBE_NAME = ".preflight.tmp"
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
    """All of `data` at `path`, or the old file untouched and no temporary file left (a full disk, a kill
    between write and rename aside)."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


OS_REASONS = ("ENOSPC", "EDQUOT", "EROFS", "EACCES", "EPERM", "ENOTDIR", "EEXIST", "ENOENT")


def describe_os_error(exc: OSError) -> str:
    """Why a write failed, as a reason a person can act on: a catalogue key (oserror.ENOSPC: the disk is
    full, ...; shown with messages.reason in the reader's language), else the system's own words."""
    name = errno.errorcode.get(exc.errno or 0, "")
    return f"oserror.{name}" if name in OS_REASONS else (exc.strerror or type(exc).__name__)


def unwritable(folder, why: str, **params) -> EvidenceUnwritable:
    return EvidenceUnwritable(f"{folder}: {reason(why, 'en', **params)}", path=str(folder), why=why, **params)


# A downloaded file keeps the site's extension only for document types; anything else is kept as data
# (.download), so that nobody opens a program by double-clicking inside an evidence folder.
DOCUMENT_SUFFIXES = (".pdf", ".ofd", ".png", ".jpg", ".jpeg", ".csv", ".txt", ".xls", ".xlsx", ".doc", ".docx",
                     ".zip")


def download_suffix(suggested: str, data: bytes) -> str:
    if data.startswith(b"%PDF-"):
        return ".pdf"
    suffix = Path(suggested or "").suffix.lower()
    return suffix if suffix in DOCUMENT_SUFFIXES else ".download"


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
        self.failure = ""           # why the writer stopped writing (disk full, ...): the bundle ends there
        self.saved_hash: str | None = None  # the chain's last hash as it is on disk
        self.bytes_written = 0
        self.total_steps = 0
        self.screenshot_style = ""  # CSS applied while a screenshot is taken (witness hides its toolbar)

    def prepare(self) -> None:
        """Before the browser starts: the folder for run folders exists (or can be made) and takes files."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            if not self.root.is_dir():
                raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(self.root))
            self._probe(self.root)
        except OSError as exc:
            raise unwritable(self.root, describe_os_error(exc)) from None

    @staticmethod
    def _probe(folder: Path) -> None:
        probe = folder / PROBE_NAME
        atomic_write(probe, b"\0" * 4096)
        probe.unlink()

    # ------------------------------------------------------------ manifest

    def _scrub(self, value):
        """The site's words, scrubbed before hashing (a scrub after hashing would break the chain)."""
        if isinstance(value, str):
            return self.redactor.scrub(value)
        if isinstance(value, (list, tuple)):
            return [self._scrub(v) for v in value]
        return value

    def _add(self, kind: str, at: dt.datetime, file: Path | None = None, **fields) -> dict:
        self.seq += 1
        entries = self.manifest["entries"]
        entry = {"seq": self.seq, "kind": kind, **times(at)}
        if file is not None:
            entry["file"] = file.relative_to(self.dir).as_posix()
            entry["sha256"] = sha256_file(file)
            entry["bytes"] = file.stat().st_size
        entry.update({k: self._scrub(v) if k in SITE_TEXT_FIELDS else v
                      for k, v in fields.items() if v not in (None, "")})
        entry["prev"] = entries[-1]["hash"] if entries else GENESIS
        entry["hash"] = entry_hash(entry)
        entries.append(entry)
        self.manifest["final_hash"] = entry["hash"]
        self._save()
        return entry

    def _save(self) -> None:
        data = json.dumps(self.manifest, ensure_ascii=False, indent=2).encode("utf-8")
        atomic_write(self.dir / MANIFEST, data)
        self.saved_hash = self.manifest["final_hash"]

    def _write(self, rel: str, data: bytes) -> Path:
        path = self._unique(self.dir / rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)
        self.bytes_written += len(data)
        return path

    def room_needed(self) -> int:
        """Bytes the rest of the run needs, estimated at the step about to run (the submit)."""
        index = self.step.get("index") or 1
        done = max(1, index - 1)
        left = max(1, self.total_steps - index + 1)
        rest = self.bytes_written / done * left
        return max(ROOM_FLOOR_BYTES, int(ROOM_MARGIN * (rest + REPORT_FACTOR * (self.bytes_written + rest))))

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
        if method is None:
            return
        if self.failure:  # stopped: the bundle on disk stays a valid partial one, ending where it failed
            if isinstance(event, ev.SubmitPreflight):
                raise unwritable(self.dir or self.root, self.failure)
            return
        try:
            method(event)
        except OSError as exc:
            self.failure = describe_os_error(exc)
            if self.submitted_at is not None or isinstance(event, (ev.StepFailed, ev.RunFinished)):
                return  # the closure was sent, or the run is ending anyway: its outcome matters more
            raise unwritable(self.dir or self.root, self.failure) from None

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
            "site": {"id": p.id, "names": p.names, "website": p.website, "jurisdiction": p.jurisdiction},
            "account": e.account_masked,
            "profile": {"file": "profile.yaml", "sha256": p.sha256, "path": p.path.name},
            "browser": {"name": "chromium", "version": e.browser},
            # The capture environment (browser mode, proxy, certificate checking, this computer): covered by
            # the chain from the first entry, like the rest of the header.
            "environment": e.environment,
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
        self.manifest.update({k: v for k, v in e.header.items() if k not in self.manifest})
        copy = self.dir / "profile.yaml"
        data = Path(p.path).read_bytes()
        atomic_write(copy, data)
        self.bytes_written += len(data)
        self._add("profile", e.at, copy, note=e.header.get("profile_note") or "the site profile used for this run",
                  header_sha256=header_hash(self.manifest))

    def _on_StepStarted(self, e: ev.StepStarted) -> None:
        self.total_steps = e.total
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
                extra = {"style": self.screenshot_style} if self.screenshot_style else {}
                data = page.screenshot(full_page=True, mask=masks, mask_color="#000000",
                                       animations="disabled", caret="hide", timeout=timeout_ms, **extra)
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

    def _on_SiteIdentified(self, e: ev.SiteIdentified) -> None:
        # Who the browser was talking to: the server's address and the certificate it accepted (in the chain).
        self._add("site_identity", e.at, index=self.step.get("index"), **e.identity)

    def _on_Drift(self, e: ev.Drift) -> None:
        self._add("drift", e.at, step=e.step.title, candidate=e.candidate, candidate_index=e.candidate_index,
                  index=self.step.get("index"))

    def _on_Captured(self, e: ev.Captured) -> None:
        self._add("capture", e.at, name=e.name, value=e.value, sensitive=e.sensitive, index=self.step.get("index"))

    def _on_ChecklistAnswered(self, e: ev.ChecklistAnswered) -> None:
        # The person's own answers, before anything ran: the report shows them at its top.
        items = [{k: item.get(k) for k in ("id", "zh", "en", "required", "checked")} for item in e.items]
        self._add("checklist", e.at, items=items, note="what the person ticked before the run (the tool cannot check it)")

    def _on_Downloaded(self, e: ev.Downloaded) -> None:
        # The site's file, copied byte for byte into the bundle (never opened): its SHA-256 joins the chain.
        with open(e.path, "rb") as fh:
            data = fh.read(e.size + 1)
        path = self._write(f"downloads/{e.name}{download_suffix(e.suggested, data)}", data)
        self._add("download", e.at, path, step=e.step.title, index=self.step.get("index"), url=e.url,
                  name=e.name, suggested=e.suggested, what=e.what)

    def _on_SubmitPreflight(self, e: ev.SubmitPreflight) -> None:
        """The last moment to refuse: the folder must still take files and have room for the rest of the run."""
        if self.dir is None or not self.dir.is_dir():
            raise unwritable(self.dir, "oserror.ENOENT")
        self._probe(self.dir)  # an OSError here is turned into EvidenceUnwritable by handle()
        free = shutil.disk_usage(self.dir).free
        needed = self.room_needed()
        if free < needed:
            raise unwritable(self.dir, "oserror.no_room", free=f"{free / 1e6:.1f}", needed=f"{needed / 1e6:.1f}")

    def _on_SubmitStarting(self, e: ev.SubmitStarting) -> None:
        self._add("submit_started", e.at, url=e.url, index=self.step.get("index"), step=self.step.get("step"))
        self.submitted_at = times(e.at)  # only once recorded: a failure to record it still stops the click

    def _on_SubmitDone(self, e: ev.SubmitDone) -> None:
        r = e.record  # every answer is kept: 5xx, no answer and refusals as much as acceptance
        self._add("submit_request", e.at, url=e.url, state=r["state"], method=r["method"], request_url=r["url"],
                  sent_at=r["sent_at"], response_status=r["status"], answered_at=r["answered_at"],
                  failure=r["failure"], site_words=r["site_words"], confirmed_by=r["confirmed_by"],
                  cause=r["cause"], index=self.step.get("index"))

    def _on_SubmitBlocked(self, e: ev.SubmitBlocked) -> None:
        self._add("submit_blocked", e.at, step=e.step, method=e.method, request_url=e.url,
                  after_submit=e.after_submit, index=self.step.get("index"),
                  note="a request to the closure endpoint that was not the submit step's was stopped before it left")

    def _on_CheckingAfterSubmit(self, e: ev.CheckingAfterSubmit) -> None:
        self._add("status_check", e.at, note=e.reason, step=e.step.title if e.step else None,
                  index=self.step.get("index"))

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
        if isinstance(r.error, BrowserCrashed):
            # Cut off like a killed run: no result block (complete stays false), one entry saying why.
            self._add("interrupted", e.at, note=r.error.detail or "the browser stopped", error=type(r.error).__name__,
                      submitted=r.submitted or None)
            return
        self.manifest["finished_at"] = times(e.at)
        self.manifest["complete"] = True
        self.manifest["result"] = {
            "outcome": r.outcome, "state": r.state, "submitted": r.submitted,
            "submitted_at": times(r.submit.sent_at) if r.submit.sent else None,  # when the request left
            "captures": r.captures, "submit_request": r.submit_request,
            "submit": r.submit.as_dict() if r.submit.clicked else None,
            "deadline": r.deadline.as_dict() if r.deadline is not None else None,
            "error": None if r.error is None else {"type": type(r.error).__name__,
                                                   "detail": self._scrub(r.error.detail or "")},
            "failed_step": r.failed_step, "drift": r.drift, "warnings": self._scrub(r.warnings),
            "overlays_dismissed": r.overlays_dismissed,
            "closed_by": r.closed_by, "closure_recorded": r.closure_recorded,
            # Origins reached (those outside the profile's named), and the requests the tool blocked.
            "network": r.network or None,
        }
        self._add("finished", e.at, outcome=r.outcome, summary_sha256=summary_hash(self.manifest))

    # ------------------------------------------------------------ a person's own walk (witness)

    MAX_DOWNLOAD_BYTES = 64 * 1024 * 1024  # a larger file is hashed and named, not kept

    def _on_WitnessStepStarting(self, e: ev.WitnessStepStarting) -> None:
        self.step = {"index": e.index, "step": e.title, "screen": e.screen}

    def _on_WitnessStep(self, e: ev.WitnessStep) -> None:
        self.step = {"index": e.index, "step": e.title, "screen": e.screen}
        self.seen_before = {}  # the screenshot shows the screen as it is now, not the one before an action
        self._step_files(e, "ok", e.title, e.screen, action=e.action, performed_by="person", note=e.note)
        if e.text:
            path = self._write(f"texts/{self.seq + 1:03d}-{_slug(e.screen or 'screen')}.txt",
                               self.redactor.scrub(e.text).encode("utf-8"))
            self._add("text", e.at, path, label=f"screen_{e.screen}", url=e.url, **self.step)

    def _on_FieldFilled(self, e: ev.FieldFilled) -> None:
        self._add("field_filled", e.at, label=self.redactor.scrub(e.label), field=e.field, url=e.url,
                  index=self.step.get("index"), performed_by="person", note="the value typed is not recorded")

    def _on_PersonNote(self, e: ev.PersonNote) -> None:
        self._add("person_note", e.at, note=e.text, url=e.url, index=self.step.get("index"))

    def _on_DownloadSeen(self, e: ev.DownloadSeen) -> None:
        name = self.redactor.scrub(e.name)
        kept = None
        if e.path is not None and e.size is not None and e.size <= self.MAX_DOWNLOAD_BYTES:
            suffix = re.sub(r"[^A-Za-z0-9.]", "", Path(e.name).suffix)[:10]
            kept = self._write(f"downloads/{self.seq + 1:03d}-{_slug(Path(e.name).stem)}{suffix}",
                               Path(e.path).read_bytes())
        self._add("download", e.at, kept, name=name, url=e.url, download_bytes=e.size, download_sha256=e.sha256,
                  failure=e.failure, index=self.step.get("index"),
                  note=None if kept or e.failure else "larger than the bundle keeps: named and hashed only")

    def _on_OriginsVisited(self, e: ev.OriginsVisited) -> None:
        self._add("origins", e.at, origins=list(e.origins))

    def _on_WitnessStopped(self, e: ev.WitnessStopped) -> None:
        # The bundle's last entry: where the person stopped. No "finished" follows, so it stays partial.
        self._add("stopped", e.at, how=e.how, url=e.last_url, note=e.reason, index=self.step.get("index"))
