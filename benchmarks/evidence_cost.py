"""Where the time of a run with evidence goes: wraps the evidence writer's and the report's parts with timers.

Times are exclusive (a part called inside another is counted once, in the inner part), kept per
greenlet because Playwright's sync API runs event handlers (dialogs, overlays) in their own.
Nothing here changes what the code does; the wrappers are removed on exit.
"""
from __future__ import annotations

import contextlib
import functools
import time
from collections import defaultdict
from pathlib import Path

try:
    from greenlet import getcurrent as _current
except ImportError:  # pragma: no cover - Playwright's sync API always brings greenlet
    import threading
    _current = threading.get_ident

# (part, module, attribute): the evidence writer's own steps, then the report's. A part may list several
# names (the report module is young and its helpers move); a part is missing only when none exists.
PARTS = [
    ("screenshots", "assistant.evidence.writer", "EvidenceWriter._screenshot"),
    ("html_snapshots", "assistant.evidence.writer", "EvidenceWriter._html"),
    ("masked_scan", "assistant.evidence.writer", "EvidenceWriter._learn_masked"),
    ("manifest", "assistant.evidence.writer", "EvidenceWriter._add"),
    ("texts_dialogs", "assistant.evidence.writer", "EvidenceWriter._on_TextRecorded"),
    ("texts_dialogs", "assistant.evidence.writer", "EvidenceWriter._on_DialogHandled"),
    ("fsync", "os", "fsync"),
    ("screen_texts", "assistant.driving.executor", "Executor._keep_screen_text"),
    ("site_identity", "assistant.driving.site_identity", "SiteWatcher.watch_page"),
    ("site_identity", "assistant.driving.site_identity", "SiteWatcher.on_response"),
    ("site_identity", "assistant.driving.site_identity", "SiteWatcher.ready"),
    ("report_html", "assistant.evidence.report", "build_view"),
    ("report_html", "assistant.evidence.template", "render"),
    ("report_pdf", "assistant.evidence.report", "_pdf_with_fallback"),
    ("report_pdf", "assistant.evidence.report", "print_pdf_any"),
    ("report_pdf", "assistant.evidence.report", "print_pdf"),
    ("report_pdf_text", "assistant.evidence.pdf", "fix_text_mapping"),
    ("report_files", "assistant.evidence.report", "write_report"),
]
REPORT_PARTS = ("report_html", "report_pdf", "report_pdf_text", "report_files")


class Stopwatch:
    def __init__(self):
        self.totals: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._stacks: dict = defaultdict(list)

    def wrap(self, part: str, fn):
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            stack = self._stacks[_current()]
            stack.append(0.0)
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - started
                inner = stack.pop()
                self.totals[part] += elapsed - inner
                self.calls[part] += 1
                if stack:
                    stack[-1] += elapsed
        return timed

    def take(self) -> dict[str, float]:
        """The totals since the last take, then start again."""
        out = dict(self.totals)
        self.totals.clear()
        self.calls.clear()
        return out


@contextlib.contextmanager
def timed_parts(stopwatch: Stopwatch):
    """Wraps every part that exists in this checkout; yields the parts that could not be found."""
    import importlib
    missing, found, undo = [], set(), []
    for part, module_name, attr in PARTS:
        try:
            owner = importlib.import_module(module_name)
        except ImportError:
            missing.append(part)
            continue
        *path, name = attr.split(".")
        for step in path:
            owner = getattr(owner, step, None)
        original = getattr(owner, name, None) if owner is not None else None
        if original is None:
            missing.append(part)
            continue
        setattr(owner, name, stopwatch.wrap(part, original))
        undo.append((owner, name, original))
        found.add(part)
    try:
        yield sorted(set(missing) - found)
    finally:
        for owner, name, original in reversed(undo):
            setattr(owner, name, original)


def bundle_sizes(bundle: Path) -> dict:
    files = [p for p in Path(bundle).rglob("*") if p.is_file()]

    def total(match) -> int:
        return sum(p.stat().st_size for p in files if match(p))
    return {
        "files": len(files),
        "bytes": total(lambda p: True),
        "png_bytes": total(lambda p: p.suffix == ".png"),
        "png_files": sum(1 for p in files if p.suffix == ".png"),
        "html_bytes": total(lambda p: p.suffix == ".html" and p.parent.name == "steps"),
        "html_files": sum(1 for p in files if p.suffix == ".html" and p.parent.name == "steps"),
        "report_html_bytes": total(lambda p: p.name == "report.html"),
        "report_pdf_bytes": total(lambda p: p.name == "report.pdf"),
        "manifest_bytes": total(lambda p: p.name == "manifest.json"),
        "other_bytes": total(lambda p: p.suffix not in (".png", ".pdf") and p.name not in ("manifest.json",)
                             and not (p.suffix == ".html")),
    }
