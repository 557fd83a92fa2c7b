"""Who the browser was talking to, and what else it reached: the capture environment of a run.

A notarised web capture first records its environment: which browser, which proxy, the site's real
address and certificate. This module gathers the same for a run, from the browser itself:

- for each origin the main frame opened: the server's IP address and port (Playwright's
  `response.server_addr()`), and for https the TLS certificate the browser accepted: subject, issuer,
  validity and the SHA-256 fingerprint of the certificate and of its chain, with any certificate error
  the browser saw (Chromium's own security state, through its DevTools `Security` domain);
- every origin a response came from (sub-resources too), the ones outside the profile's origins, and
  the requests the tool blocked;
- the browser's version and headless mode, the proxy settings in effect, and whether certificate errors
  were being ignored (tests only: a user's run never does).

The executor feeds it (responses, blocked requests, pages) and emits what it gathered as events; it
writes nothing itself.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import platform
from typing import Callable, Optional
from urllib.parse import urlsplit

from assistant.profiles.origins import origin_of, url_problem

PROXY_VARIABLES = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY")
MAX_LISTED = 200            # blocked requests and origins kept per run (a tracker storm must not bloat the manifest)
SECURITY_STATES_KEPT = 50   # the browser's latest security states, matched to origins as they are recorded


def _without_password(value: str) -> str:
    """http://user:secret@proxy:8080 → http://user:●●●@proxy:8080 (a proxy password is a secret)."""
    try:
        parts = urlsplit(value)
        if parts.password:
            netloc = parts.netloc.replace(f":{parts.password}@", ":●●●@", 1)
            return parts._replace(netloc=netloc).geturl()
    except ValueError:
        pass
    return value


def proxy_settings() -> dict:
    """The proxy variables of this process's environment (Chromium on Linux follows them when no desktop
    proxy is configured); the tool never gives the browser a proxy of its own."""
    found = {}
    for name in PROXY_VARIABLES:
        for spelling in (name, name.lower()):
            if os.environ.get(spelling):
                found[spelling] = _without_password(os.environ[spelling])
    return {"environment": found, "browser_launch": None}


def environment(browser_version: str, *, headless: bool, ignore_certificate_errors: bool, user_agent: str) -> dict:
    """The capture environment, for the manifest's header (covered by the hash chain from its first entry)."""
    now = dt.datetime.now().astimezone()
    return {
        "browser": {"name": "chromium", "version": browser_version, "headless": headless, "user_agent": user_agent},
        "proxy": proxy_settings(),
        "certificate_errors_ignored": ignore_certificate_errors,
        "computer": {"os": f"{platform.system()} {platform.release()}", "machine": platform.machine(),
                     "utc_offset": now.strftime("%z"), "clock": "this computer's clock; a trusted timestamp "
                     "(timestamp.json) gives the authority's time and this clock's offset from it"},
    }


def _stamp(seconds) -> Optional[str]:
    if not isinstance(seconds, (int, float)):
        return None
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).isoformat().replace("+00:00", "Z")


def _bare(url: str) -> str:
    """scheme://host/path, without the query or fragment: a tracker's query may carry personal data."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url[:200]
    return f"{parts.scheme}://{parts.netloc}{parts.path}"[:500]


class SiteWatcher:
    def __init__(self, origins: list[str]):
        self.origins = origins
        self.recorded: set[str] = set()
        self.pending: dict[str, dict] = {}          # origin → identity waiting for the browser's certificate
        self.security_states: list[dict] = []       # Chromium's certificateSecurityState, newest last
        self.reached: dict[str, int] = {}           # origin → responses
        self.blocked: dict[tuple, dict] = {}        # (method, url) → {"url", "method", "count", "why"}

    # ------------------------------------------------------------ what the executor feeds in

    def watch_page(self, page) -> None:
        """Chromium's security state of `page` (the certificate chain it accepted, any error it saw)."""
        try:
            session = page.context.new_cdp_session(page)
            session.on("Security.visibleSecurityStateChanged", self._on_security_state)
            session.send("Security.enable")
        except Exception:  # noqa: BLE001 - not Chromium, or the page went away: identities lack the fingerprint
            pass

    def _on_security_state(self, event: dict) -> None:
        state = (event.get("visibleSecurityState") or {}).get("certificateSecurityState")
        if isinstance(state, dict) and state.get("certificate"):
            self.security_states = (self.security_states + [state])[-SECURITY_STATES_KEPT:]

    def on_response(self, response, main_frame: Callable[[object], bool]) -> None:
        try:
            url = response.url
        except Exception:  # noqa: BLE001
            return
        origin = origin_of(url)
        if not origin.startswith(("http://", "https://")):
            return
        if origin not in self.reached and len(self.reached) >= MAX_LISTED:
            return
        self.reached[origin] = self.reached.get(origin, 0) + 1
        if origin in self.recorded or origin in self.pending:
            return
        try:
            request = response.request
            if not (request.is_navigation_request() and main_frame(request)):
                return
            address = response.server_addr() or {}
            security = response.security_details() if origin.startswith("https://") else None
        except Exception:  # noqa: BLE001 - the page moved on; the next main-frame response of the origin tries again
            return
        self.pending[origin] = {
            "origin": origin, "url": _bare(url), "server_ip": address.get("ipAddress"),
            "server_port": address.get("port"), "status": response.status, "tls": _tls(security),
        }

    def on_blocked(self, method: str, url: str, why: str) -> None:
        key = (method, _bare(url))
        if key not in self.blocked and len(self.blocked) >= MAX_LISTED:
            return
        item = self.blocked.setdefault(key, {"method": method, "url": key[1], "count": 0, "why": why})
        item["count"] += 1

    # ------------------------------------------------------------ what the executor emits

    def ready(self, final: bool = False) -> list[dict]:
        """Identities complete now (plain http, or https with the browser's certificate found); with `final`
        every one still pending, with what is known."""
        out = []
        for origin, identity in list(self.pending.items()):
            tls = identity["tls"]
            if tls is not None and "sha256" not in tls:
                state = self._matching_state(tls)
                if state is None and not final:
                    continue
                tls.update(_certificate(state) if state else
                           {"note": "the browser did not report the certificate itself; no fingerprint"})
            out.append(identity)
            self.recorded.add(origin)
            del self.pending[origin]
        return out

    def _matching_state(self, tls: dict) -> Optional[dict]:
        for state in reversed(self.security_states):
            if (state.get("subjectName") == tls.get("subject_name")
                    and _stamp(state.get("validFrom")) == tls.get("valid_from")
                    and _stamp(state.get("validTo")) == tls.get("valid_to")):
                return state
        return None

    def summary(self) -> dict:
        outside = sorted(o for o in self.reached if url_problem(o + "/", self.origins))
        return {"origins_reached": sorted(self.reached), "outside_profile": outside,
                "only_profile_origins": not outside and not self.blocked,
                "blocked_requests": sorted(self.blocked.values(), key=lambda b: (b["url"], b["method"]))}


def _tls(security: Optional[dict]) -> Optional[dict]:
    if not security:
        return None
    return {"protocol": security.get("protocol"), "subject_name": security.get("subjectName"),
            "issuer_name": security.get("issuer"), "valid_from": _stamp(security.get("validFrom")),
            "valid_to": _stamp(security.get("validTo"))}


def _certificate(state: dict) -> dict:
    """The certificate the browser accepted, from its DER chain: who it names, who vouches, when it is valid."""
    from cryptography import x509
    chain = []
    for item in state.get("certificate") or []:
        try:
            chain.append(base64.b64decode(item))
        except (ValueError, TypeError):
            continue
    out: dict = {"chain_sha256": [hashlib.sha256(der).hexdigest() for der in chain],
                 "certificate_error": state.get("certificateNetworkError") or None}
    if not chain:
        return out
    out["sha256"] = out["chain_sha256"][0]
    try:
        leaf = x509.load_der_x509_certificate(chain[0])
    except ValueError:
        return out
    out.update(subject=leaf.subject.rfc4514_string(), issuer=leaf.issuer.rfc4514_string(),
               serial=format(leaf.serial_number, "x"),
               not_before=leaf.not_valid_before_utc.isoformat().replace("+00:00", "Z"),
               not_after=leaf.not_valid_after_utc.isoformat().replace("+00:00", "Z"))
    try:
        names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        out["names"] = [str(n.value) for n in names][:50]
    except x509.ExtensionNotFound:
        pass
    return out
