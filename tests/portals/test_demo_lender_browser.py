"""示例贷 in a real (Debian) Chromium: it renders as a mobile page, its page
scripts work, and a person can actually get through the closure flow."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from assistant.portals import PORTALS

CHROMIUM = "/usr/bin/chromium"
SCREENSHOT = Path("/tmp/closure-assistant-demo-lender-login.png")
MOBILE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "zh-CN"}
CLEAN = PORTALS["demo-lender"].accounts["clean"]

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian chromium")


@pytest.fixture(scope="module")
def chromium(playwright):
    # pytest-playwright's shared Playwright instance: a second sync_playwright()
    # in the same thread would clash with it.
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
    yield browser
    browser.close()


@pytest.fixture
def mobile(chromium):
    context = chromium.new_context(**MOBILE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == []  # no script errors on any page we visited


def _login(page, base_url: str, account: str = CLEAN, password: str = "demo-pass-1") -> None:
    page.goto(base_url + "/login")
    page.get_by_placeholder("请输入手机号").fill(account)
    page.get_by_placeholder("请输入登录密码").fill(password)
    page.get_by_label("我已阅读并同意《用户服务协议》《隐私政策》").check()
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/home")


def test_login_page_renders_as_a_mobile_page(mobile, portal):
    page = mobile
    page.goto(portal.base_url + "/login")
    assert page.title() == "示例贷 - 登录"
    assert page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"')")
    button = page.get_by_role("button", name="登录").bounding_box()
    assert 300 < button["width"] <= 390  # full-width H5 button, no horizontal overflow
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 10_000


def test_login_errors_show_in_the_page(mobile, portal):
    page = mobile
    page.goto(portal.base_url + "/login")
    page.get_by_placeholder("请输入手机号").fill(CLEAN)
    page.get_by_placeholder("请输入登录密码").fill("wrong")
    page.get_by_role("button", name="登录").click()
    assert page.locator(".form-error").inner_text() == "请先阅读并同意用户协议"
    page.get_by_label("我已阅读并同意《用户服务协议》《隐私政策》").check()
    page.get_by_role("button", name="登录").click()
    page.get_by_text("手机号或密码错误").wait_for()


def test_ad_overlay_blocks_the_page_until_closed(mobile, portal, hooks):
    page = mobile
    _login(page, portal.base_url)
    hooks.set_popups("always", pages=["/home"], times=1)  # the next home page shows it at once
    page.goto(portal.base_url + "/home")
    mask = page.locator(".ad-mask")
    mask.wait_for()
    assert page.get_by_text("限时福利：新用户专享 30 天免息券").is_visible()
    tab = page.locator(".tab", has_text="我的").bounding_box()
    on_top = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('.ad-mask') !== null",
        [tab["x"] + tab["width"] / 2, tab["y"] + tab["height"] / 2],
    )
    assert on_top
    page.get_by_role("button", name="关闭广告").click()
    assert mask.count() == 0
    page.locator(".tab", has_text="我的").click()
    page.wait_for_url("**/me")


def test_ad_shown_when_the_pointer_reaches_an_item_catches_the_click_meant_for_it(mobile, portal, hooks):
    """The on_hover knob: no timer, the pop-up comes exactly between pointing at 设置 and pressing."""
    page = mobile
    _login(page, portal.base_url)
    hooks.set_popups("always", pages=["/me"], on_hover="设置")
    page.goto(portal.base_url + "/me")
    assert page.locator(".ad-mask").count() == 0  # nothing yet: the page waits for the pointer
    page.get_by_text("设置", exact=True).click(force=True)  # a person's tap: no waiting for the page to settle
    assert page.locator(".ad-mask").is_visible()
    assert page.url.endswith("/me")  # the press landed on the advert, not on 设置
    page.get_by_role("button", name="关闭广告").click()
    page.get_by_text("设置", exact=True).click()
    page.wait_for_url("**/settings")


def test_a_person_can_complete_the_closure_flow(mobile, portal, hooks):
    page = mobile
    hooks.set_popups("never")  # this story is about the flow; the advert has its own tests
    _login(page, portal.base_url)
    page.locator(".tab", has_text="我的").click()
    page.wait_for_url("**/me")
    page.get_by_text("设置").click()
    page.get_by_text("账号与安全").click()
    page.get_by_role("link", name="注销账号").click()
    page.wait_for_url("**/close")
    page.get_by_role("link", name="仍要注销").click()

    agree = page.get_by_label("我已阅读并同意《账号注销协议》")
    assert agree.is_disabled()  # not before the agreement was scrolled through
    page.locator("#agreement").evaluate("box => { box.scrollTop = box.scrollHeight; }")
    agree.check()
    page.get_by_role("button", name="下一步").click()

    page.get_by_text("注销条件检测通过").wait_for()
    page.get_by_role("button", name="下一步").click()
    page.wait_for_url("**/close/reason")
    page.get_by_role("button", name="下一步").click()
    assert page.locator(".form-error").inner_text() == "请选择注销原因"
    page.get_by_label("不再需要借款").check()
    page.get_by_label("您是从哪里了解到我们的").select_option("应用商店")
    page.get_by_role("button", name="下一步").click()

    page.wait_for_url("**/close/verify")
    page.get_by_role("button", name="获取验证码").click()
    page.get_by_role("button", name="重新发送(60s)").wait_for()
    page.get_by_placeholder("请输入短信验证码").fill(hooks.latest_code(CLEAN))
    page.get_by_role("button", name="下一步").click()

    page.wait_for_url("**/close/confirm")
    sent = []
    page.on("request", lambda request: sent.append(request.url) if request.method == "POST" else None)
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="确认注销").click()
    page.evaluate("() => 0")  # the click handler has returned: a submit would have been sent by now
    assert not [url for url in sent if url.endswith("/api/close/submit")]
    assert hooks.state(CLEAN)["submissions"] == 0  # cancelling the confirm() submits nothing
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="确认注销").click()

    page.wait_for_url("**/close/result")
    state = hooks.state(CLEAN)
    assert (state["status"], state["submissions"]) == ("pending_review", 1)
    assert page.locator(".app-no").inner_text() == state["application_no"]


def test_code_checked_by_the_final_submit_is_answered_on_the_confirm_page(mobile, portal, hooks):
    page = mobile
    hooks.set_faults(code_check="submit")
    _login(page, portal.base_url)
    page.goto(portal.base_url + "/close/verify")
    page.get_by_role("button", name="获取验证码").click()
    page.get_by_role("button", name="重新发送(60s)").wait_for()
    code = hooks.latest_code(CLEAN)
    page.get_by_placeholder("请输入短信验证码").fill("000000" if code != "000000" else "111111")
    page.get_by_role("button", name="下一步").click()  # no check here: on to the confirm page
    page.wait_for_url("**/close/confirm")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="确认注销").click()
    page.get_by_role("alert").filter(has_text="验证码错误，还可尝试4次").wait_for()  # the site's words, after the submit
    assert page.url.endswith("/close/confirm") and hooks.state(CLEAN)["submissions"] == 0

    page.goto(portal.base_url + "/close/verify")
    page.get_by_placeholder("请输入短信验证码").fill(code)
    page.get_by_role("button", name="下一步").click()
    page.wait_for_url("**/close/confirm")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="确认注销").click()
    page.wait_for_url("**/close/result")
    assert hooks.state(CLEAN)["submissions"] == 1


def test_automatic_send_counts_down_before_a_resend(mobile, portal, hooks):
    page = mobile
    hooks.set_faults(code_send="auto", resend_cooldown_s=2)
    _login(page, portal.base_url)
    page.goto(portal.base_url + "/close/verify")
    assert hooks.latest_code(CLEAN) is not None  # sent by arriving, before any click
    assert page.get_by_text("验证码已发送至").is_visible()
    resend = page.locator("#send-code")
    assert resend.is_disabled() and resend.inner_text().startswith("重新发送(")
    page.get_by_role("button", name="重新发送", exact=True).wait_for(timeout=5_000)  # the countdown ends
    assert resend.is_enabled()
    hooks.set_next_code(CLEAN, "135246")
    resend.click()
    page.get_by_role("button", name="重新发送(2s)").wait_for()
    assert hooks.latest_code(CLEAN) == "135246"


def test_a_code_lock_is_on_the_page_before_anything_is_typed(mobile, portal, hooks):
    page = mobile
    hooks.set_faults(lock_notice=True)
    _login(page, portal.base_url)
    hooks.lock_codes(CLEAN, seconds=3600)
    page.goto(portal.base_url + "/close/verify")
    notice = page.get_by_role("alert")
    assert re.fullmatch(r"验证码错误次数过多，请于 \d\d:\d\d 后重试", notice.inner_text())
    assert page.get_by_role("button", name="获取验证码").is_disabled()
