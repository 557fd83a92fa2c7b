"""随心花's own rules over plain HTTP: login, the public help centre and the closure service it frames,
the slider captcha that guards the SMS code, the final submit, and what the knobs change."""

from __future__ import annotations

import re

import pytest

from assistant.portals import PORTALS, PortalHookError, PortalServer
from assistant.portals.wallet_lender.app import SUBMIT_PATH
from portal_http import WebSession, sign_in_wallet, verify_wallet_sms

INFO = PORTALS["wallet-lender"]
CLEAN, UNPAID = INFO.accounts["clean"], INFO.accounts["unpaid"]
PRIVATE = ["/wallet", "/bills", "/quota", "/help/close-service", "/help/close-progress"]
PUBLIC = ["/login", "/help", "/help/article/close-account", "/help/article/password"]


@pytest.fixture
def portal():
    with PortalServer("wallet-lender", test_mode=True) as server:
        yield server


def _logged_in(web, account=CLEAN) -> WebSession:
    session = web()
    sign_in_wallet(session, account)
    return session


def _wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def test_login_needs_the_ticked_terms_and_the_right_password(web):
    session = web()
    assert session.post("/api/login", {"phone": CLEAN, "password": INFO.passwords[CLEAN]}).json["message"] \
        == "请先阅读并勾选同意《随心花用户协议》《隐私政策》"
    assert session.post("/api/login", {"phone": CLEAN, "password": "x", "agreed": True}).json["message"] \
        == "手机号或密码错误，请重新输入"
    assert session.post("/api/login", {"phone": CLEAN, "password": INFO.passwords[CLEAN], "agreed": True}).json \
        == {"ok": True, "redirect": "/wallet"}


def test_the_help_centre_is_public_but_the_closure_service_is_not(web):
    session = web()
    for path in PUBLIC:
        assert session.get(path).status == 200, path
    for path in PRIVATE:
        assert session.get(path).location == "/login", path
    framed = session.get("/service/close")  # inside the iframe: the whole window must go to log in
    assert framed.status == 200 and "window.top.location.replace('/login')" in framed.text
    assert session.get("/api/service/check").json["redirect"] == "/login"


def test_the_help_link_opens_a_new_tab_and_the_service_sits_in_an_iframe(web):
    session = _logged_in(web)
    assert '<a href="/help" target="_blank" rel="noopener">帮助中心</a>' in session.get("/wallet").text
    article = session.get("/help/article/close-account").text
    assert "onclick=\"go('/help/close-service')\">在线申请注销</div>" in article  # a div, not a button
    service = session.get("/help/close-service").text
    assert '<iframe class="service-frame" id="service-frame" title="注销服务" src="/service/close"></iframe>' in service


def test_help_topics_arrive_late_and_collapsed(web):
    session = web()
    page = session.get("/help").text
    assert 'id="topics" aria-busy="true"' in page and "如何注销随心花账户" not in page
    topics = {t["title"]: [a["title"] for a in t["articles"]] for t in session.get("/api/help/topics").json["topics"]}
    assert topics["账户与安全"] == ["如何修改登录密码", "如何注销随心花账户"]


def test_the_captcha_guards_the_sms_code(web, hooks):
    session = _logged_in(web)
    refused = session.post("/api/sms/send")
    assert (refused.status, refused.json["message"]) == (403, "请先完成安全验证")
    challenge = session.get("/api/captcha").json
    assert challenge["solved"] is False and 120 <= challenge["gap_x"] <= 230
    missed = session.post("/api/captcha/verify", {"x": challenge["gap_x"] - 40})
    assert missed.json["message"] == "拼图未对齐，请重试"
    challenge = session.get("/api/captcha").json  # a miss costs the challenge
    assert session.post("/api/captcha/verify", {"x": challenge["gap_x"] + 5}).json == {"ok": True}
    assert session.get("/api/captcha/status").json["solved"] is True
    assert session.post("/api/sms/send").json["ok"]


def test_the_solve_captcha_hook_does_a_persons_part(web, hooks):
    with pytest.raises(PortalHookError) as err:
        hooks.solve_captcha(CLEAN)
    assert err.value.status == 409  # nobody is logged in to be shown a captcha
    session = _logged_in(web)
    hooks.solve_captcha(CLEAN)
    assert session.get("/api/captcha/status").json["solved"] is True


def test_sms_codes_count_down_expire_and_lock(web, hooks):
    session = _logged_in(web)
    hooks.solve_captcha(CLEAN)
    session.post("/api/sms/send")
    again = session.post("/api/sms/send")
    assert again.status == 429 and again.json["resend_in"] > 0
    code = hooks.latest_code(CLEAN)
    hooks.expire_code(CLEAN)
    assert session.post("/api/sms/verify", {"code": code}).json["message"] == "验证码已失效，请重新获取"
    session.post("/api/sms/send")
    wrong = _wrong(hooks.latest_code(CLEAN))
    messages = [session.post("/api/sms/verify", {"code": wrong}).json["message"] for _ in range(5)]
    assert messages == [f"验证码错误，您还可以输入{n}次" for n in (4, 3, 2, 1)] + ["验证码错误次数过多，请24小时后再试"]
    assert hooks.state(CLEAN)["locked"] is True


def test_the_service_page_masks_the_phone_and_never_shows_the_code(web, hooks):
    session = _logged_in(web)
    verify_wallet_sms(session, hooks, CLEAN)
    page = session.get("/service/close").text
    assert '<span class="masked-phone">139****0101</span>' in page and hooks.latest_code(CLEAN) not in page
    assert 'role="region" aria-label="随心花账户注销协议"' in page and '<input type="checkbox" id="agree" disabled>' in page
    assert "confirm('注销后账户将无法恢复，确定提交注销申请吗？')" in page and "alert('验证码已发送至 '" in page


def test_submit_needs_the_sms_check_and_then_goes_to_review(web, hooks):
    session = _logged_in(web)
    assert session.post(SUBMIT_PATH).json["message"] == "请先完成身份验证"
    verify_wallet_sms(session, hooks, CLEAN)
    number = session.post(SUBMIT_PATH).json["application_no"]
    assert re.fullmatch(r"SXH\d{14}", number)
    progress = session.get("/help/close-progress").text
    assert "注销申请状态：审核中" in progress and number in progress
    assert session.get("/api/wallet").json["pending_no"] == number
    hooks.approve(CLEAN)
    reply = web().post("/api/login", {"phone": CLEAN, "password": INFO.passwords[CLEAN], "agreed": True})
    assert (reply.status, reply.json["message"]) == (403, "该账户已注销，如有疑问请联系客服")


def test_unpaid_bills_block_the_closure(web, hooks):
    session = _logged_in(web, UNPAID)
    message = "您有未结清的账单（待还 ¥3,280.00），暂无法注销。请结清全部账单后再申请。"
    assert session.get("/api/service/check").json == {"ok": True, "passed": False, "message": message}
    verify_wallet_sms(session, hooks, UNPAID)
    reply = session.post(SUBMIT_PATH)
    assert (reply.status, reply.json["message"]) == (409, message)
    assert hooks.state(UNPAID)["submissions"] == 0


def test_session_expiry_sends_the_whole_window_to_log_in(web, hooks):
    session = _logged_in(web)
    hooks.set_faults(session_expiry_after=0)
    framed = session.get("/service/close")
    assert "window.top.location.replace('/login?expired=1')" in framed.text
    assert "登录状态已失效，请重新登录" in session.get("/login?expired=1").text


def test_error_rate_spares_only_the_irreversible_submit(web, hooks):
    session = _logged_in(web)
    hooks.set_faults(error_rate=1.0)
    assert session.get("/service/close").status == 500
    assert session.post(SUBMIT_PATH).json["message"] == "请先完成身份验证"  # answered by the site itself


def test_redesign_moves_and_renames_the_closure_article(web, hooks):
    hooks.set_faults(redesign=True)
    session = _logged_in(web)
    topics = {t["title"]: [a["title"] for a in t["articles"]] for t in session.get("/api/help/topics").json["topics"]}
    assert "如何注销随心花账户" not in topics["账户与安全"]
    assert topics["隐私与个人信息"] == ["个人信息查询与导出", "账号注销申请"]
    assert session.get("/help/article/close-account").status == 404
    assert "申请注销账号" in session.get("/help/article/account-deletion").text
    assert 'id="svc-frame" title="账号服务"' in session.get("/help/close-service").text


def test_every_page_is_self_contained_without_test_ids(web, hooks):
    session = _logged_in(web)
    for path in [*PUBLIC, *PRIVATE, "/service/close"]:
        page = session.get(path).text
        assert "§" not in page and 'lang="zh-CN"' in page, path
        assert not re.search(r"""(src|href)=["']https?://""", page), path
        assert "data-testid" not in page and "data-test" not in page, path


def test_a_second_closure_request_while_one_is_pending_is_refused(web, hooks):
    session = _logged_in(web)
    verify_wallet_sms(session, hooks, CLEAN)
    number = session.post(SUBMIT_PATH).json["application_no"]
    pending = "您已提交注销申请，正在审核中，请勿重复提交"
    assert session.get("/api/service/check").json == {"ok": True, "passed": False, "message": pending}
    again = session.post(SUBMIT_PATH)
    assert (again.status, again.json["message"], again.json["application_no"]) == (409, pending, number)
    state = hooks.state(CLEAN)
    assert (state["submissions"], state["repeat_requests"]) == (1, 1)
