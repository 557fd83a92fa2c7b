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




# -- whole journeys over plain HTTP, for tests that need an account in a given state ----------------


def sign_in_desktop(session: WebSession, client, email: str, password: str | None = None) -> None:
    """Northwind Credit: password, then the e-mailed code (read through the test hook)."""
    password = PORTALS["desktop-lender"].passwords[email] if password is None else password
    assert session.post("/api/signin", {"email": email, "password": password}).json["ok"]
    assert session.post("/api/signin/send-code").json["ok"]
    assert session.post("/api/signin/verify", {"code": client.latest_code(email)}).json["ok"]


def sign_in_wallet(session: WebSession, phone: str, password: str | None = None) -> None:
    password = PORTALS["wallet-lender"].passwords[phone] if password is None else password
    assert session.post("/api/login", {"phone": phone, "password": password, "agreed": True}).json["ok"]


def verify_wallet_sms(session: WebSession, client, phone: str) -> None:
    """随心花: the captcha (solved through the hook), then the SMS code."""
    client.solve_captcha(phone)
    assert session.post("/api/sms/send").json["ok"]
    assert session.post("/api/sms/verify", {"code": client.latest_code(phone)}).json["ok"]


def submit_closure(name: str, base_url: str, client, account: str) -> str:
    """Take `account` through portal `name`'s closure over HTTP; returns the application number."""
    session = WebSession(base_url)
    if name == "desktop-lender":
        sign_in_desktop(session, client, account)
        assert session.post("/api/close/feedback", {"reason": "Other reason", "rating": "Neutral",
                                                   "details": "Moving to another bank."}).json["ok"]
        reply = session.post("/api/account/close", {"password": PORTALS[name].passwords[account],
                                                    "confirmation": "CLOSE"})
        return reply.json["reference"]
    if name == "wallet-lender":
        sign_in_wallet(session, account)
        verify_wallet_sms(session, client, account)
        return session.post("/api/service/close/submit").json["application_no"]
    session.login(account)
    assert session.post("/api/sms/send").json["ok"]
    assert session.post("/api/sms/verify", {"code": client.latest_code(account)}).json["ok"]
    return session.post("/api/close/submit").json["application_no"]
