"""示例贷's own rules over plain HTTP: login, SMS codes, closure blocking,
the irreversible submit and what follows it."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from assistant.portals import PORTALS
from assistant.portals.demo_lender.app import SUBMIT_PATH

ACCOUNTS = PORTALS["demo-lender"].accounts
CLEAN, UNPAID, CLEAN2, LEFTOVER = (ACCOUNTS[r] for r in ("clean", "unpaid", "clean2", "leftover"))

PAGES = [
    "/home", "/me", "/borrow", "/loans", "/settings", "/settings/security", "/close", "/close/notice",
    "/close/check", "/close/reason", "/close/verify", "/close/status",
]


def _logged_in(web, account=CLEAN):
    session = web()
    assert session.login(account).json == {"ok": True, "redirect": "/home"}
    return session


def _send(session):
    reply = session.post("/api/sms/send")
    assert reply.json["ok"], reply.text
    return reply


def _verify(session, code):
    return session.post("/api/sms/verify", {"code": code})


# -- access and login -------------------------------------------------------------------


def test_root_and_private_pages_redirect_to_login_when_logged_out(web):
    session = web()
    for path in ["/", *PAGES, "/close/confirm", "/close/result"]:
        reply = session.get(path)
        assert (reply.status, reply.location) == (302, "/login"), path
    assert session.get("/api/home").status == 401


def test_unknown_paths_are_404(web):
    assert web().get("/nope").status == 404
    assert _logged_in(web).get("/admin").status == 404


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"phone": CLEAN, "password": "demo-pass-1", "agreed": False}, "请先阅读并同意用户协议"),
        ({"phone": CLEAN, "password": "wrong", "agreed": True}, "手机号或密码错误"),
        ({"phone": "13000000000", "password": "demo-pass-1", "agreed": True}, "手机号或密码错误"),
    ],
)
def test_login_errors(web, form, message):
    reply = web().post("/api/login", form)
    assert reply.status == 400 and reply.json["message"] == message


def test_login_page_texts(web):
    page = web().get("/login").text
    for text in ['<html lang="zh-CN">', 'name="viewport"', "<title>示例贷 - 登录</title>", 'placeholder="请输入手机号"',
                 'placeholder="请输入登录密码"', "登录密码", ">登录</button>", 'class="form-error"',
                 '"Noto Sans CJK SC", "PingFang SC", sans-serif']:
        assert text in page
    assert re.search(r"我已阅读并同意<span\s+class=\"doc-name\">《用户服务协议》</span><span class=\"doc-name\">《隐私政策》", page)
    assert 'type="checkbox" id="consent" name="agree">' in page  # unticked by default
    assert "登录已过期" not in page


def test_session_cookie_logs_in_and_logout_ends_it(web):
    session = _logged_in(web)
    assert session.get("/").location == "/home"
    home = session.get("/home").text
    assert "<title>示例贷</title>" in home and ">首页</h1>" in home
    assert session.get("/api/home").json["max_credit"] == "¥200,000"
    me = session.get("/me").text
    assert "138****0001" in me and all(item in me for item in ("我的借款", "银行卡", "设置"))
    assert "注销进度" not in me
    session.post("/api/logout")
    assert session.get("/home").location == "/login"


def test_every_page_is_a_self_contained_mobile_page(web):
    session = _logged_in(web)
    for path in ["/login", *PAGES]:
        page = session.get(path).text
        assert "§" not in page, path
        assert 'name="viewport"' in page and 'lang="zh-CN"' in page, path
        assert not re.search(r"""(src|href)=["']https?://""", page), path
        assert "data-testid" not in page and "data-test" not in page, path  # like real sites: no test ids


# -- closure conditions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("account", "passed", "message"),
    [
        (CLEAN, True, "注销条件检测通过"),
        (UNPAID, False, "您尚有未结清的借款（待还 ¥1,234.56），请结清后再申请注销"),
        (LEFTOVER, False, "您的账户尚有余额 ¥0.35 未处理，请处理后再申请注销"),
    ],
)
def test_closure_check(web, account, passed, message):
    reply = _logged_in(web, account).get("/api/close/check").json
    assert (reply["passed"], reply["message"]) == (passed, message)


def test_reason_is_required(web):
    session = _logged_in(web)
    assert session.post("/api/close/reason", {}).json["message"] == "请选择注销原因"
    reply = session.post("/api/close/reason", {"reason": "利率太高", "source": "广告"})
    assert reply.json == {"ok": True, "redirect": "/close/verify"}


# -- SMS codes -------------------------------------------------------------------------------


def test_verify_page_masks_the_phone_and_never_shows_the_code(web, hooks):
    session = _logged_in(web)
    _send(session)
    page = session.get("/close/verify").text
    assert '<span class="masked-phone">138****0001</span>' in page
    assert 'placeholder="请输入短信验证码"' in page and 'maxlength="6"' in page and 'inputmode="numeric"' in page
    assert hooks.latest_code(CLEAN) not in page
    assert '"resendWait": 60' in page or '"resendWait": 59' in page  # countdown survives a reload


def test_verify_before_any_code_is_sent(web):
    assert _verify(_logged_in(web), "123456").json["message"] == "请先获取验证码"


def test_resend_is_refused_during_the_countdown(web):
    session = _logged_in(web)
    _send(session)
    again = session.post("/api/sms/send")
    assert again.status == 429 and again.json["resend_in"] > 0


def test_wrong_codes_count_down_then_lock(web, hooks):
    session = _logged_in(web)
    _send(session)
    code = hooks.latest_code(CLEAN)
    wrong = "000000" if code != "000000" else "111111"
    for left in (4, 3, 2, 1):
        assert _verify(session, wrong).json["message"] == f"验证码错误，还可尝试{left}次"
    assert _verify(session, wrong).json["message"] == "验证码错误次数过多，请稍后再试"
    state = hooks.state(CLEAN)
    assert state["locked"] is True and state["failed_code_attempts"] == 5
    assert _verify(session, code).json["message"] == "验证码错误次数过多，请稍后再试"
    assert session.post("/api/sms/send").json["message"] == "验证码错误次数过多，请稍后再试"


def test_expired_code_is_refused_and_can_be_resent(web, hooks):
    session = _logged_in(web)
    _send(session)
    code = hooks.latest_code(CLEAN)
    hooks.expire_code(CLEAN)
    reply = _verify(session, code)
    assert reply.json["message"] == "验证码已过期，请重新获取" and reply.json["reason"] == "expired"
    hooks.set_next_code(CLEAN, "135790")
    _send(session)  # an expired code does not hold up the resend countdown
    assert _verify(session, "135790").json == {"ok": True, "redirect": "/close/confirm"}
    assert hooks.state(CLEAN)["failed_code_attempts"] == 0


def test_codes_are_single_use(web, hooks):
    session = _logged_in(web)
    _send(session)
    code = hooks.latest_code(CLEAN)
    assert _verify(session, code).json["ok"]
    assert _verify(session, code).json["message"] == "验证码已过期，请重新获取"


# -- the irreversible submit ---------------------------------------------------------------------


def test_confirm_and_submit_need_a_code_verified_in_this_session(web, hooks):
    session = _logged_in(web)
    assert session.get("/close/confirm").location == "/close/verify"
    assert session.post(SUBMIT_PATH).status == 403
    _send(session)
    _verify(session, hooks.latest_code(CLEAN))
    other = _logged_in(web)  # same account, other browser: not verified there
    assert other.post(SUBMIT_PATH).status == 403
    assert hooks.state(CLEAN)["submissions"] == 0
    page = session.get("/close/confirm").text
    assert "注销后，您的账号信息将被删除且无法恢复" in page and 'id="confirm-close"' in page
    assert "确定要注销账号吗？此操作不可撤销" in page


def test_submit_records_one_application_and_counts_repeats(web, hooks):
    session = _logged_in(web)
    _send(session)
    _verify(session, hooks.latest_code(CLEAN))
    first = session.post(SUBMIT_PATH).json
    number = first["application_no"]
    assert re.fullmatch(r"ZX\d{8}\d{6}", number)
    state = hooks.state(CLEAN)
    assert (state["status"], state["submissions"], state["application_no"]) == ("pending_review", 1, number)

    result = session.get("/close/result").text
    for text in ("注销申请已提交", f'申请编号：<span class="app-no">{number}</span>', "当前状态：审核中",
                 "我们将在15个工作日内完成审核，结果将以短信通知"):
        assert text in result
    assert session.get("/api/home").json["pending_application_no"] == number
    assert "注销进度" in session.get("/me").text
    assert "注销申请状态：审核中" in session.get("/close/status").text

    again = session.post(SUBMIT_PATH)  # as real sites do: one request at a time
    assert (again.status, again.json["message"], again.json["application_no"]) == (409, "您已提交注销申请，正在审核中",
                                                                                   number)
    state = hooks.state(CLEAN)
    assert (state["submissions"], state["repeat_requests"], state["application_no"]) == (1, 1, number)
    entry = session.get("/close").text  # the closure entry says so too, before any step
    assert "您已提交注销申请，正在审核中" in entry and "仍要注销" not in entry and number in entry


def test_with_repeats_allowed_a_second_request_is_counted(web, hooks):
    hooks.set_faults(refuse_while_pending=False)
    session = _logged_in(web)
    _send(session)
    _verify(session, hooks.latest_code(CLEAN))
    number = session.post(SUBMIT_PATH).json["application_no"]
    assert session.post(SUBMIT_PATH).json["application_no"] == number
    assert hooks.state(CLEAN)["submissions"] == 2  # double submission is visible
    assert "仍要注销" in session.get("/close").text


def test_blocked_account_cannot_submit_even_when_verified(web, hooks):
    session = _logged_in(web, UNPAID)
    _send(session)
    _verify(session, hooks.latest_code(UNPAID))
    assert session.post(SUBMIT_PATH).status == 409
    assert hooks.state(UNPAID)["submissions"] == 0


def test_approved_closure_refuses_login(web, hooks):
    session = _logged_in(web, CLEAN2)
    _send(session)
    _verify(session, hooks.latest_code(CLEAN2))
    session.post(SUBMIT_PATH)
    hooks.approve(CLEAN2)
    assert hooks.state(CLEAN2)["status"] == "closed"
    assert session.get("/home").location == "/login"
    reply = web().login(CLEAN2)
    assert reply.status == 400 and reply.json["message"] == "该账号已注销"


# -- verification variants (knobs) ---------------------------------------------------------------------


def test_code_checked_by_the_final_submit(web, hooks):
    hooks.set_faults(code_check="submit")
    session = _logged_in(web)
    assert session.get("/close/confirm").status == 200  # no separate check to pass first
    verify = session.get("/close/verify").text
    assert '"checkAtSubmit": true' in verify and 'id="verify-btn">下一步</button>' in verify
    assert session.post("/api/sms/verify", {"code": "123456"}).json["message"] == "请先获取验证码"  # not the route
    _send(session)
    code = hooks.latest_code(CLEAN)
    wrong = "000000" if code != "000000" else "111111"
    confirm = session.get("/close/confirm").text
    assert 'class="form-error" role="alert"' in confirm and "sessionStorage.getItem('closeCode')" in confirm

    refused = session.post(SUBMIT_PATH, {"code": wrong})
    assert (refused.status, refused.json["message"], refused.json["reason"]) == (400, "验证码错误，还可尝试4次", "wrong")
    assert session.post(SUBMIT_PATH, {}).json["message"] == "请输入短信验证码"
    assert hooks.state(CLEAN)["submissions"] == 0  # nothing created by a refused submit
    hooks.expire_code(CLEAN)
    assert session.post(SUBMIT_PATH, {"code": code}).json["message"] == "验证码已过期，请重新获取"
    hooks.set_next_code(CLEAN, "424242")
    _send(session)
    accepted = session.post(SUBMIT_PATH, {"code": "424242"})
    assert accepted.json["ok"] and hooks.state(CLEAN)["submissions"] == 1
    assert session.post(SUBMIT_PATH, {"code": "424242"}).json["message"] == "验证码已过期，请重新获取"  # single use


def test_code_lock_answered_by_the_final_submit(web, hooks):
    hooks.set_faults(code_check="submit")
    session = _logged_in(web)
    _send(session)
    hooks.lock_codes(CLEAN)
    reply = session.post(SUBMIT_PATH, {"code": hooks.latest_code(CLEAN)})
    assert (reply.status, reply.json["message"], reply.json["reason"]) == (403, "验证码错误次数过多，请稍后再试", "locked")
    assert hooks.state(CLEAN)["submissions"] == 0


def test_automatic_send_on_arrival_with_a_resend_cooldown(web, hooks):
    hooks.set_faults(code_send="auto", resend_cooldown_s=30)  # long enough that no test machine outlasts it
    session = _logged_in(web)
    assert hooks.latest_code(CLEAN) is None
    page = session.get("/close/verify").text  # arriving is the send
    first = hooks.latest_code(CLEAN)
    assert first is not None
    assert "验证码已发送至" in page and '"sendLabel": "重新发送"' in page
    assert re.search(r'"resendWait": (29|30),', page)  # the countdown the page shows
    again = session.post("/api/sms/send")
    assert again.status == 429 and 0 < again.json["resend_in"] <= 30

    other = _logged_in(web)  # a second sign-in within the cooldown: no new code, the first still works
    assert re.search(r'"resendWait": [1-9]\d?,', other.get("/close/verify").text)
    assert hooks.latest_code(CLEAN) == first
    assert _verify(other, first).json["ok"]


def test_cooldown_over_means_a_new_code_on_arrival(web, hooks):
    hooks.set_faults(code_send="auto", resend_cooldown_s=0)
    session = _logged_in(web)
    session.get("/close/verify")
    first = hooks.latest_code(CLEAN)
    hooks.set_next_code(CLEAN, "975310")
    session.get("/close/verify")
    assert hooks.latest_code(CLEAN) == "975310" != first


def test_a_code_lock_shows_on_the_page_before_anything_is_typed(web, hooks):
    hooks.set_faults(lock_notice=True)
    session = _logged_in(web)
    assert "验证码错误次数过多" not in session.get("/close/verify").text
    until = hooks.lock_codes(CLEAN, seconds=600)
    clock = dt.datetime.fromtimestamp(until, dt.timezone(dt.timedelta(hours=8))).strftime("%H:%M")
    page = session.get("/close/verify").text
    assert f'<div class="form-error" role="alert">验证码错误次数过多，请于 {clock} 后重试</div>' in page
    assert re.search(r'id="send-code" disabled>获取验证码</button>', page)
    assert session.post("/api/sms/send").json["message"] == f"验证码错误次数过多，请于 {clock} 后重试"


def test_a_lock_from_wrong_codes_shows_its_end_on_the_page(web, hooks):
    hooks.set_faults(lock_notice=True, code_send="auto")
    session = _logged_in(web)
    session.get("/close/verify")
    code = hooks.latest_code(CLEAN)
    for _ in range(5):
        _verify(session, "000000" if code != "000000" else "111111")
    page = session.get("/close/verify").text
    assert re.search(r"验证码错误次数过多，请于 \d\d:\d\d 后重试", page)
    assert hooks.latest_code(CLEAN) == code  # locked: arriving sends nothing
