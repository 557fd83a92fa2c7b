"""示例贷 request handling: which page or JSON answer each request gets, and
the closure rules (blocking debts, SMS verification, the final submit)."""

from __future__ import annotations

import time
from typing import Callable

from ..faults import Chance
from ..lender_state import CLOSED, PENDING_REVIEW, Account, LenderState, SeedAccount
from ..markup import mask_phone, yuan
from ..popups import PopupPolicy
from ..sms_codes import SendRefused, Verdict
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

SEEDS = [
    SeedAccount("13800000001", "demo-pass-1"),
    SeedAccount("13800000002", "demo-pass-2", unpaid="1234.56"),
    SeedAccount("13800000003", "demo-pass-3"),
    SeedAccount("13800000004", "demo-pass-4", balance="0.35"),
]
ACCOUNTS_BY_ROLE = {
    "clean": "13800000001",
    "unpaid": "13800000002",
    "clean2": "13800000003",
    "leftover": "13800000004",
}
PASSWORDS = {seed.login: seed.password for seed in SEEDS}

SUBMIT_PATH = "/api/close/submit"
MAX_CREDIT = "¥200,000"

LOCKED_MSG = "验证码错误次数过多，请稍后再试"
VERDICT_MESSAGES = {
    Verdict.NONE_SENT: "请先获取验证码",
    Verdict.EXPIRED: "验证码已过期，请重新获取",
    Verdict.LOCKED: LOCKED_MSG,
}

Handler = Callable[[Request], Response]


def _truthy(value: object) -> bool:
    return value is True or str(value).lower() in {"1", "true", "on", "yes"}


def _fail(message: str, status: int = 400, **extra) -> Response:
    return json_response({"ok": False, "message": message, **extra}, status)


def closure_blocker(account: Account) -> str | None:
    """Why the site refuses to close this account, in its own words."""
    if account.unpaid > 0:
        return f"您尚有未结清的借款（待还 {yuan(account.unpaid)}），请结清后再申请注销"
    if account.balance > 0:
        return f"您的账户尚有余额 {yuan(account.balance)} 未处理，请处理后再申请注销"
    return None


class DemoLenderApp:
    def __init__(self, chance: Chance, clock: Callable[[], float] = time.time) -> None:
        self.chance = chance
        self.state = LenderState(SEEDS, chance, clock)
        self.popups = PopupPolicy(share=0.5, min_delay_ms=0, max_delay_ms=1500)
        public: dict[tuple[str, str], Handler] = {
            ("GET", "/"): self.root,
            ("GET", "/login"): self.login,
            ("POST", "/api/login"): self.api_login,
        }
        private: dict[tuple[str, str], Handler] = {
            ("POST", "/api/logout"): self.api_logout,
            ("GET", "/home"): self.home,
            ("GET", "/api/home"): self.api_home,
            ("GET", "/me"): self.me,
            ("GET", "/borrow"): lambda r: html_response(pages.borrow_page(redesign=r.redesign)),
            ("GET", "/loans"): self.loans,
            ("GET", "/settings"): lambda r: html_response(pages.settings_page(redesign=r.redesign)),
            ("GET", "/settings/security"): self.security,
            ("GET", "/settings/privacy"): self.privacy,
            ("GET", "/close"): lambda r: html_response(closure_pages.close_retention_page(redesign=r.redesign)),
            ("GET", "/close/notice"): lambda r: html_response(closure_pages.close_notice_page(redesign=r.redesign)),
            ("GET", "/close/check"): self.close_check,
            ("GET", "/api/close/check"): self.api_close_check,
            ("GET", "/close/reason"): lambda r: html_response(closure_pages.close_reason_page(redesign=r.redesign)),
            ("POST", "/api/close/reason"): self.api_close_reason,
            ("GET", "/close/verify"): self.close_verify,
            ("POST", "/api/sms/send"): self.api_sms_send,
            ("POST", "/api/sms/verify"): self.api_sms_verify,
            ("GET", "/close/confirm"): self.close_confirm,
            ("POST", SUBMIT_PATH): self.api_close_submit,
            ("GET", "/close/result"): self.close_result,
            ("GET", "/close/status"): self.close_status,
        }
        self._routes = {key: (handler, False) for key, handler in public.items()}
        self._routes.update({key: (handler, True) for key, handler in private.items()})

    # -- framework hooks ---------------------------------------------------

    def is_irreversible(self, request: Request) -> bool:
        """The closure submit: fault injection must never fake its failure."""
        return request.method == "POST" and request.path == SUBMIT_PATH

    def handle(self, request: Request) -> Response:
        route = self._routes.get((request.method, request.path))
        if route is None:
            return not_found(request)
        handler, needs_login = route
        if needs_login and self._account(request) is None:
            target = "/login?expired=1" if request.session_expired else "/login"
            if request.is_api:
                message = "登录已过期，请重新登录" if request.session_expired else "请先登录"
                return _fail(message, 401, redirect=target)
            return redirect(target)
        return handler(request)

    # -- helpers -------------------------------------------------------------

    def _account(self, request: Request) -> Account | None:
        if request.session is None:
            return None
        return self.state.account(request.session.account)

    def _ad_delay(self) -> int | None:
        """Decide per page view whether the promo overlay pops up, and when."""
        return self.popups.delay(self.chance)

    # -- login ---------------------------------------------------------------

    def root(self, request: Request) -> Response:
        return redirect("/home" if self._account(request) else "/login")

    def login(self, request: Request) -> Response:
        expired = request.query.get("expired") == "1"
        return html_response(pages.login_page(redesign=request.redesign, expired=expired))

    def api_login(self, request: Request) -> Response:
        body = request.body
        phone = str(body.get("phone") or body.get("mobile") or "").strip()
        password = str(body.get("password") or "")
        if not _truthy(body.get("agreed", False)):
            return _fail("请先阅读并同意用户协议")
        account = self.state.account(phone)
        if account is None or account.password != password:
            return _fail("手机号或密码错误")
        if account.status == CLOSED:
            return _fail("该账号已注销")
        if request.session is not None:
            self.state.drop_session(request.session.sid)
        session = self.state.open_session(phone)
        return set_session_cookie(json_response({"ok": True, "redirect": "/home"}), session.sid)

    def api_logout(self, request: Request) -> Response:
        self.state.drop_session(request.session.sid)
        return clear_session_cookie(json_response({"ok": True, "redirect": "/login"}))

    # -- everyday pages ------------------------------------------------------

    def home(self, request: Request) -> Response:
        delay = self.chance.randint(300, 800)  # the site's slow content API
        return html_response(
            pages.home_page(redesign=request.redesign, content_delay_ms=delay, ad_delay_ms=self._ad_delay())
        )

    def api_home(self, request: Request) -> Response:
        account = self._account(request)
        pending = account.application_no if account.status == PENDING_REVIEW else None
        return json_response({"ok": True, "max_credit": MAX_CREDIT, "pending_application_no": pending})

    def me(self, request: Request) -> Response:
        account = self._account(request)
        return html_response(
            pages.me_page(
                redesign=request.redesign,
                masked_phone=mask_phone(account.login),
                pending=account.status == PENDING_REVIEW,
                ad_delay_ms=self._ad_delay(),
            )
        )

    def loans(self, request: Request) -> Response:
        account = self._account(request)
        unpaid = yuan(account.unpaid) if account.unpaid > 0 else None
        return html_response(pages.loans_page(redesign=request.redesign, unpaid_text=unpaid))

    def security(self, request: Request) -> Response:
        masked = mask_phone(self._account(request).login)
        return html_response(pages.security_page(redesign=request.redesign, masked_phone=masked))

    def privacy(self, request: Request) -> Response:
        if not request.redesign:
            return not_found(request)  # the page only exists after the site update
        return html_response(pages.privacy_page(redesign=True))

    # -- closure flow ----------------------------------------------------------

    def close_check(self, request: Request) -> Response:
        delay = self.chance.randint(300, 600)
        return html_response(closure_pages.close_check_page(redesign=request.redesign, check_delay_ms=delay))

    def api_close_check(self, request: Request) -> Response:
        blocker = closure_blocker(self._account(request))
        if blocker:
            return json_response({"ok": True, "passed": False, "message": blocker})
        return json_response({"ok": True, "passed": True, "message": "注销条件检测通过"})

    def api_close_reason(self, request: Request) -> Response:
        reason = str(request.body.get("reason") or "")
        if reason not in closure_pages.REASONS:
            return _fail("请选择注销原因")
        answers = {
            "reason": reason,
            "source": str(request.body.get("source") or ""),
            "suggestion": str(request.body.get("suggestion") or "")[:500],
        }
        request.session.data["reason"] = answers
        self._account(request).answers = answers
        return json_response({"ok": True, "redirect": "/close/verify"})

    def close_verify(self, request: Request) -> Response:
        phone = self._account(request).login
        with self.state.lock:
            wait = self.state.codes.resend_wait(phone, self.state.now())
        page = closure_pages.close_verify_page(
            redesign=request.redesign, masked_phone=mask_phone(phone), resend_wait_s=wait
        )
        return html_response(page)

    def api_sms_send(self, request: Request) -> Response:
        phone = self._account(request).login
        with self.state.lock:
            now = self.state.now()
            try:
                self.state.codes.send(phone, now, self.chance.digits(6))
            except SendRefused as refused:
                if refused.reason == "locked":
                    return _fail(LOCKED_MSG, 403, reason="locked")
                wait = self.state.codes.resend_wait(phone, now)
                return _fail("验证码发送过于频繁，请稍后再试", 429, reason="too_soon", resend_in=wait)
        # The code itself is never echoed: only the "SMS" (test hook) has it.
        resend_in = self.state.codes.rules.resend_after_s
        return json_response({"ok": True, "message": "验证码已发送", "resend_in": resend_in})

    def api_sms_verify(self, request: Request) -> Response:
        code = str(request.body.get("code") or "").strip()
        if not code:
            return _fail("请输入短信验证码", reason="empty")
        phone = self._account(request).login
        with self.state.lock:
            now = self.state.now()
            result = self.state.codes.check(phone, code, now)
            if result.verdict is Verdict.OK:
                request.session.verified_at = now
                return json_response({"ok": True, "redirect": "/close/confirm"})
        if result.verdict is Verdict.WRONG:
            return _fail(f"验证码错误，还可尝试{result.attempts_left}次", reason="wrong")
        status = 403 if result.verdict is Verdict.LOCKED else 400
        return _fail(VERDICT_MESSAGES[result.verdict], status, reason=result.verdict.value)

    def close_confirm(self, request: Request) -> Response:
        if request.session.verified_at is None:
            return redirect("/close/verify")
        return html_response(closure_pages.close_confirm_page(redesign=request.redesign))

    def api_close_submit(self, request: Request) -> Response:
        if request.session.verified_at is None:
            return _fail("请先完成身份验证", 403)
        account = self._account(request)
        blocker = closure_blocker(account)
        if blocker:
            return _fail(blocker, 409)
        number = self.state.submit_closure(account.login)
        return json_response({"ok": True, "application_no": number, "redirect": "/close/result"})

    def close_result(self, request: Request) -> Response:
        account = self._account(request)
        if account.application_no is None:
            return redirect("/close/status")
        return html_response(
            closure_pages.close_result_page(redesign=request.redesign, application_no=account.application_no)
        )

    def close_status(self, request: Request) -> Response:
        account = self._account(request)
        number = account.application_no if account.status == PENDING_REVIEW else None
        return html_response(closure_pages.close_status_page(redesign=request.redesign, application_no=number))
