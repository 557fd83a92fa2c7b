"""随心花 request handling: password login, the wallet pages, the help centre
(its closure article leads to a service shown in an iframe), the slider
captcha, SMS codes and the final submit."""

from __future__ import annotations

import time
from decimal import Decimal
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
from . import pages, service_pages

SEEDS = [
    SeedAccount("13900000101", "sxh-pass-101"),
    SeedAccount("13900000102", "sxh-pass-102", unpaid="3280.00"),
    SeedAccount("13900000103", "sxh-pass-103"),
]
ACCOUNTS_BY_ROLE = {"clean": "13900000101", "unpaid": "13900000102", "clean2": "13900000103"}
PASSWORDS = {seed.login: seed.password for seed in SEEDS}

SUBMIT_PATH = "/api/service/close/submit"
CREDIT_LIMIT = Decimal("20000")
CAPTCHA_TOLERANCE_PX = 6

LOCKED_MSG = "验证码错误次数过多，请24小时后再试"
VERDICT_MESSAGES = {
    Verdict.NONE_SENT: "请先获取验证码",
    Verdict.EXPIRED: "验证码已失效，请重新获取",
    Verdict.LOCKED: LOCKED_MSG,
}

ARTICLES = {
    "/help/article/bill": ("如何查看本期账单", ["登录随心花后，在“我的账单”中即可查看本期账单和历史账单。"]),
    "/help/article/prepay": ("如何提前还款", ["在“我的账单”中选择需要提前还款的账单，按页面提示操作即可。"]),
    "/help/article/due-date": ("还款日是哪天", ["每月 10 日为还款日，请在当日 23:59 前完成还款。"]),
    "/help/article/overdue": ("逾期会有什么影响", ["逾期将产生罚息，并可能影响您的个人信用记录。"]),
    "/help/article/password": ("如何修改登录密码", ["请在随心花 App“设置-账户与安全”中修改登录密码。"]),
}
CLOSE_ARTICLE_PATH = "/help/article/close-account"
REDESIGN_CLOSE_ARTICLE_PATH = "/help/article/account-deletion"
REDESIGN_ARTICLES = {
    "/help/article/phone": ("如何更换绑定手机号", ["请在随心花 App 中提交更换申请，并完成人脸识别。"]),
    "/help/article/export": ("个人信息查询与导出", ["您可以在随心花 App 中申请导出您的个人信息副本。"]),
}

Handler = Callable[[Request], Response]


def _fail(message: str, status: int = 400, **extra) -> Response:
    return json_response({"ok": False, "message": message, **extra}, status)


def closure_blocker(account: Account) -> str | None:
    if account.unpaid > 0:
        return f"您有未结清的账单（待还 {yuan(account.unpaid)}），暂无法注销。请结清全部账单后再申请。"
    if account.balance > 0:
        return f"您的账户尚有余额 {yuan(account.balance)}，暂无法注销。请提现后再申请。"
    return None


class WalletLenderApp:
    def __init__(self, chance: Chance, clock: Callable[[], float] = time.time) -> None:
        self.chance = chance
        self.state = LenderState(SEEDS, chance, clock, application_format="SXH{day}{digits}")
        self.popups = PopupPolicy(share=0.5, min_delay_ms=0, max_delay_ms=1200)  # the red packet
        public: dict[tuple[str, str], Handler] = {
            ("GET", "/"): self.root,
            ("GET", "/login"): self.login,
            ("POST", "/api/login"): self.api_login,
            # The help centre is public, like on real sites; the service inside it is not.
            ("GET", "/help"): self.help,
            ("GET", "/api/help/topics"): self.api_help_topics,
        }
        private: dict[tuple[str, str], Handler] = {
            ("POST", "/api/logout"): self.api_logout,
            ("GET", "/wallet"): self.wallet,
            ("GET", "/api/wallet"): self.api_wallet,
            ("GET", "/bills"): self.bills,
            ("GET", "/quota"): self.quota,
            ("GET", "/help/close-service"): self.close_service,
            ("GET", "/help/close-progress"): self.close_progress,
            ("GET", "/service/close"): self.service,
            ("GET", "/api/service/check"): self.api_service_check,
            ("GET", "/api/captcha"): self.api_captcha,
            ("GET", "/api/captcha/status"): self.api_captcha_status,
            ("POST", "/api/captcha/verify"): self.api_captcha_verify,
            ("POST", "/api/sms/send"): self.api_sms_send,
            ("POST", "/api/sms/verify"): self.api_sms_verify,
            ("POST", SUBMIT_PATH): self.api_submit,
        }
        self._routes = {key: (handler, False) for key, handler in public.items()}
        self._routes.update({key: (handler, True) for key, handler in private.items()})

    # -- framework hooks ---------------------------------------------------

    def is_irreversible(self, request: Request) -> bool:
        return request.method == "POST" and request.path == SUBMIT_PATH

    def handle(self, request: Request) -> Response:
        route = self._routes.get((request.method, request.path))
        if route is None:
            if request.method == "GET" and request.path.startswith("/help/article/"):
                return self.article(request)
            return not_found(request)
        handler, needs_login = route
        if needs_login and self._account(request) is None:
            target = "/login?expired=1" if request.session_expired else "/login"
            if request.is_api:
                message = "登录状态已失效，请重新登录" if request.session_expired else "请先登录"
                return _fail(message, 401, redirect=target)
            if request.path.startswith("/service/"):  # inside the iframe: send the whole window to log in
                return html_response(service_pages.back_to_login(target))
            return redirect(target)
        return handler(request)

    def test_hook_post_solve_captcha(self, request: Request) -> Response:
        """Test mode only: do a person's part of the slider captcha for every session of the account."""
        account = str(request.query.get("account") or request.body.get("account") or "").strip()
        if self.state.account(account) is None:
            return json_response({"ok": False, "message": "unknown account"}, 404)
        sessions = self.state.sessions_of(account)
        if not sessions:
            return json_response({"ok": False, "message": "the account is not logged in"}, 409)
        with self.state.lock:
            for session in sessions:
                self._captcha(session)["solved"] = True
        return json_response({"ok": True, "sessions": len(sessions)})

    # -- helpers -------------------------------------------------------------

    def _account(self, request: Request) -> Account | None:
        if request.session is None:
            return None
        return self.state.account(request.session.account)

    def _captcha(self, session) -> dict:
        """The session's current challenge; a new one only after a failed drag or a used code."""
        captcha = session.data.get("captcha")
        if captcha is None:
            captcha = {"gap_x": self.chance.randint(120, 230), "gap_y": self.chance.randint(10, 96), "solved": False}
            session.data["captcha"] = captcha
        return captcha

    def _masked(self, request: Request) -> str:
        return mask_phone(self._account(request).login)

    # -- login and everyday pages --------------------------------------------------

    def root(self, request: Request) -> Response:
        return redirect("/wallet" if self._account(request) else "/login")

    def login(self, request: Request) -> Response:
        return html_response(pages.login_page(redesign=request.redesign, expired=request.query.get("expired") == "1"))

    def api_login(self, request: Request) -> Response:
        body = request.body
        phone = str(body.get("phone") or "").strip()
        if body.get("agreed") is not True:
            return _fail("请先阅读并勾选同意《随心花用户协议》《隐私政策》")
        account = self.state.account(phone)
        if account is None or account.password != str(body.get("password") or ""):
            return _fail("手机号或密码错误，请重新输入")
        if account.status == CLOSED:
            return _fail("该账户已注销，如有疑问请联系客服", 403, reason="closed")
        if request.session is not None:
            self.state.drop_session(request.session.sid)
        session = self.state.open_session(phone)
        return set_session_cookie(json_response({"ok": True, "redirect": "/wallet"}), session.sid)

    def api_logout(self, request: Request) -> Response:
        self.state.drop_session(request.session.sid)
        return clear_session_cookie(json_response({"ok": True}))

    def wallet(self, request: Request) -> Response:
        page = pages.wallet_page(redesign=request.redesign, masked_phone=self._masked(request),
                                 content_delay_ms=self.chance.randint(300, 700),
                                 packet_delay_ms=self.popups.delay(self.chance))
        return html_response(page)

    def api_wallet(self, request: Request) -> Response:
        account = self._account(request)
        owed = account.unpaid
        return json_response({
            "ok": True,
            "limit": yuan(CREDIT_LIMIT),
            "available": f"{max(Decimal(0), CREDIT_LIMIT - owed):,.2f}",
            "bill": yuan(owed),
            "bill_note": "还款日 12 月 10 日" if owed > 0 else "本期无需还款",
            "pending_no": account.application_no if account.status == PENDING_REVIEW else None,
        })

    def bills(self, request: Request) -> Response:
        owed = self._account(request).unpaid
        content = (f"<p>本期待还：<b>{yuan(owed)}</b></p><p class=\"§muted\">还款通道维护中，请稍后再试</p>"
                   if owed > 0 else '<p class="§muted">暂无待还账单</p>')
        return html_response(pages.plain_page(redesign=request.redesign, masked_phone=self._masked(request),
                                              current="bills", title="我的账单", content=content))

    def quota(self, request: Request) -> Response:
        content = f"<p>总额度：{yuan(CREDIT_LIMIT)}</p><p class=\"§muted\">提额功能请在随心花 App 中使用</p>"
        return html_response(pages.plain_page(redesign=request.redesign, masked_phone=self._masked(request),
                                              current="quota", title="额度管理", content=content))

    # -- help centre -------------------------------------------------------------

    def help(self, request: Request) -> Response:
        return html_response(pages.help_page(redesign=request.redesign, content_delay_ms=self.chance.randint(300, 700)))

    def api_help_topics(self, request: Request) -> Response:
        topics = pages.REDESIGN_TOPICS if request.redesign else pages.TOPICS
        return json_response({"ok": True, "topics": [
            {"title": title, "articles": [{"title": t, "path": p} for t, p in articles]} for title, articles in topics
        ]})

    def article(self, request: Request) -> Response:
        close_path = REDESIGN_CLOSE_ARTICLE_PATH if request.redesign else CLOSE_ARTICLE_PATH
        if request.path == close_path:
            title = "账号注销申请" if request.redesign else "如何注销随心花账户"
            action = "申请注销账号" if request.redesign else "在线申请注销"
            return html_response(pages.article_page(redesign=request.redesign, title=title,
                                                    paragraphs=pages.CLOSE_ARTICLE, action=action))
        articles = {**ARTICLES, **REDESIGN_ARTICLES} if request.redesign else ARTICLES
        if request.path not in articles:
            return not_found(request)
        title, paragraphs = articles[request.path]
        return html_response(pages.article_page(redesign=request.redesign, title=title, paragraphs=paragraphs))

    def close_service(self, request: Request) -> Response:
        return html_response(pages.close_service_page(redesign=request.redesign))

    def close_progress(self, request: Request) -> Response:
        account = self._account(request)
        number = account.application_no if account.status == PENDING_REVIEW else None
        when = account.submitted_at
        submitted = time.strftime("%Y-%m-%d %H:%M", time.localtime(when)) if when else ""
        return html_response(pages.progress_page(redesign=request.redesign, masked_phone=self._masked(request),
                                                 application_no=number, submitted_on=submitted))

    # -- the closure service (inside the iframe) -------------------------------------------

    def service(self, request: Request) -> Response:
        phone = self._account(request).login
        with self.state.lock:
            wait = self.state.codes.resend_wait(phone, self.state.now())
        page = service_pages.service_page(redesign=request.redesign, masked_phone=mask_phone(phone),
                                          check_delay_ms=self.chance.randint(300, 600), resend_wait_s=wait)
        return html_response(page)

    def api_service_check(self, request: Request) -> Response:
        blocker = closure_blocker(self._account(request))
        return json_response({"ok": True, "passed": blocker is None, "message": blocker or "账户状态正常，可申请注销"})

    def api_captcha(self, request: Request) -> Response:
        with self.state.lock:
            captcha = dict(self._captcha(request.session))
        return json_response({"ok": True, **captcha})

    def api_captcha_status(self, request: Request) -> Response:
        with self.state.lock:
            return json_response({"ok": True, "solved": self._captcha(request.session)["solved"]})

    def api_captcha_verify(self, request: Request) -> Response:
        try:
            x = int(request.body.get("x"))
        except (TypeError, ValueError):
            return _fail("验证失败，请重试")
        with self.state.lock:
            captcha = self._captcha(request.session)
            if abs(x - captcha["gap_x"]) <= CAPTCHA_TOLERANCE_PX:
                captcha["solved"] = True
                return json_response({"ok": True})
            request.session.data.pop("captcha")  # a miss costs the challenge, as on real sites
        return _fail("拼图未对齐，请重试", reason="missed")

    def api_sms_send(self, request: Request) -> Response:
        phone = self._account(request).login
        with self.state.lock:
            if not self._captcha(request.session)["solved"]:
                return _fail("请先完成安全验证", 403, reason="captcha")
            now = self.state.now()
            try:
                self.state.codes.send(phone, now, self.chance.digits(6))
            except SendRefused as refused:
                if refused.reason == "locked":
                    return _fail(LOCKED_MSG, 403, reason="locked")
                wait = self.state.codes.resend_wait(phone, now)
                return _fail("验证码发送过于频繁，请稍后再试", 429, reason="too_soon", resend_in=wait)
        return json_response({"ok": True, "resend_in": self.state.codes.rules.resend_after_s})

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
                request.session.data.pop("captcha", None)  # the next closure attempt gets a new challenge
                return json_response({"ok": True})
        if result.verdict is Verdict.WRONG:
            return _fail(f"验证码错误，您还可以输入{result.attempts_left}次", reason="wrong")
        status = 403 if result.verdict is Verdict.LOCKED else 400
        return _fail(VERDICT_MESSAGES[result.verdict], status, reason=result.verdict.value)

    def api_submit(self, request: Request) -> Response:
        if request.session.verified_at is None:
            return _fail("请先完成身份验证", 403)
        account = self._account(request)
        blocker = closure_blocker(account)
        if blocker:
            return _fail(blocker, 409)
        number = self.state.submit_closure(account.login)
        return json_response({"ok": True, "application_no": number})
