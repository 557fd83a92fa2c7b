"""A tiny cookie-keeping HTTP client for portal tests: one 'browser' without
the browser. It never follows redirects so tests can assert on them."""

from __future__ import annotations

import http.cookiejar
import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from assistant.portals import PORTALS

_INFO = PORTALS["demo-lender"]


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def json(self):
        return json.loads(self.text)

    @property
    def location(self) -> str | None:
        return self.headers.get("location")


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # tests assert on the 302 itself


class WebSession:
    """One 'browser' worth of cookies, speaking plain HTTP to a portal."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),
            urllib.request.HTTPCookieProcessor(self.jar),
            _KeepRedirects(),
        )

    def request(self, method: str, path: str, data: dict | None = None) -> Reply:
        body = json.dumps(data).encode() if data is not None else None
        req = urllib.request.Request(self.base_url + path, data=body, method=method)
        if body is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with self._opener.open(req, timeout=10) as resp:
                return Reply(resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read().decode())
        except urllib.error.HTTPError as err:
            return Reply(err.code, {k.lower(): v for k, v in err.headers.items()}, err.read().decode())

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post(self, path: str, data: dict | None = None) -> Reply:
        return self.request("POST", path, data if data is not None else {})

    def login(self, phone: str, password: str | None = None) -> Reply:
        password = _INFO.passwords[phone] if password is None else password
        return self.post("/api/login", {"phone": phone, "password": password, "agreed": True})


