"""`/__test__/*` endpoints: the back door tests use to read the "SMS" or
e-mail, inspect and reset portal state, turn fault knobs and say when the
pop-up shows. Registered only in test mode, and never delayed or failed by the
faults themselves.

A lender may add hooks of its own (e.g. solving its slider captcha) as a
blueprint of its own (`Lender.test_hooks`), served under the same prefix."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from .base import answer, fail, form, portal
from .popups import PopupPlan

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
    """Say when the pop-up shows, until the next reset: {"show": never|always|site, "pages": [paths],
    "times": n, "delay_ms": n, "on_hover": text} (see popups.py)."""
    plan = PopupPlan.parse(form())
    portal.popups.pin(plan)
    return answer(ok=True, **plan.as_dict())


@hooks.get("/popups")
def popups_now():
    return answer(ok=True, **portal.popups.plan(portal.popup_mode()).as_dict())


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
    portal.set_faults(changes)
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


@hooks.post("/lock-codes")
def lock_codes():
    """Lock the account's codes as too many wrong ones would, for {"seconds": n} (default: the site's own)."""
    account = account_arg()
    state = portal.state
    if state.account(account) is None:
        return fail("unknown account", 404)
    seconds = form().get("seconds")
    seconds = state.codes.rules.lock_s if seconds is None else float(seconds)
    if not 0 < seconds <= 7 * 24 * 3600:
        raise ValueError("seconds must be more than 0 and at most a week")
    with state.lock:
        until = state.now() + seconds
        state.codes.lock(account, until)
    return answer(ok=True, locked_until=until)


@hooks.post("/expire-code")
def expire_code():
    account = account_arg()
    state = portal.state
    with state.lock:
        expired = state.codes.expire(account, state.now())
    return answer(ok=True) if expired else fail("no code sent to this account", 404)
