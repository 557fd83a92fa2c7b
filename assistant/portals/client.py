"""Small client for a portal's `/__test__/*` hooks (test mode only)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode


class PortalHookError(RuntimeError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"HTTP {status}: {message}")
        self.status = status


class PortalClient:
    def __init__(self, base_url: str, timeout: float = 10.0, ssl_context=None) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        # Talk to the local portal directly, even if the environment sets a proxy; an https portal with a
        # test's own certificate is trusted through `ssl_context`.
        handlers = [urllib.request.ProxyHandler({})]
        if ssl_context is not None:
            handlers.append(urllib.request.HTTPSHandler(context=ssl_context))
        self._opener = urllib.request.build_opener(*handlers)

    def latest_code(self, account: str) -> str | None:
        """The last SMS code the portal "sent" to this account, if any."""
        try:
            return self._call("GET", "code", account=account)["code"]
        except PortalHookError as exc:
            if exc.status == 404:
                return None
            raise

    def state(self, account: str) -> dict[str, Any]:
        return self._call("GET", "state", account=account)

    def reset(self) -> None:
        self._call("POST", "reset")

    def approve(self, account: str) -> None:
        self._call("POST", "approve", account=account)

    def stats(self) -> dict[str, int]:
        """Requests served and server errors injected since the last reset."""
        return self._call("GET", "stats")

    def set_faults(self, **knobs: Any) -> dict[str, Any]:
        return self._call("POST", "faults", body=knobs)

    def add_account(self, account: str, password: str, unpaid: str = "0") -> None:
        self._call("POST", "accounts", body={"account": account, "password": password, "unpaid": unpaid})

    def set_next_code(self, account: str, code: str) -> None:
        self._call("POST", "next-code", body={"account": account, "code": code})

    def expire_code(self, account: str) -> None:
        self._call("POST", "expire-code", account=account)

    def set_popups(self, show: str = "always", *, pages: list[str] | None = None, times: int | None = None,
                   delay_ms: int = 0, on_hover: str | None = None) -> dict[str, Any]:
        """Say when the portal's pop-up shows, until the next reset: `show` never, always (at once,
        or `delay_ms` after the page is ready) or site (the site's own chance and delays); only on
        `pages` (paths), only for the first `times` page views, or only when the pointer reaches
        the element whose text is `on_hover`."""
        body: dict[str, Any] = {"show": show, "delay_ms": delay_ms}
        for name, value in (("pages", pages), ("times", times), ("on_hover", on_hover)):
            if value is not None:
                body[name] = value
        return self._call("POST", "popups", body=body)

    def pin_popups(self, share: float = 1.0, delay_ms: int | None = None) -> dict[str, Any]:
        """The older way to say it, kept for callers written before set_popups: share 1 is "always"
        (after `delay_ms`), 0 "never", anything between the site's own chance."""
        if share >= 1:
            return self.set_popups("always", delay_ms=delay_ms or 0)
        return self.set_popups("never" if share <= 0 else "site")

    def lock_codes(self, account: str, seconds: float | None = None) -> float:
        """Lock the account's codes as too many wrong ones would; returns when the lock ends."""
        body = {} if seconds is None else {"seconds": seconds}
        return self._call("POST", "lock-codes", body=body, account=account)["locked_until"]

    def totp_secret(self, account: str) -> str:
        """The account's authenticator-app secret (base32), on portals with that variant."""
        return self._call("GET", "totp", account=account)["secret"]

    def solve_captcha(self, account: str) -> None:
        """Do a person's part of a slider captcha the account's page is showing
        (portals with a captcha only)."""
        self._call("POST", "solve-captcha", account=account)

    def _call(self, method: str, hook: str, body: dict | None = None, **query: str) -> dict[str, Any]:
        url = f"{self.base_url}/__test__/{hook}"
        if query:
            url += "?" + urlencode(query)
        data = json.dumps(body if body is not None else {}).encode() if method == "POST" else None
        request = urllib.request.Request(url, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raw = exc.read().decode("utf-8", "replace")
            try:
                message = json.loads(raw).get("message", raw)
            except (json.JSONDecodeError, AttributeError):
                message = raw
            raise PortalHookError(exc.code, message) from None
