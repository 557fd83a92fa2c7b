"""Northwind Credit request handling: sign-in with an e-mailed one-time code,
the settings area, and the closure rules (blocking balance, feedback, typed
confirmation, password re-entry, the final submit)."""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Callable

from ..faults import Chance
from ..lender_state import CLOSED, PENDING_REVIEW, Account, LenderState, SeedAccount
from ..popups import PopupPolicy
from ..sms_codes import CodeRules, SendRefused, Verdict
from ..web import (
    Request,
    Response,
    clear_session_cookie,
    html_response,
    json_response,
    not_found,
    redirect,
    set_session_cookie,
)
from . import closure_pages, pages
from .layout import CONSENT_COOKIE

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
CREDIT_LIMIT = Decimal("15000")
REVIEW_DAYS = 15
# E-mailed codes live longer than SMS ones, but three wrong guesses lock sign-in.
CODE_RULES = CodeRules(ttl_s=600, resend_after_s=30, max_wrong=3, lock_s=30 * 60)

LOCKED_MSG = "Too many incorrect attempts. For your security, sign-in is locked for 30 minutes."
VERDICT_MESSAGES = {
    Verdict.NONE_SENT: "Send yourself a code first.",
    Verdict.EXPIRED: "This code has expired. Request a new code.",
    Verdict.LOCKED: LOCKED_MSG,
}

Handler = Callable[[Request], Response]
PUBLIC, SIGNED_IN, VERIFIED = "public", "signed_in", "verified"


def _fail(message: str, status: int = 400, **extra) -> Response:
    return json_response({"ok": False, "message": message, **extra}, status)


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


class DesktopLenderApp:
    def __init__(self, chance: Chance, clock: Callable[[], float] = time.time) -> None:
        self.chance = chance
        self.state = LenderState(SEEDS, chance, clock, code_rules=CODE_RULES, application_format="NW-{day}-{digits}")
        # The consent banner shows on every page until a choice is stored, at an unpredictable moment.
        self.popups = PopupPolicy(share=1.0, min_delay_ms=200, max_delay_ms=1500)
        routes: dict[str, dict[tuple[str, str], Handler]] = {
            PUBLIC: {
                ("GET", "/"): self.root,
                ("GET", "/signin"): self.signin,
                ("POST", "/api/signin"): self.api_signin,
            },
            SIGNED_IN: {
                ("GET", "/signin/verify"): self.signin_verify,
                ("POST", "/api/signin/send-code"): self.api_send_code,
                ("POST", "/api/signin/verify"): self.api_verify_code,
                ("POST", "/api/signout"): self.api_signout,
            },
            VERIFIED: {
                ("GET", "/dashboard"): self.dashboard,
                ("GET", "/api/overview"): self.api_overview,
                ("GET", "/loans"): self.loans,
                ("GET", "/payments"): self.payments,
                ("GET", "/documents"): self.documents,
                ("GET", "/settings"): lambda r: redirect("/settings/personal"),
                ("GET", "/settings/personal"): self.settings_personal,
                ("GET", "/settings/security"): self.settings_security,
                ("GET", "/settings/communication"): self.settings_communication,
                ("GET", "/settings/account"): self.settings_account,
                ("GET", "/settings/privacy"): self.settings_privacy,
                ("GET", "/settings/close-account"): self.close_wizard,
                ("GET", "/api/close/eligibility"): self.api_eligibility,
                ("POST", "/api/close/feedback"): self.api_feedback,
                ("POST", SUBMIT_PATH): self.api_close,
                ("GET", "/settings/close-account/submitted"): self.close_submitted,
                ("GET", "/settings/close-account/status"): self.close_status,
            },
        }
        self._routes = {key: (handler, level) for level, table in routes.items() for key, handler in table.items()}

    # -- framework hooks ---------------------------------------------------

    def is_irreversible(self, request: Request) -> bool:
        return request.method == "POST" and request.path == SUBMIT_PATH

    def handle(self, request: Request) -> Response:
        route = self._routes.get((request.method, request.path))
        if route is None:
            return not_found(request)
        handler, level = route
        if level != PUBLIC and self._account(request) is None:
            return self._to_signin(request)
        if level == VERIFIED and not request.session.data.get("mfa"):
            if request.is_api:
                return _fail("Finish signing in first.", 401, redirect="/signin/verify")
            return redirect("/signin/verify")
        return handler(request)

    def _to_signin(self, request: Request) -> Response:
        target = "/signin?expired=1" if request.session_expired else "/signin"
        if request.is_api:
            message = "Your session has expired. Please sign in again." if request.session_expired else "Sign in first."
            return _fail(message, 401, redirect=target)
        return redirect(target)

    # -- helpers -------------------------------------------------------------

    def _account(self, request: Request) -> Account | None:
        if request.session is None:
            return None
        return self.state.account(request.session.account)

    def _cookie_delay(self, request: Request) -> int | None:
        if CONSENT_COOKIE in request.cookies:
            return None
        return self.popups.delay(self.chance)

    def _who(self, request: Request) -> dict:
        account = self._account(request)
        return {"user_name": account.display_name or account.login.split("@")[0], "email": account.login}

    def _pending_reference(self, account: Account) -> str | None:
        return account.application_no if account.status == PENDING_REVIEW else None

    # -- sign-in ---------------------------------------------------------------

    def root(self, request: Request) -> Response:
        account = self._account(request)
        if account is None:
            return redirect("/signin")
        return redirect("/dashboard" if request.session.data.get("mfa") else "/signin/verify")

    def signin(self, request: Request) -> Response:
        expired = request.query.get("expired") == "1"
        cookie_delay = self._cookie_delay(request)
        return html_response(pages.signin_page(redesign=request.redesign, expired=expired, cookie_delay_ms=cookie_delay))

    def api_signin(self, request: Request) -> Response:
        email = str(request.body.get("email") or "").strip().lower()
        password = str(request.body.get("password") or "")
        if not email or not password:
            return _fail("Enter your email address and password.")
        account = self.state.account(email)
        if account is None or account.password != password:
            return _fail("Incorrect email or password. Try again or reset your password.")
        if account.status == CLOSED:
            return _fail("This account has been closed. Call us if you have questions.", 403, reason="closed")
        if request.session is not None:
            self.state.drop_session(request.session.sid)
        session = self.state.open_session(email)
        session.data["mfa"] = False
        return set_session_cookie(json_response({"ok": True, "redirect": "/signin/verify"}), session.sid)

    def signin_verify(self, request: Request) -> Response:
        if request.session.data.get("mfa"):
            return redirect("/dashboard")
        email = self._account(request).login
        with self.state.lock:
            wait = self.state.codes.resend_wait(email, self.state.now())
            ever_sent = self.state.codes.latest(email) is not None
        page = pages.verify_page(redesign=request.redesign, masked_email=mask_email(email), resend_wait_s=wait,
                                 ever_sent=ever_sent, cookie_delay_ms=self._cookie_delay(request))
        return html_response(page)

    def api_send_code(self, request: Request) -> Response:
        email = self._account(request).login
        with self.state.lock:
            now = self.state.now()
            try:
                self.state.codes.send(email, now, self.chance.digits(6))
            except SendRefused as refused:
                if refused.reason == "locked":
                    return _fail(LOCKED_MSG, 403, reason="locked")
                wait = self.state.codes.resend_wait(email, now)
                return _fail(f"Please wait {wait} seconds before requesting a new code.", 429, reason="too_soon",
                             resend_in=wait)
        # The code goes out by "e-mail" only: the test hook reads it, the page never shows it.
        return json_response({"ok": True, "resend_in": CODE_RULES.resend_after_s})

    def api_verify_code(self, request: Request) -> Response:
        code = str(request.body.get("code") or "").strip()
        if not code:
            return _fail("Enter the 6-digit code from the email.", reason="empty")
        email = self._account(request).login
        with self.state.lock:
            result = self.state.codes.check(email, code, self.state.now())
            if result.verdict is Verdict.OK:
                request.session.data["mfa"] = True
                return json_response({"ok": True, "redirect": "/dashboard"})
        if result.verdict is Verdict.WRONG:
            plural = "attempt" if result.attempts_left == 1 else "attempts"
            return _fail(f"That code is incorrect. You have {result.attempts_left} {plural} left.", reason="wrong")
        status = 403 if result.verdict is Verdict.LOCKED else 400
        return _fail(VERDICT_MESSAGES[result.verdict], status, reason=result.verdict.value)

    def api_signout(self, request: Request) -> Response:
        self.state.drop_session(request.session.sid)
        return clear_session_cookie(json_response({"ok": True, "redirect": "/signin"}))

    # -- everyday pages ----------------------------------------------------------

    def dashboard(self, request: Request) -> Response:
        page = pages.dashboard_page(redesign=request.redesign, content_delay_ms=self.chance.randint(300, 700),
                                    cookie_delay_ms=self._cookie_delay(request), **self._who(request))
        return html_response(page)

    def api_overview(self, request: Request) -> Response:
        account = self._account(request)
        owed = account.unpaid
        return json_response({
            "ok": True,
            "limit": dollars(CREDIT_LIMIT),
            "available": dollars(max(Decimal(0), CREDIT_LIMIT - owed)),
            "balance": dollars(owed),
            "next_payment": "Minimum payment $35.00 due Dec 15" if owed > 0 else "No payment due",
            "pending_reference": self._pending_reference(account),
            "activity": [
                ["Nov 02", "Payment — thank you", "-$420.00"],
                ["Oct 18", "Interest charge", "$0.00"],
                ["Oct 02", "Payment — thank you", "-$380.00"],
            ],
        })

    def _simple(self, request: Request, current: str, title: str, content: str) -> Response:
        return html_response(pages.simple_page(redesign=request.redesign, current=current, title=title,
                                               content=content, cookie_delay_ms=self._cookie_delay(request),
                                               **self._who(request)))

    def loans(self, request: Request) -> Response:
        account = self._account(request)
        owed = dollars(account.unpaid)
        return self._simple(request, "loans", "Loans", f"<h2>Northwind Flex Line</h2><p>Current balance: {owed}</p>"
                            "<p class=\"§muted\">Variable APR 18.9% · credit limit $15,000.00</p>")

    def payments(self, request: Request) -> Response:
        return self._simple(request, "payments", "Payments",
                            "<h2>Make a payment</h2><p>Online payments are paused on this practice site.</p>")

    def documents(self, request: Request) -> Response:
        return self._simple(request, "documents", "Documents",
                            "<h2>Statements</h2><p>October 2026 statement (PDF) · September 2026 statement (PDF)</p>")

    def _settings(self, request: Request, tab: str, content: str, script: str = "") -> Response:
        return html_response(pages.settings_page(redesign=request.redesign, tab=tab, content=content, script=script,
                                                 cookie_delay_ms=self._cookie_delay(request), **self._who(request)))

    def settings_personal(self, request: Request) -> Response:
        who = self._who(request)
        return self._settings(request, "personal", pages.personal_content(**who))

    def settings_security(self, request: Request) -> Response:
        return self._settings(request, "security", pages.security_content())

    def settings_communication(self, request: Request) -> Response:
        return self._settings(request, "communication", pages.communication_content())

    def settings_account(self, request: Request) -> Response:
        pending = self._pending_reference(self._account(request))
        content, script = pages.account_content(pending_reference=pending, redesign=request.redesign)
        return self._settings(request, "account", content, script)

    def settings_privacy(self, request: Request) -> Response:
        if not request.redesign:
            return not_found(request)  # the tab only exists after the site update
        pending = self._pending_reference(self._account(request))
        content, script = pages.privacy_content(pending_reference=pending)
        return self._settings(request, "privacy", content, script)

    # -- closure -----------------------------------------------------------------

    def close_wizard(self, request: Request) -> Response:
        account = self._account(request)
        if account.status == PENDING_REVIEW:
            return redirect("/settings/close-account/status")
        request.session.data.pop("feedback", None)
        page = closure_pages.close_wizard_page(redesign=request.redesign, check_delay_ms=self.chance.randint(300, 700),
                                               cookie_delay_ms=self._cookie_delay(request), **self._who(request))
        return html_response(page)

    def api_eligibility(self, request: Request) -> Response:
        blocker = closure_blocker(self._account(request))
        return json_response({"ok": True, "eligible": blocker is None, "message": blocker or ""})

    def api_feedback(self, request: Request) -> Response:
        body = request.body
        reason, rating = str(body.get("reason") or ""), str(body.get("rating") or "")
        details = str(body.get("details") or "").strip()
        if reason not in closure_pages.REASONS:
            return _fail("Choose a reason.")
        if rating not in closure_pages.SATISFACTION:
            return _fail("Tell us how satisfied you were.")
        if len(details) < closure_pages.MIN_DETAILS:
            return _fail(f"Please tell us a little more (at least {closure_pages.MIN_DETAILS} characters).")
        answers = {"reason": reason, "rating": rating, "details": details[:1000]}
        request.session.data["feedback"] = answers
        self._account(request).answers = answers
        return json_response({"ok": True})

    def api_close(self, request: Request) -> Response:
        account = self._account(request)
        if "feedback" not in request.session.data:
            return _fail("Please complete the previous steps first.", 409)
        if str(request.body.get("confirmation") or "") != closure_pages.CONFIRM_WORD:
            return _fail(f"Type {closure_pages.CONFIRM_WORD} to confirm.")
        if str(request.body.get("password") or "") != account.password:
            return _fail("The password you entered is incorrect.", 403, reason="password")
        blocker = closure_blocker(account)
        if blocker:
            return _fail(blocker, 409)
        reference = self.state.submit_closure(account.login)
        return json_response({"ok": True, "reference": reference, "redirect": "/settings/close-account/submitted"})

    def close_submitted(self, request: Request) -> Response:
        account = self._account(request)
        if account.application_no is None:
            return redirect("/settings/close-account/status")
        page = closure_pages.submitted_page(
            redesign=request.redesign, masked_email=mask_email(account.login), reference=account.application_no,
            review_days=REVIEW_DAYS, cookie_delay_ms=self._cookie_delay(request), **self._who(request))
        return html_response(page)

    def close_status(self, request: Request) -> Response:
        account = self._account(request)
        reference = self._pending_reference(account)
        submitted = time.strftime("%B %d, %Y", time.localtime(account.submitted_at)) if account.submitted_at else ""
        page = closure_pages.status_page(redesign=request.redesign, reference=reference, submitted_on=submitted,
                                         cookie_delay_ms=self._cookie_delay(request), **self._who(request))
        return html_response(page)
