"""The local portal framework: binding, test hooks, fault knobs, registry, CLI.
Plain HTTP only; no browser needed."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from assistant.portals import PORTALS, Faults, PortalClient, PortalServer, start_portal
from assistant.portals.client import PortalHookError
from portal_http import WebSession

ACCOUNTS = PORTALS["demo-lender"].accounts
CLEAN, UNPAID = ACCOUNTS["clean"], ACCOUNTS["unpaid"]


def _status(url: str, method: str = "GET") -> int:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    data = b"{}" if method == "POST" else None
    try:
        with opener.open(urllib.request.Request(url, data=data, method=method), timeout=5) as resp:
            return resp.status
    except urllib.error.HTTPError as err:
        return err.code


def _verified_session(web, hooks, account=CLEAN):
    """Log in and pass SMS verification, ready for the final submit."""
    session = web()
    assert session.login(account).status == 200
    assert session.post("/api/sms/send").status == 200
    assert session.post("/api/sms/verify", {"code": hooks.latest_code(account)}).json["ok"]
    return session


# -- binding ---------------------------------------------------------------------


def test_binds_loopback_on_a_free_port_and_stops():
    with PortalServer("demo-lender") as first, PortalServer("demo-lender") as second:
        for server in (first, second):
            assert re.fullmatch(r"http://127\.0\.0\.1:\d+", server.base_url)
            assert server._httpd.server_address[0] == "127.0.0.1"
        assert first.base_url != second.base_url
        url = first.base_url + "/login"
        assert _status(url) == 200
    with pytest.raises(urllib.error.URLError):
        urllib.request.build_opener(urllib.request.ProxyHandler({})).open(url, timeout=2)


def test_start_portal_returns_a_running_test_mode_server():
    server = start_portal("demo-lender")
    try:
        assert PortalClient(server.base_url).state(CLEAN)["status"] == "active"
    finally:
        server.stop()


def test_unknown_portal_name_is_rejected():
    with pytest.raises(KeyError, match="unknown portal"):
        PortalServer("no-such-lender")


# -- test hooks ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "hook"),
    [("GET", "code?account=13800000001"), ("GET", "state?account=13800000001"), ("POST", "reset"),
     ("POST", "approve?account=13800000001"), ("POST", "faults"), ("POST", "accounts"),
     ("POST", "next-code"), ("POST", "expire-code?account=13800000001")],
)
def test_hooks_are_404_without_test_mode(method, hook):
    with PortalServer("demo-lender") as server:
        assert _status(f"{server.base_url}/__test__/{hook}", method) == 404


@pytest.mark.parametrize("name", list(PORTALS))
def test_every_portals_own_and_shared_hooks_are_404_without_test_mode(name):
    hooks = [("GET", "stats"), ("POST", "popups"), ("GET", "popups"), ("POST", "solve-captcha?account=x"),
             ("POST", "reset"), ("GET", "totp?account=x"), ("POST", "lock-codes?account=x")]
    with PortalServer(name) as server:
        for method, hook in hooks:
            assert _status(f"{server.base_url}/__test__/{hook}", method) == 404, hook


def test_no_pop_up_in_test_mode_unless_a_test_asks(web, hooks):
    session = web()
    session.login(CLEAN)
    assert not any("showAd" in session.get(path).text for path in ["/home", "/me"] * 5)
    assert hooks.set_faults(seed=3)["popups"] is None  # a seed alone brings no pop-up back


def test_popups_hook_says_when_the_pop_up_shows_until_reset(web, hooks):
    assert hooks.set_popups("always") == {"ok": True, "show": "always", "pages": None, "times": None,
                                          "delay_ms": 0, "on_hover": None}
    session = web()
    session.login(CLEAN)
    assert all("function showAd()" in session.get("/home").text for _ in range(5))
    assert "showAd();" in session.get("/me").text  # at once, not after a timer

    hooks.set_popups("always", pages=["/me"], times=1)  # the first 我的 page only
    assert "showAd" not in session.get("/home").text
    assert "showAd();" in session.get("/me").text
    assert "showAd" not in session.get("/me").text

    hooks.set_popups("always", delay_ms=700)
    assert "setTimeout(showAd, 700);" in session.get("/home").text
    hooks.set_popups("always", on_hover="设置")  # no timer at all: the pointer on 设置 brings it
    me = session.get("/me").text
    assert 'var wanted = "设置";' in me and "setTimeout(showAd" not in me
    hooks.set_popups("never")
    assert "showAd" not in session.get("/home").text

    hooks.set_popups("always")
    hooks.reset()
    session.login(CLEAN)
    assert "showAd" not in session.get("/home").text  # reset: back to test mode's "never"
    assert hooks.pin_popups(share=1.0, delay_ms=0)["show"] == "always"  # the older call still says the same
    assert "showAd();" in session.get("/me").text
    assert hooks.pin_popups(share=0.0)["show"] == "never" and hooks.pin_popups(share=0.5)["show"] == "site"
    for bad in ({"show": "sometimes"}, {"pages": "/me"}, {"times": -1}, {"delay_ms": "soon"}, {"colour": "red"}):
        with pytest.raises(PortalHookError) as err:
            hooks._call("POST", "popups", body=bad)
        assert err.value.status == 400, bad


def test_site_pop_ups_come_from_the_seeded_random_source(web, hooks):
    hooks.set_faults(popups="site", seed=3)
    session = web()
    session.login(CLEAN)
    delays = [re.search(r"(setTimeout\(showAd, \d+\)|showAd\(\);)", session.get("/home").text) for _ in range(20)]
    assert any(delays) and not all(delays)  # about half of the page views, after a delay drawn by chance
    assert hooks.set_faults(popups="never")["popups"] == "never"
    assert "showAd" not in session.get("/home").text


def test_stats_hook_counts_requests_and_injected_errors(web, hooks):
    session = web()
    session.get("/login")
    assert hooks.stats() == {"requests": 1, "errors_injected": 0}
    hooks.set_faults(error_rate=1.0)
    assert session.get("/login").status == 500
    assert hooks.stats() == {"requests": 2, "errors_injected": 1}
    hooks.reset()
    assert hooks.stats() == {"requests": 0, "errors_injected": 0}


def test_state_hook_reports_the_documented_fields(hooks):
    assert hooks.state(UNPAID) == {
        "account": UNPAID,
        "status": "active",
        "submissions": 0,
        "repeat_requests": 0,
        "application_no": None,
        "unpaid": "1234.56",
        "balance": "0",
        "answers": {},
        "failed_code_attempts": 0,
        "locked": False,
    }
    with pytest.raises(PortalHookError) as err:
        hooks.state("19999999999")
    assert err.value.status == 404


def test_code_hook_is_none_until_a_code_is_sent(web, hooks, portal):
    assert hooks.latest_code(CLEAN) is None
    session = web()
    session.login(CLEAN)
    session.post("/api/sms/send")
    code = hooks.latest_code(CLEAN)
    assert re.fullmatch(r"\d{6}", code)
    raw = json.loads(urllib.request.urlopen(f"{portal.base_url}/__test__/code?account={CLEAN}").read())
    assert raw["expires_at"] - raw["sent_at"] == pytest.approx(300)


def test_next_code_hook_decides_the_next_sms(web, hooks):
    hooks.set_next_code(CLEAN, "246810")
    session = web()
    session.login(CLEAN)
    session.post("/api/sms/send")
    assert hooks.latest_code(CLEAN) == "246810"


def test_add_account_with_canary_password(web, hooks):
    hooks.add_account("13911112222", "canary-5f1e9c", unpaid="0")
    assert web().login("13911112222", "canary-5f1e9c").json["ok"]
    hooks.add_account("13911112222", "canary-5f1e9c", unpaid="99.50")
    assert hooks.state("13911112222")["unpaid"] == "99.50"


def test_reset_restores_accounts_and_clears_sessions(web, hooks):
    session = _verified_session(web, hooks)
    session.post("/api/close/submit")
    hooks.add_account("13911112222", "canary-pass")
    hooks.reset()
    assert hooks.state(CLEAN)["submissions"] == 0
    assert hooks.latest_code(CLEAN) is None
    assert session.get("/home").location == "/login"
    with pytest.raises(PortalHookError):
        hooks.state("13911112222")


def test_faults_hook_rejects_unknown_knobs(hooks):
    with pytest.raises(PortalHookError) as err:
        hooks.set_faults(chaos=True)
    assert err.value.status == 400
    assert hooks.set_faults(latency_ms=5)["latency_ms"] == 5


# -- fault knobs ----------------------------------------------------------------------


def test_error_rate_fails_pages_but_never_submit_or_hooks(web, hooks):
    session = _verified_session(web, hooks)
    hooks.set_faults(error_rate=1.0)
    page = session.get("/home")
    assert page.status == 500
    assert "服务器繁忙，请稍后重试" in page.text and "Server busy" in page.text
    api = session.get("/api/home")
    assert api.status == 500 and api.json["message"] == "服务器繁忙，请稍后重试"
    assert web().get("/login").status == 500
    submit = session.post("/api/close/submit")
    assert submit.status == 200 and submit.json["ok"]
    assert hooks.state(CLEAN)["submissions"] == 1  # hooks still answer


def test_error_rate_is_a_share_of_requests(web, hooks):
    hooks.set_faults(error_rate=0.5, seed=3)
    statuses = [web().get("/login").status for _ in range(60)]
    assert 10 < statuses.count(500) < 50
    assert set(statuses) == {200, 500}


def test_latency_delays_pages_not_hooks(web, hooks):
    hooks.set_faults(latency_ms=1500)  # wide apart, so a busy machine (the suite runs in parallel) cannot blur them
    started = time.monotonic()
    assert web().get("/login").status == 200
    assert time.monotonic() - started >= 1.5
    started = time.monotonic()
    hooks.state(CLEAN)
    assert time.monotonic() - started < 1.5


def test_session_expiry_redirects_to_login_expired(web, hooks):
    session = web()
    session.login(CLEAN)
    hooks.set_faults(session_expiry_after=2)
    assert session.get("/home").status == 200
    assert session.get("/me").status == 200
    expired = session.get("/settings")
    assert expired.status == 302 and expired.location == "/login?expired=1"
    login = session.get("/login?expired=1")
    assert "登录已过期，请重新登录" in login.text
    assert session.get("/home").location == "/login"  # the session is gone for good
    session.login(CLEAN)  # logging in again starts a fresh count
    assert session.get("/home").status == 200


def test_session_expiry_answers_scripts_with_json(web, hooks):
    session = web()
    session.login(CLEAN)
    hooks.set_faults(session_expiry_after=0)
    reply = session.get("/api/home")
    assert reply.status == 401
    assert reply.json["redirect"] == "/login?expired=1"


def test_redesign_moves_the_closure_entry(web, hooks):
    session = web()
    session.login(CLEAN)
    classic = session.get("/settings/security").text
    assert 'href="/close"' in classic and "注销账号" in classic
    assert session.get("/settings/privacy").status == 404

    hooks.set_faults(redesign=True)
    security = session.get("/settings/security").text
    assert 'href="/close"' not in security and "注销账号" not in security
    assert "隐私与账号服务" in session.get("/settings").text
    privacy = session.get("/settings/privacy").text
    assert "账号注销服务" in privacy and 'href="/close"' in privacy
    login = session.get("/login").text
    assert 'id="mobile"' in login and 'id="phone"' not in login and "立即登录" in login
    assert 'class="form-error"' not in login and "form-error-v2" in login


def test_same_seed_gives_the_same_site_behaviour():
    pages = []
    for _ in range(2):
        with PortalServer("demo-lender", test_mode=True, faults=Faults(seed=42, popups="site")) as server:
            client = PortalClient(server.base_url)
            client.reset()
            session = WebSession(server.base_url)
            session.login(CLEAN)
            pages.append([session.get("/home").text for _ in range(5)])
    assert pages[0] == pages[1]
    ad_shown = ["关闭广告" in page for page in pages[0]]  # the overlay script is only sent when it will pop up
    assert any(ad_shown) and not all(ad_shown)


# -- registry and CLI ------------------------------------------------------------------


def test_registry_entry_for_demo_lender():
    info = PORTALS["demo-lender"]
    assert info.name == "demo-lender" and info.title_zh == "示例贷"
    assert info.demo_account == "13800000001"
    assert info.accounts == {
        "clean": "13800000001", "unpaid": "13800000002", "clean2": "13800000003", "leftover": "13800000004",
    }
    assert info.passwords["13800000002"] == "demo-pass-2"


def test_module_cli_runs_a_portal_in_the_foreground():
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.portals", "demo-lender", "--test-mode", "--redesign", "--latency-ms", "1"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=str(Path(__file__).resolve().parents[2]),
    )
    try:
        first_line = proc.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+", first_line).group(0)
        client = PortalClient(url)
        assert client.state(CLEAN)["status"] == "active"
        assert client.set_faults()["redesign"] is True
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_redesign_renames_the_sites_markup_but_not_the_ad_networks(web, hooks):
    hooks.set_faults(redesign=True)
    hooks.set_popups("always")
    session = web()
    session.login(CLEAN)
    home = session.get("/home").text
    assert "'ad-mask'" in home and 'class="ad-close"' in home  # third-party script: untouched
    assert 'class="tabbar-v2"' in home and 'class="tabbar"' not in home


# -- the irreversible submit's own answers (for tests of what the driver records) ---------------------


def _pending(hooks, account=CLEAN):
    state = hooks.state(account)
    return state["status"], state["submissions"]


def test_submit_answer_502_before_processes_nothing(web, hooks):
    session = _verified_session(web, hooks)
    hooks.set_faults(submit_answer="502_before", error_rate=1.0)  # error_rate alone never touches the submit
    reply = session.post("/api/close/submit")
    assert reply.status == 502 and "502 Bad Gateway" in reply.text and "nginx" in reply.text
    assert _pending(hooks) == ("active", 0)
    hooks.set_faults(submit_answer=None, error_rate=0.0)
    assert session.post("/api/close/submit").json["ok"]  # the same session may still submit: it was never seen
    assert _pending(hooks) == ("pending_review", 1)


def test_submit_answer_502_after_creates_the_application_then_fails(web, hooks):
    session = _verified_session(web, hooks)
    hooks.set_faults(submit_answer="502_after")
    reply = session.post("/api/close/submit")
    assert reply.status == 502 and "502 Bad Gateway" in reply.text
    assert _pending(hooks) == ("pending_review", 1)
    assert "注销申请状态：审核中" in session.get("/close/status").text  # the site knows, the browser was not told
    assert hooks.stats()["errors_injected"] == 1


def test_submit_answer_timeout_processes_then_holds_the_answer(web, hooks):
    session = _verified_session(web, hooks)
    hooks.set_faults(submit_answer="timeout", submit_hold_s=1.5)
    answered = []
    worker = threading.Thread(target=lambda: answered.append(session.post("/api/close/submit")))
    started = time.monotonic()
    worker.start()
    deadline = time.monotonic() + 10
    while _pending(hooks)[1] == 0 and time.monotonic() < deadline:
        worker.join(timeout=0.02)  # bounded wait for the site to process it
    assert _pending(hooks) == ("pending_review", 1) and not answered  # processed, answer still held
    worker.join(timeout=10)
    assert answered[0].status == 200 and answered[0].json["ok"]
    assert time.monotonic() - started >= 1.5
    with pytest.raises(PortalHookError):
        hooks.set_faults(submit_hold_s=61)  # bounded: a test can never hang on it


def test_submit_answer_session_expired_drops_the_session_on_that_request(web, hooks):
    session = _verified_session(web, hooks)
    hooks.set_faults(submit_answer="session_expired")
    assert session.get("/close/confirm").status == 200  # other requests: the session is fine
    reply = session.post("/api/close/submit")
    assert (reply.status, reply.json["redirect"]) == (401, "/login?expired=1")
    assert reply.json["message"] == "登录已过期，请重新登录"
    assert _pending(hooks) == ("active", 0)
    assert session.get("/home").location == "/login"  # gone for good


def test_a_stopped_portal_ends_a_held_answer():
    server = PortalServer("demo-lender", test_mode=True, faults=Faults(submit_answer="timeout", submit_hold_s=60))
    with server:
        client = PortalClient(server.base_url)
        session = WebSession(server.base_url)
        session.login(CLEAN)
        session.post("/api/sms/send")
        session.post("/api/sms/verify", {"code": client.latest_code(CLEAN)})
        worker = threading.Thread(target=session.post, args=("/api/close/submit",), daemon=True)
        worker.start()
        while client.state(CLEAN)["submissions"] == 0:
            worker.join(timeout=0.02)
    worker.join(timeout=5)
    assert not worker.is_alive()


# -- sent codes, as the person practising reads them -----------------------------------------------------


def test_each_sent_code_goes_to_the_code_sink_like_an_sms(web):
    shown = []
    with PortalServer("demo-lender", test_mode=True, code_sink=shown.append) as server:
        session = WebSession(server.base_url)
        session.login(CLEAN)
        session.post("/api/sms/send")
        code = PortalClient(server.base_url).latest_code(CLEAN)
    assert shown == [f"【示例贷】验证码 {code}，5分钟内有效 (to 138****0001)"]


def test_module_cli_prints_each_code_it_sends_to_its_terminal():
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.portals", "desktop-lender", "--test-mode"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=str(Path(__file__).resolve().parents[2]),
    )
    try:
        url = re.search(r"http://127\.0\.0\.1:\d+", proc.stdout.readline()).group(0)
        session = WebSession(url)
        email = PORTALS["desktop-lender"].accounts["clean"]
        session.post("/api/signin", {"email": email, "password": PORTALS["desktop-lender"].passwords[email]})
        session.post("/api/signin/send-code")
        line = proc.stderr.readline().strip()
        code = PortalClient(url).latest_code(email)
        assert line == f"[Northwind Credit] Your sign-in code is {code}. It expires in 10 minutes. (to a•••n@example.com)"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# -- knobs refused --------------------------------------------------------------------------------------


def test_a_portal_refuses_a_variant_it_does_not_have(hooks):
    with pytest.raises(PortalHookError) as err:
        hooks.set_faults(second_factor="totp")  # desktop-lender's variant, not demo-lender's
    assert err.value.status == 400 and "no second_factor variant" in str(err.value)
    with pytest.raises(ValueError, match="no code_check variant"):
        PortalServer("wallet-lender", faults=Faults(code_check="submit"))
    for bad in ({"popups": "sometimes"}, {"submit_answer": "503"}, {"code_check": "later"}, {"redesign": "maybe"},
                {"resend_cooldown_s": -1}):
        with pytest.raises(PortalHookError):
            hooks.set_faults(**bad)
    assert hooks.set_faults()["refuse_while_pending"] is True  # nothing above was half applied


def test_lock_codes_hook_locks_as_wrong_codes_would(web, hooks):
    session = web()
    session.login(CLEAN)
    until = hooks.lock_codes(CLEAN, seconds=120)
    assert hooks.state(CLEAN)["locked"] is True
    assert session.post("/api/sms/send").json["message"] == "验证码错误次数过多，请稍后再试"
    assert until - time.time() == pytest.approx(120, abs=5)
