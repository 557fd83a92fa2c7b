"""The yardstick: a closure on the demo lender written by hand against Playwright, no closure-assistant.

It is what a careful person would write for this one site: the same clicks as
site_profiles/demo-lender.yaml, Playwright's auto-waiting, and only the waits the site forces —
the ad overlay (a locator handler), the home page that shows a skeleton first (wait for the
logged-in page, not the load event), the agreement box that must be scrolled to its end before
the tick box enables, the check page that answers after a delay, the confirm() dialog, and the SMS
code read through the portal's test hook. No fixed sleeps.

`shoot(label)` (optional) is called after every step, at the same points where the tool emits a
step-finished event, so "with screenshots" means the same number of pictures on both sides.
"""
from __future__ import annotations

import re
from typing import Callable, Optional

STEPS = 23  # screenshots per closure when `shoot` is given: one per step, as the tool takes


def full_page_screenshot(page, path: str, timeouts_ms: tuple = (1_500, 5_000, 15_000)) -> None:
    """A click that navigates can pull the page away mid-screenshot: wait for the next page and retry.

    Chromium never answers a screenshot whose capture a navigation commit overtakes (about 1 shot in
    100 here): the first attempt gives up early, as the tool's evidence writer does.
    """
    from playwright.sync_api import Error
    for attempt, timeout_ms in enumerate(timeouts_ms):
        try:
            page.screenshot(full_page=True, path=path, timeout=timeout_ms)
            return
        except Error:
            if attempt == len(timeouts_ms) - 1:
                raise
            page.wait_for_load_state("load")


def tap_to(page, target, url: str, attempts: int = 3) -> None:
    """Click a link-like element and make sure the page went to `url` (a regex).

    The promo overlay can land between Playwright's hit check and the click itself: the click then
    hits the mask (nothing happens) or the ad's "立即领取" button (the page goes to /borrow). A careful
    script checks where it arrived and tries again; the tool's step expectations do the same.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    pattern = re.compile(url)
    for attempt in range(attempts):
        target.click()
        try:
            page.wait_for_url(pattern, timeout=5_000)
            return
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise
            if not re.search(r"/(home|me)$", page.url):  # the ad took us elsewhere: come back
                page.go_back(wait_until="domcontentloaded")


def close_account(page, base_url: str, account: str, password: str, read_code: Callable[[], str],
                  shoot: Optional[Callable[[str], None]] = None) -> str:
    """Closes `account` and returns the application number (ZX...)."""
    done = shoot or (lambda label: None)

    # The promo overlay may pop up on any page, at any moment: dismiss it whenever it blocks an action.
    page.add_locator_handler(page.locator(".ad-mask"),
                             lambda: page.get_by_role("button", name="关闭广告").click())

    page.goto(f"{base_url}/login", wait_until="domcontentloaded")
    done("open")
    page.get_by_label("手机号").fill(account)
    done("phone")
    page.get_by_label("登录密码").fill(password)
    done("password")
    page.get_by_label("我已阅读并同意《用户服务协议》《隐私政策》").check()
    done("terms")
    page.get_by_role("button", name="登录", exact=True).click()
    # The home page paints a skeleton and loads its content later; the tab bar is what we need.
    page.wait_for_url(re.compile(r"/home$"))
    page.get_by_text("首页", exact=True).first.wait_for()
    done("login")

    tap_to(page, page.get_by_text("我的", exact=True), r"/me$")
    done("me")
    tap_to(page, page.get_by_text("设置", exact=True), r"/settings$")
    done("settings")
    page.get_by_text("账号与安全", exact=True).click()
    done("security")
    page.get_by_role("link", name="注销账号").click()
    done("entry")
    page.get_by_text("仍要注销", exact=True).click()
    done("retention")

    # The tick box stays disabled until the agreement has been scrolled to its end.
    box = page.locator("#agreement")
    box.evaluate("el => { el.scrollTop = el.scrollHeight; }")
    done("read")
    page.get_by_label("我已阅读并同意《账号注销协议》").check()  # auto-waits for it to enable
    done("agree")
    page.get_by_role("button", name="下一步").click()
    done("next1")

    page.get_by_text("注销条件检测通过").wait_for()  # the check answers after a delay
    done("check")
    page.get_by_role("button", name="下一步").click()
    done("next2")

    page.get_by_label("不再需要借款").check()
    done("reason")
    page.get_by_role("combobox").select_option(label="应用商店")
    done("source")
    page.get_by_role("button", name="下一步").click()
    done("next3")

    page.get_by_role("button", name="获取验证码").click()
    page.get_by_text(re.compile(r"重新发送\(\d+s\)")).wait_for()
    page.get_by_placeholder("请输入短信验证码").fill(read_code())
    done("code")
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("button", name="确认注销").wait_for()
    done("verified")

    page.once("dialog", lambda dialog: dialog.accept())  # 确定要注销账号吗？此操作不可撤销
    page.get_by_role("button", name="确认注销").click()
    done("submit")
    page.get_by_text("注销申请已提交").wait_for()
    done("result")
    number = re.search(r"ZX\d+", page.locator(".app-no").inner_text()).group(0)
    done("application_number")
    return number


# As a program of its own, for the process-level comparison with `closure-assistant close`: the same
# Chromium launch, the device the profile declares written out by hand, the password on stdin.
DEVICE = {"locale": "zh-CN", "timezone_id": "Asia/Shanghai", "viewport": {"width": 390, "height": 844},
          "is_mobile": True, "has_touch": True, "accept_downloads": False, "service_workers": "block",
          "user_agent": "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
                        "Chrome/120.0 Mobile Safari/537.36"}


def main(argv: Optional[list[str]] = None) -> int:
    import argparse
    import json
    import sys
    import urllib.parse
    import urllib.request
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    from assistant.driving.browser import launch

    parser = argparse.ArgumentParser(description="close a demo-lender account by hand-written Playwright")
    parser.add_argument("base_url")
    parser.add_argument("account")
    parser.add_argument("--screenshots", type=Path, help="folder for one full-page PNG per step")
    args = parser.parse_args(argv)
    password = sys.stdin.readline().rstrip("\r\n")

    def read_code() -> str:
        query = urllib.parse.urlencode({"account": args.account})
        with urllib.request.urlopen(f"{args.base_url}/__test__/code?{query}") as response:
            return json.load(response)["code"]

    with sync_playwright() as playwright:
        browser, _choice = launch(playwright)
        try:
            page = browser.new_context(**DEVICE).new_page()
            shots: list[str] = []

            def shoot(label: str) -> None:
                shots.append(label)
                full_page_screenshot(page, str(args.screenshots / f"{len(shots):03d}-{label}.png"))
            number = close_account(page, args.base_url, args.account, password, read_code,
                                   shoot if args.screenshots else None)
        finally:
            browser.close()
    print(number)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
