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
import struct
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from assistant.evidence import template as tpl
from assistant.deadlines import Deadline, calendar_words
from assistant.evidence.bundle import (MAX_IMAGE_BYTES, MAX_TEXT_BYTES, NotInBundle, read_manifest,
                                       read_member)
from assistant.evidence.writer import MANIFEST
from assistant.evidence.timestamp import TIMESTAMP_FILES
from assistant.evidence.verify import REPORT_FILES, REPORT_SIDECAR, verify_bundle
from assistant.messages import CATALOGUE, t
from assistant.evidence.pdf import print_pdf, print_pdf_any
from assistant.evidence.preparation import event_detail as preparation_detail, preparation_view
from assistant.settings import DEFAULT_REVIEW_WORKING_DAYS

HTML_NAME, PDF_NAME = REPORT_FILES
FLAGGED_SCREENS = ("retention", "agreement", "notice", "questionnaire", "obstruction", "precondition")
SITE_MESSAGE_LABELS = ("blocked_by_site", "wrong_code", "expired", "locked", "account_closed")
EVENT_TEXT_CHARS = 160
MAX_INLINED_BYTES = 256 * 1024 * 1024   # all screenshots together; past it the report names the files instead
WEEKDAYS_ZH = "一二三四五六日"


@dataclass
class ReportFiles:
    html: Path
    pdf: Optional[Path]   # None when the PDF was not asked for (settings.report_pdf_wanted)
    seconds: float

    @property
    def main(self) -> Path:
        """The file to show a person: the PDF when there is one."""
        return self.pdf or self.html


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


def report_lang(manifest: dict, lang: Optional[str] = None) -> str:
    """The report's language: the one asked for (--lang), else the site's (its locale)."""
    if lang in ("zh", "en"):
        return lang
    locale = str((manifest.get("device") or {}).get("locale") or "")
    return "zh" if locale.lower().startswith("zh") else "en"


def site_lang(manifest: dict) -> str:
    return report_lang(manifest, None)


def _zone(manifest: dict):
    name = (manifest.get("device") or {}).get("timezone")
    if not isinstance(name, str) or not name:
        return None
    try:
        from zoneinfo import ZoneInfo
        return ZoneInfo(name)
    except Exception:  # noqa: BLE001 - an unknown zone (or no tz database): this computer's time instead
        return None


def site_time(stamp, zone) -> Optional[dict]:
    """{"site": time at the site (its zone), "utc": ..., "date": the site's date}; None when missing or damaged."""
    shown = display_time(stamp)
    if shown is None:
        return None
    utc = dt.datetime.fromisoformat(str(stamp["time_utc"]).replace("Z", "+00:00"))
    local = utc.astimezone(zone) if zone is not None else dt.datetime.fromisoformat(str(stamp["time_local"]))
    offset = local.strftime("%z")
    label = f"UTC{offset[:3]}:{offset[3:]}" + (f", {zone.key}" if zone is not None else "")
    return {"site": local.strftime("%Y-%m-%d %H:%M:%S") + f" ({label})", "utc": shown["utc"], "date": local.date()}


def _read_text(bundle: Path, entry: dict) -> str:
    try:
        return read_member(bundle, entry.get("file"), MAX_TEXT_BYTES).decode("utf-8", errors="replace")
    except (OSError, NotInBundle):
        return ""


def _png_size(data: bytes) -> Optional[tuple[int, int]]:
    if len(data) < 24 or not data.startswith(b"\x89PNG\r\n\x1a\n") or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return (width, height) if 0 < width <= 100_000 and 0 < height <= 1_000_000 else None


class _Inlined:
    """Screenshots inlined so far, each once (one CSS class per distinct image): the report stops inlining
    once they reach MAX_INLINED_BYTES."""

    def __init__(self):
        self.total = 0
        self.classes: dict[str, dict] = {}   # sha256 → {"class", "width", "height", "slices"}
        self.css: list[str] = []

    def image(self, bundle: Path, entry: dict) -> Optional[dict]:
        digest = str(entry.get("sha256") or "")
        if digest in self.classes:
            return self.classes[digest]
        try:
            data = read_member(bundle, entry.get("file"), MAX_IMAGE_BYTES)
        except (OSError, NotInBundle):
            return None
        size = _png_size(data)
        if size is None or self.total + len(data) > MAX_INLINED_BYTES:
            return None  # only ever inline what is really a PNG, and a bounded amount of it
        self.total += len(data)
        css = f"i{len(self.classes) + 1}"
        self.css.append(f".{css}{{background-image:url(data:image/png;base64,{base64.b64encode(data).decode('ascii')})}}")
        width, height = size
        self.classes[digest or css] = {"class": css, "width": width, "height": height,
                                       "slices": _slices(tpl.PRINT_WIDTH_MM * height / width)}
        return self.classes[digest or css]


def _slices(height_mm: float) -> list[tuple[float, float]]:
    """(top, height) in mm of each printed page's part of a screenshot shown full width."""
    out, top = [], 0.0
    while top < height_mm - 0.5 or not out:
        tall = min(tpl.FIRST_SLICE_MM if not out else tpl.NEXT_SLICE_MM, height_mm - top)
        out.append((top, tall))
        top += tall
    return out


def _names(value) -> dict:
    return value if isinstance(value, dict) else {}


def build_view(bundle: Path, lang: Optional[str] = None) -> dict:
    bundle = Path(bundle)
    try:
        manifest = read_manifest(bundle)
    except NotInBundle as exc:  # a link or a device in the manifest's place: not a bundle to report on
        from assistant.evidence.bundle import ManifestDamaged
        raise ManifestDamaged(f"manifest.json: {exc.why}") from None
    zone = _zone(manifest)
    entries = manifest.get("entries", [])
    result = manifest.get("result") or {}
    complete = manifest.get("complete") is True
    outcome_key = result.get("outcome") if complete and result.get("outcome") else "partial"
    # The entry written just before the irreversible click: for a killed run it is all there is.
    started = next((e for e in entries if e.get("kind") == "submit_started"), None)
    record = result.get("submit") if complete else None
    submitted = bool(result.get("submitted")) if complete else started is not None
    submitted_at = site_time(result.get("submitted_at") or (None if complete else started), zone) if submitted else None
    days = manifest.get("review_working_days")
    if not isinstance(days, int) or not 0 < days <= 365:  # as the profile schema allows
        days = DEFAULT_REVIEW_WORKING_DAYS
    lang = report_lang(manifest, lang)
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
        deadline = (f"{date.isoformat()}（星期{WEEKDAYS_ZH[date.weekday()]}）" if lang == "zh"
                    else f"{date.isoformat()} ({date.strftime('%A')})")
        days = info.working_days
        deadline_note = (calendar_words(info, "zh"), calendar_words(info, "en"))
    state = result.get("state")
    device = manifest.get("device") or {}
    viewport = device.get("viewport") or {}
    checked = verify_bundle(bundle)
    problems = [f for f in checked.findings if f.path not in (*REPORT_FILES, REPORT_SIDECAR, *TIMESTAMP_FILES)]

    site = _names(manifest.get("site"))
    names = _names(site.get("names"))
    jurisdiction = site.get("jurisdiction") if isinstance(site.get("jurisdiction"), str) else None
    environment = manifest.get("environment") if isinstance(manifest.get("environment"), dict) else {}
    browser = manifest.get("browser") if isinstance(manifest.get("browser"), dict) else {}
    view = {
        "lang": lang, "second": None if lang == site_lang(manifest) else ("en" if lang == "zh" else "zh"),
        "jurisdiction": jurisdiction,
        "site_zh": names.get("zh", ""), "site_en": names.get("en", ""),
        "site_name": names.get(lang) or names.get("en") or names.get("zh", ""),
        "site_id": str(site.get("id", "")), "account": manifest.get("account", ""),
        "outcome_key": outcome_key,
        # A refused login counts as "closed" only with its reason beside it: the reader must see what it rests on.
        "outcome": (_pair("case", "closed_login_refused") if complete and result.get("closed_by") == "login_refused"
                    else _pair("outcome", outcome_key)),
        "submitted": "yes" if complete and submitted else ("submit_started" if submitted else "no"),
        "submit_record": submit_view(record) if record else None,
        "deadline_note": deadline_note,
        "application_number": (result.get("captures") or {}).get("application_number"),
        "state": _pair("state", state) if state else None,
        "closed_by": result.get("closed_by"),
        "submitted_at": submitted_at,
        "deadline": deadline, "review_days": days,
        "error": result.get("error"), "failed_step": result.get("failed_step"),
        "warnings": result.get("warnings") or [],
        "started_at": site_time(manifest.get("started_at"), zone),
        "finished_at": site_time(manifest.get("finished_at"), zone),
        "complete": complete, "run_id": manifest.get("run_id", ""), "flow": manifest.get("flow", ""),
        "dry_run": manifest.get("dry_run"), "tool_version": (manifest.get("tool") or {}).get("version", ""),
        "browser": f'{browser.get("name", "")} {browser.get("version", "")}',
        "device": " · ".join(x for x in (
            f'{viewport.get("width")}×{viewport.get("height")}' if viewport else "",
            "mobile" if device.get("mobile") else "desktop", device.get("locale") or "",
            device.get("timezone") or "") if x),
        "profile_sha256": (manifest.get("profile") or {}).get("sha256", ""),
        "folder": bundle.name,
        "final_hash": checked.final_hash or manifest.get("final_hash", ""),
        "integrity": {"problems": len(problems), "state": "intact" if complete else "partial"},
        "environment": environment,
        "network": result.get("network") if isinstance(result.get("network"), dict) else {},
        "identities": [e for e in entries if e.get("kind") == "site_identity"],
        "timestamp": _timestamp_view(checked.timestamp, zone, lang),
    }
    view["flagged"], view["timeline"], view["appendix"], view["images_css"] = _walk_entries(bundle, entries, zone)
    view["story"], view["next"] = _story(view, result, lang)
    view["preparation"] = preparation_view(entries)  # the checklist and the documents saved: near the report's top
    return view


def _timestamp_view(check, zone, lang: str) -> dict:
    state = check.state
    out = {"state": state, "authority": check.authority, "url": check.url, "clock_offset_s": check.clock_offset_s,
           "time": "", "reasons": ""}
    if check.time_utc is not None:
        at = check.time_utc
        stamp = {"time_utc": at.isoformat().replace("+00:00", "Z"), "time_local": at.astimezone().isoformat()}
        shown = site_time(stamp, zone)
        out["time"] = f'{shown["site"]} · {shown["utc"]}' if shown else ""
    if state == "failed":
        parts = [f'{a.get("url", "")} ({t("tsa.why." + str(a.get("reason")), lang, detail=a.get("detail", ""))})'
                 for a in check.attempts if isinstance(a, dict)]
        out["reasons"] = "; ".join(parts) or "-"
    return out


def _story(v: dict, result: dict, lang: str) -> tuple[list, list]:
    """The plain story of the run (template STORY keys and their values), then what to do next (NEXT)."""
    story, next_steps = [], []
    outcome, at = v["outcome_key"], v["submitted_at"]
    time = at["site"] if at else "-"
    sr = v.get("submit_record")
    plain = sr["plain"][0 if lang == "zh" else 1] if sr else ""
    app = v["application_number"]
    app_words = (f"（申请编号 {app}）" if lang == "zh" else f" (application number {app})") if app else ""
    error = v["error"] or {}
    why_pair = tpl.ERRORS.get(error.get("type"), tpl.STOPPED)
    why = why_pair[0 if lang == "zh" else 1] + (f": {error['detail']}" if error.get("detail") else "")
    accepted = sr is not None and sr["state_key"] == "accepted"
    if v["closed_by"] == "login_refused":
        story.append(("login_refused", {"since": _since(result) or "-"}))
    elif outcome == "submitted":
        story.append(("submitted" if accepted or sr is None else "submitted_unconfirmed",
                      {"time": time, "app": app_words, "plain": plain}))
    elif outcome == "closed":
        story.append(("closed", {"time": time}))
    elif outcome in ("already_closed", "already_pending", "dry_run_ok"):
        story.append((outcome, {}))
    elif outcome == "status_read":
        state = v["state"][0 if lang == "zh" else 1] if v["state"] else "-"
        story.append(("status_read", {"state": state}))
    elif outcome == "blocked":
        story.append(("blocked", {"words": error.get("detail") or "-"}))
    elif outcome == "partial":
        story.append(("partial_submitted" if v["submitted"] != "no" else "partial", {}))
    elif v["submitted"] == "yes":
        story.append(("stopped_after_submit", {"time": time, "why": why}))
    else:
        story.append(("stopped", {"step": v["failed_step"] or "-", "why": why}))
    if v["deadline"] and (outcome == "submitted" and (accepted or sr is None) or outcome == "already_pending"):
        story.append(("deadline", {"deadline": v["deadline"]}))
        next_steps.append(("keep", {"hash": v["final_hash"][:16] + "…"}))
        next_steps.append(("check_later", {"deadline": v["deadline"]}))
        next_steps.append(("follow_up_cn" if v["jurisdiction"] == "CN" else "follow_up", {}))
    elif outcome == "blocked":
        next_steps.append(("blocked", {}))
    elif outcome == "dry_run_ok":
        next_steps.append(("dry_run", {}))
    elif v["submitted"] != "no" and outcome not in ("closed", "submitted", "already_closed", "status_read"):
        next_steps.append(("status_later", {}))
    elif outcome in ("failed", "needs_user"):
        next_steps.append(("retry", {}))
    if v["submitted"] == "yes" and v["timestamp"]["state"] in ("none", "failed"):
        next_steps.append(("timestamp", {}))
    return story, next_steps


def _since(result: dict) -> str:
    """When the site had accepted the closure a refused login is taken to confirm (YYYY-MM-DD)."""
    return str(result.get("closure_recorded") or "")[:10]


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
    return {"state": (status_words["zh"], status_words["en"]), "state_key": state,
            "plain": _pair("submit", plain_key[len("submit."):]), "technical": technical,
            "status": record.get("status"), "blocked": len(record.get("blocked") or [])}


# Texts kept for the appendix, by label: what kind of text each is (template TEXT_KINDS).
APPENDIX_KINDS = {"agreement_text": "agreement_text", "notice_text": "notice_text", "retention_text": "retention_text",
                  "result_text": "result_text", "precondition_ok": "precondition_ok", "precondition": "precondition",
                  "blocked_by_site": "site_message", "wrong_code": "site_message", "expired": "site_message",
                  "locked": "site_message", "account_closed": "site_message",
                  "login_refused_after_closure": "login_refused"}


def _appendix_kind(entry: dict) -> Optional[str]:
    label = str(entry.get("label") or "")
    if entry.get("kind") == "dialog":
        return "dialog"
    if label in APPENDIX_KINDS:
        return APPENDIX_KINDS[label]
    if label.startswith("outcome_"):
        return "outcome"
    if label.startswith("status_"):
        return "status"
    if entry.get("screen") in ("agreement", "notice") and label == entry.get("step"):
        return "checkbox"  # the ticked box's own words (its label text)
    return None


def _walk_entries(bundle: Path, entries: list[dict], zone) -> tuple[list, list, list, str]:
    """Flagged screens (each with a short excerpt and where its full text is), the timeline (screenshot cards,
    identical consecutive ones collapsed, and events), the appendix of texts (each distinct text once), and
    the CSS that carries the screenshots."""
    flagged: dict[tuple, dict] = {}
    timeline: list[dict] = []
    cards: dict[tuple, dict] = {}
    appendix: list[dict] = []
    by_text: dict[str, dict] = {}
    inlined = _Inlined()
    last_shot: Optional[dict] = None

    def flag(key, screen, entry, when, excerpt="", ref=None):
        item = flagged.setdefault(key, {"label": tpl.SCREENS[screen], "time": when, "url": entry.get("url", ""),
                                        "title": entry.get("step") or entry.get("label") or entry.get("name", ""),
                                        "excerpt": "", "appendix": []})
        if excerpt and not item["excerpt"]:
            item["excerpt"] = excerpt
        if ref and ref not in item["appendix"]:
            item["appendix"].append(ref)

    for entry in entries:
        kind = entry.get("kind")
        when = site_time(entry, zone)
        if kind in ("screenshot", "step"):
            card = {"type": "step", "index": entry.get("index"), "title": entry.get("step", ""),
                    "screen": entry.get("screen"), "outcome": entry.get("outcome", "ok"), "time": when,
                    "url": entry.get("url", ""), "note": entry.get("note", ""), "files": [],
                    "image": None, "sha": entry.get("sha256", "")}
            if kind == "screenshot":
                card["files"].append((entry.get("file"), entry.get("sha256", "")))
                if last_shot is not None and entry.get("sha256") and last_shot["sha"] == entry.get("sha256"):
                    card["same_as"] = last_shot["index"]  # byte-identical to the one just before: said, not shown
                else:
                    card["image"] = inlined.image(bundle, entry)
                    last_shot = card
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
            ref = None
            text_kind = _appendix_kind(entry) if kind in ("text", "dialog") else None
            if text_kind is not None:
                text = _read_text(bundle, entry).strip()
                if text:
                    item = by_text.get(text)
                    if item is None:
                        item = {"ref": f"A.{len(appendix) + 1}", "kind": tpl.TEXT_KINDS[text_kind],
                                "title": entry.get("step") or "", "time": when, "url": entry.get("url", ""),
                                "file": entry.get("file", ""), "text": text, "steps": []}
                        by_text[text] = item
                        appendix.append(item)
                    if entry.get("index") not in item["steps"]:
                        item["steps"].append(entry.get("index"))
                    ref = item["ref"]
            short = detail if len(detail) <= EVENT_TEXT_CHARS else detail[:EVENT_TEXT_CHARS] + "…"
            timeline.append({"type": "event", "label": tpl.EVENTS[kind], "time": when, "url": entry.get("url", ""),
                             "detail": short + (f" ({ref})" if ref else "")})
            screen = _flag_for(entry)
            if screen in FLAGGED_SCREENS:
                flag((entry.get("index"), screen), screen, entry, when, short, ref)
            elif screen:
                flag((entry.get("seq"),), screen, entry, when, short, ref)
    return list(flagged.values()), timeline, appendix, "".join(inlined.css)


def _flag_for(entry: dict) -> Optional[str]:
    kind = entry.get("kind")
    if kind == "dialog":
        return "dialog"
    if kind == "overlay":
        return "obstruction"
    if kind == "text":
        if entry.get("label") in SITE_MESSAGE_LABELS:
            return "site_message"
        if entry.get("label") in ("precondition_ok", "precondition"):
            return "precondition"
        if entry.get("screen") in FLAGGED_SCREENS:
            return entry["screen"]
    return None


def _event_detail(bundle: Path, entry: dict) -> str:
    kind = entry.get("kind")
    if kind in ("text", "dialog"):
        text = " ".join(_read_text(bundle, entry).split())
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
    if kind == "site_identity":
        tls = entry.get("tls") or {}
        return f'{entry.get("origin", "")} = {entry.get("server_ip", "")}:{entry.get("server_port", "")}' + \
            (f' · {tls.get("sha256", "")[:16]}…' if tls.get("sha256") else "")
    if kind == "finished":
        return entry.get("outcome", "")
    if kind == "field_filled":
        return entry.get("label", "")
    if kind == "person_note":
        return entry.get("note", "")
    if kind == "checklist" or (kind == "download" and "sha256" in entry):
        return preparation_detail(entry)  # a document the prepare flow saved (file, sha256, bytes, what)
    if kind == "download":  # a file the site sent during a walk by hand (witness)
        return f'{entry.get("name", "")} · {entry.get("download_bytes")} bytes · SHA-256 {entry.get("download_sha256") or "-"}'
    if kind == "origins":
        origins = entry.get("origins")
        return " · ".join(str(o) for o in origins) if isinstance(origins, list) else ""
    if kind == "stopped":
        return " ".join(str(x) for x in (entry.get("url", ""), entry.get("note", "")) if x)
    return entry.get("step", "")


def _view_and_html(bundle: Path, lang: Optional[str] = None) -> tuple[dict, str]:
    """A manifest whose chain holds but whose values have the wrong shape (crafted) is damaged, not a bug."""
    from assistant.evidence.bundle import ManifestDamaged
    try:
        view = build_view(bundle, lang)
        return view, tpl.render(view)
    except (TypeError, AttributeError, KeyError, ValueError, RecursionError) as exc:
        raise ManifestDamaged(f"manifest.json: a value has the wrong type ({type(exc).__name__})") from None


def render_html(bundle: Path, lang: Optional[str] = None) -> str:
    return _view_and_html(bundle, lang)[1]


def write_report(bundle: Path, browser=None, *, browser_path: Optional[str] = None,
                 lang: Optional[str] = None, pdf_too: bool = True) -> ReportFiles:
    """Builds report.html and report.pdf in `bundle` and records their hashes in report.sha256.

    `browser`: an open Playwright browser (the run's own); else a headless one is launched here.
    `lang`: the report's language (zh, en); None: the site's (its locale).
    `pdf_too`: False writes report.html and its hash only (no print; a later `evidence report` adds it).
    All the files are written only once the PDF exists, so a failure leaves the old report intact.
    """
    started = time.perf_counter()
    bundle = Path(bundle)
    view, html = _view_and_html(bundle, lang)
    footer = tpl.footer_template(view["site_name"], view["run_id"], view["lang"])
    files = {HTML_NAME: html.encode("utf-8")}
    if pdf_too:
        files[PDF_NAME] = _print(browser, browser_path, html, footer)
    sidecar = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in files.items())
    _write_all(bundle, {**files, REPORT_SIDECAR: sidecar.encode("ascii")})
    return ReportFiles(bundle / HTML_NAME, bundle / PDF_NAME if pdf_too else None, time.perf_counter() - started)


def _print(browser, browser_path: Optional[str], html: str, footer: str) -> bytes:
    """report.pdf: printed by the run's own browser, else by a headless one launched for it."""
    if browser is not None:
        return print_pdf_any(browser, html, footer)
    from playwright.sync_api import sync_playwright

    from assistant.driving.browser import launch
    with sync_playwright() as pw:
        own, _choice = launch(pw, headed=False, override=browser_path)
        try:
            return print_pdf(own, html, footer)
        finally:
            own.close()


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


def render_after_run(bundle: Optional[Path], browser, lang: Optional[str] = None) -> tuple[Optional[ReportFiles], str]:
    """For the runner: a report failure must never cost the run its result. Returns (files, error)."""
    if bundle is None or not (Path(bundle) / MANIFEST).is_file():
        return None, ""
    from assistant.evidence.writer import describe_os_error
    from assistant.settings import report_pdf_wanted
    try:
        return write_report(bundle, browser, lang=lang, pdf_too=report_pdf_wanted()), ""
    except OSError as exc:
        return None, describe_os_error(exc)  # a catalogue key: oserror.ENOSPC ...
    except Exception as exc:  # noqa: BLE001 - the bundle is complete without a report; say so, don't crash
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return None, f"{type(exc).__name__}: {first}"
