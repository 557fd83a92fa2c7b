"""A lender without a profile: the person closes the account by hand, the tool is the witness.

On each bundled portal a person (a test script at the browser over a second Playwright connection,
tests/helpers/witness_person.py) logs in and clicks through to the closure while the real command
`closure-assistant witness --headless` records; they use the toolbar as a person would (mark the final
submit, mark screens, hide something, a note, finish) and answer its questions in the terminal. Then:
the bundle verifies, every step has its screenshot and HTML, the canary password and code are in no
file, the case is pending with its one deadline, and the profile draft written from the walk, once its
TODOs are filled in, closes a second account through `close`.
"""
from __future__ import annotations

import base64
import hashlib
import datetime as dt
import json
import re
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.cases.store import CaseStore
from assistant.deadlines import Deadline
from assistant.errors import ExitStatus
from assistant.evidence.verify import verify_bundle
from assistant.profiles.loader import load_profile
from assistant.profiles.registry import load_site
from assistant.recording.draft import todo_count
from tests.conftest import CANARY_CODE, CANARY_PASSWORD
from tests.helpers.witness_person import ScriptedPerson, free_port, outcome, start_witness
from tests.test_cli import cli
from tests.test_evidence_bundle import PIXELS_JS
from tests.test_zh_messages import english_leaks


@dataclass
class Walk:
    code: int
    out: str
    err: str
    tmp: Path
    account: str
    site: str
    dialogs: list
    seconds: float
    state: dict             # the portal's record of the account right after the walk
    base_url: str = ""

    @property
    def evidence(self) -> Path:
        folders = sorted((self.tmp / "ev").iterdir())
        assert len(folders) == 1, folders
        return folders[0]

    @property
    def manifest(self) -> dict:
        return json.loads((self.evidence / "manifest.json").read_text("utf-8"))

    @property
    def draft(self) -> Path:
        drafts = sorted((self.tmp / "drafts").glob("*.yaml"))
        assert len(drafts) == 1, drafts
        return drafts[0]

    def case(self):
        with CaseStore(self.tmp / "cases.sqlite3") as store:
            case = store.case(self.site, self.account)
            return case, store.last_run(case.id) if case else None


def witnessed(playwright, tmp: Path, args: list[str], answers: str, play, lang: str = "en"):
    """The real command with its evidence, cases and drafts under `tmp`, a scripted person playing `play`
    at its browser, and `answers` typed at its questions. Returns (exit status, stdout, stderr, person)."""
    port = free_port()
    proc = start_witness(port, [*args, "--evidence-dir", str(tmp / "ev"), "--db", str(tmp / "cases.sqlite3"),
                                "--output", str(tmp / "drafts"), "--lang", lang], answers)
    person = ScriptedPerson(playwright, port, proc)
    try:
        play(person)
        code, out, err = outcome(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
        person.close()
    return code, out, err, person


def walk(playwright, portal, tmp: Path, account: str, target: list[str], answers: str, story, lang: str = "en") -> Walk:
    portal.client.add_account(account, CANARY_PASSWORD)
    portal.client.set_next_code(account, CANARY_CODE)
    started = time.monotonic()
    code, out, err, person = witnessed(playwright, tmp, [*target, "--account", account], answers,
                                       lambda person: story(person, portal.client, account), lang)
    site = next(target[i + 1] for i, a in enumerate(target) if a == "--id") if "--id" in target else target[0]
    return Walk(code, out, err, tmp, account, site, person.dialogs, time.monotonic() - started,
                portal.client.state(account))


# ---------------------------------------------------------------- what the person does, portal by portal

def demo_story(person: ScriptedPerson, client, account: str) -> None:
    p = person.page
    p.get_by_label("手机号").fill(account)
    p.get_by_label("登录密码").fill(CANARY_PASSWORD)
    person.act(lambda: p.get_by_label("我已阅读并同意").check())
    person.act(lambda: p.get_by_role("button", name="登录", exact=True).click())
    for name in ("我的", "设置", "账号与安全"):
        person.act(lambda name=name: p.get_by_text(name, exact=True).click())
    person.act(lambda: p.get_by_role("link", name="注销账号").click())
    person.mark("retention")
    person.act(lambda: p.get_by_text("仍要注销").click())
    p.locator("#agreement").hover()
    person.act(lambda: p.mouse.wheel(0, 40_000))  # reads the agreement to its end
    person.mark("agreement")
    person.act(lambda: p.get_by_label("我已阅读并同意《账号注销协议》").check())
    person.act(lambda: p.get_by_role("button", name="下一步").click())
    p.get_by_text("注销条件检测通过").wait_for()
    person.act(lambda: p.get_by_role("button", name="下一步").click())
    person.act(lambda: p.get_by_label("不再需要借款").check())
    person.act(lambda: p.get_by_label("您是从哪里了解到我们的").select_option("应用商店"))
    person.act(lambda: p.get_by_role("button", name="下一步").click())
    person.act(lambda: p.get_by_role("button", name="获取验证码").click())
    p.get_by_text("重新发送").wait_for()
    person.hide(p.locator(".masked-phone"))  # their own phone number, half masked by the site
    p.get_by_placeholder("请输入短信验证码").fill(client.latest_code(account))
    person.act(lambda: p.get_by_role("button", name="下一步").click())
    person.note("到这一步用了五分钟")
    person.press("submit")
    person.act(lambda: p.get_by_role("button", name="确认注销").click())
    p.get_by_text("注销申请已提交").wait_for()
    person.mark("result")
    person.finish()


def desktop_story(person: ScriptedPerson, client, account: str) -> None:
    p = person.page
    p.get_by_label("Email address").fill(account)
    p.get_by_label("Password", exact=True).fill(CANARY_PASSWORD)
    person.act(lambda: p.get_by_role("button", name="Sign in", exact=True).click())
    person.act(lambda: p.get_by_role("button", name="Send code").click())
    p.get_by_label("Verification code").fill(client.latest_code(account))
    person.act(lambda: p.get_by_role("button", name="Verify", exact=True).click())
    person.act(lambda: p.get_by_title("Account menu").click())
    person.act(lambda: p.get_by_role("menuitem", name="Settings").click())
    person.act(lambda: p.get_by_role("navigation", name="Settings").get_by_role("link", name="Account", exact=True)
               .click())
    person.act(lambda: p.get_by_role("button", name="Danger zone").click())
    person.act(lambda: p.get_by_text("Close account", exact=True).click())
    person.mark("retention")
    person.act(lambda: p.get_by_role("link", name="Continue to close account").click())
    p.get_by_text("Your account can be closed").wait_for()
    person.act(lambda: p.get_by_role("button", name="Continue", exact=True).click())
    person.act(lambda: p.get_by_label("I no longer need a credit line").check())
    person.act(lambda: p.get_by_label("How satisfied were you with Northwind Credit?").select_option("Neutral"))
    p.get_by_label("Tell us more").fill("Moving to another bank.")
    person.act(lambda: p.get_by_role("button", name="Continue", exact=True).click())
    p.get_by_label("Type CLOSE to confirm").fill("CLOSE")
    person.act(lambda: p.get_by_role("button", name="Close my account").click())
    p.get_by_label("Current password").fill(CANARY_PASSWORD)
    person.press("submit")
    person.act(lambda: p.get_by_role("button", name="Confirm closure").click())
    p.get_by_text("We've received your request to close your account").wait_for()
    person.finish()


def wallet_story(person: ScriptedPerson, client, account: str) -> None:
    p = person.page
    p.get_by_label("手机号").fill(account)
    p.get_by_label("登录密码").fill(CANARY_PASSWORD)
    person.act(lambda: p.get_by_label("我已阅读并同意《随心花用户协议》《隐私政策》").check())
    person.act(lambda: p.get_by_role("button", name="登录", exact=True).click())
    before = person.steps()
    with p.context.expect_page() as opened:
        p.get_by_role("link", name="帮助中心").click()  # the help centre opens in a new tab
    person.use(opened.value)
    p = person.page
    person.wait_for_capture(before)
    person.act(lambda: p.get_by_role("button", name="账户与安全").click())
    person.act(lambda: p.get_by_role("link", name="如何注销随心花账户").click())
    person.act(lambda: p.get_by_text("在线申请注销", exact=True).click())
    service = p.frame_locator("iframe[title=注销服务]")  # the closure service lives in a frame
    service.get_by_role("region", name="随心花账户注销协议").hover()
    person.act(lambda: p.mouse.wheel(0, 40_000))
    person.mark("agreement")
    person.act(lambda: service.get_by_label("我已阅读并同意《随心花账户注销协议》").check())
    person.act(lambda: service.get_by_role("button", name="下一步").click())
    service.get_by_text("账户状态正常，可申请注销").wait_for()
    person.act(lambda: service.get_by_role("button", name="下一步").click())
    person.mark("retention")
    person.act(lambda: service.get_by_role("link", name="继续注销").click())
    # The slider captcha: the person looks at the gap and drags the piece into it.
    handle = service.get_by_role("slider", name="拖动滑块完成拼图")
    gap, piece, box = (service.locator("#gap").bounding_box(), service.locator("#piece").bounding_box(),
                       handle.bounding_box())
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    def drag():
        p.mouse.move(x, y)
        p.mouse.down()
        for i in range(1, 11):
            p.mouse.move(x + (gap["x"] - piece["x"]) * i / 10, y)
        p.mouse.up()
    person.act(drag)
    service.get_by_text("验证通过", exact=True).wait_for()
    person.act(lambda: service.get_by_role("button", name="获取验证码").click())  # the site says so in an alert
    service.get_by_role("button", name="秒后重发").wait_for()
    service.get_by_placeholder("请输入6位验证码").fill(client.latest_code(account))
    person.act(lambda: service.get_by_role("button", name="验证", exact=True).click())
    person.press("submit")
    person.act(lambda: service.get_by_role("button", name="提交注销申请").click())
    service.get_by_text("注销申请已受理").wait_for()
    person.mark("result")
    person.finish()


@dataclass
class Portal:
    name: str
    account: str
    second: str
    story: object
    target: object          # portal -> the command's arguments before the options
    todos: list             # (line pattern, replacement) for each TODO the draft has, in order
    submit_path: str
    marked: dict            # screen -> a phrase its kept text must hold


PORTALS = {
    "demo-lender": Portal(
        "demo-lender", "13900000361", "13900000362", demo_story,
        lambda portal: [portal.base_url + "/login", "--mobile", "--site-name", "示例贷", "--id", "demo-witnessed"],
        [], "/api/close/submit", {"retention": "仍要注销", "agreement": "账号注销协议", "result": "注销申请已提交"}),
    "desktop-lender": Portal(
        "desktop-lender", "dana.witness@example.com", "eli.witness@example.com", desktop_story,
        lambda portal: ["desktop-lender", "--base-url", portal.base_url],
        [(r"value: TODO.*", "value: No longer needed."), (r"value: TODO.*", "value: CLOSE")],
        "/api/account/close", {"retention": "Continue to close account"}),
    "wallet-lender": Portal(
        "wallet-lender", "13900000363", "13900000364", wallet_story,
        lambda portal: [portal.base_url + "/login", "--site-name", "随心花", "--id", "wallet-witnessed"],
        [(r"instructions: .*", "instructions: {zh: 按住滑块拖到缺口处, en: drag the slider into the gap}"),
         (r"done_when: .*", "done_when: {text: 验证通过, exact: true, frame: 'iframe[title=\"注销服务\"]'}")],
        "/api/service/close/submit", {"agreement": "随心花账户注销协议", "retention": "继续注销", "result": "注销申请已受理"}),
}
SITE_OF = {"demo-lender": "demo-witnessed", "desktop-lender": "desktop-lender", "wallet-lender": "wallet-witnessed"}
LANG = {"demo-lender": "en", "desktop-lender": "en", "wallet-lender": "zh"}  # one walk in Chinese, all of it


@pytest.fixture(scope="module")
def walks(playwright, portals, tmp_path_factory):
    done: dict[str, Walk] = {}

    def get(name: str) -> Walk:
        if name not in done:
            spec = PORTALS[name]
            portal = portals(name)
            done[name] = walk(playwright, portal, tmp_path_factory.mktemp(name), spec.account, spec.target(portal),
                              "1\n\n", spec.story, lang=LANG[name])
            done[name].site, done[name].base_url = SITE_OF[name], portal.base_url
        return done[name]
    return get


NAMES = list(PORTALS)


@pytest.mark.parametrize("name", NAMES)
def test_a_person_closes_by_hand_and_the_request_is_recorded(name, walks):
    w = walks(name)
    print(f"\n{name}: witnessed in {w.seconds:.1f} s")
    assert w.code == 0, w.out + w.err
    state = w.state
    assert state["submissions"] == 1 and state["status"] == "pending_review"
    manifest = w.manifest
    assert manifest["flow"] == "witness" and manifest["performed_by"] == "person"
    request = next(e for e in manifest["entries"] if e["kind"] == "submit_request")
    assert request["method"] == "POST" and request["request_url"].endswith(PORTALS[name].submit_path)
    assert request["response_status"] == 200 and request["state"] == "accepted"
    assert manifest["result"]["outcome"] == "submitted" and manifest["result"]["state"] == "pending"
    assert manifest["result"]["captures"]["application_number"] == state["application_no"]
    # the same summary as close: the request, the application number, the deadline, the evidence
    if LANG[name] == "zh":
        assert "平台已受理" in w.out and f"申请编号：{state['application_no']}" in w.out and "平台应在" in w.out
        assert "证据校验值" in w.out and manifest["final_hash"] in w.out
        leaks = english_leaks(w.out + w.err, [w.base_url, str(w.tmp), w.site, w.account])
        assert not leaks, f"English under --lang zh: {leaks}\n{w.out}{w.err}"
        return
    assert "Closure request: accepted by the site" in w.out
    assert f"Application number: {state['application_no']}" in w.out and "should finish by" in w.out
    assert "Evidence fingerprint" in w.out and manifest["final_hash"] in w.out


@pytest.mark.parametrize("name", NAMES)
def test_the_bundle_verifies_and_every_step_has_its_screenshot_and_html(name, walks):
    w = walks(name)
    checked = verify_bundle(w.evidence)
    assert checked.status == ExitStatus.OK and checked.report_checked, checked.findings
    entries = w.manifest["entries"]
    shots = {e["index"]: e for e in entries if e["kind"] == "screenshot"}
    pages = {e["index"]: e for e in entries if e["kind"] == "html"}
    assert len(shots) >= 15 and set(shots) == set(pages) == set(range(1, len(shots) + 1))
    assert not [e for e in entries if e["kind"] == "step"], "a step without a screenshot"
    assert all(e["performed_by"] == "person" for e in shots.values())
    assert any(e["action"] == "submit" for e in shots.values())
    clicked = [e["step"] for e in shots.values() if e["action"] == "click"]
    assert clicked and all(re.match(r"点击「.+」 / click \".+\"", s) for s in clicked), clicked
    texts = {e["label"]: (w.evidence / e["file"]).read_text("utf-8") for e in entries if e["kind"] == "text"}
    for screen, phrase in PORTALS[name].marked.items():
        assert phrase in texts[f"screen_{screen}"], screen
    assert [e for e in entries if e["kind"] == "field_filled" and e["field"] == "password"]
    proc = cli("evidence", "verify", str(w.evidence), "--lang", "en")
    assert proc.returncode == 0 and "Evidence intact" in proc.stdout, proc.stdout + proc.stderr


@pytest.mark.parametrize("name", NAMES)
def test_the_canary_password_and_code_are_in_no_file(name, walks):
    w = walks(name)
    for path in w.tmp.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in (CANARY_PASSWORD, CANARY_CODE):
                assert secret.encode() not in data, f"{secret} in {path}"
    for secret in (CANARY_PASSWORD, CANARY_CODE):
        assert secret not in w.out + w.err
    assert w.account not in w.draft.read_text("utf-8")  # the draft is for strangers


@pytest.mark.parametrize("name", NAMES)
def test_the_case_is_pending_with_its_one_deadline(name, walks):
    w = walks(name)
    case, run = w.case()
    result = w.manifest["result"]
    assert case.state == "pending_review" and case.application_number == w.state["application_no"]
    assert case.deadline_info == Deadline.from_dict(result["deadline"])  # the run's, the report's and the case's
    assert case.submitted_at == dt.datetime.fromisoformat(result["submitted_at"]["time_utc"].replace("Z", "+00:00")) \
        .replace(microsecond=0)
    assert run.flow == "witness" and run.outcome == "submitted" and str(w.evidence) == run.evidence_dir


@pytest.mark.parametrize("name", NAMES)
def test_the_draft_validates_and_once_filled_in_closes_a_second_account(name, walks, portals, run_close, tmp_path):
    w = walks(name)
    spec = PORTALS[name]
    text = w.draft.read_text("utf-8")
    assert f"by hand on {w.base_url}." in text.splitlines()[1]  # where the walk was, a known site's too
    device = load_profile(w.draft).device  # the browser the walk was seen in: a known site's own, else the layout chosen
    if name == "desktop-lender":
        assert device == load_site("desktop-lender").device
    else:
        assert device.mobile == (name == "demo-lender") and device.locale == "zh-CN"
    todos = todo_count(text)
    print(f"\n{name}: the draft has {todos} TODO(s)")
    assert todos == len(spec.todos)
    lines, fills = text.splitlines(), list(spec.todos)
    for i, line in enumerate(lines):
        if line.rstrip().endswith("# TODO"):
            pattern, replacement = fills.pop(0)
            lines[i] = re.sub(pattern, replacement, line)
    filled = tmp_path / w.draft.name
    filled.write_text("\n".join(lines) + "\n", "utf-8")
    portal = portals(name)
    portal.client.add_account(spec.second, CANARY_PASSWORD)
    record = run_close(portal, spec.second, password=CANARY_PASSWORD, profile=load_profile(filled))
    assert record.result.error is None, record.result.error
    assert record.result.outcome == "submitted" and record.result.state == "pending"
    assert portal.client.state(spec.second)["submissions"] == 1


# ---------------------------------------------------------------- giving up half way

def gives_up_on_the_me_page(person: ScriptedPerson, client, account: str) -> None:
    p = person.page
    p.get_by_label("手机号").fill(account)
    p.get_by_label("登录密码").fill(CANARY_PASSWORD)
    person.act(lambda: p.get_by_label("我已阅读并同意").check())
    person.act(lambda: p.get_by_role("button", name="登录", exact=True).click())
    person.act(lambda: p.get_by_text("我的", exact=True).click())
    person.finish()


def test_a_person_who_gives_up_gets_a_partial_bundle_and_a_case_that_needs_them(playwright, demo_portal, tmp_path):
    account = "13900000365"
    w = walk(playwright, demo_portal, tmp_path, account,
             [demo_portal.base_url + "/login", "--mobile", "--id", "demo-witnessed"], "4\n找不到注销入口\n",
             gives_up_on_the_me_page, lang="zh")
    w.site = "demo-witnessed"
    output = w.out + w.err
    assert w.code == ExitStatus.NEEDS_USER, output
    assert w.state["submissions"] == 0
    checked = verify_bundle(w.evidence)
    assert checked.status == ExitStatus.EVIDENCE_PARTIAL and not checked.findings
    last = w.manifest["entries"][-1]
    assert last["kind"] == "stopped" and last["url"].endswith("/me") and last["note"] == "找不到注销入口"
    case, run = w.case()
    assert case.state == "needs_you" and case.reason == "witness_gave_up"
    assert run.outcome == "stopped" and run.detail.endswith("/me")  # the last page reached
    assert f"{demo_portal.base_url}/me" in w.out
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert CANARY_PASSWORD.encode() not in path.read_bytes(), path
    # said in Chinese, all of it (URLs, paths and commands aside)
    leaks = english_leaks(output, [demo_portal.base_url, str(tmp_path), "demo-witnessed"])
    assert not leaks, f"English under --lang zh: {leaks}\n{output}"
    proc = cli("cases", "--db", str(tmp_path / "cases.sqlite3"), "--lang", "zh")
    assert "亲手注销时中途停下" in proc.stdout or "亲手注销" in proc.stdout, proc.stdout


# ---------------------------------------------------------------- the toolbar, dialogs, downloads, new tabs

STATEMENT = b"%PDF-1.4\n% a settlement certificate, as a lender sends it\n" + bytes(range(256)) * 40
ID_NUMBER = "110101199003071234"


@pytest.fixture
def small_site():
    """A lender-like page with what the portals lack: a download, a link to a new tab, the person's ID
    number on screen, and a page script that notes every event it hears."""
    import threading

    from flask import Flask, Response
    from werkzeug.serving import make_server
    app = Flask(__name__)
    hits: list[str] = []

    @app.before_request
    def count():
        from flask import request
        hits.append(request.path)

    @app.get("/")
    def home():
        return f"""<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>我的账户</title></head><body>
<h1>我的账户</h1><p>身份证号：<span id="idno">{ID_NUMBER}</span></p>
<button id="save" onclick="alert('设置已保存')">保存设置</button>
<p><a href="/statement.pdf" download>下载结清证明</a></p>
<p><a href="/help" target="_blank">帮助中心</a></p>
<script>window.__heard = [];
for (const type of ['click', 'keydown', 'input', 'pointerdown', 'focusin'])
  window.addEventListener(type, (e) => window.__heard.push(type), true);</script></body></html>"""

    @app.get("/statement.pdf")
    def statement():
        return Response(STATEMENT, mimetype="application/pdf",
                        headers={"Content-Disposition": "attachment; filename*=UTF-8''%E7%BB%93%E6%B8%85%E8%AF%81%E6%98%8E.pdf"})

    @app.get("/verify")
    def verify():
        # Like a React site, it writes what is typed back into each input's value attribute: the HTML
        # would carry the password and the code unless the tool scrubs them.
        return """<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>身份验证</title></head><body>
<h1>身份验证</h1>
<p><label>登录密码 <input type="password" id="pw" oninput="this.setAttribute('value', this.value)"></label></p>
<p><label>请输入收到的数字 <input id="otp" autocomplete="one-time-code" inputmode="numeric"
   oninput="this.setAttribute('value', this.value)"></label></p>
<p><button type="button" onclick="document.getElementById('said').textContent = '已核对'">核对</button>
<span id="said"></span></p></body></html>"""

    @app.get("/help")
    def help_page():
        return "<!doctype html><html><head><meta charset='utf-8'><title>帮助</title></head><body><h1>帮助中心</h1></body></html>"

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()


def test_the_toolbar_is_the_persons_alone_and_dialogs_downloads_and_tabs_are_recorded(playwright, small_site, tmp_path):
    base, hits = small_site
    heard: dict = {}

    def story(person: ScriptedPerson) -> None:
        p = person.page
        person.wait_for_capture(0)
        before = p.evaluate("() => window.__heard.length")
        person.note("这是我自己的备注")        # clicks and keys on the toolbar
        person.press("mark")
        person.press("mark")                    # opens and closes its menu
        heard["toolbar"] = p.evaluate("() => window.__heard.length") - before
        person.act(lambda: p.get_by_role("button", name="保存设置").click())   # the site's alert, answered by the person
        person.hide(p.locator("#idno"))
        with p.expect_download():
            person.act(lambda: p.get_by_role("link", name="下载结清证明").click())
        before = person.steps()
        with p.context.expect_page() as tab:
            p.get_by_role("link", name="帮助中心").click()
        person.use(tab.value)
        person.wait_for_capture(before)
        person.finish()

    code, out, err, person = witnessed(playwright, tmp_path, [base + "/", "--id", "small-lender", "--account",
                                                              "13900000366"], "2\n\n", story)
    assert code == 0, out + err
    assert heard["toolbar"] == 0, "the page heard the person use the toolbar"
    assert person.dialogs == [("alert", "设置已保存")]
    bundle = next((tmp_path / "ev").iterdir())
    assert verify_bundle(bundle).status == ExitStatus.OK
    entries = json.loads((bundle / "manifest.json").read_text("utf-8"))["entries"]
    dialog = next(e for e in entries if e["kind"] == "dialog")
    assert dialog["dialog"] == "alert" and dialog["action"] == "person"
    assert (bundle / dialog["file"]).read_text("utf-8") == "设置已保存"
    download = next(e for e in entries if e["kind"] == "download")
    assert download["name"] == "结清证明.pdf" and download["download_bytes"] == len(STATEMENT)
    assert download["download_sha256"] == hashlib.sha256(STATEMENT).hexdigest() == download["sha256"]
    assert (bundle / download["file"]).read_bytes() == STATEMENT
    assert hits.count("/statement.pdf") == 1 and hits.count("/") == 1  # the tool fetched nothing itself
    hidden_at = next(e["index"] for e in entries if e["kind"] == "screenshot" and e["action"] == "sensitive")
    later = [e for e in entries if e["kind"] == "html" and e["index"] >= hidden_at]
    assert later and all(ID_NUMBER not in (bundle / e["file"]).read_text("utf-8") for e in later)
    tab = next(e for e in entries if e["kind"] == "screenshot" and e["action"] == "new_tab")
    assert tab["url"] == base + "/help"
    assert next(e for e in entries if e["kind"] == "person_note")["note"] == "这是我自己的备注"
    assert next(e for e in entries if e["kind"] == "origins")["origins"] == [base]
    result = json.loads((bundle / "manifest.json").read_text("utf-8"))["result"]
    assert result["outcome"] == "closed" and result["submit"] is None  # no final submit was marked
    assert "The final submit was not marked" in err


def test_password_and_code_fields_are_blacked_out_and_scrubbed(playwright, small_site, tmp_path, page):
    """The person types the canary password and code on a page that reflects them into its HTML, then
    clicks a button that leaves them on screen: the step's screenshot shows both fields black, and the
    canaries are in no file (the code field is known only by autocomplete=one-time-code)."""
    base, _hits = small_site
    boxes: dict = {}

    def box_on_page(p, css: str) -> dict:
        box = p.locator(css).bounding_box()
        scroll = p.evaluate("() => [window.scrollX, window.scrollY]")
        return {"x": round(box["x"] + scroll[0]), "y": round(box["y"] + scroll[1]),
                "width": round(box["width"]), "height": round(box["height"])}

    def story(person: ScriptedPerson) -> None:
        p = person.page
        person.wait_for_capture(0)
        p.locator("#pw").fill(CANARY_PASSWORD)
        p.locator("#otp").fill(CANARY_CODE)
        person.act(lambda: p.get_by_role("button", name="核对").click())
        boxes.update(pw=box_on_page(p, "#pw"), otp=box_on_page(p, "#otp"))
        assert CANARY_CODE in p.content()  # the site really reflects it
        person.finish()

    code, out, err, _person = witnessed(playwright, tmp_path, [base + "/verify", "--id", "small-lender", "--account",
                                                               "13900000367"], "4\n\n", story)
    assert code == ExitStatus.NEEDS_USER, out + err
    bundle = next((tmp_path / "ev").iterdir())
    entries = json.loads((bundle / "manifest.json").read_text("utf-8"))["entries"]
    shot = next(e for e in entries if e["kind"] == "screenshot" and e["action"] == "click")
    assert "核对" in shot["step"]
    filled = [e["field"] for e in entries if e["kind"] == "field_filled"]
    assert filled == ["password", "code"], filled
    src = "data:image/png;base64," + base64.b64encode((bundle / shot["file"]).read_bytes()).decode()
    for name, box in boxes.items():
        pixels = page.evaluate(PIXELS_JS, [src, box])
        assert pixels["total"] > 100 and pixels["black"] == pixels["total"], f"the {name} field is not blacked out"
        assert pixels["pageShare"] < 0.5  # the rest of the page is still readable
    html = next(e for e in entries if e["kind"] == "html" and e["index"] == shot["index"])
    assert 'id="otp"' in (bundle / html["file"]).read_text("utf-8")  # the page is there, its values are not
    for path in tmp_path.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for canary in (CANARY_PASSWORD, CANARY_CODE):
                assert canary.encode() not in data and base64.b64encode(canary.encode()) not in data, (canary, path)
    assert CANARY_PASSWORD not in out + err and CANARY_CODE not in out + err


def test_a_refusal_told_after_closing_the_window_blocks_the_case_with_the_sites_words(playwright, small_site, tmp_path):
    """The person reads the site's refusal, closes the window instead of Finish, and says it was refused."""
    base, _hits = small_site

    def story(person: ScriptedPerson) -> None:
        person.act(lambda: person.page.get_by_role("button", name="保存设置").click())
        person.page.close()  # the window, not the toolbar's Finish

    code, out, err, _person = witnessed(playwright, tmp_path, [base + "/", "--id", "small-lender", "--account",
                                                               "13900000368"], "3\n存在未结清的借款\n", story)
    assert code == ExitStatus.BLOCKED_BY_SITE, out + err
    assert "The browser was closed" in err and "存在未结清的借款" in out
    bundle = next((tmp_path / "ev").iterdir())
    assert verify_bundle(bundle).status == ExitStatus.OK  # a refusal is a complete record, not a partial one
    result = json.loads((bundle / "manifest.json").read_text("utf-8"))["result"]
    assert result["outcome"] == "blocked" and result["state"] == "rejected"
    with CaseStore(tmp_path / "cases.sqlite3") as store:
        case = store.case("small-lender", "13900000368")
        assert case.state == "denied" and case.reason == "存在未结清的借款"
        assert store.last_run(case.id).outcome == "blocked"


def test_ctrl_c_keeps_a_partial_bundle_and_a_case_that_needs_the_person(playwright, small_site, tmp_path):
    base, _hits = small_site

    def story(person: ScriptedPerson) -> None:
        person.wait_for_capture(0)
        person.act(lambda: person.page.get_by_role("button", name="保存设置").click())
        person.proc.send_signal(signal.SIGINT)  # Ctrl-C in the terminal, half way

    code, out, err, _person = witnessed(playwright, tmp_path, [base + "/", "--id", "small-lender", "--account",
                                                               "13900000369"], "", story)
    assert code == 130, out + err
    bundle = next((tmp_path / "ev").iterdir())
    checked = verify_bundle(bundle)
    assert checked.status == ExitStatus.EVIDENCE_PARTIAL and not checked.findings
    entries = json.loads((bundle / "manifest.json").read_text("utf-8"))["entries"]
    assert [e["kind"] for e in entries if e["kind"] == "screenshot"] == ["screenshot", "screenshot"]
    assert entries[-1]["kind"] == "stopped" and entries[-1]["how"] == "interrupted"
    with CaseStore(tmp_path / "cases.sqlite3") as store:
        case = store.case("small-lender", "13900000369")
        assert case.state == "needs_you" and store.last_run(case.id).outcome == "stopped"
    assert not list((tmp_path / "drafts").glob("*.yaml"))  # a walk cut short is no profile
