"""Who may talk to the app: this computer's browser holding the session token, from the app's own pages.

The pattern of Jupyter and similar local tools, tightened: the server listens on 127.0.0.1 only; the
first visit brings the token in the URL and gets it back as an HttpOnly, SameSite=Strict cookie; the
`Host` header must name the loopback address and the app's port (a DNS-rebinding page that resolves its
own name to 127.0.0.1 sends its own name); a request that changes anything must carry the CSRF token and
an `Origin` (and `Sec-Fetch-Site`, where the browser sends it) of the app itself. No CORS header is ever
sent, and every page carries a strict Content-Security-Policy: scripts and styles from the app only.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

COOKIE = "closure_assistant_session"
LANG_COOKIE = "closure_assistant_lang"
CSRF_FIELD = "csrf"
CSRF_HEADER = "X-CSRF-Token"
LOOPBACK_NAMES = ("127.0.0.1", "localhost")
SAFE_METHODS = ("GET", "HEAD")

PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
# A file of an evidence bundle (the report, a page's HTML as the site sent it): shown, never run. The
# report keeps its own inline styles and inlined screenshots; a sandbox gives it no script and no origin.
EVIDENCE_CSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'"

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # "no-referrer" makes a browser send Origin: null with a form
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


@dataclass
class Guard:
    port: int = 0
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    @property
    def csrf(self) -> str:
        """The CSRF token: derived from the session token, so it lives exactly as long as the session."""
        return hmac.new(self.token.encode(), b"csrf", hashlib.sha256).hexdigest()

    def origins(self) -> tuple[str, ...]:
        return tuple(f"http://{name}:{self.port}" for name in LOOPBACK_NAMES)

    def host_ok(self, host: str | None) -> bool:
        return (host or "").lower() in tuple(f"{name}:{self.port}" for name in LOOPBACK_NAMES)

    def token_ok(self, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(given.encode(), self.token.encode())

    def csrf_ok(self, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(given.encode(), self.csrf.encode())

    def same_origin(self, origin: str | None, fetch_site: str | None) -> bool:
        """A state-changing request must name this app as its origin (browsers send it with every POST)."""
        if fetch_site is not None and fetch_site not in ("same-origin", "none"):
            return False
        return (origin or "").lower() in self.origins()
