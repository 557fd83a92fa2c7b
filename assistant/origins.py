"""Which URLs a profile allows. Used at validation time and, always, at run time."""
from __future__ import annotations

from urllib.parse import urlsplit

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
FORBIDDEN_SCHEMES = {"javascript", "file", "data", "blob", "about", "chrome", "vbscript"}


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def url_problem(url: str, origins: list[str]) -> str | None:
    """None when the URL lies inside the declared origins, else a plain reason."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in FORBIDDEN_SCHEMES:
        return f"{scheme}: URLs are never allowed"
    if scheme not in ("http", "https"):
        return f"scheme {scheme or '(none)'!r} is not allowed"
    if scheme == "http" and (parts.hostname or "") not in LOOPBACK_HOSTS:
        return f"plain http is allowed only on the loopback host (127.0.0.1, localhost, [::1]), not {origin_of(url)}"
    if parts.username or parts.password:
        return "URLs with a user name or password are not allowed"
    host = (parts.hostname or "").lower()
    port = parts.port or (443 if scheme == "https" else 80)
    for allowed in origins:
        a = urlsplit(allowed.replace(":*", ""))
        if a.scheme != scheme or (a.hostname or "").lower() != host:
            continue
        if allowed.endswith(":*") or (a.port or (443 if a.scheme == "https" else 80)) == port:
            return None
    return f"{origin_of(url)} is not one of the profile's origins ({', '.join(origins)})"


def is_allowed(url: str, origins: list[str]) -> bool:
    return url_problem(url, origins) is None
