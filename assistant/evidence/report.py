"""The evidence report: `report.html` (one self-contained file) and `report.pdf`, made from a bundle.

Everything comes from the bundle's files, which are already free of secrets; nothing is fetched.
The report is made after the run, so it is not in the hash chain (that would change the final
hash the user already wrote down); its hashes go to the sidecar `report.sha256` instead, which
`evidence verify` checks. The PDF is Chromium's own print of the HTML (assistant/evidence/pdf.py).

Only regular files inside the bundle are read, each under a size cap (assistant/evidence/bundle.py):
a manifest that names /etc/hostname, ../x or a link gets nothing of it into the report.
"""
from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from assistant.evidence import template as tpl
from assistant.deadlines import Deadline, calendar_words
from assistant.evidence.bundle import (MAX_IMAGE_BYTES, MAX_TEXT_BYTES, NotInBundle, read_manifest,
                                       read_member)
from assistant.evidence.writer import MANIFEST
from assistant.evidence.verify import REPORT_FILES, REPORT_SIDECAR, verify_bundle
from assistant.messages import CATALOGUE, t
from assistant.evidence.pdf import print_pdf, print_pdf_any
from assistant.evidence.preparation import event_detail as preparation_detail, preparation_view
from assistant.settings import DEFAULT_REVIEW_WORKING_DAYS

HTML_NAME, PDF_NAME = REPORT_FILES
FLAGGED_SCREENS = ("retention", "agreement", "notice", "questionnaire", "obstruction")
SITE_MESSAGE_LABELS = ("blocked_by_site", "wrong_code", "expired", "locked", "account_closed")
EVENT_TEXT_CHARS = 160
MAX_INLINED_BYTES = 256 * 1024 * 1024   # all screenshots together; past it the report names the files instead
WEEKDAYS_ZH = "一二三四五六日"


@dataclass
class ReportFiles:
    html: Path
    pdf: Path
    seconds: float


def display_time(stamp: Optional[dict]) -> Optional[dict]:
    """None for a missing or damaged time (the report says "-" rather than failing on it)."""
    if not isinstance(stamp, dict):
        return None
    try:
        utc = dt.datetime.fromisoformat(str(stamp["time_utc"]).replace("Z", "+00:00"))
        local = dt.datetime.fromisoformat(str(stamp["time_local"]))
    except (KeyError, ValueError):
        return None
    if local.utcoffset() is None:
        return None
    offset = local.strftime("%z")
    return {"utc": utc.strftime("%Y-%m-%d %H:%M:%S UTC"),
            "local": local.strftime("%Y-%m-%d %H:%M:%S") + f" (UTC{offset[:3]}:{offset[3:]})",
            "date": local.date()}


def _pair(prefix: str, key: str) -> tuple[str, str]:
    name = f"{prefix}.{key}"
    return (t(name, "zh"), t(name, "en")) if name in CATALOGUE else (key, key)


def _read_text(bundle: Path, entry: dict) -> str:
    try:
        return read_member(bundle, entry.get("file"), MAX_TEXT_BYTES).decode("utf-8", errors="replace")
    except (OSError, NotInBundle):
        return ""


class _Inlined:
    """Screenshots inlined so far: the report stops inlining once they reach MAX_INLINED_BYTES."""

    def __init__(self):
        self.total = 0

    def image(self, bundle: Path, entry: dict) -> Optional[str]:
        try:
            data = read_member(bundle, entry.get("file"), MAX_IMAGE_BYTES)
        except (OSError, NotInBundle):
            return None
        if not data.startswith(b"\x89PNG") or self.total + len(data) > MAX_INLINED_BYTES:
            return None  # only ever inline what is really a PNG, and a bounded amount of it
        self.total += len(data)
        return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def _names(value) -> dict:
    return value if isinstance(value, dict) else {}


def build_view(bundle: Path) -> dict:
    bundle = Path(bundle)
    try:
        manifest = read_manifest(bundle)
    except NotInBundle as exc:  # a link or a device in the manifest's place: not a bundle to report on
        from assistant.evidence.bundle import ManifestDamaged
        raise ManifestDamaged(f"manifest.json: {exc.why}") from None
    entries = manifest.get("entries", [])
    result = manifest.get("result") or {}
    complete = manifest.get("complete") is True
    outcome_key = result.get("outcome") if complete and result.get("outcome") else "partial"
    # The entry written just before the irreversible click: for a killed run it is all there is.
    started = next((e for e in entries if e.get("kind") == "submit_started"), None)
    record = result.get("submit") if complete else None
    submitted = bool(result.get("submitted")) if complete else started is not None
    submitted_at = display_time(result.get("submitted_at") or (None if complete else started)) if submitted else None
    days = manifest.get("review_working_days")
    if not isinstance(days, int) or not 0 < days <= 365:  # as the profile schema allows
        days = DEFAULT_REVIEW_WORKING_DAYS
    # The one deadline the run computed when the site accepted the request; none otherwise.
    deadline = deadline_note = None
    info = None
    if complete and isinstance(result.get("deadline"), dict):
        try:
            info = Deadline.from_dict(result["deadline"])
        except (TypeError, ValueError, KeyError):  # a damaged manifest: the report still says the rest
            info = None
    if info is not None:
        date = info.date
        deadline = f"{date.isoformat()}（星期{WEEKDAYS_ZH[date.weekday()]} / {date.strftime('%A')}）"
        days = info.working_days
        deadline_note = (calendar_words(info, "zh"), calendar_words(info, "en"))
    state = result.get("state")
    device = manifest.get("device") or {}
    viewport = device.get("viewport") or {}
    checked = verify_bundle(bundle)
    problems = [f for f in checked.findings if f.path not in (*REPORT_FILES, REPORT_SIDECAR)]

    site = _names(manifest.get("site"))
    names = _names(site.get("names"))
    view = {
        "site_zh": names.get("zh", ""), "site_en": names.get("en", ""),
        "site_id": str(site.get("id", "")), "account": manifest.get("account", ""),
        "outcome_key": outcome_key, "outcome": _pair("outcome", outcome_key),
        "submitted": "yes" if complete and submitted else ("submit_started" if submitted else "no"),
        "submit_record": submit_view(record) if record else None,
        "deadline_note": deadline_note,
        "application_number": (result.get("captures") or {}).get("application_number"),
        "state": _pair("state", state) if state else None,
        "submitted_at": submitted_at,
        "submit_request": result.get("submit_request"),
        "deadline": deadline, "review_days": days,
        "error": result.get("error"), "failed_step": result.get("failed_step"),
        "warnings": result.get("warnings") or [],
        "started_at": display_time(manifest.get("started_at")), "finished_at": display_time(manifest.get("finished_at")),
        "complete": complete, "run_id": manifest.get("run_id", ""), "flow": manifest.get("flow", ""),
        "dry_run": manifest.get("dry_run"), "tool_version": (manifest.get("tool") or {}).get("version", ""),
        "browser": f'{(manifest.get("browser") or {}).get("name", "")} {(manifest.get("browser") or {}).get("version", "")}',
        "device": " · ".join(x for x in (
            f'{viewport.get("width")}×{viewport.get("height")}' if viewport else "",
            "mobile" if device.get("mobile") else "desktop", device.get("locale") or "",
            device.get("timezone") or "") if x),
        "profile_sha256": (manifest.get("profile") or {}).get("sha256", ""),
        "folder": bundle.name,
        "final_hash": checked.final_hash or manifest.get("final_hash", ""),
        "integrity": {"problems": len(problems), "state": "intact" if complete else "partial"},
    }
    view["flagged"], view["timeline"] = _flagged_and_timeline(bundle, entries)
    view["preparation"] = preparation_view(entries)  # the checklist and the documents saved: the report's top
    return view


def submit_view(record: dict) -> dict:
    """The closure request in words (both languages) beside the technical line."""
    state = record.get("state") or "not_sent"
    words = (record.get("site_words") or "").replace("\n", " ")[:300]
    at = display_time({"time_utc": record["answered_at"], "time_local": record["answered_at"].replace("Z", "+00:00")}) \
        if record.get("answered_at") else None
    status_words = {lang: t(f"submit.{state}", lang, status=record.get("status"), at=at["utc"] if at else "-",
                            words=words) for lang in ("zh", "en")}
    if state == "accepted":
        plain_key = f"submit.plain.accepted_{record.get('confirmed_by') or 'result_page'}"
    elif state == "not_sent":
        plain_key = "submit.plain.not_sent"
    elif record.get("cause") and f"submit.plain.{record['cause']}" in CATALOGUE:
        plain_key = f"submit.plain.{record['cause']}"
    elif state == "rejected":
        plain_key = "submit.plain.site_refused"
    else:
        plain_key = "submit.plain.unconfirmed"
    technical = ""
    if record.get("sent_at"):
        answer = f"HTTP {record['status']}" if record.get("status") is not None else \
            f"no answer{' (' + record['failure'] + ')' if record.get('failure') else ''}"
        technical = f"{record.get('method')} {record.get('url')} → {answer} · sent {record['sent_at']}" + \
            (f" · answered {record['answered_at']}" if record.get("answered_at") else "")
    return {"state": (status_words["zh"], status_words["en"]), "plain": _pair("submit", plain_key[len("submit."):]),
            "technical": technical, "blocked": len(record.get("blocked") or [])}


def _flagged_and_timeline(bundle: Path, entries: list[dict]) -> tuple[list, list]:
    """Flagged: one item per flagged screen (its texts gathered under it), dialog, pop-up or site message."""
    flagged: dict[tuple, dict] = {}
    timeline: list[dict] = []
    cards: dict[tuple, dict] = {}
    inlined = _Inlined()

    def flag(key, screen, entry, when, text=""):
        item = flagged.setdefault(key, {"label": tpl.SCREENS[screen], "time": when, "url": entry.get("url", ""),
                                        "title": entry.get("step") or entry.get("label") or entry.get("name", ""),
                                        "texts": []})
        if text:
            item["texts"].append(text)

    for entry in entries:
        kind = entry.get("kind")
        when = display_time(entry)
        if kind in ("screenshot", "step"):
            card = {"type": "step", "index": entry.get("index"), "title": entry.get("step", ""),
                    "screen": entry.get("screen"), "outcome": entry.get("outcome", "ok"), "time": when,
                    "url": entry.get("url", ""), "note": entry.get("note", ""), "files": [],
                    "image": inlined.image(bundle, entry) if kind == "screenshot" else None}
            if kind == "screenshot" and "file" in entry:
                card["files"].append((entry["file"], entry.get("sha256", "")))
            cards[(entry.get("index"), entry.get("step"))] = card
            timeline.append(card)
            if entry.get("screen") in FLAGGED_SCREENS and entry.get("outcome") == "ok":
                flag((entry.get("index"), entry["screen"]), entry["screen"], entry, when)
                if entry.get("screen_shown_in"):
                    flagged[(entry.get("index"), entry["screen"])].update(
                        url=entry.get("screen_url", ""), shown_in=entry["screen_shown_in"])
        elif kind == "html":
            card = cards.get((entry.get("index"), entry.get("step")))
            if card is not None and "file" in entry:
                card["files"].append((entry["file"], entry.get("sha256", "")))
        elif kind in tpl.EVENTS:
            detail = _event_detail(bundle, entry)
            timeline.append({"type": "event", "label": tpl.EVENTS[kind], "time": when, "url": entry.get("url", ""),
                             "detail": detail if len(detail) <= EVENT_TEXT_CHARS else detail[:EVENT_TEXT_CHARS] + "…"})
            screen = _flag_for(entry)
            if screen in FLAGGED_SCREENS:
                flag((entry.get("index"), screen), screen, entry, when, detail)
            elif screen:
                flag((entry.get("seq"),), screen, entry, when, detail)
    return list(flagged.values()), timeline


def _flag_for(entry: dict) -> Optional[str]:
    kind = entry.get("kind")
    if kind == "dialog":
        return "dialog"
    if kind == "overlay":
        return "obstruction"
    if kind == "text":
        if entry.get("label") in SITE_MESSAGE_LABELS:
            return "site_message"
        if entry.get("screen") in FLAGGED_SCREENS:
            return entry["screen"]
    return None


def _event_detail(bundle: Path, entry: dict) -> str:
    kind = entry.get("kind")
    if kind in ("text", "dialog"):
        text = _read_text(bundle, entry).strip()
        if kind == "dialog":
            text = f'[{entry.get("dialog", "")} → {entry.get("action", "")}] {text}'
        return text
    if kind == "overlay":
        return entry.get("name", "")
    if kind == "capture":
        return f'{entry.get("name")}: {entry.get("value")}'
    if kind == "submit_request":
        answer = f'HTTP {entry.get("response_status")}' if entry.get("response_status") is not None else "no answer"
        return f'{entry.get("state", "")}: {entry.get("method", "")} {entry.get("request_url")} → {answer}'
    if kind == "submit_blocked":
        return f'{entry.get("step", "")}: {entry.get("method", "")} {entry.get("request_url", "")}'
    if kind == "status_check":
        return entry.get("note", "")
    if kind in ("retry", "drift"):
        return f'{entry.get("step", "")}: {entry.get("note") or entry.get("candidate") or ""}'
    if kind == "finished":
        return entry.get("outcome", "")
    if kind in ("download", "checklist"):
        return preparation_detail(entry)
    return entry.get("step", "")


def _view_and_html(bundle: Path) -> tuple[dict, str]:
    """A manifest whose chain holds but whose values have the wrong shape (crafted) is damaged, not a bug."""
    from assistant.evidence.bundle import ManifestDamaged
    try:
        view = build_view(bundle)
        return view, tpl.render(view)
    except (TypeError, AttributeError, KeyError, ValueError, RecursionError) as exc:
        raise ManifestDamaged(f"manifest.json: a value has the wrong type ({type(exc).__name__})") from None


def render_html(bundle: Path) -> str:
    return _view_and_html(bundle)[1]


def write_report(bundle: Path, browser=None, *, browser_path: Optional[str] = None) -> ReportFiles:
    """Builds report.html and report.pdf in `bundle` and records their hashes in report.sha256.

    `browser`: an open Playwright browser (the run's own); else a headless one is launched here.
    All three files are written only once the PDF exists, so a failure leaves the old report intact.
    """
    started = time.perf_counter()
    bundle = Path(bundle)
    view, html = _view_and_html(bundle)
    footer = tpl.footer_template(view["site_zh"], view["run_id"])
    if browser is not None:
        pdf = print_pdf_any(browser, html, footer)
    else:
        from playwright.sync_api import sync_playwright

        from assistant.driving.browser import launch
        with sync_playwright() as pw:
            own, _choice = launch(pw, headed=False, override=browser_path)
            try:
                pdf = print_pdf(own, html, footer)
            finally:
                own.close()
    html_bytes = html.encode("utf-8")
    sidecar = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n"
                      for name, data in ((HTML_NAME, html_bytes), (PDF_NAME, pdf)))
    _write_all(bundle, {HTML_NAME: html_bytes, PDF_NAME: pdf, REPORT_SIDECAR: sidecar.encode("ascii")})
    return ReportFiles(bundle / HTML_NAME, bundle / PDF_NAME, time.perf_counter() - started)


def _write_all(bundle: Path, files: dict[str, bytes]) -> None:
    """All the report's files or none: each is written to NAME.tmp and synced, and only when every one
    is on disk are they renamed into place. A failure (a full disk) removes the temporary files and
    leaves the old report as it was."""
    temps = {name: bundle / f"{name}.tmp" for name in files}
    try:
        for name, data in files.items():
            with open(temps[name], "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for name in files:
            os.replace(temps[name], bundle / name)
    except BaseException:
        for tmp in temps.values():
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise


def render_after_run(bundle: Optional[Path], browser) -> tuple[Optional[ReportFiles], str]:
    """For the runner: a report failure must never cost the run its result. Returns (files, error)."""
    if bundle is None or not (Path(bundle) / MANIFEST).is_file():
        return None, ""
    from assistant.evidence.writer import describe_os_error
    try:
        return write_report(bundle, browser), ""
    except OSError as exc:
        return None, describe_os_error(exc)  # a catalogue key: oserror.ENOSPC ...
    except Exception as exc:  # noqa: BLE001 - the bundle is complete without a report; say so, don't crash
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return None, f"{type(exc).__name__}: {first}"
