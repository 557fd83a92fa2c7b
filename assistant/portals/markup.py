"""HTML helpers shared by portal page templates.

Templates write every class and id as `§name` (in markup, CSS and JS alike).
`apply_skin` turns those markers into real names, which is how a portal's
"redesign" variant renames its DOM everywhere at once without a second copy
of each template.
"""

from __future__ import annotations

import html
import re

_MARKER = re.compile(r"§([A-Za-z][\w-]*)")


def esc(value: object) -> str:
    """Escape a user-visible value; also neutralise the skin marker."""
    return html.escape(str(value), quote=True).replace("§", "&sect;")


def apply_skin(markup: str, redesign: bool, renames: dict[str, str] | None = None) -> str:
    if not redesign:
        return _MARKER.sub(lambda m: m.group(1), markup)
    renames = renames or {}
    return _MARKER.sub(lambda m: renames.get(m.group(1), f"{m.group(1)}-v2"), markup)


def mask_phone(phone: str) -> str:
    """138****0001: how Chinese apps show a phone number."""
    if len(phone) < 7:
        return phone
    return f"{phone[:3]}****{phone[-4:]}"


def yuan(amount) -> str:
    return f"¥{amount:,.2f}"


def call_after(function: str, delay_ms: int) -> str:
    """JS that calls `function` `delay_ms` after the page script runs; at once for 0, so a
    pop-up pinned to "immediately" is already there when the page is ready."""
    delay = int(delay_ms)
    return f"{function}();" if delay <= 0 else f"setTimeout({function}, {delay});"
