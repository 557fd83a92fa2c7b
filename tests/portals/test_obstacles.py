"""Each portal's obstacles, met by its real site profile through the real driver in a real Chromium.

The pop-ups of every portal are pinned to show on every page at once (the real sites show them at
random moments, on some page views only), so the driver surely meets them. Where the obstacle shows in the
run itself (a dialog answered, a pop-up dismissed, a new tab, the answers the site received) the test
looks there; the rest is proved by the closure getting through at all, with one submission.
"""
from __future__ import annotations

from assistant.driving import events as ev
from assistant.errors import NeedsUser
from assistant.profiles.registry import load_site


class Events:
    def __init__(self):
        self.seen = []

    def handle(self, event):
        self.seen.append(event)

    def of(self, kind):
        return [e for e in self.seen if isinstance(e, kind)]

    def finished(self, flow):
        return [e for e in self.of(ev.StepFinished) if e.flow == flow]


def clean_account(name: str) -> str:
    return load_site(name).tests["accounts"]["clean"]


def _closed_once(portal, account, record) -> dict:
    assert record.result.outcome == "submitted", (record.result.failed_step, record.result.error)
    state = portal.client.state(account)
    assert state["submissions"] == 1
    return state


def test_demo_lender_ads_retention_agreement_questionnaire_and_confirm(portals, run_close):
    portal = portals("demo-lender")
    account = clean_account("demo-lender")
    portal.client.set_popups("always")
    events = Events()
    record = run_close(portal, account, listeners=(events,))
    state = _closed_once(portal, account, record)

    assert record.result.overlays_dismissed >= 2  # the ad on 首页 and on 我的, each covering the tab bar
    assert {e.name for e in events.of(ev.OverlayDismissed)} == {"广告弹窗 / advertisement"}
    retention = [e for e in events.finished("close") if e.step.screen == "retention"]
    assert retention and retention[0].url.endswith("/close/notice")  # the small 仍要注销 link, not 我再想想
    agreement = [e.text for e in events.of(ev.TextRecorded) if "账号注销协议" in e.text]
    assert agreement and "（以下无正文）" in agreement[0]  # scrolled to the very end before ticking
    assert [(d.kind, d.action, d.expected) for d in events.of(ev.DialogHandled)] == [("confirm", "accept", True)]
    assert state["answers"] == {"reason": "不再需要借款", "source": "应用商店", "suggestion": ""}


def test_desktop_lender_cookie_banner_menu_danger_zone_questionnaire_and_modals(portals, run_close):
    portal = portals("desktop-lender")
    account = clean_account("desktop-lender")
    portal.client.set_popups("always")
    events = Events()
    record = run_close(portal, account, listeners=(events,))
    state = _closed_once(portal, account, record)

    # The banner shades every page until a choice is stored; once accepted it never comes back.
    assert [e.name for e in events.of(ev.OverlayDismissed)] == ["Cookie consent banner"]
    codes = events.of(ev.CodeRequested)
    assert [(c.channel, c.destination) for c in codes] == [("email", "a•••n@example.com")]
    assert state["answers"] == {"reason": "I no longer need a credit line", "rating": "Neutral",
                                "details": "I no longer need a credit line."}
    # Typed CLOSE and the password in the modal were accepted by the site's own checks.
    assert record.result.submit_request["url"].endswith("/api/account/close")
    assert record.result.submit_request["status"] == 200
    assert events.of(ev.DialogHandled) == []  # custom modals only, no native dialogs
    assert record.result.application_number.startswith("NW-")


def test_wallet_lender_new_tab_iframe_captcha_and_native_dialogs(portals, run_close):
    portal = portals("wallet-lender")
    account = clean_account("wallet-lender")
    portal.client.set_popups("always")
    solved = []

    def person(instructions):
        solved.append(instructions)
        portal.client.solve_captcha(account)
    events = Events()
    record = run_close(portal, account, listeners=(events,), manual=person)
    _closed_once(portal, account, record)

    assert [e.name for e in events.of(ev.OverlayDismissed)] == ["红包弹窗 / red-packet pop-up"]
    login_page = events.finished("login")[-1].page
    close_steps = events.finished("close")
    assert close_steps[0].page is not login_page and close_steps[0].url.endswith("/help")  # the new tab
    assert all(e.page is close_steps[0].page for e in close_steps)
    assert close_steps[-1].url.endswith("/help/close-service")  # the form lived in the iframe of this page
    assert len(solved) == 1 and "滑块" in solved[0]["zh"]
    dialogs = [(d.kind, d.action, d.expected) for d in events.of(ev.DialogHandled)]
    assert dialogs == [("alert", "accept", True), ("confirm", "accept", True)]
    assert "139****0101" in events.of(ev.DialogHandled)[0].message
    assert record.result.application_number.startswith("SXH")


def test_wallet_lender_slider_captcha_stops_a_headless_run_without_a_person(portals, run_close):
    portal = portals("wallet-lender")
    account = clean_account("wallet-lender")
    record = run_close(portal, account, manual=None)
    assert isinstance(record.result.error, NeedsUser), record.result.error
    assert record.result.error.params["reason"] == "manual"
    assert record.result.failed_step == "滑块验证 / slider captcha"
    assert portal.client.latest_code(account) is None  # the captcha guards the SMS: nothing was sent
    assert portal.client.state(account)["submissions"] == 0
