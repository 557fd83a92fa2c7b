"""The local web app (`closure-assistant app`), driven as a person drives it: a real Chromium opens the
app's address with its token, picks a lender, practises with a dry run, closes, types the code when the
box appears, says yes, reads the application number and deadline, opens the report and finds the case
on the dashboard. The app runs on 127.0.0.1 in this process; its runs drive their own Chromium on their
own threads against real local portals."""
from __future__ import annotations

import json
import re
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import CANARY_PASSWORD

RESULT_WAIT_MS = 180_000   # a whole closure in a shared browser on a busy machine


class RunningApp:
    def __init__(self, tmp_path: Path, **config):
        from assistant.webapp.server import App, AppConfig, serve
        self.tmp = tmp_path
        self.db = tmp_path / "cases.sqlite3"
        self.evidence = tmp_path / "evidence"
        self.app = App(AppConfig(db=self.db, evidence_dir=self.evidence, timeout_ms=15_000, **config))
        ready = threading.Event()
        self.url = ""

        def on_ready(url):
            self.url = url
            ready.set()
        self.thread = threading.Thread(target=serve, args=(self.app, 0), kwargs={"on_ready": on_ready}, daemon=True)
        self.thread.start()
        assert ready.wait(30), "the app did not start"
        self.base = self.url.split("/?")[0]
        self.port = self.app.guard.port

    def stop(self):
        self.app.quit()
        self.thread.join(60)


@pytest.fixture
def webapp(tmp_path):
    running = []

    def start(**config) -> RunningApp:
        app = RunningApp(tmp_path, **config)
        running.append(app)
        return app
    yield start
    for app in running:
        app.stop()


CSP_BLOCKED: dict = {}   # page -> what the browser refused under the app's Content-Security-Policy


def open_app(browser, app: RunningApp, locale: str):
    context = browser.new_context(locale=locale)
    page = context.new_page()
    blocked = CSP_BLOCKED.setdefault(page, [])
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(app.url)
    return context, page


def wait_result(page):
    page.locator("#result").wait_for(state="visible", timeout=RESULT_WAIT_MS)


def answer_code(page, code):
    """Types the code once the box appears; `code`: the code, or how to read it then (the person's phone)."""
    page.locator("#code-box").wait_for(state="visible", timeout=RESULT_WAIT_MS)
    page.fill("#code", code() if callable(code) else code)
    page.click("#send-code")
    page.locator("#code-box").wait_for(state="hidden", timeout=30_000)


def start_on_demo(page, app: RunningApp, portal, *, dry_run: bool, password: str | None = None) -> str:
    """Opens the demo lender's start page, fills in its clean account and starts; returns the account."""
    account = portal.info.accounts["clean"]
    page.goto(app.base + "/sites/demo-lender")
    page.fill("#account", account)
    page.fill("#secret-password", password or portal.info.passwords[account])
    page.set_checked("#dry-run", dry_run)
    page.click("#start")
    return account


def assert_all_chinese(page):
    """Nothing of the page a zh reader sees is English, but for the profile's own words and technical names."""
    from tests.test_zh_messages import english_leaks, profile_texts
    text = page.locator("body").inner_text()
    leaks = english_leaks(text, profile_texts("demo-lender"))
    assert not leaks, f"English on a Chinese page ({page.url}): {leaks}"


# ---------------------------------------------------------------- the stories

def test_a_borrower_closes_the_demo_lender_from_the_page_in_chinese(browser, webapp):
    from assistant.portals import PORTALS
    info = PORTALS["demo-lender"]
    account = info.accounts["clean"]
    app = webapp()  # the practice portal is started by the app itself, as for a person trying it
    context, page = open_app(browser, app, "zh-CN")
    try:
        assert "token" not in page.url  # the token went into the cookie and left the address bar
        assert page.locator("h1").inner_text() == "选择要注销的平台"
        assert_all_chinese(page)
        page.fill("#site-search", "shilidai")  # pinyin finds 示例贷
        assert page.locator("#sites .site:visible").count() == 1
        page.click("text=示例贷")
        facts = page.locator("#facts").inner_text()
        assert "结清全部借款" in facts and "15 个工作日" in facts  # the profile's facts before starting
        assert_all_chinese(page)

        # A dry run first (ticked by default): it walks to the final submit and submits nothing.
        page.fill("#account", account)
        page.fill("#secret-password", info.passwords[account])
        assert page.is_checked("#dry-run")
        page.click("#start")
        page.locator("#code-box").wait_for(state="visible", timeout=RESULT_WAIT_MS)
        assert "138****0001" in page.locator("#code-prompt").inner_text()  # where the code went
        sms = page.locator("#code-practice").inner_text()  # the practice portal's "phone", on the page
        assert page.locator("#steps img.shot").count() >= 10  # each step with its screenshot, as taken
        answer_code(page, re.search(r"\d{6}", sms).group(0))
        wait_result(page)
        assert "演练完成" in page.locator("#said").inner_text()
        assert_all_chinese(page)
        page.click("#close-now")

        # The closure itself: the account is filled in again, the password is asked again (used once).
        assert page.input_value("#account") == account
        assert page.input_value("#secret-password") == ""
        assert not page.is_checked("#dry-run")
        page.fill("#secret-password", info.passwords[account])
        page.click("#start")
        page.locator("#code-box").wait_for(state="visible", timeout=RESULT_WAIT_MS)
        resend = page.locator("#code-resend").inner_text()
        assert re.search(r"\d+ 秒后", resend), resend  # the site's resend countdown, read off its page
        answer_code(page, re.search(r"\d{6}", page.locator("#code-practice").inner_text()).group(0))
        page.locator("#confirm-box").wait_for(state="visible", timeout=RESULT_WAIT_MS)
        confirm = page.locator("#confirm-box").inner_text()
        assert "示例贷" in confirm and "138****0001" in confirm and "不可撤销" in confirm
        assert_all_chinese(page)
        page.click("#confirm-yes")
        wait_result(page)
        application = page.locator("#application").inner_text()
        assert re.fullmatch(r"ZX\d+", application)
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", page.locator("#deadline").inner_text())
        assert "工作日" in page.locator("#deadline-text").inner_text()
        assert_all_chinese(page)

        with context.expect_page() as report_tab:
            page.click("#report-link")
        report = report_tab.value
        report.wait_for_load_state()
        assert application in report.content()
        report.close()

        page.click("#cases-link")
        row = page.locator("tr.case[data-site='demo-lender']")
        assert row.locator(".state").inner_text().startswith("审核中")
        assert row.locator(".application").inner_text() == application
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row.locator(".deadline").inner_text())
        assert row.locator(".next").inner_text().strip()
        assert row.get_by_role("link", name="查询进度").count() == 1  # the status-check button
        assert_all_chinese(page)
        row.get_by_role("link", name="证据").click()
        assert "证据完整" in page.locator("#verification").inner_text() or \
            page.locator("#verification.good").count() == 1
        assert_all_chinese(page)

        # Days later: the status check from the dashboard reads the site's state into the case.
        page.click("nav >> text=我的注销申请")
        row.get_by_role("link", name="查询进度").click()
        assert page.locator("h1").inner_text() == "查询 示例贷 的注销进度"
        assert page.input_value("#account") == account  # the case's account, not retyped
        page.fill("#secret-password", info.passwords[account])
        page.click("#start")
        wait_result(page)
        assert "审核中" in page.locator("#said").inner_text()
        assert_all_chinese(page)
        assert CSP_BLOCKED.pop(page) == []  # every page works under the strict policy (no inline script or style)
    finally:
        context.close()


def test_the_english_desktop_portal_from_the_page_in_english(browser, webapp, portals):
    portal = portals("desktop-lender")
    account = portal.info.accounts["clean"]
    password = portal.info.passwords[account]
    app = webapp(base_urls={"desktop-lender": portal.base_url})
    context, page = open_app(browser, app, "en-US")
    try:
        assert page.locator("h1").inner_text() == "Choose the site to close your account on"
        page.fill("#site-search", "northwind")
        page.click("text=Northwind Credit")
        page.fill("#account", account)
        page.fill("#secret-password", password)
        page.click("#start")  # the dry run
        answer_code(page, lambda: portal.client.latest_code(account))  # the e-mail code, as the person reads it
        wait_result(page)
        assert "Dry run finished" in page.locator("#said").inner_text()
        assert portal.client.state(account)["submissions"] == 0
        page.click("#close-now")
        page.fill("#secret-password", password)
        page.click("#start")
        answer_code(page, lambda: portal.client.latest_code(account))
        page.locator("#confirm-box").wait_for(state="visible", timeout=RESULT_WAIT_MS)
        assert "cannot be undone" in page.locator("#confirm-box").inner_text()
        page.click("#confirm-yes")
        wait_result(page)
        application = page.locator("#application").inner_text()
        assert application not in ("", "-")
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", page.locator("#deadline").inner_text())
        assert portal.client.state(account)["submissions"] == 1  # one request, never two
        assert page.locator("#report-link").get_attribute("href").endswith("/report.html")
        page.click("#cases-link")
        row = page.locator("tr.case[data-site='desktop-lender']")
        assert row.locator(".state").inner_text().startswith("pending review")
        assert row.locator(".application").inner_text() == application
    finally:
        context.close()


def test_declining_the_final_yes_submits_nothing(browser, webapp, demo_portal):
    app = webapp(base_urls={"demo-lender": demo_portal.base_url})
    context, page = open_app(browser, app, "en-US")
    try:
        account = start_on_demo(page, app, demo_portal, dry_run=False)
        answer_code(page, lambda: demo_portal.client.latest_code(account))
        page.locator("#confirm-box").wait_for(state="visible", timeout=RESULT_WAIT_MS)
        page.click("#confirm-no")
        wait_result(page)
        assert "You did not confirm the final submit; nothing was submitted." in page.locator("#said").inner_text()
        assert demo_portal.client.state(account)["submissions"] == 0
    finally:
        context.close()


def test_stop_at_the_code_box_keeps_a_partial_bundle_and_submits_nothing(browser, webapp, demo_portal):
    app = webapp(base_urls={"demo-lender": demo_portal.base_url})
    context, page = open_app(browser, app, "en-US")
    try:
        account = start_on_demo(page, app, demo_portal, dry_run=False)
        page.locator("#code-box").wait_for(state="visible", timeout=RESULT_WAIT_MS)
        page.click("#stop")
        wait_result(page)
        said = page.locator("#said").inner_text()
        assert "nothing was submitted" in said.lower() or "not sent" in said.lower() or "stopped" in said.lower(), said
        assert page.locator("#result-heading").inner_text() == "Stopped."
        assert demo_portal.client.state(account)["submissions"] == 0
        folders = list((app.evidence).iterdir())
        manifest = json.loads((folders[0] / "manifest.json").read_text("utf-8"))
        assert manifest["complete"] is False  # a partial bundle, kept
    finally:
        context.close()


# ---------------------------------------------------------------- security

def raw(app: RunningApp, path: str, *, method="GET", headers=None, data: bytes | None = None, cookie=True):
    """A request outside any browser (urllib follows no redirect here), with the session cookie or not."""
    from assistant.webapp.guard import COOKIE
    req = urllib.request.Request(app.base + path, method=method, data=data, headers=dict(headers or {}))
    if cookie:
        req.add_header("Cookie", f"{COOKIE}={app.app.guard.token}")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect())
    try:
        with opener.open(req, timeout=30) as resp:
            return resp.status, resp.read().decode("utf-8", "replace"), resp.headers
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace"), exc.headers


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_without_the_token_every_page_is_refused(webapp):
    app = webapp()
    for path in ("/", "/cases", "/sites/demo-lender", "/static/app.js", "/evidence/x/report.html"):
        status, body, _ = raw(app, path, cookie=False)
        assert status == 403, path
    status, _, _ = raw(app, "/?token=wrong", cookie=False)
    assert status == 403
    status, _, headers = raw(app, "/?token=" + app.app.guard.token, cookie=False)
    assert status == 303 and "HttpOnly" in headers["Set-Cookie"] and "SameSite=Strict" in headers["Set-Cookie"]
    status, body, headers = raw(app, "/")
    assert status == 200
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
    assert "Access-Control-Allow-Origin" not in headers
    assert "<script>" not in body and "onclick" not in body  # no inline script: the CSP would block it anyway


def test_a_foreign_host_header_is_refused_even_with_the_token(webapp):
    app = webapp()
    # A DNS-rebinding page resolves its own name to 127.0.0.1: the browser sends that name as the Host.
    for host in (f"attacker.example:{app.port}", "127.0.0.1", f"127.0.0.1:{app.port + 1}", f"localhost.evil:{app.port}"):
        status, _, _ = raw(app, "/", headers={"Host": host})
        assert status == 403, host
    assert raw(app, "/", headers={"Host": f"localhost:{app.port}"})[0] == 200


def test_a_cross_origin_post_is_refused(webapp):
    app = webapp()
    csrf = app.app.guard.csrf
    form = f"csrf={csrf}&account=13800000001&secret_password=x&dry_run=1".encode()
    kinds = {"Content-Type": "application/x-www-form-urlencoded"}
    evil = raw(app, "/sites/demo-lender/start", method="POST", data=form,
               headers={**kinds, "Origin": "http://attacker.example"})
    assert evil[0] == 403
    no_origin = raw(app, "/sites/demo-lender/start", method="POST", data=form, headers=kinds)
    assert no_origin[0] == 403
    cross_site = raw(app, "/sites/demo-lender/start", method="POST", data=form,
                     headers={**kinds, "Origin": app.base, "Sec-Fetch-Site": "cross-site"})
    assert cross_site[0] == 403
    no_csrf = raw(app, "/quit", method="POST", data=b"", headers={**kinds, "Origin": app.base})
    assert no_csrf[0] == 403
    assert not app.app.board.runs and not app.app.stopped.is_set()  # nothing started, nothing stopped
    ok = raw(app, "/sites/demo-lender/start", method="POST", data=b"csrf=" + csrf.encode() + b"&account=",
             headers={**kinds, "Origin": app.base})
    assert ok[0] == 400  # the same request from the app's own page is heard (and asks for the login)


def test_paths_outside_the_evidence_folder_are_not_served(webapp, tmp_path):
    app = webapp()
    bundle = app.evidence / "20260101T000000Z-demo-lender-0001-abc"
    (bundle / "steps").mkdir(parents=True)
    (bundle / "steps" / "001-open.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    secret = tmp_path / "secret.txt"
    secret.write_text("not evidence", "utf-8")
    (bundle / "steps" / "link.png").symlink_to(secret)
    (app.evidence / "linked-folder").symlink_to(tmp_path)
    status, _, headers = raw(app, f"/evidence/{bundle.name}/steps/001-open.png")
    assert status == 200 and headers["Content-Type"] == "image/png"
    assert headers["Content-Security-Policy"].startswith("sandbox")  # a bundle's file is shown, never run
    for path in (f"/evidence/{bundle.name}/../../secret.txt", f"/evidence/{bundle.name}/%2e%2e/%2e%2e/secret.txt",
                 f"/evidence/{bundle.name}/steps/link.png", "/evidence/linked-folder/secret.txt",
                 "/evidence/..%2F/secret.txt", f"/evidence/{bundle.name}//etc/passwd",
                 f"/evidence/{bundle.name}/steps/%2Fetc%2Fpasswd", "/evidence/%2e%2e/"):
        status, body, _ = raw(app, path)
        assert status == 404, path
        assert "not evidence" not in body


def test_the_canary_password_appears_in_no_response_log_or_file(browser, webapp, demo_portal, capfd):
    app = webapp(base_urls={"demo-lender": demo_portal.base_url})
    context, page = open_app(browser, app, "zh-CN")
    bodies = []

    def keep(response):
        try:
            bodies.append(response.body())
        except Exception:  # noqa: BLE001 - the event stream has no body to read once it is open
            pass
    page.on("response", keep)
    try:
        start_on_demo(page, app, demo_portal, dry_run=True, password=CANARY_PASSWORD)  # a wrong one: refused
        wait_result(page)
        assert "密码错误" in page.locator("#said").inner_text()
        bodies.append(page.content().encode())
        page.goto(app.base + "/cases")
        bodies.append(page.content().encode())
        run = next(iter(app.app.board.runs.values()))
        bodies.append(json.dumps(run.events, ensure_ascii=False).encode())
        page.goto(app.base + f"/sites/demo-lender?from={run.id}")
        bodies.append(page.content().encode())
    finally:
        context.close()
    app.stop()
    out, err = capfd.readouterr()
    assert bodies and all(CANARY_PASSWORD.encode() not in body for body in bodies)
    assert CANARY_PASSWORD not in out and CANARY_PASSWORD not in err
    files = [p for p in app.tmp.rglob("*") if p.is_file()]
    assert any(p.suffix == ".png" for p in files)
    for path in files:
        assert CANARY_PASSWORD.encode() not in path.read_bytes(), path


def test_the_command_prints_its_address_first_and_quits_from_the_page(tmp_path):
    import subprocess
    import sys

    from tests.conftest import ROOT
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "app", "--no-browser", "--lang", "en", "--db",
                             str(tmp_path / "cases.sqlite3"), "--evidence-dir", str(tmp_path / "evidence")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        url = proc.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/\?token=[\w-]{40,}", url), url
        base, token = url.split("/?token=")
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect())
        cookie = f"closure_assistant_session={token}"
        with opener.open(urllib.request.Request(base + "/cases", headers={"Cookie": cookie}), timeout=30) as resp:
            assert resp.status == 200
        from assistant.webapp.guard import Guard
        csrf = Guard(token=token).csrf
        quit_request = urllib.request.Request(base + "/quit", method="POST", data=f"csrf={csrf}".encode(),
                                              headers={"Cookie": cookie, "Origin": base,
                                                       "Content-Type": "application/x-www-form-urlencoded"})
        with opener.open(quit_request, timeout=30) as resp:
            assert resp.status == 200
        assert proc.wait(timeout=60) == 0
        assert "has stopped" in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_password_typed_on_the_form_is_never_sent_back(webapp):
    """A form sent back for a fix keeps the login and drops the password: it is never echoed to the page."""
    app = webapp()
    kinds = {"Content-Type": "application/x-www-form-urlencoded"}
    csrf = app.app.guard.csrf
    for account in ("", "not-a-phone"):
        form = f"csrf={csrf}&account={account}&secret_password={CANARY_PASSWORD}&dry_run=1&save=1".encode()
        status, body, _ = raw(app, "/sites/demo-lender/start", method="POST", data=form,
                              headers={**kinds, "Origin": app.base})
        assert status == 400 and 'id="problem"' in body, account
        assert CANARY_PASSWORD not in body
    assert not app.app.board.runs  # nothing ran, nothing was kept
    from assistant import credentials
    assert credentials.get_password("demo-lender", "13800000001") is None


def test_the_dashboard_marks_the_overdue_case_with_its_one_next_action(browser, webapp, monkeypatch):
    import datetime as dt

    from assistant.cases import store as c
    from tests.test_cases import pending_case
    app = webapp()
    utc = dt.timezone.utc
    with c.CaseStore(app.db) as store:
        pending_case(store, "13800000011", dt.datetime(2026, 1, 5, 2, 0, tzinfo=utc), "/elsewhere/old-run", "ZX11")
        pending_case(store, "13800000012", dt.datetime(2026, 1, 20, 2, 0, tzinfo=utc), "/elsewhere/new-run", "ZX12")
    monkeypatch.setenv(c.TODAY_ENV, "2026-01-27")  # the clock is injected, never slept
    context, page = open_app(browser, app, "zh-CN")
    try:
        page.goto(app.base + "/cases")
        late = page.locator("tr.case", has_text="138****0011")
        on_time = page.locator("tr.case", has_text="138****0012")
        assert late.locator(".overdue-mark").inner_text() == "逾期"
        assert "投诉" in late.locator(".next").inner_text()  # overdue: the next action is the complaint
        assert late.locator(".deadline").inner_text() == "2026-01-26"
        assert on_time.locator(".overdue-mark").count() == 0
        assert on_time.locator(".next").inner_text().strip()
        assert late.get_by_role("link", name="证据").count() == 0  # a folder outside the app's evidence root
        assert "13800000011" not in page.content()  # the account is masked on the page
    finally:
        context.close()


def test_the_language_switch_is_kept_from_page_to_page(browser, webapp):
    app = webapp()
    context, page = open_app(browser, app, "en-US")  # the browser's language first
    try:
        assert page.locator("h1").inner_text() == "Choose the site to close your account on"
        page.click("text=中文")
        assert page.locator("h1").inner_text() == "选择要注销的平台"
        page.click("text=我的注销申请")
        assert page.locator("h1").inner_text() == "我的注销申请"
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        assert CSP_BLOCKED.pop(page) == []
    finally:
        context.close()


def test_the_idle_timeout_waits_for_a_run_then_stops_the_app(browser, webapp, demo_portal):
    """A run waiting for its code keeps the app alive however long the person takes; once nothing runs and
    nothing is asked, the idle timeout stops it."""
    app = webapp(base_urls={"demo-lender": demo_portal.base_url}, idle_minutes=0.02)  # 1.2 s
    context, page = open_app(browser, app, "en-US")
    try:
        account = start_on_demo(page, app, demo_portal, dry_run=True)
        page.locator("#code-box").wait_for(state="visible", timeout=RESULT_WAIT_MS)
        # Many idle periods pass while the code box waits (the idle clock is looked at every 0.3 s).
        assert not app.app.stopped.wait(5)
        page.click("#stop")
        wait_result(page)
    finally:
        context.close()
    assert app.app.stopped.wait(30), "the idle timeout did not stop the app"
    app.thread.join(30)
    assert not app.thread.is_alive() and app.app.idle_stop
    assert demo_portal.client.state(account)["submissions"] == 0


def test_the_command_says_when_the_idle_timeout_stopped_it(tmp_path):
    import subprocess
    import sys

    from tests.conftest import ROOT
    proc = subprocess.run([sys.executable, "-m", "assistant", "app", "--no-browser", "--lang", "zh",
                           "--idle-minutes", "0.01", "--db", str(tmp_path / "cases.sqlite3"),
                           "--evidence-dir", str(tmp_path / "evidence")],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("http://127.0.0.1:")
    assert "0.01 分钟没有使用，注销助手已自动退出" in proc.stderr


def test_every_sentence_of_the_app_speaks_both_languages_in_plain_chinese():
    from assistant.webapp.words import APP
    from tests.test_zh_messages import english_leaks
    fields = re.compile(r"\{(\w+)")
    for key, entry in APP.items():
        assert entry.get("zh") and entry.get("en"), key
        assert set(fields.findall(entry["zh"])) == set(fields.findall(entry["en"])), key
        assert "哈希" not in entry["zh"] and "密钥环" not in entry["zh"] and "token" not in entry["zh"].lower(), key
        assert not re.search(r"[\u4e00-\u9fff）」”]:(?!//)|[^\w/]:[\u4e00-\u9fff]", entry["zh"]), \
            f"{key}: an ASCII colon inside Chinese text"
        assert not english_leaks(entry["zh"], []), key


def test_a_password_saved_from_the_page_goes_to_the_keyring_and_is_used_from_there(browser, webapp, demo_portal):
    from assistant import credentials
    app = webapp(base_urls={"demo-lender": demo_portal.base_url})
    account = demo_portal.info.accounts["clean"]
    password = demo_portal.info.passwords[account]
    context, page = open_app(browser, app, "en-US")
    try:
        page.goto(app.base + "/sites/demo-lender")
        page.fill("#account", account)
        page.fill("#secret-password", password)
        page.check("#save")
        page.click("#start")
        page.locator("#code-box").wait_for(state="visible", timeout=RESULT_WAIT_MS)  # signed in with it
        assert "saved in the system keyring" in page.locator("#said").inner_text()
        assert credentials.get_password("demo-lender", account) == password
        page.click("#stop")
        wait_result(page)

        page.goto(app.base + "/sites/demo-lender")
        page.fill("#account", account)
        page.check("#use-saved")
        assert page.is_disabled("#secret-password")  # nothing to type, nothing sent
        page.click("#start")
        page.locator("#code-box").wait_for(state="visible", timeout=RESULT_WAIT_MS)  # signed in with the saved one
        page.click("#stop")
        wait_result(page)
    finally:
        context.close()
        credentials.delete_password("demo-lender", account)
    assert demo_portal.client.state(account)["submissions"] == 0


def test_a_wrong_code_is_asked_again_in_the_same_box(browser, webapp, demo_portal):
    app = webapp(base_urls={"demo-lender": demo_portal.base_url})
    context, page = open_app(browser, app, "zh-CN")
    try:
        account = start_on_demo(page, app, demo_portal, dry_run=True)
        page.locator("#code-box").wait_for(state="visible", timeout=RESULT_WAIT_MS)
        page.fill("#code", "12 34!")  # not a code at all: said on the page, the question stays
        page.click("#send-code")
        page.locator("#code-problem").wait_for(state="visible", timeout=30_000)
        assert "不像验证码" in page.locator("#code-problem").inner_text()
        right = demo_portal.client.latest_code(account)
        answer_code(page, str((int(right) + 1) % 1_000_000).zfill(len(right)))  # a wrong one: the site refuses it
        page.locator("#code-box").wait_for(state="visible", timeout=RESULT_WAIT_MS)  # asked again
        assert "第 2 次" in page.locator("#code-prompt").inner_text()
        assert page.locator("#code-problem").is_hidden() and page.input_value("#code") == ""
        answer_code(page, lambda: demo_portal.client.latest_code(account))
        wait_result(page)
        assert "演练完成" in page.locator("#said").inner_text()
    finally:
        context.close()
    assert demo_portal.client.state(account)["submissions"] == 0


def test_quit_on_the_page_stops_the_app_and_its_practice_sites(browser, webapp):
    from assistant.profiles.registry import load_site
    app = webapp()
    practice = app.app.practice_portal(load_site("demo-lender")).base_url  # as the first run on it starts it
    assert urllib.request.build_opener(urllib.request.ProxyHandler({})).open(practice + "/", timeout=30)
    context, page = open_app(browser, app, "zh-CN")
    try:
        page.click("#quit")  # a form POST from the app's own page: its CSRF token and Origin are accepted
        assert "注销助手已退出" in page.locator("main").inner_text()
    finally:
        context.close()
    app.thread.join(60)
    assert not app.thread.is_alive() and app.app.stopped.is_set() and not app.app.idle_stop
    with pytest.raises(urllib.error.URLError):
        urllib.request.build_opener(urllib.request.ProxyHandler({})).open(practice + "/", timeout=10)


def test_a_practice_closure_of_an_earlier_start_is_never_read_from_a_new_practice_site(browser, webapp):
    """The practice site the app keeps is new with each start: it never saw the closure an earlier start
    recorded, and its "active" must not be taken for the site's word."""
    import datetime as dt

    from assistant.cases import store as c
    from assistant.portals import PORTALS
    from tests.test_cases import pending_case
    info = PORTALS["demo-lender"]
    account = info.accounts["clean"]
    app = webapp()
    with c.CaseStore(app.db) as store:
        pending_case(store, account, dt.datetime(2026, 1, 5, 2, 0, tzinfo=dt.timezone.utc), "/elsewhere/run", "ZX1")
    context, page = open_app(browser, app, "zh-CN")
    try:
        page.goto(app.base + "/cases")
        page.locator("tr.case[data-site='demo-lender']").get_by_role("link", name="查询进度").click()
        page.fill("#secret-password", info.passwords[account])
        page.click("#start")
        wait_result(page)
        said = page.locator("#said").inner_text()
        assert "练习站点每次启动都是全新的" in said and "--base-url" not in said
        assert_all_chinese(page)
    finally:
        context.close()
    with c.CaseStore(app.db) as store:
        case = store.case("demo-lender", account)
        assert case.state in ("pending_review", "overdue") and case.application_number == "ZX1"  # nothing erased (the dashboard found its deadline passed)
