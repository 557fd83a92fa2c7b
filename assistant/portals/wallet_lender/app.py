"""随心花 request handling: password login, the wallet pages, the help centre
(its closure article leads to a service shown in an iframe), the slider
captcha, SMS codes and the final submit. The pages are the templates next
to this module; the site profile matches their texts."""

from __future__ import annotations

import time
from decimal import Decimal

from flask import Blueprint, redirect, request

from ..base import (
    Lender,
    accept_closure,
    answer,
    current_account,
    fail,
    form,
    is_api,
    login_session,
    mask_phone,
    not_found,
    page,
    portal,
    redesigned,
    resend_wait,
    send_code,
    session_expired,
    sign_in,
    sign_out,
    yuan,
)
from ..documents import document_link, send_document
from ..lender_state import CLOSED, PENDING_REVIEW, Account, SeedAccount
from ..sms_codes import SendRefused, Verdict
from . import content

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
ALREADY_PENDING = "您已提交注销申请，正在审核中，请勿重复提交"
VERDICT_MESSAGES = {
    Verdict.NONE_SENT: "请先获取验证码",
    Verdict.EXPIRED: "验证码已失效，请重新获取",
    Verdict.LOCKED: LOCKED_MSG,
}

site = Blueprint("wallet_lender", __name__, template_folder="templates")
# The help centre is public, like on real sites; the service inside it is not.
PUBLIC = {"root", "login", "api_login", "help_centre", "api_help_topics", "article"}


def closure_blocker(account: Account) -> str | None:
    if account.unpaid > 0:
        return f"您有未结清的账单（待还 {yuan(account.unpaid)}），暂无法注销。请结清全部账单后再申请。"
    if account.balance > 0:
        return f"您的账户尚有余额 {yuan(account.balance)}，暂无法注销。请提现后再申请。"
    return None


@site.before_request
def require_login():
    if request.endpoint.rpartition(".")[2] in PUBLIC or current_account() is not None:
        return None
    target = "/login?expired=1" if session_expired() else "/login"
    if is_api():
        return fail("登录状态已失效，请重新登录" if session_expired() else "请先登录", 401, redirect=target)
    if request.path.startswith("/service/"):  # inside the iframe: send the whole window to log in
        return page("back_to_login.html", target=target)
    return redirect(target)


def _captcha(session) -> dict:
    """The session's current challenge; a new one only after a failed drag or a used code."""
    captcha = session.data.get("captcha")
    if captcha is None:
        chance = portal.chance
        captcha = {"gap_x": chance.randint(120, 230), "gap_y": chance.randint(10, 96), "solved": False}
        session.data["captcha"] = captcha
    return captcha


def _masked() -> str:
    return mask_phone(current_account().login)


# -- login and everyday pages ------------------------------------------------------------------------


@site.get("/")
def root():
    return redirect("/wallet" if current_account() else "/login")


@site.get("/login")
def login():
    return page("login.html", expired=request.args.get("expired") == "1")


@site.post("/api/login")
def api_login():
    body = form()
    phone = str(body.get("phone") or "").strip()
    if body.get("agreed") is not True:
        return fail("请先阅读并勾选同意《随心花用户协议》《隐私政策》")
    account = portal.state.account(phone)
    if account is None or account.password != str(body.get("password") or ""):
        return fail("手机号或密码错误，请重新输入")
    if account.status == CLOSED:
        return fail("该账户已注销，如有疑问请联系客服", 403, reason="closed")
    sign_in(phone)
    return answer(ok=True, redirect="/wallet")


@site.post("/api/logout")
def api_logout():
    sign_out()
    return answer(ok=True)


@site.get("/wallet")
def wallet():
    return page("wallet.html", masked_phone=_masked(), content_delay_ms=portal.chance.randint(300, 700),
                popup=portal.popup())


@site.get("/api/wallet")
def api_wallet():
    account = current_account()
    owed = account.unpaid
    return answer(
        ok=True,
        limit=yuan(CREDIT_LIMIT),
        available=f"{max(Decimal(0), CREDIT_LIMIT - owed):,.2f}",
        bill=yuan(owed),
        bill_note="还款日 12 月 10 日" if owed > 0 else "本期无需还款",
        pending_no=account.application_no if account.status == PENDING_REVIEW else None,
    )


def repayments(account: Account) -> list[dict]:
    """The account's repayment history, as the bills page lists it and the export writes it."""
    return [{"date": f"2026-{month:02d}-10", "amount": yuan(Decimal("820.00")), "status": "已还清"}
            for month in (7, 8, 9, 10)]


@site.get("/bills")
def bills():
    account = current_account()
    return page("bills.html", masked_phone=_masked(), owed=account.unpaid, records=repayments(account),
                link=document_link("/bills/records.csv"))


@site.get("/bills/records.csv")
def bills_records():
    account = current_account()
    lines = ["date,amount,status"] + [f"{r['date']},{r['amount'].replace(',', '')},{r['status']}"
                                      for r in repayments(account)]
    data = ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")  # with a BOM: Excel opens it as UTF-8
    return send_document(data, f"repayments-{account.login[-4:]}.csv", "text/csv")


@site.get("/cards")
def cards():
    account = current_account()
    return page("cards.html", masked_phone=_masked(), autopay=True,
                cards=[{"bank": "招商银行", "kind": "储蓄卡", "last4": "6789", "bound": True}])


@site.get("/quota")
def quota():
    return page("quota.html", masked_phone=_masked(), limit=CREDIT_LIMIT)


# -- help centre ---------------------------------------------------------------------------------------


@site.get("/help")
def help_centre():
    return page("help.html", content_delay_ms=portal.chance.randint(300, 700))


@site.get("/api/help/topics")
def api_help_topics():
    topics = content.REDESIGN_TOPICS if redesigned() else content.TOPICS
    return answer(ok=True, topics=[
        {"title": title, "articles": [{"title": t, "path": p} for t, p in articles]} for title, articles in topics
    ])


@site.get("/help/article/<slug>")
def article(slug: str):
    path = request.path
    close_path = content.REDESIGN_CLOSE_ARTICLE_PATH if redesigned() else content.CLOSE_ARTICLE_PATH
    if path == close_path:
        return page("article.html", title="账号注销申请" if redesigned() else "如何注销随心花账户",
                    paragraphs=content.CLOSE_ARTICLE, action="申请注销账号" if redesigned() else "在线申请注销")
    articles = {**content.ARTICLES, **content.REDESIGN_ARTICLES} if redesigned() else content.ARTICLES
    if path not in articles:
        not_found()
    title, paragraphs = articles[path]
    return page("article.html", title=title, paragraphs=paragraphs)


@site.get("/help/close-service")
def close_service():
    return page("close_service.html")


@site.get("/help/close-progress")
def close_progress():
    account = current_account()
    number = account.application_no if account.status == PENDING_REVIEW else None
    when = account.submitted_at
    submitted = time.strftime("%Y-%m-%d %H:%M", time.localtime(when)) if when else ""
    return page("progress.html", masked_phone=_masked(), application_no=number, submitted_on=submitted)


# -- the closure service (inside the iframe) -------------------------------------------------------------


@site.get("/service/close")
def service():
    phone = current_account().login
    return page("service.html", masked_phone=mask_phone(phone), check_delay_ms=portal.chance.randint(300, 600),
                resend_wait_s=resend_wait(phone), agreement_title=content.AGREEMENT_TITLE, agreement=content.AGREEMENT)


@site.get("/api/service/check")
def api_service_check():
    account = current_account()
    if account.status == PENDING_REVIEW and portal.faults.refuse_while_pending:
        return answer(ok=True, passed=False, message=ALREADY_PENDING)
    blocker = closure_blocker(account)
    return answer(ok=True, passed=blocker is None, message=blocker or "账户状态正常，可申请注销")


@site.get("/api/captcha")
def api_captcha():
    with portal.state.lock:
        captcha = dict(_captcha(login_session()))
    return answer(ok=True, **captcha)


@site.get("/api/captcha/status")
def api_captcha_status():
    with portal.state.lock:
        return answer(ok=True, solved=_captcha(login_session())["solved"])


@site.post("/api/captcha/verify")
def api_captcha_verify():
    try:
        x = int(form().get("x"))
    except (TypeError, ValueError):
        return fail("验证失败，请重试")
    with portal.state.lock:
        captcha = _captcha(login_session())
        if abs(x - captcha["gap_x"]) <= CAPTCHA_TOLERANCE_PX:
            captcha["solved"] = True
            return answer(ok=True)
        login_session().data.pop("captcha")  # a miss costs the challenge, as on real sites
    return fail("拼图未对齐，请重试", reason="missed")


@site.post("/api/sms/send")
def api_sms_send():
    phone = current_account().login
    with portal.state.lock:
        solved = _captcha(login_session())["solved"]
    if not solved:
        return fail("请先完成安全验证", 403, reason="captcha")
    try:
        send_code(phone)
    except SendRefused as refused:
        if refused.reason == "locked":
            return fail(LOCKED_MSG, 403, reason="locked")
        return fail("验证码发送过于频繁，请稍后再试", 429, reason="too_soon", resend_in=resend_wait(phone))
    return answer(ok=True, resend_in=portal.cooldown_s())


@site.post("/api/sms/verify")
def api_sms_verify():
    code = str(form().get("code") or "").strip()
    if not code:
        return fail("请输入短信验证码", reason="empty")
    phone = current_account().login
    state = portal.state
    with state.lock:
        now = state.now()
        result = state.codes.check(phone, code, now)
        if result.verdict is Verdict.OK:
            login_session().verified_at = now
            login_session().data.pop("captcha", None)  # the next closure attempt gets a new challenge
            return answer(ok=True)
    if result.verdict is Verdict.WRONG:
        return fail(f"验证码错误，您还可以输入{result.attempts_left}次", reason="wrong")
    status = 403 if result.verdict is Verdict.LOCKED else 400
    return fail(VERDICT_MESSAGES[result.verdict], status, reason=result.verdict.value)


@site.post(SUBMIT_PATH)
def api_submit():
    if login_session().verified_at is None:
        return fail("请先完成身份验证", 403)
    account = current_account()
    refused, number = accept_closure(account, blocker=closure_blocker(account), pending_message=ALREADY_PENDING)
    return refused or answer(ok=True, application_no=number)


# -- the lender's own test hook --------------------------------------------------------------------------

hooks = Blueprint("wallet_lender_hooks", __name__)


@hooks.post("/solve-captcha")
def solve_captcha():
    """Test mode only: do a person's part of the slider captcha for every session of the account."""
    account = str(request.args.get("account") or form().get("account") or "").strip()
    state = portal.state
    if state.account(account) is None:
        return fail("unknown account", 404)
    sessions = state.sessions_of(account)
    if not sessions:
        return fail("the account is not logged in", 409)
    with state.lock:
        for session in sessions:
            _captcha(session)["solved"] = True
    return answer(ok=True, sessions=len(sessions))


LENDER = Lender(
    name="wallet-lender",
    blueprint=site,
    seeds=SEEDS,
    submit_path=SUBMIT_PATH,
    popup=(0.5, 0, 1200),  # the red packet
    renames={
        "phone": "account-mobile",
        "password": "account-pwd",
        "service-frame": "svc-frame",
        "agreement": "svc-terms",
    },
    application_format="SXH{day}{digits}",
    test_hooks=hooks,
    code_message="【随心花】验证码 {code}，{minutes}分钟内有效 (to {to})",
    mask_login=mask_phone,
)
