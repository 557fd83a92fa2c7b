"""Northwind Credit's own rules over plain HTTP: sign-in with an e-mailed code, the closure wizard's
server-side checks, the pending review, and what the fault knobs and the redesign change."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
import time
import urllib.request

import pytest

from assistant.portals import PORTALS, PortalServer
from assistant.portals.desktop_lender.app import SUBMIT_PATH
from portal_http import WebSession, sign_in_desktop

INFO = PORTALS["desktop-lender"]
CLEAN, UNPAID = INFO.accounts["clean"], INFO.accounts["unpaid"]
WRONG_LOGIN = "Incorrect email or password. Try again or reset your password."
FEEDBACK = {"reason": "Other reason", "rating": "Neutral", "details": "Moving abroad soon."}
CLOSE = {"confirmation": "CLOSE"}
PRIVATE = ["/dashboard", "/loans", "/payments", "/documents", "/settings/personal", "/settings/security",
           "/settings/communication", "/settings/account", "/settings/close-account", "/settings/close-account/status"]


@pytest.fixture
def portal():
    with PortalServer("desktop-lender", test_mode=True) as server:
        yield server


def _signed_in(web, hooks, account=CLEAN) -> WebSession:
    session = web()
    sign_in_desktop(session, hooks, account)
    return session


def _password_only(web, account=CLEAN) -> WebSession:
    session = web()
    reply = session.post("/api/signin", {"email": account, "password": INFO.passwords[account]})
    assert reply.json == {"ok": True, "redirect": "/signin/verify"}
    return session


def _wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


# -- sign-in ----------------------------------------------------------------------------------------


def test_private_pages_need_the_password_and_then_the_emailed_code(web):
    session = web()
    for path in ["/", *PRIVATE, "/signin/verify"]:
        assert session.get(path).location == "/signin", path
    assert session.get("/api/overview").status == 401
    half = _password_only(web)
    for path in PRIVATE:
        assert half.get(path).location == "/signin/verify", path
    reply = half.get("/api/overview")
    assert (reply.status, reply.json["redirect"]) == (401, "/signin/verify")


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"email": CLEAN, "password": "wrong"}, WRONG_LOGIN),
        ({"email": "nobody@example.com", "password": "x"}, WRONG_LOGIN),
        ({"email": "", "password": ""}, "Enter your email address and password."),
    ],
)
def test_signin_errors(web, form, message):
    reply = web().post("/api/signin", form)
    assert (reply.status, reply.json["message"]) == (400, message)


def test_verify_page_masks_the_address_and_never_shows_the_code(web, hooks):
    session = _password_only(web)
    assert session.post("/api/signin/send-code").json == {"ok": True, "resend_in": 30}
    page = session.get("/signin/verify").text
    assert '<strong class="masked-email">a•••n@example.com</strong>' in page
    assert hooks.latest_code(CLEAN) not in page
    assert re.search(r'"resendWait": (29|30)', page)  # the countdown survives a reload
    assert '<label for="code">Verification code</label>' in page


def test_code_resend_waits_for_the_countdown(web):
    session = _password_only(web)
    assert session.post("/api/signin/send-code").json["resend_in"] == 30
    again = session.post("/api/signin/send-code")
    assert again.status == 429 and 0 < again.json["resend_in"] <= 30


def test_three_wrong_codes_lock_sign_in(web, hooks):
    session = _password_only(web)
    session.post("/api/signin/send-code")
    wrong = _wrong(hooks.latest_code(CLEAN))
    messages = [session.post("/api/signin/verify", {"code": wrong}).json["message"] for _ in range(3)]
    assert messages == [
        "That code is incorrect. You have 2 attempts left.",
        "That code is incorrect. You have 1 attempt left.",
        "Too many incorrect attempts. For your security, sign-in is locked for 30 minutes.",
    ]
    assert hooks.state(CLEAN)["locked"] is True
    assert session.post("/api/signin/send-code").status == 403


def test_an_expired_code_is_refused_and_a_new_one_may_be_sent(web, hooks):
    session = _password_only(web)
    session.post("/api/signin/send-code")
    old = hooks.latest_code(CLEAN)
    hooks.expire_code(CLEAN)
    reply = session.post("/api/signin/verify", {"code": old})
    assert (reply.json["message"], reply.json["reason"]) == ("This code has expired. Request a new code.", "expired")
    assert session.post("/api/signin/send-code").json["ok"]  # no countdown after expiry
    assert session.post("/api/signin/verify", {"code": hooks.latest_code(CLEAN)}).json["redirect"] == "/dashboard"


# -- the closure wizard -----------------------------------------------------------------------------


def test_the_dashboard_and_the_eligibility_check_arrive_late(web, hooks):
    session = _signed_in(web, hooks)
    dashboard = session.get("/dashboard").text
    assert 'class="skeleton"' in dashboard and "$15,000.00" not in dashboard
    assert session.get("/api/overview").json["available"] == "$15,000.00"
    wizard = session.get("/settings/close-account").text
    assert 'id="eligibility-result" aria-busy="true"' in wizard and '"checkDelay": ' in wizard


def test_the_danger_zone_is_collapsed_and_its_entry_is_a_div(web, hooks):
    page = _signed_in(web, hooks).get("/settings/account").text
    assert 'aria-expanded="false"' in page and 'id="danger-zone" hidden' in page
    assert '<div class="btn btn-danger-outline" id="close-entry">Close account</div>' in page
    assert 'role="dialog" aria-modal="true"' in page  # the retention modal, hidden until asked for


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({}, "Choose a reason."),
        ({"reason": "Other reason"}, "Tell us how satisfied you were."),
        ({"reason": "Other reason", "rating": "Neutral", "details": "meh"},
         "Please tell us a little more (at least 10 characters)."),
    ],
)
def test_the_questionnaire_is_checked_by_the_site(web, hooks, answers, message):
    reply = _signed_in(web, hooks).post("/api/close/feedback", answers)
    assert (reply.status, reply.json["message"]) == (400, message)


def test_the_final_submit_checks_every_earlier_step(web, hooks):
    session = _signed_in(web, hooks)
    assert session.post(SUBMIT_PATH, {"password": INFO.passwords[CLEAN], "confirmation": "CLOSE"}).status == 409
    session.post("/api/close/feedback", FEEDBACK)
    assert session.post(SUBMIT_PATH, {"password": INFO.passwords[CLEAN], "confirmation": "close"}).json["message"] \
        == "Type CLOSE to confirm."
    wrong_password = session.post(SUBMIT_PATH, {"password": "nope", "confirmation": "CLOSE"})
    assert (wrong_password.status, wrong_password.json["message"]) == (403, "The password you entered is incorrect.")
    assert hooks.state(CLEAN)["submissions"] == 0  # refused attempts are not submissions
    reply = session.post(SUBMIT_PATH, {"password": INFO.passwords[CLEAN], "confirmation": "CLOSE"})
    assert re.fullmatch(r"NW-\d{8}-\d{6}", reply.json["reference"])
    state = hooks.state(CLEAN)
    assert (state["status"], state["submissions"]) == ("pending_review", 1)
    assert state["application_no"] == reply.json["reference"]
    assert state["answers"]["details"] == "Moving abroad soon."


def test_an_unpaid_balance_blocks_the_closure(web, hooks):
    session = _signed_in(web, hooks, UNPAID)
    check = session.get("/api/close/eligibility").json
    message = "You have an outstanding balance of $1,234.56. Please pay it in full before closing your account."
    assert (check["eligible"], check["message"]) == (False, message)
    session.post("/api/close/feedback", FEEDBACK)
    reply = session.post(SUBMIT_PATH, {"password": INFO.passwords[UNPAID], "confirmation": "CLOSE"})
    assert (reply.status, reply.json["message"]) == (409, message)
    assert hooks.state(UNPAID)["submissions"] == 0


def test_pending_review_then_approval_closes_the_account(web, hooks):
    session = _signed_in(web, hooks)
    session.post("/api/close/feedback", FEEDBACK)
    reference = session.post(SUBMIT_PATH, {"password": INFO.passwords[CLEAN], **CLOSE}).json["reference"]
    assert session.get("/api/overview").json["pending_reference"] == reference
    status = session.get("/settings/close-account/status").text
    assert reference in status and "<dd>Pending review</dd>" in status
    assert session.get("/settings/close-account").location == "/settings/close-account/status"
    assert "Danger zone" not in session.get("/settings/account").text
    hooks.approve(CLEAN)
    assert session.get("/dashboard").location == "/signin"  # a closed account is signed out everywhere
    reply = web().post("/api/signin", {"email": CLEAN, "password": INFO.passwords[CLEAN]})
    closed = "This account has been closed. Call us if you have questions."
    assert (reply.status, reply.json["message"]) == (403, closed)


# -- fault knobs, pop-ups and the redesign ----------------------------------------------------------


def test_session_expiry_sends_pages_and_scripts_back_to_sign_in(web, hooks):
    session = _signed_in(web, hooks)
    hooks.set_faults(session_expiry_after=0)
    assert session.get("/settings/account").location == "/signin?expired=1"
    assert "Your session has expired. Please sign in again." in session.get("/signin?expired=1").text
    hooks.set_faults(session_expiry_after=None)
    again = _signed_in(web, hooks)
    hooks.set_faults(session_expiry_after=0)  # scripts get JSON that tells them where to go
    reply = again.get("/api/close/eligibility")
    assert (reply.status, reply.json["redirect"]) == (401, "/signin?expired=1")


def test_error_rate_spares_only_the_irreversible_submit(web, hooks):
    session = _signed_in(web, hooks)
    hooks.set_faults(error_rate=1.0)
    assert session.get("/settings/account").status == 500
    assert session.post("/api/close/feedback", {}).status == 500
    assert session.post(SUBMIT_PATH, {"password": "x", "confirmation": "CLOSE"}).status == 409  # answered by the site
    assert hooks.stats()["errors_injected"] == 2


def test_the_cookie_banner_shows_until_a_choice_is_stored(portal, hooks):
    hooks.set_popups("always")  # the site's own: at a random moment; here at once, every page view
    def signin_page(cookie: str | None) -> str:
        request = urllib.request.Request(portal.base_url + "/signin")
        if cookie:
            request.add_header("Cookie", cookie)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(request, timeout=5) as response:
            return response.read().decode()
    assert "We value your privacy" in signin_page(None)
    assert "We value your privacy" not in signin_page("nw_cookie_consent=all")


def test_redesign_moves_and_renames_the_closure_entry(web, hooks):
    session = _signed_in(web, hooks)
    assert session.get("/settings/privacy").status == 404  # before the site update
    hooks.set_faults(redesign=True)
    account = session.get("/settings/account").text
    assert "Danger zone" not in account and "Close account" not in account
    privacy = session.get("/settings/privacy").text
    assert '<div class="btn-v2 btn-danger-v2" id="close-entry-v2">Delete account</div>' in privacy
    assert "Continue to delete account" in privacy
    signin = web().get("/signin").text
    assert 'id="login-email"' in signin and 'class="topbar' not in signin and 'class="auth-v2"' in signin


def test_every_page_is_a_self_contained_desktop_page_without_test_ids(web, hooks):
    session = _signed_in(web, hooks)
    for path in ["/signin", *PRIVATE]:
        page = session.get(path).text
        assert "§" not in page and 'lang="en"' in page and 'content="width=1280"' in page, path
        assert not re.search(r"""(src|href)=["']https?://""", page), path
        assert "data-testid" not in page and "data-test" not in page, path


# -- variants and the pending request -------------------------------------------------------------------


def authenticator_code(secret: str, at: float) -> str:
    """What an authenticator app shows: RFC 6238 written out here, independently of the portal's code."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    mac = hmac.new(key, struct.pack(">Q", int(at // 30)), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    return str((struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000).zfill(6)


def test_authenticator_app_codes_sign_in_once_each(web, hooks):
    hooks.set_faults(second_factor="totp")
    session = _password_only(web)
    page = session.get("/signin/verify").text
    assert "authenticator app" in page and "Send code" not in page and "a•••n@example.com" not in page
    assert session.post("/api/signin/send-code").json["reason"] == "authenticator"  # nothing is sent
    assert hooks.latest_code(CLEAN) is None
    secret = hooks.totp_secret(CLEAN)
    assert secret == hooks.totp_secret(CLEAN) and re.fullmatch(r"[A-Z2-7]{32}", secret)
    code = authenticator_code(secret, time.time())  # across a window's end it stays valid one step more
    assert session.post("/api/signin/verify", {"code": code}).json == {"ok": True, "redirect": "/dashboard"}
    again = _password_only(web)  # a retry in the same 30 s window, with the same code
    reused = again.post("/api/signin/verify", {"code": code})
    assert (reused.status, reused.json["reason"]) == (400, "reused")
    assert reused.json["message"] == "That code has already been used. Wait for the next code in your authenticator app."
    assert "authenticator app" in session.get("/settings/security").text


def test_wrong_authenticator_codes_lock_sign_in(web, hooks):
    hooks.set_faults(second_factor="totp")
    session = _password_only(web)
    right = authenticator_code(hooks.totp_secret(CLEAN), time.time())
    wrong = str((int(right) + 500_000) % 1_000_000).zfill(6)
    messages = [session.post("/api/signin/verify", {"code": wrong}).json["message"] for _ in range(3)]
    assert messages[:2] == ["That code is incorrect. You have 2 attempts left.",
                            "That code is incorrect. You have 1 attempt left."]
    assert messages[2].startswith("Too many incorrect attempts")
    assert hooks.state(CLEAN)["locked"] is True and hooks.state(CLEAN)["failed_code_attempts"] == 3


def test_a_second_closure_request_while_one_is_pending_is_refused(web, hooks):
    session = _signed_in(web, hooks)
    session.post("/api/close/feedback", FEEDBACK)
    reference = session.post(SUBMIT_PATH, {"password": INFO.passwords[CLEAN], **CLOSE}).json["reference"]
    again = session.post(SUBMIT_PATH, {"password": INFO.passwords[CLEAN], **CLOSE})
    assert (again.status, again.json["reason"], again.json["application_no"]) == (409, "pending", reference)
    assert again.json["message"] == "You have already asked us to close this account. Your request is under review."
    state = hooks.state(CLEAN)
    assert (state["submissions"], state["repeat_requests"]) == (1, 1)
