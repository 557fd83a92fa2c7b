"""`/__test__/*` endpoints: the back door tests use to read the "SMS" or
e-mail, inspect and reset portal state, and turn fault knobs. Served only in
test mode, and never delayed or failed by the faults themselves.

A portal app may add hooks of its own (e.g. solving its slider captcha) as
methods named `test_hook_<method>_<name>`."""

from __future__ import annotations

import re
import threading
from typing import Any

from .faults import Chance, Faults
from .lender_state import LenderState
from .web import Request, Response, json_response, not_found

PREFIX = "/__test__/"


def _missing(what: str) -> Response:
    return json_response({"ok": False, "message": what}, 404)


def _bad(message: str) -> Response:
    return json_response({"ok": False, "message": message}, 400)


def _account_arg(request: Request) -> str:
    return str(request.query.get("account") or request.body.get("account") or "").strip()


class TestHooks:
    __test__ = False  # not a pytest test class, despite the name

    def __init__(
        self,
        state: LenderState,
        faults: Faults,
        chance: Chance,
        app: object = None,
        stats: dict[str, int] | None = None,
        stats_lock: threading.Lock | None = None,
    ) -> None:
        self.state = state
        self.faults = faults
        self.chance = chance
        self.app = app
        self.stats = stats if stats is not None else {}
        self.stats_lock = stats_lock or threading.Lock()

    def handle(self, request: Request) -> Response:
        name = request.path[len(PREFIX):]
        if not re.fullmatch(r"[a-z]+(-[a-z]+)*", name):
            return not_found(request)
        method_name = f"{request.method.lower()}_{name.replace('-', '_')}"
        handler = getattr(self, method_name, None) or getattr(self.app, f"test_hook_{method_name}", None)
        if handler is None:
            return not_found(request)
        try:
            return handler(request)
        except ValueError as exc:
            return _bad(str(exc))

    def get_code(self, request: Request) -> Response:
        account = _account_arg(request)
        with self.state.lock:
            code = self.state.codes.latest(account)
            if code is None:
                return _missing("no code sent to this account")
            return json_response({
                "account": account,
                "code": code.value,
                "sent_at": code.sent_at,
                "expires_at": code.expires_at,
                "used": code.used,
            })

    def get_state(self, request: Request) -> Response:
        snapshot = self.state.snapshot(_account_arg(request))
        return json_response(snapshot) if snapshot else _missing("unknown account")

    def post_reset(self, request: Request) -> Response:
        self.state.reset()
        self.chance.reseed(self.faults.seed)  # same seed, same run again
        popups = getattr(self.app, "popups", None)
        if popups is not None:
            popups.unpin()
        with self.stats_lock:
            for key in self.stats:
                self.stats[key] = 0
        return json_response({"ok": True})

    def get_stats(self, request: Request) -> Response:
        """Requests served and server errors injected since the last reset (hooks not counted)."""
        with self.stats_lock:
            return json_response(dict(self.stats))

    def post_popups(self, request: Request) -> Response:
        """Pin the portal's pop-up: {"share": 0..1, "delay_ms": n} (until the next reset)."""
        popups = getattr(self.app, "popups", None)
        if popups is None:
            return _missing("this portal has no pop-ups")
        delay = request.body.get("delay_ms")
        popups.pin(float(request.body.get("share", 1.0)), None if delay is None else int(delay))
        return json_response({"ok": True, **popups.as_dict()})

    def post_approve(self, request: Request) -> Response:
        account = _account_arg(request)
        if self.state.account(account) is None:
            return _missing("unknown account")
        if not self.state.approve(account):
            return json_response({"ok": False, "message": "no closure application pending review"}, 409)
        return json_response({"ok": True, "state": self.state.snapshot(account)})

    def get_faults(self, request: Request) -> Response:
        return json_response(self.faults.as_dict())

    def post_faults(self, request: Request) -> Response:
        changes: dict[str, Any] = dict(request.body)
        self.faults.update(changes)
        if "seed" in changes:
            self.chance.reseed(self.faults.seed)
        return json_response(self.faults.as_dict())

    def post_accounts(self, request: Request) -> Response:
        account = _account_arg(request)
        password = request.body.get("password")
        if not account or not isinstance(password, str):
            raise ValueError("account and password are required")
        self.state.put_account(
            account,
            password,
            unpaid=str(request.body.get("unpaid", "0")),
            balance=str(request.body.get("balance", "0")),
            display_name=str(request.body.get("display_name", "")),
        )
        return json_response({"ok": True, "state": self.state.snapshot(account)})

    def post_next_code(self, request: Request) -> Response:
        account = _account_arg(request)
        code = str(request.body.get("code") or "")
        if not account or not code:
            raise ValueError("account and code are required")
        with self.state.lock:
            self.state.codes.force_next(account, code)
        return json_response({"ok": True})

    def post_expire_code(self, request: Request) -> Response:
        account = _account_arg(request)
        with self.state.lock:
            expired = self.state.codes.expire(account, self.state.now())
        return json_response({"ok": True}) if expired else _missing("no code sent to this account")
