"""示例贷 request handling: which page or JSON answer each request gets, and
the closure rules (blocking debts, SMS verification, the final submit).
The pages are the templates next to this module; the site profile matches
their texts, so change them with care.

Variants (knobs in faults.py): `code_check="submit"` (the verification page
has the code field and 获取验证码 but no check of its own; 下一步 keeps the
code and the final 确认注销 carries it; a wrong, expired or locked code is
answered on the confirm page, and nothing is created), `code_send="auto"`
(arriving on the verification page sends the code and starts the
重新发送(Ns) countdown; within the cooldown no new code is sent and the first
stays valid), `lock_notice` (a code lock shows on the verification page before
anything is typed: 验证码错误次数过多，请于 HH:MM 后重试, China time)."""

from __future__ import annotations

from flask import Blueprint, redirect, request

from ..base import (
    Lender,
    accept_closure,
    answer,
    china_clock,
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
from ..documents import document_link, send_document, simple_pdf
from ..lender_state import CLOSED, PENDING_REVIEW, Account, SeedAccount
from ..sms_codes import SendRefused, Verdict
from . import agreement

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
REASONS = ["不再需要借款", "利率太高", "担心个人信息安全", "其他原因"]
SOURCES = ["应用商店", "朋友推荐", "广告"]

LOCKED_MSG = "验证码错误次数过多，请稍后再试"
ALREADY_PENDING = "您已提交注销申请，正在审核中"
VERDICT_MESSAGES = {
    Verdict.NONE_SENT: "请先获取验证码",
    Verdict.EXPIRED: "验证码已过期，请重新获取",
    Verdict.LOCKED: LOCKED_MSG,
}

site = Blueprint("demo_lender", __name__, template_folder="templates")
PUBLIC = {"root", "login", "api_login"}


def _truthy(value: object) -> bool:
    return value is True or str(value).lower() in {"1", "true", "on", "yes"}


def closure_blocker(account: Account) -> str | None:
    """Why the site refuses to close this account, in its own words."""
    if account.unpaid > 0:
        return f"您尚有未结清的借款（待还 {yuan(account.unpaid)}），请结清后再申请注销"
    if account.balance > 0:
        return f"您的账户尚有余额 {yuan(account.balance)} 未处理，请处理后再申请注销"
    return None


@site.before_request
def require_login():
    if request.endpoint.rpartition(".")[2] in PUBLIC or current_account() is not None:
        return None
    target = "/login?expired=1" if session_expired() else "/login"
    if is_api():
        return fail("登录已过期，请重新登录" if session_expired() else "请先登录", 401, redirect=target)
    return redirect(target)


def _locked_message(phone: str) -> str:
    """The site's words for a code lock; with the lock_notice variant they say until when."""
    state = portal.state
    with state.lock:
        until = state.codes.locked_until(phone, state.now())
    if until is None or not portal.faults.lock_notice:
        return LOCKED_MSG
    return f"验证码错误次数过多，请于 {china_clock(until)} 后重试"


def _check_code(phone: str, code: str):
    """Check a typed code; None when it is right (the session is then verified), else the answer."""
    if not code:
        return fail("请输入短信验证码", reason="empty")
    state = portal.state
    with state.lock:
        now = state.now()
        result = state.codes.check(phone, code, now)
        if result.verdict is Verdict.OK:
            login_session().verified_at = now
            return None
    if result.verdict is Verdict.WRONG:
        return fail(f"验证码错误，还可尝试{result.attempts_left}次", reason="wrong")
    if result.verdict is Verdict.LOCKED:
        return fail(_locked_message(phone), 403, reason="locked")
    return fail(VERDICT_MESSAGES[result.verdict], 400, reason=result.verdict.value)


# -- login ---------------------------------------------------------------------------------------


@site.get("/")
def root():
    return redirect("/home" if current_account() else "/login")


@site.get("/login")
def login():
    return page("login.html", expired=request.args.get("expired") == "1")


@site.post("/api/login")
def api_login():
    body = form()
    phone = str(body.get("phone") or body.get("mobile") or "").strip()
    password = str(body.get("password") or "")
    if not _truthy(body.get("agreed", False)):
        return fail("请先阅读并同意用户协议")
    account = portal.state.account(phone)
    if account is None or account.password != password:
        return fail("手机号或密码错误")
    if account.status == CLOSED:
        if portal.faults.closed_login == "like_wrong_password":  # some sites never say "closed"
            return fail("手机号或密码错误")
        return fail("该账号已注销")
    sign_in(phone)
    return answer(ok=True, redirect="/home")


@site.post("/api/logout")
def api_logout():
    sign_out()
    return answer(ok=True, redirect="/login")


# -- everyday pages --------------------------------------------------------------------------------


@site.get("/home")
def home():
    delay = portal.chance.randint(300, 800)  # the site's slow content API
    return page("home.html", content_delay_ms=delay, popup=portal.popup())


@site.get("/api/home")
def api_home():
    account = current_account()
    pending = account.application_no if account.status == PENDING_REVIEW else None
    return answer(ok=True, max_credit=MAX_CREDIT, pending_application_no=pending)


@site.get("/me")
def me():
    account = current_account()
    return page("me.html", masked_phone=mask_phone(account.login), pending=account.status == PENDING_REVIEW,
                popup=portal.popup())


@site.get("/borrow")
def borrow():
    return page("borrow.html")


def settled_loan(account: Account) -> dict:
    """The loan an account repaid (every demo account borrowed once; the unpaid one still owes)."""
    return {"number": f"JK2026{account.login[-6:]}", "amount": yuan(5000), "settled_on": "2026-10-15"}


def certificate_blocker(account: Account) -> str | None:
    if account.unpaid > 0:
        return f"您尚有未结清的借款（待还 {yuan(account.unpaid)}），暂无法开具结清证明"
    return None


@site.get("/loans")
def loans():
    account = current_account()
    return page("loans.html", unpaid_text=yuan(account.unpaid) if account.unpaid > 0 else None,
                settled_loan=settled_loan(account))


@site.get("/loans/certificate")
def certificate():
    account = current_account()
    return page("certificate.html", blocker=certificate_blocker(account), settled_loan=settled_loan(account),
                link=document_link("/loans/certificate.pdf"))


@site.get("/loans/certificate.pdf")
def certificate_pdf():
    account = current_account()
    if certificate_blocker(account):
        return fail(certificate_blocker(account), 409)
    loan = settled_loan(account)
    pdf = simple_pdf(["Demo Lender - Settlement certificate", "",
                      f"Account: {mask_phone(account.login)}", f"Loan: {loan['number']}",
                      "Amount: CNY 5,000.00", f"Settled in full on {loan['settled_on']}.",
                      "The borrower owes nothing on this loan."])
    return send_document(pdf, f"settlement-certificate-{loan['number']}.pdf", "application/pdf")


@site.get("/settings")
def settings():
    return page("settings.html")


@site.get("/settings/security")
def security():
    return page("security.html", masked_phone=mask_phone(current_account().login))


@site.get("/settings/privacy")
def privacy():
    if not redesigned():
        not_found()  # the page only exists after the site update
    return page("privacy.html")


# -- closure flow ------------------------------------------------------------------------------------


@site.get("/close")
def close():
    account = current_account()
    if account.status == PENDING_REVIEW and portal.faults.refuse_while_pending:
        return page("close_pending.html", message=ALREADY_PENDING, application_no=account.application_no)
    return page("close.html")


@site.get("/close/notice")
def close_notice():
    return page("close_notice.html", agreement_title=agreement.TITLE, agreement=agreement.PARAGRAPHS)


@site.get("/close/check")
def close_check():
    return page("close_check.html", check_delay_ms=portal.chance.randint(300, 600))


@site.get("/api/close/check")
def api_close_check():
    blocker = closure_blocker(current_account())
    if blocker:
        return answer(ok=True, passed=False, message=blocker)
    return answer(ok=True, passed=True, message="注销条件检测通过")


@site.get("/close/reason")
def close_reason():
    return page("close_reason.html", reasons=REASONS, sources=SOURCES)


@site.post("/api/close/reason")
def api_close_reason():
    body = form()
    reason = str(body.get("reason") or "")
    if reason not in REASONS:
        return fail("请选择注销原因")
    answers = {
        "reason": reason,
        "source": str(body.get("source") or ""),
        "suggestion": str(body.get("suggestion") or "")[:500],
    }
    login_session().data["reason"] = answers
    current_account().answers = answers
    return answer(ok=True, redirect="/close/verify")


@site.get("/close/verify")
def close_verify():
    phone = current_account().login
    faults = portal.faults
    locked = _locked_message(phone) if portal.state.codes.is_locked(phone, portal.state.now()) else None
    if faults.code_send == "auto" and locked is None and resend_wait(phone) == 0:
        try:
            send_code(phone)  # arriving here is the send
        except SendRefused:
            pass
    return page("close_verify.html", masked_phone=mask_phone(phone), resend_wait_s=resend_wait(phone),
                auto_send=faults.code_send == "auto", check_at_submit=faults.code_check == "submit",
                lock_notice=locked if faults.lock_notice else None)


@site.post("/api/sms/send")
def api_sms_send():
    phone = current_account().login
    try:
        send_code(phone)
    except SendRefused as refused:
        if refused.reason == "locked":
            return fail(_locked_message(phone), 403, reason="locked")
        return fail("验证码发送过于频繁，请稍后再试", 429, reason="too_soon", resend_in=resend_wait(phone))
    # The code itself is never echoed: only the "SMS" (test hook, the portal's terminal) has it.
    return answer(ok=True, message="验证码已发送", resend_in=portal.cooldown_s())


@site.post("/api/sms/verify")
def api_sms_verify():
    refused = _check_code(current_account().login, str(form().get("code") or "").strip())
    return refused or answer(ok=True, redirect="/close/confirm")


@site.get("/close/confirm")
def close_confirm():
    check_at_submit = portal.faults.code_check == "submit"
    if not check_at_submit and login_session().verified_at is None:
        return redirect("/close/verify")
    return page("close_confirm.html", check_at_submit=check_at_submit)


@site.post(SUBMIT_PATH)
def api_close_submit():
    account = current_account()
    if portal.faults.code_check == "submit":
        refused = _check_code(account.login, str(form().get("code") or "").strip())
        if refused:
            return refused
    elif login_session().verified_at is None:
        return fail("请先完成身份验证", 403)
    refused, number = accept_closure(account, blocker=closure_blocker(account), pending_message=ALREADY_PENDING)
    return refused or answer(ok=True, application_no=number, redirect="/close/result")


@site.get("/close/result")
def close_result():
    account = current_account()
    if account.application_no is None:
        return redirect("/close/status")
    return page("close_result.html", application_no=account.application_no)


@site.get("/close/status")
def close_status():
    account = current_account()
    number = account.application_no if account.status == PENDING_REVIEW else None
    return page("close_status.html", application_no=number)


LENDER = Lender(
    name="demo-lender",
    blueprint=site,
    seeds=SEEDS,
    submit_path=SUBMIT_PATH,
    popup=(0.5, 0, 1500),
    renames={
        "phone": "mobile",
        "password": "login-pwd",
        "agree": "agree-check",
        "next": "btn-next",
        "agreement": "agreement-box",
        "confirm-close": "btn-confirm-close",
        # The advert comes from an ad network's script, which a site update leaves alone.
        **{name: name for name in ("ad-mask", "ad-card", "ad-badge", "ad-title", "ad-cta", "ad-close")},
    },
    variants=frozenset({"code_check", "code_send", "lock_notice", "closed_login"}),
    code_message="【示例贷】验证码 {code}，{minutes}分钟内有效 (to {to})",
    mask_login=mask_phone,
)
