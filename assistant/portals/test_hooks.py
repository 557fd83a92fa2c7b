"""`/__test__/*` endpoints: the back door tests use to read the "SMS" or
e-mail, inspect and reset portal state, and turn fault knobs. Registered only
in test mode, and never delayed or failed by the faults themselves.

A lender may add hooks of its own (e.g. solving its slider captcha) as a
blueprint of its own (`Lender.test_hooks`), served under the same prefix."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from .base import answer, fail, form, portal

hooks = Blueprint("test_hooks", __name__)


@hooks.errorhandler(ValueError)
def _bad_value(error: ValueError):
    return fail(str(error), 400)


def account_arg() -> str:
    return str(request.args.get("account") or form().get("account") or "").strip()


@hooks.get("/code")
def code():
    account = account_arg()
    state = portal.state
    with state.lock:
        sent = state.codes.latest(account)
        if sent is None:
            return fail("no code sent to this account", 404)
        return answer(account=account, code=sent.value, sent_at=sent.sent_at, expires_at=sent.expires_at,
                      used=sent.used)


@hooks.get("/state")
def state():
    snapshot = portal.state.snapshot(account_arg())
    return snapshot if snapshot else fail("unknown account", 404)


@hooks.post("/reset")
def reset():
    portal.reset()
    return answer(ok=True)


@hooks.get("/stats")
def stats():
    """Requests served and server errors injected since the last reset (hooks not counted)."""
    with portal.stats_lock:
        return dict(portal.stats)


@hooks.post("/popups")
def popups():
    """Pin the portal's pop-up: {"share": 0..1, "delay_ms": n} (until the next reset)."""
    policy = portal.popups
    delay = form().get("delay_ms")
    policy.pin(float(form().get("share", 1.0)), None if delay is None else int(delay))
    return answer(ok=True, **policy.as_dict())


@hooks.post("/approve")
def approve():
    account = account_arg()
    if portal.state.account(account) is None:
        return fail("unknown account", 404)
    if not portal.state.approve(account):
        return fail("no closure application pending review", 409)
    return answer(ok=True, state=portal.state.snapshot(account))


@hooks.get("/faults")
def get_faults():
    return portal.faults.as_dict()


@hooks.post("/faults")
def set_faults():
    changes: dict[str, Any] = dict(form())
    portal.faults.update(changes)
    if "seed" in changes:
        portal.chance.reseed(portal.faults.seed)
    return portal.faults.as_dict()


@hooks.post("/accounts")
def accounts():
    account = account_arg()
    password = form().get("password")
    if not account or not isinstance(password, str):
        raise ValueError("account and password are required")
    body = form()
    portal.state.put_account(
        account,
        password,
        unpaid=str(body.get("unpaid", "0")),
        balance=str(body.get("balance", "0")),
        display_name=str(body.get("display_name", "")),
    )
    return answer(ok=True, state=portal.state.snapshot(account))


@hooks.post("/next-code")
def next_code():
    account = account_arg()
    value = str(form().get("code") or "")
    if not account or not value:
        raise ValueError("account and code are required")
    with portal.state.lock:
        portal.state.codes.force_next(account, value)
    return answer(ok=True)


@hooks.post("/expire-code")
def expire_code():
    account = account_arg()
    state = portal.state
    with state.lock:
        expired = state.codes.expire(account, state.now())
    return answer(ok=True) if expired else fail("no code sent to this account", 404)
