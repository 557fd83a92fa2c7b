"""Northwind Credit request handling: sign-in with an e-mailed one-time code,
the settings area, and the closure rules (blocking balance, feedback, typed
confirmation, password re-entry, the final submit). The pages are the
templates next to this module; the site profile matches their texts.

Variant (knob in faults.py): `second_factor="totp"` asks at sign-in for the
code of an authenticator app (RFC 6238: 30-second steps, 6 digits) instead of
an e-mailed one. Nothing is sent; the account's secret is at GET
/__test__/totp; each code is accepted once, so signing in again within the
same 30 seconds with the same code is refused in the site's words."""

from __future__ import annotations

import time
from decimal import Decimal

from flask import Blueprint, redirect, request

from .. import totp
from ..base import (
    Lender,
    accept_closure,
    answer,
    current_account,
    fail,
    form,
    is_api,
    login_session,
    not_found,
    page,
    portal,
    redesigned,
    resend_wait,
    send_code,
    session_expired,
    sign_in,
    sign_out,
)
from ..lender_state import CLOSED, PENDING_REVIEW, Account, SeedAccount
from ..sms_codes import CodeRules, SendRefused, Verdict

SEEDS = [
    SeedAccount("alice.morgan@example.com", "nw-Alice-2024", display_name="Alice Morgan"),
    SeedAccount("ben.carter@example.com", "nw-Ben-2024", unpaid="1234.56", display_name="Ben Carter"),
    SeedAccount("chloe.davis@example.com", "nw-Chloe-2024", display_name="Chloe Davis"),
]
ACCOUNTS_BY_ROLE = {
    "clean": "alice.morgan@example.com",
    "unpaid": "ben.carter@example.com",
    "clean2": "chloe.davis@example.com",
}
PASSWORDS = {seed.login: seed.password for seed in SEEDS}

SUBMIT_PATH = "/api/account/close"
CONSENT_COOKIE = "nw_cookie_consent"
CREDIT_LIMIT = Decimal("15000")
REVIEW_DAYS = 15
# E-mailed codes live longer than SMS ones, but three wrong guesses lock sign-in.
CODE_RULES = CodeRules(ttl_s=600, resend_after_s=30, max_wrong=3, lock_s=30 * 60)

REASONS = [
    "I found a better offer elsewhere",
    "I no longer need a credit line",
    "Fees or interest are too high",
    "I'm worried about my data",
    "Other reason",
]
SATISFACTION = ["Very satisfied", "Satisfied", "Neutral", "Dissatisfied", "Very dissatisfied"]
CONFIRM_WORD = "CLOSE"
MIN_DETAILS = 10
SETTINGS_TABS = [
    ("personal", "Personal details"),
    ("security", "Sign-in & security"),
    ("communication", "Communication"),
    ("account", "Account"),
]
REDESIGN_TABS = SETTINGS_TABS + [("privacy", "Privacy & data")]

LOCKED_MSG = "Too many incorrect attempts. For your security, sign-in is locked for 30 minutes."
ALREADY_PENDING = "You have already asked us to close this account. Your request is under review."
TOTP_REUSED = "That code has already been used. Wait for the next code in your authenticator app."
VERDICT_MESSAGES = {
    Verdict.NONE_SENT: "Send yourself a code first.",
    Verdict.EXPIRED: "This code has expired. Request a new code.",
    Verdict.LOCKED: LOCKED_MSG,
}

site = Blueprint("desktop_lender", __name__, template_folder="templates")
PUBLIC = {"root", "signin", "api_signin"}
PASSWORD_ONLY = {"signin_verify", "api_send_code", "api_verify_code", "api_signout"}  # before the e-mailed code


def dollars(amount: Decimal) -> str:
    return f"${amount:,.2f}"


def mask_email(email: str) -> str:
    """a•••n@example.com, the way sites show where a code went."""
    name, _, domain = email.partition("@")
    return f"{name[:1]}•••{name[-1:] if len(name) > 1 else ''}@{domain}"


def closure_blocker(account: Account) -> str | None:
    if account.unpaid > 0:
        return (f"You have an outstanding balance of {dollars(account.unpaid)}. "
                "Please pay it in full before closing your account.")
    if account.balance > 0:
        return (f"Your account has a credit balance of {dollars(account.balance)}. "
                "Ask us to refund it before closing your account.")
    return None


@site.before_request
def require_sign_in():
    endpoint = request.endpoint.rpartition(".")[2]
    if endpoint in PUBLIC:
        return None
    if current_account() is None:
        target = "/signin?expired=1" if session_expired() else "/signin"
        if is_api():
            message = "Your session has expired. Please sign in again." if session_expired() else "Sign in first."
            return fail(message, 401, redirect=target)
        return redirect(target)
    if endpoint not in PASSWORD_ONLY and not login_session().data.get("mfa"):
        if is_api():
            return fail("Finish signing in first.", 401, redirect="/signin/verify")
        return redirect("/signin/verify")
    return None


@site.context_processor
def site_context() -> dict:
    return {"consent_cookie": CONSENT_COOKIE}


def _cookie_banner():
    """The consent banner shows on every page until a choice is stored (when: see popups.py)."""
    if CONSENT_COOKIE in request.cookies:
        return None
    return portal.popup()


def _authenticator() -> bool:
    return portal.faults.second_factor == "totp"


def totp_secret(account: Account) -> str:
    """The account's authenticator secret, made on first use from the seeded random source."""
    with portal.state.lock:
        if account.totp_secret is None:
            account.totp_secret = totp.encode_secret(portal.chance.token_bytes(20))
        return account.totp_secret


def _who() -> dict:
    account = current_account()
    return {"user_name": account.display_name or account.login.split("@")[0], "email": account.login}


def _pending_reference(account: Account) -> str | None:
    return account.application_no if account.status == PENDING_REVIEW else None


# -- sign-in -------------------------------------------------------------------------------------------


@site.get("/")
def root():
    if current_account() is None:
        return redirect("/signin")
    return redirect("/dashboard" if login_session().data.get("mfa") else "/signin/verify")


@site.get("/signin")
def signin():
    expired = request.args.get("expired") == "1"
    return page("signin.html", expired=expired, popup=_cookie_banner())


@site.post("/api/signin")
def api_signin():
    email = str(form().get("email") or "").strip().lower()
    password = str(form().get("password") or "")
    if not email or not password:
        return fail("Enter your email address and password.")
    account = portal.state.account(email)
    if account is None or account.password != password:
        return fail("Incorrect email or password. Try again or reset your password.")
    if account.status == CLOSED:
        return fail("This account has been closed. Call us if you have questions.", 403, reason="closed")
    sign_in(email).data["mfa"] = False
    return answer(ok=True, redirect="/signin/verify")


@site.get("/signin/verify")
def signin_verify():
    if login_session().data.get("mfa"):
        return redirect("/dashboard")
    email = current_account().login
    if _authenticator():
        return page("verify_totp.html", popup=_cookie_banner())
    ever_sent = portal.state.codes.latest(email) is not None
    return page("verify.html", masked_email=mask_email(email), resend_wait_s=resend_wait(email), ever_sent=ever_sent,
                popup=_cookie_banner())


@site.post("/api/signin/send-code")
def api_send_code():
    email = current_account().login
    if _authenticator():
        return fail("Your code comes from your authenticator app; we don't send one.", reason="authenticator")
    try:
        send_code(email)
    except SendRefused as refused:
        if refused.reason == "locked":
            return fail(LOCKED_MSG, 403, reason="locked")
        wait = resend_wait(email)
        return fail(f"Please wait {wait} seconds before requesting a new code.", 429, reason="too_soon",
                    resend_in=wait)
    # The code goes out by "e-mail" only: the test hook reads it, the page never shows it.
    return answer(ok=True, resend_in=portal.cooldown_s())


@site.post("/api/signin/verify")
def api_verify_code():
    code = str(form().get("code") or "").strip()
    if _authenticator():
        return _verify_totp(current_account(), code)
    if not code:
        return fail("Enter the 6-digit code from the email.", reason="empty")
    email = current_account().login
    state = portal.state
    with state.lock:
        result = state.codes.check(email, code, state.now())
        if result.verdict is Verdict.OK:
            login_session().data["mfa"] = True
            return answer(ok=True, redirect="/dashboard")
    if result.verdict is Verdict.WRONG:
        plural = "attempt" if result.attempts_left == 1 else "attempts"
        return fail(f"That code is incorrect. You have {result.attempts_left} {plural} left.", reason="wrong")
    status = 403 if result.verdict is Verdict.LOCKED else 400
    return fail(VERDICT_MESSAGES[result.verdict], status, reason=result.verdict.value)


def _verify_totp(account: Account, code: str):
    if not code:
        return fail("Enter the 6-digit code from your authenticator app.", reason="empty")
    secret = totp_secret(account)
    state = portal.state
    with state.lock:
        now = state.now()
        if state.codes.is_locked(account.login, now):
            return fail(LOCKED_MSG, 403, reason="locked")
        step = totp.matching_step(secret, code, now)
        if step is None:
            result = state.codes.note_wrong(account.login, now)
            if result.verdict is Verdict.LOCKED:
                return fail(LOCKED_MSG, 403, reason="locked")
            plural = "attempt" if result.attempts_left == 1 else "attempts"
            return fail(f"That code is incorrect. You have {result.attempts_left} {plural} left.", reason="wrong")
        if step <= account.totp_last_step:  # single use: a code (or an older one) already accepted
            return fail(TOTP_REUSED, reason="reused")
        account.totp_last_step = step
        state.codes.note_right(account.login)
        login_session().data["mfa"] = True
    return answer(ok=True, redirect="/dashboard")


@site.post("/api/signout")
def api_signout():
    sign_out()
    return answer(ok=True, redirect="/signin")


# -- everyday pages --------------------------------------------------------------------------------


@site.get("/dashboard")
def dashboard():
    return page("dashboard.html", content_delay_ms=portal.chance.randint(300, 700), popup=_cookie_banner(),
                **_who())


@site.get("/api/overview")
def api_overview():
    account = current_account()
    owed = account.unpaid
    return answer(
        ok=True,
        limit=dollars(CREDIT_LIMIT),
        available=dollars(max(Decimal(0), CREDIT_LIMIT - owed)),
        balance=dollars(owed),
        next_payment="Minimum payment $35.00 due Dec 15" if owed > 0 else "No payment due",
        pending_reference=_pending_reference(account),
        activity=[
            ["Nov 02", "Payment — thank you", "-$420.00"],
            ["Oct 18", "Interest charge", "$0.00"],
            ["Oct 02", "Payment — thank you", "-$380.00"],
        ],
    )


@site.get("/loans")
def loans():
    return page("loans.html", owed=dollars(current_account().unpaid), popup=_cookie_banner(), **_who())


@site.get("/payments")
def payments():
    return page("payments.html", popup=_cookie_banner(), **_who())


@site.get("/documents")
def documents():
    return page("documents.html", popup=_cookie_banner(), **_who())


def _settings(tab: str, **context):
    return page(f"settings_{tab}.html", tab=tab, tabs=REDESIGN_TABS if redesigned() else SETTINGS_TABS,
                popup=_cookie_banner(), **_who(), **context)


@site.get("/settings")
def settings():
    return redirect("/settings/personal")


@site.get("/settings/personal")
def settings_personal():
    return _settings("personal")


@site.get("/settings/security")
def settings_security():
    return _settings("security", authenticator=_authenticator())


@site.get("/settings/communication")
def settings_communication():
    return _settings("communication")


@site.get("/settings/account")
def settings_account():
    return _settings("account", pending_reference=_pending_reference(current_account()))


@site.get("/settings/privacy")
def settings_privacy():
    if not redesigned():
        not_found()  # the tab only exists after the site update
    return _settings("privacy", pending_reference=_pending_reference(current_account()))


# -- closure -------------------------------------------------------------------------------------------


@site.get("/settings/close-account")
def close_wizard():
    if current_account().status == PENDING_REVIEW:
        return redirect("/settings/close-account/status")
    login_session().data.pop("feedback", None)
    return page("close_wizard.html", check_delay_ms=portal.chance.randint(300, 700), popup=_cookie_banner(),
                reasons=REASONS, satisfaction=SATISFACTION, confirm_word=CONFIRM_WORD, min_details=MIN_DETAILS,
                **_who())


@site.get("/api/close/eligibility")
def api_eligibility():
    blocker = closure_blocker(current_account())
    return answer(ok=True, eligible=blocker is None, message=blocker or "")


@site.post("/api/close/feedback")
def api_feedback():
    body = form()
    reason, rating = str(body.get("reason") or ""), str(body.get("rating") or "")
    details = str(body.get("details") or "").strip()
    if reason not in REASONS:
        return fail("Choose a reason.")
    if rating not in SATISFACTION:
        return fail("Tell us how satisfied you were.")
    if len(details) < MIN_DETAILS:
        return fail(f"Please tell us a little more (at least {MIN_DETAILS} characters).")
    answers = {"reason": reason, "rating": rating, "details": details[:1000]}
    login_session().data["feedback"] = answers
    current_account().answers = answers
    return answer(ok=True)


@site.post(SUBMIT_PATH)
def api_close():
    account = current_account()
    if "feedback" not in login_session().data:
        return fail("Please complete the previous steps first.", 409)
    if str(form().get("confirmation") or "") != CONFIRM_WORD:
        return fail(f"Type {CONFIRM_WORD} to confirm.")
    if str(form().get("password") or "") != account.password:
        return fail("The password you entered is incorrect.", 403, reason="password")
    refused, reference = accept_closure(account, blocker=closure_blocker(account), pending_message=ALREADY_PENDING)
    return refused or answer(ok=True, reference=reference, redirect="/settings/close-account/submitted")


@site.get("/settings/close-account/submitted")
def close_submitted():
    account = current_account()
    if account.application_no is None:
        return redirect("/settings/close-account/status")
    return page("close_submitted.html", masked_email=mask_email(account.login), reference=account.application_no,
                review_days=REVIEW_DAYS, popup=_cookie_banner(), **_who())


@site.get("/settings/close-account/status")
def close_status():
    account = current_account()
    submitted = time.strftime("%B %d, %Y", time.localtime(account.submitted_at)) if account.submitted_at else ""
    return page("close_status.html", reference=_pending_reference(account), submitted_on=submitted,
                popup=_cookie_banner(), **_who())


# -- the lender's own test hook --------------------------------------------------------------------------

hooks = Blueprint("desktop_lender_hooks", __name__)


@hooks.get("/totp")
def totp_hook():
    """Test mode only: what the account's authenticator app holds (its secret) and shows now."""
    login = str(request.args.get("account") or "").strip()
    account = portal.state.account(login)
    if account is None:
        return fail("unknown account", 404)
    secret = totp_secret(account)
    return answer(account=login, secret=secret, period=totp.PERIOD_S, digits=totp.DIGITS,
                  code=totp.totp(secret, portal.state.now()))


LENDER = Lender(
    name="desktop-lender",
    blueprint=site,
    seeds=SEEDS,
    submit_path=SUBMIT_PATH,
    popup=(1.0, 200, 1500),
    renames={
        "email": "login-email",
        "password": "login-secret",
        "code": "otp-input",
        "danger-zone": "account-removal",
        "confirm-word": "typed-confirmation",
    },
    code_rules=CODE_RULES,
    application_format="NW-{day}-{digits}",
    test_hooks=hooks,
    variants=frozenset({"second_factor"}),
    code_message="[Northwind Credit] Your sign-in code is {code}. It expires in {minutes} minutes. (to {to})",
    mask_login=mask_email,
)
