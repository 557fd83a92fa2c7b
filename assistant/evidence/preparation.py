"""The report's first section: what the person ticked before the run, and the documents the run saved.

Kept apart from the report's layout (template.py): the section is built from the manifest's
`checklist` and `download` entries and placed at the top of the report, above the summary. Like the
rest of the report it loads nothing: file names and hashes only, the documents themselves are never
opened.
"""
from __future__ import annotations

from html import escape

L = {
    "title": ("注销前的准备", "Before closing"),
    "checklist": ("您确认的事项（工具无法自行核实）", "What you confirmed (the tool cannot check it)"),
    "done": ("已完成", "done"),
    "not_done": ("未完成", "not done"),
    "required": ("必须完成", "required"),
    "documents": ("已保存的文件（在证据文件夹中，已计入校验链）", "Documents saved (in the evidence folder, covered by the chain of checksums)"),
    "none": ("本次运行没有保存文件。", "No document was saved in this run."),
    "from": ("来源", "from"),
}

CSS = """
.prep { border: 1.5px solid #1f2329; padding: 3mm; margin: 3mm 0 4mm; break-inside: avoid; }
.prep h2 { margin-top: 0; }
.prep ul { list-style: none; padding-left: 0; }
.prep .tick { display: inline-block; width: 5mm; font-weight: 700; }
.prep .no { color: #b42318; }
"""


def _e(value) -> str:
    return escape("" if value is None else str(value))


def _bi(key: str) -> str:
    zh, en = L[key]
    return f'{_e(zh)} <span class="en">{_e(en)}</span>'


def preparation_view(entries: list) -> dict | None:
    """The checklist answers (the latest given) and every document saved, from the manifest's entries."""
    checklist = None
    documents = []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        if entry.get("kind") == "checklist" and isinstance(entry.get("items"), list):
            checklist = [item for item in entry["items"] if isinstance(item, dict)]
        elif entry.get("kind") == "download" and entry.get("file"):
            what = entry.get("what") if isinstance(entry.get("what"), dict) else {}
            documents.append({"file": str(entry["file"]), "sha256": str(entry.get("sha256", "")),
                              "bytes": entry.get("bytes"), "url": str(entry.get("url", "")),
                              "zh": str(what.get("zh") or entry.get("name") or ""),
                              "en": str(what.get("en") or entry.get("name") or "")})
    if checklist is None and not documents:
        return None
    return {"checklist": checklist, "documents": documents}


def event_detail(entry: dict) -> str:
    """One line for the report's timeline."""
    if entry.get("kind") == "download":
        return f'{entry.get("file", "")} ({entry.get("bytes", "?")} bytes) · sha256 {str(entry.get("sha256", ""))[:16]}…'
    if entry.get("kind") == "checklist":
        items = [i for i in entry.get("items") or [] if isinstance(i, dict)]
        return ", ".join(f'{"✓" if i.get("checked") else "✗"} {i.get("id", "")}' for i in items)
    return ""


def render_preparation(view: dict | None) -> str:
    if not view:
        return ""
    parts = [f'<style>{CSS}</style><div class="prep"><h2>{_bi("title")}</h2>']
    if view.get("checklist") is not None:
        parts.append(f'<div><b>{_bi("checklist")}</b></div><ul>')
        for item in view["checklist"]:
            mark, word = ("✓", "done") if item.get("checked") else ("✗", "not_done")
            required = f' <span class="chip">{_bi("required")}</span>' if item.get("required") else ""
            parts.append(f'<li class="{"" if item.get("checked") else "no"}"><span class="tick">{mark}</span>'
                         f'{_e(item.get("zh"))} <span class="en">{_e(item.get("en"))}</span> — {_bi(word)}{required}'
                         f' <span class="mono">({_e(item.get("id"))})</span></li>')
        parts.append("</ul>")
    parts.append(f'<div><b>{_bi("documents")}</b></div>')
    if not view.get("documents"):
        parts.append(f'<p class="note">{_bi("none")}</p>')
    else:
        parts.append("<ul>")
        for doc in view["documents"]:
            parts.append(f'<li>{_e(doc["zh"])} <span class="en">{_e(doc["en"])}</span>: '
                         f'<span class="mono">{_e(doc["file"])} · {_e(doc["bytes"])} bytes · SHA-256 {_e(doc["sha256"])}</span>'
                         f'<div class="note">{_bi("from")}: <span class="mono">{_e(doc["url"])}</span></div></li>')
        parts.append("</ul>")
    parts.append("</div>")
    return "".join(parts)
