"""Plain-text tables whose columns line up even when cells hold Chinese characters."""
from __future__ import annotations

import unicodedata


def display_width(text: str) -> int:
    # A terminal gives wide (CJK) characters two columns; combining marks take none.
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def render(header: list[str], rows: list[list[str]], gap: str = "  ") -> list[str]:
    """Lines of the table; the last column is not padded so long cells (paths) may run on."""
    widths = [display_width(h) for h in header]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], display_width(cell))

    def line(cells: list[str]) -> str:
        parts = [pad(c, widths[i]) for i, c in enumerate(cells[:-1])] + [cells[-1]]
        return gap.join(parts).rstrip()
    return [line(header)] + [line(row) for row in rows]
