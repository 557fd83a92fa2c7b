"""The shared portal base: one Flask app per running portal.

A lender package supplies only its pages and rules: a Flask blueprint, its seed accounts, its
submit endpoint and its skin renames (a `Lender`). This module wraps that in the behaviour every
practice portal shares, in one request pipeline: the fault knobs (latency, injected server errors,
session expiry; the irreversible submit is never failed by them, only by its own `submit_answer`
knob), the login session looked up from Flask's signed session cookie, the redesign skin handed to
every template, when a pop-up shows, the codes a portal "sends" (printed like a phone would show
them when asked), the `/__test__/` hooks (test mode only), and the site's 404, "server busy" and
"bad gateway" pages. The knobs are listed in faults.py.

Views reach the running portal through `portal` (its state, faults and seeded random source) and
answer with `page(...)`, `answer(...)` or `fail(...)`.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from flask import Blueprint, Flask, abort, current_app, g, make_response, render_template, request, session
from werkzeug.local import LocalProxy

from .faults import Chance, Faults, check_variants
from .lender_state import PENDING_REVIEW, Account, LenderState, SeedAccount
from .popups import Popup, PopupPolicy
from .sms_codes import CodeRules, SmsCode

HOOKS_PREFIX = "/__test__/"


@dataclass(frozen=True)
class Lender:
    """What makes one practice lender: its pages (a blueprint) and its rules."""

    name: str
    blueprint: Blueprint
    seeds: list[SeedAccount]
    submit_path: str  # the irreversible closure request: POST here
    # The pop-up the site shows on some page views: (share of views, min delay ms, max delay ms).
    popup: tuple[float, int, int] = (0.0, 0, 0)
    # Class and id names the redesign renames outright; every other name just gets "-v2".
    renames: dict[str, str] = field(default_factory=dict)
    code_rules: CodeRules | None = None
    application_format: str = "ZX{day}{digits}"
    # Hooks of the lender's own (e.g. solving its captcha), served under /__test__/ in test mode.
    test_hooks: Blueprint | None = None
    # The variant knobs this lender has (see faults.VARIANTS).
    variants: frozenset[str] = frozenset()
    # What the "phone" or mailbox shows for a sent code: {code}, {minutes} of validity, {to}.
    code_message: str = "{code} ({to})"
    mask_login: Callable[[str], str] = lambda login: login


class Skin:
    """The class and id names a page uses, as `{{ s.form_error }}` in templates (underscores stand
    for hyphens). The redesign variant is the same templates with another skin: every name gets
    "-v2" unless the lender renames it outright."""

    def __init__(self, redesign: bool, renames: dict[str, str]) -> None:
        self._redesign = redesign
        self._renames = renames

    def __getattr__(self, attr: str) -> str:
        if attr.startswith("_"):
            raise AttributeError(attr)
        name = attr.replace("_", "-")
        if not self._redesign:
            return name
        return self._renames.get(name, f"{name}-v2")


class PortalRuntime:
    """Everything one running portal holds: state, knobs, random source, statistics."""

    def __init__(self, lender: Lender, chance: Chance, faults: Faults, *, test_mode: bool,
                 clock: Callable[[], float] = time.time, code_sink: Callable[[str], None] | None = None) -> None:
        check_variants(faults.as_dict(), lender.variants)
        self.lender = lender
        self.chance = chance
        self.faults = faults
        self.test_mode = test_mode
        self.code_sink = code_sink
        self.stopping = threading.Event()  # set by the server's stop(): ends a held submit answer early
        self.state = LenderState(lender.seeds, chance, clock, code_rules=lender.code_rules,
                                 application_format=lender.application_format)
        self.popups = PopupPolicy(*lender.popup)
        self.handed_out: dict[str, tuple] = {}  # documents waiting on another origin (documents.py)
        # What the fault knobs did, so a test can tell a knob actually bit.
        self.stats = {"requests": 0, "errors_injected": 0}
        self.stats_lock = threading.Lock()
        self._skins = {flag: Skin(flag, lender.renames) for flag in (False, True)}

    def skin(self, redesign: bool) -> Skin:
        return self._skins[redesign]

    def is_irreversible(self) -> bool:
        """The closure submit: fault injection must never fake its failure."""
        return request.method == "POST" and request.path == self.lender.submit_path

    def popup_mode(self) -> str:
        """No pop-up in test mode unless a test asks (nothing may race one by chance); the site's own
        randomness otherwise."""
        return self.faults.popups or ("never" if self.test_mode else "site")

    def popup(self) -> Popup | None:
        """This page view's pop-up, or None (see popups.py)."""
        return self.popups.decide(request.path, self.popup_mode(), self.chance)

    def cooldown_s(self) -> int:
        """Seconds before another code may be sent."""
        knob = self.faults.resend_cooldown_s
        return self.state.codes.rules.resend_after_s if knob is None else knob

    def announce_code(self, login: str, code: SmsCode) -> None:
        """Show a sent code where the person practising would look: the portal's own terminal."""
        if self.code_sink is None:
            return
        minutes = max(1, round((code.expires_at - code.sent_at) / 60))
        self.code_sink(self.lender.code_message.format(code=code.value, minutes=minutes,
                                                       to=self.lender.mask_login(login)))

    def set_faults(self, changes: dict[str, Any]) -> None:
        self.faults.update(changes, variants=self.lender.variants)
        if "seed" in changes:
            self.chance.reseed(self.faults.seed)

    def reset(self) -> None:
        self.state.reset()
        self.handed_out.clear()
        self.chance.reseed(self.faults.seed)  # same seed, same run again
        self.popups.reset()
        with self.stats_lock:
            for key in self.stats:
                self.stats[key] = 0


portal: PortalRuntime = LocalProxy(lambda: current_app.extensions["portal"])  # type: ignore[assignment]


# -- what views use --------------------------------------------------------------------------------


def form() -> dict[str, Any]:
    """The request's fields: a JSON object from page scripts, or an urlencoded form."""
    if "form" not in g:
        data = request.get_json(silent=True)
        g.form = data if isinstance(data, dict) else request.form.to_dict()
    return g.form


def login_session():
    """The server-side login session of this request, or None when logged out."""
    return g.get("login")


def current_account() -> Account | None:
    login = login_session()
    return None if login is None else portal.state.account(login.account)


def session_expired() -> bool:
    """True when this very request found its session dropped by the expiry fault."""
    return g.get("session_expired", False)


def redesigned() -> bool:
    """Whether this request is served the "after a site update" variant (the live knob, read once)."""
    return g.get("redesign", False)


def is_api() -> bool:
    """Requests made by page scripts; they get JSON instead of HTML."""
    return request.path.startswith("/api/")


def sign_in(login: str):
    """Open a login session for `login`, replacing the browser's old one."""
    state = portal.state
    if login_session() is not None:
        state.drop_session(g.login.sid)
    opened = state.open_session(login)
    session.clear()
    session["sid"] = opened.sid
    g.login = opened
    return opened


def sign_out() -> None:
    portal.state.drop_session(g.login.sid)
    session.clear()
    g.login = None


def page(template: str, **context: Any) -> str:
    return render_template(template, **context)


def answer(status: int = 200, **data: Any):
    return data, status


def fail(message: str, status: int = 400, **extra: Any):
    return {"ok": False, "message": message, **extra}, status


def not_found():
    abort(404)


def send_code(login: str) -> SmsCode:
    """Send `login` a new one-time code (by SMS or e-mail: the lender's words say which), under the
    site's rules and the cooldown knob. Raises SendRefused ("locked" or "too_soon")."""
    state = portal.state
    with state.lock:
        sent = state.codes.send(login, state.now(), portal.chance.digits(6), portal.cooldown_s())
    portal.announce_code(login, sent)
    return sent


def resend_wait(login: str) -> int:
    state = portal.state
    with state.lock:
        return state.codes.resend_wait(login, state.now(), portal.cooldown_s())


def accept_closure(account: Account, *, blocker: str | None, pending_message: str):
    """The site's last word on a closure request that passed its own checks: (refusal, None) while a
    request is pending (the `refuse_while_pending` knob; nothing is created) or while `blocker` says
    why not, else (None, the application number)."""
    if account.status == PENDING_REVIEW and portal.faults.refuse_while_pending:
        portal.state.note_repeat(account.login)
        return fail(pending_message, 409, reason="pending", application_no=account.application_no), None
    if blocker:
        return fail(blocker, 409), None
    return None, portal.state.submit_closure(account.login)


CHINA_TIME = dt.timezone(dt.timedelta(hours=8), "CST")


def china_clock(unix_time: float) -> str:
    """HH:MM in China Standard Time, how a Chinese site says when a lock ends."""
    return dt.datetime.fromtimestamp(unix_time, CHINA_TIME).strftime("%H:%M")


# -- the shared request pipeline ---------------------------------------------------------------------


def _before_request():
    runtime: PortalRuntime = portal._get_current_object()  # type: ignore[attr-defined]
    faults = runtime.faults
    g.redesign = faults.redesign  # "after a site update" variant, decided per request by the live knob
    if request.path.startswith(HOOKS_PREFIX):
        return None  # test hooks are never delayed, failed or counted
    if faults.latency_ms > 0:
        time.sleep(faults.latency_ms / 1000)
    irreversible = runtime.is_irreversible()
    g.submit_answer = faults.submit_answer if irreversible else None
    g.login, g.session_expired = _session_for(runtime, expire_now=g.submit_answer == "session_expired")
    fail_now = faults.error_rate > 0 and not irreversible and runtime.chance.random() < faults.error_rate
    bad_gateway = g.submit_answer == "502_before"
    with runtime.stats_lock:
        runtime.stats["requests"] += 1
        runtime.stats["errors_injected"] += int(fail_now or bad_gateway)
    if bad_gateway:
        return _bad_gateway()  # the proxy gave up before the site saw the request: nothing processed
    return _server_busy() if fail_now else None


def _after_request(response):
    answer_as = g.get("submit_answer")
    if answer_as == "502_after":  # the site processed the request; its answer was lost on the way
        with portal.stats_lock:
            portal.stats["errors_injected"] += 1
        response = make_response(_bad_gateway())
    elif answer_as == "timeout":  # processed, but the answer comes too late for any browser
        portal.stopping.wait(portal.faults.submit_hold_s)
    response.headers["Cache-Control"] = "no-store"
    return response


def _session_for(runtime: PortalRuntime, *, expire_now: bool = False):
    """Look up the login session, counting requests for the expiry fault."""
    state = runtime.state
    with state.lock:
        login = state.session(session.get("sid"))
        if login is None:
            return None, False
        login.requests += 1
        if expire_now:  # the submit_answer knob: gone on exactly this request
            state.drop_session(login.sid)
            return None, True
        limit = runtime.faults.session_expiry_after
        if limit is not None and login.requests > limit:
            state.drop_session(login.sid)
            # One expiry per setting, like a real timeout: the next login gets a normal session.
            runtime.faults.session_expiry_after = None
            return None, True
        return login, False


def _server_busy():
    """What an overloaded gateway answers: 500 with a bilingual message."""
    if is_api():
        return fail(SERVER_BUSY_ZH, 500, message_en=SERVER_BUSY_EN)
    return render_template("portal/busy.html", zh=SERVER_BUSY_ZH, en=SERVER_BUSY_EN), 500


SERVER_BUSY_ZH = "服务器繁忙，请稍后重试"
SERVER_BUSY_EN = "Server busy, please try again later."


def _bad_gateway():
    """What the lender's front proxy answers when the application behind it fails: nginx's page."""
    return render_template("portal/bad_gateway.html"), 502


def _not_found(error):
    if is_api() or request.path.startswith(HOOKS_PREFIX):
        return fail("not found", error.code)
    return render_template("portal/not_found.html"), error.code


def _skin_context() -> dict[str, Any]:
    redesign = g.get("redesign", False)
    return {"s": portal.skin(redesign), "redesign": redesign}


def mask_phone(phone: str) -> str:
    """138****0001: how Chinese apps show a phone number."""
    if len(phone) < 7:
        return phone
    return f"{phone[:3]}****{phone[-4:]}"


def yuan(amount) -> str:
    return f"¥{amount:,.2f}"


def create_app(runtime: PortalRuntime) -> Flask:
    """The Flask app of one running portal: the lender's blueprint inside the shared pipeline."""
    from .documents import shared as shared_documents
    from .test_hooks import hooks

    app = Flask(__name__, static_folder=None)  # shared templates: assistant/portals/templates/portal/
    app.config.update(
        SECRET_KEY=secrets.token_hex(32),  # per portal run: a restart logs everyone out, like a real deploy
        SESSION_COOKIE_NAME="sid",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.jinja_options = {**app.jinja_options, "trim_blocks": True, "lstrip_blocks": True}
    app.extensions["portal"] = runtime
    app.before_request(_before_request)
    app.after_request(_after_request)
    app.register_error_handler(404, _not_found)
    app.register_error_handler(405, _not_found)
    app.context_processor(_skin_context)
    app.add_template_filter(mask_phone)
    app.add_template_filter(yuan)
    app.register_blueprint(runtime.lender.blueprint)
    app.register_blueprint(shared_documents)
    if runtime.test_mode:
        app.register_blueprint(hooks, url_prefix=HOOKS_PREFIX.rstrip("/"))
        if runtime.lender.test_hooks is not None:
            app.register_blueprint(runtime.lender.test_hooks, url_prefix=HOOKS_PREFIX.rstrip("/"))
    return app
