"""Which URLs a profile allows. Used at validation time and, always, at run time."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from assistant.messages import say

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
FORBIDDEN_SCHEMES = {"javascript", "file", "data", "blob", "about", "chrome", "vbscript"}


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def url_problem(url: str, origins: list[str]) -> str | None:
    """None when the URL lies inside the declared origins, else a plain reason."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number (":80.evil.net")
    except ValueError:
        return say("origin.malformed", url=repr(url[:80]))
    scheme = parts.scheme.lower()
    if scheme in FORBIDDEN_SCHEMES:
        return say("origin.forbidden_scheme", scheme=scheme)
    if scheme not in ("http", "https"):
        return say("origin.scheme", scheme=repr(scheme or "(none)"))
    if scheme == "http" and (parts.hostname or "") not in LOOPBACK_HOSTS:
        return say("origin.plain_http", origin=origin_of(url))
    if parts.username or parts.password:
        return say("origin.userinfo")
    host = (parts.hostname or "").lower()
    port = parts.port or (443 if scheme == "https" else 80)
    for allowed in origins:
        a = urlsplit(allowed.replace(":*", ""))
        if a.scheme != scheme or (a.hostname or "").lower() != host:
            continue
        if allowed.endswith(":*") or (a.port or (443 if a.scheme == "https" else 80)) == port:
            return None
    return say("origin.not_declared", origin=origin_of(url), origins=", ".join(origins))


def is_allowed(url: str, origins: list[str]) -> bool:
    return url_problem(url, origins) is None


def outside_pattern(origins: list[str]) -> re.Pattern:
    """A regex for every URL that does *not* start inside one of `origins`.

    Routing only these keeps the browser's own requests to the site off the Python side (each
    routed request costs a round trip), while every URL that could leave the origins is still
    routed and judged by `url_problem`. It errs towards routing: a URL it lets through unrouted
    starts with an allowed scheme://host[:port] followed by / ? # or the end.
    """
    inside = []
    for allowed in origins:
        wildcard = allowed.endswith(":*")
        a = urlsplit(allowed[:-2] if wildcard else allowed)
        scheme, host = a.scheme.lower(), (a.hostname or "").lower()
        if not scheme or not host:
            continue
        default = 443 if scheme == "https" else 80
        if wildcard:
            port = r"(?::\d+)?"
        elif a.port is None or a.port == default:
            port = f"(?::{default})?"
        else:
            port = f":{a.port}"
        inside.append(f"{re.escape(scheme)}://{re.escape(host)}{port}")
    if not inside:
        return re.compile(r"^")  # nothing declared: route everything
    return re.compile(r"^(?!(?:" + "|".join(inside) + r")(?:[/?#]|$))", re.IGNORECASE)
