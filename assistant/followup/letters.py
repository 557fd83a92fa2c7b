"""The letters that make a stalled platform act: a follow-up to the platform and a complaint draft.

Written from the case (dates, application or ticket number, deadline, its events) and its evidence (the
submitting run's report and evidence fingerprint, attached by name), in the language of the site: Chinese
for a mainland site, citing PIPL Arts. 47 and 50 and E-Commerce Law Art. 24; a neutral English template
for an English site, with no Chinese statute. Each letter is plain text, HTML and PDF (Chromium's print,
like the report), kept in the case's folder and recorded as a case event. The words are in wording.yaml.
"""
from __future__ import annotations

import datetime as dt
import functools
import shutil
from dataclasses import dataclass
from html import escape
from importlib import resources
from pathlib import Path
from typing import Optional

import yaml

from assistant.cases import lifecycle
from assistant.cases import store as c
from assistant.deadlines import MAINLAND_ZONES
from assistant.errors import AssistantError, ExitStatus
from assistant.messages import t
from assistant.redaction import mask_account

KINDS = ("follow-up", "complaint")
LANGS = ("zh", "en")
# A case with nothing sent to the platform yet has nothing to follow up.
FOLLOWED_UP_STATES = (c.SUBMITTED, c.PENDING_REVIEW, c.OVERDUE, c.DENIED, c.NEEDS_YOU, c.CLOSED)
FONT_STACK = ('"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", '
              '"WenQuanYi Micro Hei", "DejaVu Sans", sans-serif')
CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
CSS = """@page { size: A4; margin: 22mm 20mm 20mm 20mm; }
body { font-family: %s; color: #1f2329; font-size: 11pt; line-height: 1.65; max-width: 170mm; margin: 0 auto; }
h1 { font-size: 16pt; text-align: center; margin: 0 0 8mm; }
h2 { font-size: 11.5pt; margin: 5mm 0 1.5mm; }
p { margin: 1.5mm 0; }
ol, ul { margin: 1mm 0; padding-left: 7mm; }
li { margin: 1mm 0; }
.mono { word-break: break-all; }
""" % FONT_STACK


class NothingToFollowUp(AssistantError):
    exit_status = ExitStatus.USAGE
    message_key = "error.nothing_to_follow_up"


@functools.lru_cache(maxsize=1)
def wording() -> dict:
    text = resources.files("assistant.followup").joinpath("wording.yaml").read_text("utf-8")
    return yaml.safe_load(text)


@functools.lru_cache(maxsize=1)
def _jinja():
    import jinja2
    # The templates are the tool's own data file; the case's values are variables, never templates.
    return jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined, keep_trailing_newline=False)


# ---------------------------------------------------------------- a rendered text

@dataclass
class Block:
    heading: str
    style: str           # text | items | numbered
    lines: list[str]


@dataclass
class Document:
    """A letter (or the customer-service script) as words, ready to be written as text or HTML."""
    kind: str
    lang: str
    title: str
    blocks: list[Block]

    def text(self) -> str:
        out = [self.title, ""]
        for block in self.blocks:
            if block.heading:
                out.append(f"【{block.heading}】" if self.lang == "zh" else f"{block.heading}:")
            for n, line in enumerate(block.lines, start=1):
                out.append(f"{n}. {line}" if block.style == "numbered" else f"- {line}" if block.style == "items" else line)
            out.append("")
        return "\n".join(out).rstrip() + "\n"

    def html(self) -> str:
        parts = [f'<!DOCTYPE html>\n<html lang="{"zh-CN" if self.lang == "zh" else "en"}"><head><meta charset="utf-8">'
                 f'<meta http-equiv="Content-Security-Policy" content="{escape(CSP)}">'
                 f'<title>{escape(self.title)}</title><style>{CSS}</style></head><body>',
                 f"<h1>{escape(self.title)}</h1>"]
        for block in self.blocks:
            if block.heading:
                parts.append(f"<h2>{escape(block.heading)}</h2>")
            if block.style == "text":
                parts += [f'<p class="mono">{escape(line)}</p>' if _long_token(line) else f"<p>{escape(line)}</p>"
                          for line in block.lines]
            else:
                tag = "ol" if block.style == "numbered" else "ul"
                parts.append(f"<{tag}>" + "".join(f"<li>{escape(line)}</li>" for line in block.lines) + f"</{tag}>")
        parts.append("</body></html>\n")
        return "".join(parts)


def _long_token(line: str) -> bool:
    return any(len(word) > 40 for word in line.split())


def render(kind: str, lang: str, context: dict, *, section: str = "letters") -> Document:
    """The wording of `kind` in `lang`, filled in with `context`; empty texts are left out."""
    spec = wording()[section][kind][lang]
    env = _jinja()

    def fill(text: str) -> str:
        return " ".join(env.from_string(text).render(**context).split())
    blocks = []
    for raw in spec["blocks"]:
        heading = fill(raw.get("heading", ""))
        for style in ("numbered", "items", "text"):  # a block's list first, then its closing words
            if style in raw:
                lines = [line for line in (fill(text) for text in raw[style]) if line]
                if lines:
                    blocks.append(Block(heading, style, lines))
                    heading = ""  # one heading for the block
    return Document(kind, lang, fill(spec["title"]), blocks)


# ---------------------------------------------------------------- from the case and its evidence

def letter_lang(profile, case: c.Case) -> str:
    """Chinese for a mainland site, English otherwise (the language the platform reads)."""
    if profile is not None:
        locale = (profile.device.locale or "").lower()
        return "zh" if locale.startswith("zh") else "en"
    return "zh" if case.site_timezone in MAINLAND_ZONES else "en"


def _site_time(at: Optional[dt.datetime], case: c.Case, lang: str) -> str:
    if at is None:
        return "-"
    zone = case.site_timezone
    local = at.astimezone()
    if zone:
        try:
            from zoneinfo import ZoneInfo
            local = at.astimezone(ZoneInfo(zone))
        except Exception:  # noqa: BLE001 - no tz database: mainland zones are +08:00
            local = at.astimezone(dt.timezone(dt.timedelta(hours=8)))
    label = ("北京时间" if lang == "zh" else "Beijing time") if zone in MAINLAND_ZONES else (zone or local.strftime("UTC%z"))
    return local.strftime("%Y-%m-%d %H:%M") + (f"（{label}）" if lang == "zh" else f" ({label})")


def _evidence(store: c.CaseStore, case: c.Case) -> dict:
    """The submitting run's evidence, by name: its folder, report and fingerprint (read safely, never trusted
    blindly: the fingerprint is the one evidence verify recomputes)."""
    folder = lifecycle.evidence_folder(store, case)
    out = {"evidence_folder": "", "report": "", "fingerprint": "", "evidence_path": None}
    if not folder or not Path(folder).is_dir():
        return out
    from assistant.evidence.verify import verify_bundle
    checked = verify_bundle(Path(folder))
    out.update(evidence_folder=Path(folder).name, evidence_path=Path(folder),
               fingerprint=checked.final_hash if not checked.findings else "",
               report="report.pdf" if (Path(folder) / "report.pdf").is_file() else "")
    return out


def _history(events: list[c.CaseEvent], case: c.Case, lang: str) -> list[str]:
    """The case's story in short lines: states entered, the person's notes, letters written."""
    lines = []
    for event in events:
        day = c.site_date(event.at, case.site_timezone).isoformat()
        if event.kind == "state" and event.state in (c.SUBMITTED, c.PENDING_REVIEW, c.OVERDUE, c.DENIED, c.NEEDS_YOU,
                                                     c.CLOSED, c.WITHDRAWN):
            lines.append(f"{day} {t(f'letters.event.{event.state}', lang)}")
        elif event.kind == "note" and event.detail.get("text"):
            lines.append(f"{day} {t('letters.note', lang, text=event.detail['text'])}")
        elif event.kind == "contact":
            lines.append(f"{day} {contact_words(event, lang)}")
        elif event.kind == "letter":
            lines.append(f"{day} {t('letters.' + ('written_complaint' if event.detail.get('kind') == 'complaint' else 'written_follow_up'), lang)}")
    return lines


def contact_words(event: c.CaseEvent, lang: str) -> str:
    detail = event.detail
    return t("letters.contact", lang, on=detail.get("contacted_on") or "-", ticket=detail.get("ticket") or "-",
             promised=detail.get("promised_by") or "-")


def context(store: c.CaseStore, case: c.Case, profile, lang: str) -> dict:
    """Everything a letter may say, from the case, its events, its evidence and the profile."""
    events = store.events(case.id)
    today = case.today()
    names = profile.names if profile is not None else {"zh": case.site, "en": case.site}
    site = (names.get("zh") or names["en"]) if lang == "zh" else names["en"]
    info = case.deadline_info
    follow_up = next((e for e in reversed(events) if e.kind == "letter" and e.detail.get("kind") == "follow-up"), None)
    contacts = [contact_words(e, lang) for e in events if e.kind == "contact"]
    return {
        "site": site,
        "site_full": f'{names.get("zh", site)} / {names["en"]}' if lang == "zh" and names.get("zh") != names["en"]
                     else site,
        "website": profile.website if profile is not None and profile.website.startswith("https://") else "",
        "customer_service": profile.closure.customer_service if profile is not None else "",
        "account": mask_account(case.account),
        "application_number": case.application_number or "",
        "route": case.route,
        "submitted_at": _site_time(case.submitted_at or case.submit_attempted_at, case, lang),
        "submitted_on": (info.submitted_on.isoformat() if info else
                         c.site_date(case.submitted_at, case.site_timezone).isoformat() if case.submitted_at else "-"),
        "expected_by": case.deadline.isoformat() if case.deadline else "",
        "working_days": info.working_days if info else case.review_working_days,
        "today": today.isoformat(),
        "days_late": (today - case.deadline).days if case.deadline and today > case.deadline else 0,
        "reply_by": (today + dt.timedelta(days=lifecycle.FOLLOW_UP_WAIT_DAYS)).isoformat(),
        "denied_reason": lifecycle.reason_text(case.reason, lang) if case.state == c.DENIED and case.reason else "",
        "follow_up_on": c.site_date(follow_up.at, case.site_timezone).isoformat() if follow_up else "",
        "contacts": ("；" if lang == "zh" else "; ").join(contacts) or "-",
        "history": _history(events, case, lang),
        **{k: v for k, v in _evidence(store, case).items() if k != "evidence_path"},
    }


# ---------------------------------------------------------------- writing them

def check_can_follow_up(case: c.Case) -> None:
    """Letters need a request that went to the platform (NothingToFollowUp otherwise)."""
    if case.state not in FOLLOWED_UP_STATES or (case.submitted_at is None and case.submit_attempted_at is None):
        raise NothingToFollowUp(f"{case.site} / {mask_account(case.account)}", state=case.state)


@dataclass
class WrittenLetter:
    kind: str
    lang: str
    files: list[Path]


def write_letters(store: c.CaseStore, case: c.Case, profile, *, kinds=KINDS, out: Optional[Path] = None,
                  browser=None, lang: Optional[str] = None) -> list[WrittenLetter]:
    """Writes each letter of `kinds` as .txt, .html and .pdf into the case's folder (and copies to `out`),
    recording each as a case event. `browser`: a launched headless Playwright browser for the PDF."""
    check_can_follow_up(case)
    from assistant.evidence.pdf import print_pdf_any
    from assistant.evidence.writer import atomic_write
    lang = lang or letter_lang(profile, case)
    facts = context(store, case, profile, lang)
    folder = store.case_folder(case) / "letters"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in kinds:
        letter = render(kind, lang, facts)
        stem = f"{facts['today']}-{kind}.{lang}"
        html = letter.html()
        pdf = print_pdf_any(browser, html, _footer(letter.title)) if browser is not None else None
        files = []
        for suffix, data in ((".txt", letter.text().encode("utf-8")), (".html", html.encode("utf-8")),
                             (".pdf", pdf)):
            if data is None:
                continue
            path = folder / f"{stem}{suffix}"
            atomic_write(path, data)
            files.append(path)
        if out is not None:
            Path(out).mkdir(parents=True, exist_ok=True)
            for path in files:
                shutil.copyfile(path, Path(out) / path.name)
        store.add_event(case.id, "letter", source="letters",
                        detail={"kind": kind, "lang": lang, "folder": str(folder), "files": [p.name for p in files],
                                "copied_to": str(out) if out is not None else None})
        written.append(WrittenLetter(kind, lang, files))
    return written


def _footer(title: str) -> str:
    return (f'<div style="font-family:{escape(FONT_STACK)};font-size:7px;color:#666;width:100%;text-align:center;">'
            f'{escape(title)} · <span class="pageNumber"></span> / <span class="totalPages"></span></div>')
