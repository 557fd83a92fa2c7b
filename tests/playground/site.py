"""The step-vocabulary playground: a tiny lender-like site for tests only (never in the portal registry).

It holds what the demo lender does not: widgets for every step type (select, radio, press, page and
box scrolling, waits, frames, new tabs, dialogs, a face check), a verification page whose error
message stays on screen while the next answer is on its way, and hostile pages (a password field in
a frame from another origin, a redirect and a link out of the site).

The irreversible request (issue 13) has its own knobs, set on an account by the test: `submit_fault`
(502_before, 502_after, timeout, session_expired), a code lock already on the page, and the verification
patterns: the code checked by the final submit (/tour/verify-at-submit), automatic send with a resend
countdown (/tour/verify-auto) and an authenticator app (/tour/verify-totp). Every request that reaches
a closure endpoint is counted (`close_requests`); `submissions` counts only the ones the site processed.
A second request while one is pending is refused, as real sites do.

Two servers: the site on 127.0.0.1, and a "foreign" one on 127.0.0.2 (a different origin no profile
declares; "localhost" where 127.0.0.2 cannot be bound) that only logs what reaches it.
"""
from __future__ import annotations

import hashlib
import hmac
import html
import json
import secrets
import struct
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PASSWORD = "pg-Secret-41"
ACCOUNTS = {  # account → what the site does with it
    "clean": "13900000001",     # closure request goes to review (pending)
    "blocked": "13900000002",   # unpaid loan: the closure check refuses
    "instant": "13900000003",   # closed at once
    "failing": "13900000004",   # the submit fails on the site's side
    "closed": "13900000005",    # already closed: the login page says so
}
CODE_ANSWER_DELAY_S = 0.3  # the site's answer to a code arrives after the old message was read
LOCK_AFTER_WRONG = 3
ID_NUMBER = "110101199003071234"
HANG_LIMIT_S = 15          # a "timeout" fault holds the answer at most this long (the test releases it)
TOTP_SECRET = b"playground-authenticator-key"
LOCK_MESSAGE = "验证码错误次数过多，请于 06:38 后再试"


def totp(at: float, period: int, secret: bytes = TOTP_SECRET) -> str:
    """RFC 6238 (HMAC-SHA1, 6 digits): what an authenticator app shows at `at`."""
    digest = hmac.new(secret, struct.pack(">Q", int(at // period)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


@dataclass
class Account:
    password: str = PASSWORD
    status: str = "active"          # active | pending | closed
    unpaid: bool = False
    outcome: str = "pending"        # what a submit does: pending | closed | failed
    code: str | None = None
    code_expired: bool = False
    codes_sent: int = 0
    wrong_codes: int = 0
    code_ok: bool = False
    face_passed: bool = False
    notice_read: bool = False
    submissions: int = 0            # closure requests the site processed
    close_requests: int = 0         # every request that reached a closure endpoint
    submit_fault: str | None = None  # 502_before | 502_after | timeout | session_expired (the next submit only)
    locked: bool = False            # the code check is locked: the pages say so before anything is typed
    code_sent_at: float | None = None
    used_totp: set = field(default_factory=set)
    totp_refuse_first: bool = False  # the first right authenticator code is used up and answered "wrong"
    double_post: bool = False       # the page sends the closure request twice on one click
    application_no: str = ""
    settings: dict = field(default_factory=dict)
    note: str = ""
    note_option: str = ""


class PlaygroundState:
    def __init__(self):
        self.lock = threading.Lock()
        self.accounts: dict[str, Account] = {}
        self.foreign_log: list[dict] = []   # everything the foreign origin received
        self.downloads: list[str] = []      # the documents the site handed out
        self.login_posts: list[dict] = []   # every login form the site received
        self.release = threading.Event()    # ends a "timeout" fault's hang
        self.expired: set = set()           # accounts whose session the site ended
        self.expire_on_path: str | None = None  # every visit to this path ends the session (logged out again)
        self.resend_cooldown_s = 3
        self.totp_period_s = 10
        self.countdown_held = False  # the page's resend countdown stays at its last second while True
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.accounts = {
                ACCOUNTS["clean"]: Account(),
                ACCOUNTS["blocked"]: Account(unpaid=True),
                ACCOUNTS["instant"]: Account(outcome="closed"),
                ACCOUNTS["failing"]: Account(outcome="failed"),
                ACCOUNTS["closed"]: Account(status="closed"),
            }
            self.foreign_log.clear()
            self.downloads.clear()
            self.login_posts.clear()
            self.release.set()  # a hang left over from the last test ends now
            self.release = threading.Event()
            self.expired.clear()
            self.expire_on_path = None
            self.resend_cooldown_s, self.totp_period_s = 3, 10
            self.countdown_held = False

    def account(self, phone: str) -> Account:
        return self.accounts[phone]

    def add_account(self, phone: str, password: str) -> Account:
        self.accounts[phone] = Account(password=password)
        return self.accounts[phone]


# ---------------------------------------------------------------- pages

CSS = """
body{font-family:sans-serif;margin:0;padding:12px;max-width:480px}
.ad-mask{position:fixed;inset:0;background:rgba(0,0,0,.6);display:flex;align-items:center;justify-content:center;z-index:9}
.ad-card{background:#fff;padding:20px}
#terms{height:80px;overflow:auto;border:1px solid #999}
.spacer{height:600px}
.status-bar{position:fixed;bottom:0;left:0;right:0;background:#eef;font-size:12px}
.error{color:#c00}
.hidden{display:none}
"""


# What /tour/documents offers: a small PDF, and a 2 MB archive (too large for a step capped at 1 MB).
DOCUMENTS = {
    "/tour/receipt.pdf": ("receipt.pdf", "application/pdf", b"%PDF-1.4\n% playground receipt\n%%EOF\n"),
    "/tour/archive.zip": ("archive.zip", "application/zip", b"PK\x05\x06" + b"\0" * (2 * 1024 * 1024)),
}


def page(title: str, body: str, script: str = "") -> str:
    return (f"<!doctype html><html lang=zh-CN><head><meta charset=utf-8><title>{html.escape(title)}</title>"
            f"<meta name=viewport content='width=device-width'><style>{CSS}</style></head>"
            f"<body>{body}<script>{script}</script></body></html>")


def login_page(error: str = "", extra: str = "") -> str:
    return page("登录", f"""
<h1>游乐场贷 登录</h1>
<form method=post action=/login>
  <label>账号 <input name=account placeholder=请输入手机号></label><br>
  <label>密码 <input name=password type=password placeholder=请输入密码></label><br>
  <label><input type=checkbox name=agree value=1> 我已阅读并同意《用户协议》</label><br>
  <button>登录</button>
</form>
<p class=error role=alert>{html.escape(error)}</p>{extra}""")


HOME = page("首页", """
<h1>欢迎回来</h1>
<nav><a href=/settings>账户设置</a> · <a href=/status>注销进度</a> · <a href=/tour/check>注销账号</a></nav>""")


SETTINGS_JS = """
document.getElementById('close-ad').onclick = () => document.querySelector('.ad-mask').remove();
document.getElementById('ack').onclick = () => document.getElementById('notice').remove();
const reason = document.getElementById('reason');
reason.onchange = () => document.getElementById('reason-shown').textContent = '已选择：' + reason.value;
document.querySelectorAll('input[name=mode]').forEach(r => r.onchange = () =>
  document.getElementById('mode-shown').textContent = '方式：' + r.parentElement.textContent.trim());
document.getElementById('search').addEventListener('keydown', e => {
  if (e.key !== 'Enter') return;
  e.preventDefault();  // a search box, not a form submission
  document.getElementById('search-result').textContent = '搜索结果：' + e.target.value; });
document.addEventListener('keydown', e => {
  if (e.key === 'Escape') document.getElementById('help').classList.add('hidden'); });
setTimeout(() => document.getElementById('loading').remove(), 200);
document.querySelectorAll('.plans button').forEach(b => b.onclick = () =>
  document.getElementById('plan-shown').textContent = '已选择' + b.closest('li').querySelector('h3').textContent);
// The agreement grows twice as the reader nears its end; the tick box unlocks only at the real end.
const terms = document.getElementById('terms');
let more = 2;
terms.addEventListener('scroll', () => {
  if (terms.scrollTop + terms.clientHeight < terms.scrollHeight - 2) return;
  if (more > 0) { more--; const p = document.createElement('p');
    p.textContent = '第' + (3 - more) + '部分补充条款。'.repeat(20); terms.appendChild(p); return; }
  document.getElementById('read-terms').disabled = false; });
new IntersectionObserver(es => { if (es.some(e => e.isIntersecting))
  document.getElementById('mid-seen').textContent = '已读到中部说明'; }).observe(document.getElementById('middle'));
new IntersectionObserver(es => { if (es.some(e => e.isIntersecting))
  document.getElementById('footer').textContent = '已到底部'; }).observe(document.getElementById('footer'));
"""


def settings_page() -> str:
    terms = "".join(f"<p>第{i}条 注销后账号不可恢复，相关数据按法律规定保存。</p>" for i in range(1, 6))
    return page("账户设置", f"""
<div class=ad-mask><div class=ad-card>限时福利：免息券<button id=close-ad>关闭广告</button></div></div>
<div id=notice>系统公告：本周六维护 <button id=ack>我知道了</button></div>
<div id=help>帮助面板（按 Esc 关闭）</div>
<div id=loading>加载中</div>
<form method=post action=/settings>
  <label>注销原因类型 <select id=reason name=reason><option>请选择</option><option>不再使用</option>
    <option>利率太高</option><option>其他</option></select></label>
  <p id=reason-shown></p>
  <fieldset><legend>注销方式</legend>
    <label><input type=radio name=mode value=now> 立即注销</label>
    <label><input type=radio name=mode value=contract_end> 到期后自动注销</label></fieldset>
  <p id=mode-shown></p>
  <textarea name=detail aria-label=补充说明></textarea>
  <div id=terms aria-label=注销须知>{terms}</div>
  <label><input type=checkbox id=read-terms name=read_terms value=1 disabled> 我已阅读注销须知</label>
  <ul class=plans>
    <li><h3>方案A</h3><button type=button>选择</button></li>
    <li><h3>方案B</h3><button type=button>选择</button></li>
  </ul>
  <p id=plan-shown></p>
  <input id=search placeholder=搜索帮助>
  <p id=search-result></p>
  <div class=spacer></div>
  <p id=middle>页面中部的说明</p>
  <div class=spacer></div>
  <p id=footer>加载更多…</p>
  <button>保存设置</button>
</form>
<div class=status-bar><span id=mid-seen></span></div>""", SETTINGS_JS)


DIALOGS_JS = """
document.getElementById('go-on').onclick = () => {
  if (confirm('确定继续注销吗？')) document.getElementById('said').textContent = '已确认继续'; };
document.getElementById('retain').onclick = () => {
  if (confirm('领取 50 元优惠券并留下吗？')) { location.href = '/home'; return; }
  document.getElementById('said2').textContent = '已拒绝优惠券'; };
document.getElementById('explain').onclick = () => {
  alert('注销后数据不可恢复'); document.getElementById('said3').textContent = '说明已查看'; };
"""

DIALOGS = page("确认", """
<button id=go-on>继续</button><p id=said></p>
<button id=retain>仍要注销</button><p id=said2></p>
<button id=explain>查看说明</button><p id=said3></p>
<a href=/tour/notice target=_blank>在新窗口查看注销须知</a>
<a href=/tour/frames>下一步</a>""", DIALOGS_JS)

NOTICE = page("注销须知", """
<h1>注销须知</h1><button id=read>我已阅读须知</button><p id=done></p>""", """
document.getElementById('read').onclick = () => fetch('/api/notice-read', {method: 'POST'})
  .then(() => document.getElementById('done').textContent = '须知已确认');""")


def frames_page() -> str:
    return page("补充信息", f"""
<iframe id=notes-frame src=/tour/frame-inner title=备注 width=400 height=220></iframe>
<p>身份证号：<span class=id-number>{ID_NUMBER}</span></p>
<p class=balance>账户余额：¥0.00</p>
<a href=/tour/check>下一步</a>""")


def frame_inner(saved: str = "") -> str:
    return page("备注", f"""
<form method=post action=/tour/frame-inner>
  <label>备注 <input name=note></label>
  <ul><li><h4>电子证明</h4><button type=button>选择</button></li>
      <li><h4>邮寄纸质证明</h4><button type=button>选择</button></li></ul>
  <input type=hidden name=option id=option>
  <button>保存备注</button></form><p>{html.escape(saved)}</p>""", """
document.querySelectorAll('li button').forEach(b => b.onclick = () => {
  document.getElementById('option').value = b.closest('li').querySelector('h4').textContent; });""")


def check_page(acct: Account) -> str:
    if acct.unpaid:
        verdict = "<p class=check-blocked>您有未结清的借款 ¥1,234.00，请结清后再申请注销</p>"
    else:
        verdict = "<p class=check-ok>注销条件检测通过</p><a href=/tour/verify>下一步</a>"
    # The verdict arrives after the page: the precondition must wait for it, not read an empty page.
    return page("注销条件检测", f"<h1>注销条件检测</h1><div id=verdict>检测中…</div>",
                f"setTimeout(() => document.getElementById('verdict').innerHTML = {json.dumps(verdict)}, 150);")


ANSWER_JS = """
function answer(r) {  // a real H5 page: a sign-in page on 401, a generic error on 5xx
  if (r.status === 401) { location.href = '/login'; return null; }
  if (!r.ok) { document.getElementById('submit-error').textContent =
    '服务器繁忙（HTTP ' + r.status + '），请稍后在注销进度中查看'; return null; }
  return r.json(); }
"""

SEND_JS = """
document.getElementById('send').onclick = () => fetch('/api/code/send', {method: 'POST'}).then(r => r.json()).then(d => {
  if (!d.ok) { document.getElementById('code-error').textContent = d.message; return; }
  document.getElementById('send').disabled = true;
  document.getElementById('dest').textContent = d.destination;
  document.getElementById('sent').textContent = '验证码已发送'; });
"""


def check_js(endpoint: str) -> str:
    """Code check through `endpoint`, then the final submit (with its "are you sure?")."""
    return ANSWER_JS + """
const err = document.getElementById('code-error');
document.getElementById('verify').onclick = () => {
  // Like many sites, the old message stays until the new answer arrives.
  fetch('__ENDPOINT__', {method: 'POST', body: document.getElementById('code').value})
    .then(r => r.json()).then(d => {
      if (d.ok) { err.textContent = ''; err.classList.add('hidden');
        document.getElementById('passed').classList.remove('hidden'); return; }
      err.textContent = d.message;
      const send = document.getElementById('send');
      if (d.reason === 'expired' && send) send.disabled = false; }); };
document.getElementById('submit').onclick = () => {
  if (!confirm('注销后不可恢复，确定提交？')) return;
  fetch('/api/close', {method: 'POST'}).then(answer).then(d => {
    if (!d) return;
    if (d.ok) { location.href = '/tour/result'; return; }
    document.getElementById('submit-error').textContent = d.message; });
  if (window.DOUBLE_POST) fetch('/api/close', {method: 'POST'});  // a page script's eager retry
};
""".replace("__ENDPOINT__", endpoint)


VERIFY_JS = SEND_JS + check_js("/api/code/verify")


def lock_notice(acct: Account) -> str:
    return f"<p class=error id=lock>{LOCK_MESSAGE}</p>" if acct.locked else ""


AT_SUBMIT_JS = SEND_JS + ANSWER_JS + """
document.getElementById('final').onclick = () => {
  fetch('/api/close-with-code', {method: 'POST', body: document.getElementById('code').value}).then(answer).then(d => {
    if (!d) return;
    if (d.ok) { location.href = '/tour/result'; return; }
    document.getElementById('submit-error').textContent = d.message; }); };
"""


def verify_at_submit(acct: Account) -> str:
    """The code and the closure in one request: no separate confirm (common on Chinese H5 sites)."""
    return page("身份验证并注销", f"""
<h1>身份验证并注销</h1>{lock_notice(acct)}
<p>验证码将发送至 <span id=dest class=destination>绑定手机</span></p>
<button id=send>获取验证码</button> <span id=sent></span>
<input id=code placeholder=请输入短信验证码>
<button id=final>确认注销</button>
<p id=code-error class=error></p>
<p id=submit-error class=error role=alert></p>""", AT_SUBMIT_JS)


AUTO_JS = """
let left = Number(document.getElementById('countdown').dataset.left);
const resend = document.getElementById('resend'), cd = document.getElementById('countdown');
// A test may hold the countdown at its last second until it opens it (state.countdown_held): the run's
// pace on a busy machine then never decides whether the tool sees a countdown.
const held = () => fetch('/api/code/countdown-held').then(r => r.json()).then(d => d.held);
const tick = () => { if (left > 0) { cd.textContent = left + '秒后可重新发送'; resend.disabled = true;
                                     if (left > 1) { left -= 1; setTimeout(tick, 1000); return; }
                                     held().then(h => { if (!h) left -= 1; setTimeout(tick, h ? 100 : 1000); }); }
                     else { cd.textContent = ''; resend.disabled = false; } };
tick();
resend.onclick = () => fetch('/api/code/send', {method: 'POST'}).then(r => r.json()).then(d => {
  left = d.cooldown; tick(); });
"""


def verify_auto(acct: Account, left: int, destination: str) -> str:
    """The site sent the code when the page opened; a new one only after the countdown."""
    return page("身份验证", f"""
<h1>身份验证</h1>{lock_notice(acct)}
<p>验证码已自动发送至 <span class=destination>{html.escape(destination)}</span></p>
<span id=countdown data-left={left}></span> <button id=resend disabled>重新发送</button>
<input id=code placeholder=请输入短信验证码>
<button id=verify>验证</button>
<p id=code-error class=error role=alert></p>
<div id=passed class=hidden><p>验证通过</p><button id=submit>提交注销申请</button></div>
<p id=submit-error class=error></p>""", AUTO_JS + check_js("/api/code/verify"))


def verify_totp(acct: Account) -> str:
    return page("身份验证", f"""
<h1>身份验证</h1>{lock_notice(acct)}
<label>动态验证码 <input id=code></label>
<p>请打开身份验证器 App 查看动态码</p>
<button id=verify>验证</button>
<p id=code-error class=error role=alert></p>
<div id=passed class=hidden><p>验证通过</p><button id=submit>提交注销申请</button></div>
<p id=submit-error class=error></p>""", check_js("/api/totp/verify"))


def verify_page(acct: Account) -> str:
    extra = lock_notice(acct) + ("<script>window.DOUBLE_POST = true</script>" if acct.double_post else "")
    return VERIFY.replace("<h1>身份验证</h1>", "<h1>身份验证</h1>" + extra, 1)


VERIFY = page("身份验证", """
<h1>身份验证</h1>
<p>验证码将发送至 <span id=dest class=destination>绑定手机</span></p>
<button id=send>获取验证码</button> <span id=sent></span>
<input id=code placeholder=请输入短信验证码>
<button id=verify>验证</button>
<p id=code-error class=error role=alert></p>
<div id=passed class=hidden><p>验证通过</p><button id=submit>提交注销申请</button></div>
<p id=submit-error class=error></p>""", VERIFY_JS)


def result_page(acct: Account) -> str:
    if acct.status == "closed":
        return page("结果", "<h1>账号已注销</h1>")
    return page("结果", f"<h1>注销申请已提交，审核中</h1><p class=app-no>申请编号：{acct.application_no}</p>")


def status_page(acct: Account) -> str:
    text = {"active": "未申请注销", "pending": "审核中", "closed": "账号已注销"}[acct.status]
    return page("注销进度", f"<h1>注销进度</h1><p class=state>当前状态：{text}</p>"
                            f"<p class=app-no>申请编号：{acct.application_no or '无'}</p>")


FACE = page("人脸识别", """
<h1>请完成人脸识别</h1><p id=face>等待识别…</p>""", """
const poll = () => fetch('/api/face').then(r => r.json()).then(d => {
  if (d.passed) { document.getElementById('face').textContent = '人脸识别通过'; return; }
  setTimeout(poll, 100); });
poll();""")


# ---------------------------------------------------------------- the two servers

class _Handler(BaseHTTPRequestHandler):
    server_version = "Playground/1"

    def log_message(self, *args):  # quiet: tests read state, not logs
        pass

    @property
    def site(self) -> "Playground":
        return self.server.site

    def _send(self, status: int, body: str = "", ctype: str = "text/html; charset=utf-8", headers=()):
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _json(self, obj: dict) -> None:
        self._send(200, json.dumps(obj, ensure_ascii=False), "application/json; charset=utf-8")

    def _redirect(self, location: str, headers=()) -> None:
        self._send(303, "", headers=[("Location", location), *headers])

    def _body(self) -> str:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length).decode("utf-8") if length else ""

    def _phone(self) -> str | None:
        cookie = SimpleCookie(self.headers.get("Cookie", ""))
        phone = cookie["pg"].value if "pg" in cookie else None
        return None if phone in self.site.state.expired else phone  # an ended session signs in again

    def _account(self) -> Account | None:
        phone = self._phone()
        return self.site.state.accounts.get(phone) if phone else None

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        if self.server.foreign:
            self.site.state.foreign_log.append({"method": method, "path": self.path, "body": self._body()})
            self._send(200, page("合作方", "<label>密码 <input type=password></label><p>合作方页面</p>"))
            return
        path = urlsplit(self.path).path
        site = self.site
        if method == "GET" and path == "/login":
            return self._send(200, login_page())
        if method == "GET" and path == "/api/code/countdown-held":
            return self._json({"held": site.state.countdown_held})
        if method == "GET" and path == "/login-framed":  # hostile: the password field is another origin's
            frame = f"<iframe id=partner title=合作方登录 src='{site.foreign_url}/phish'></iframe>"
            return self._send(200, login_page(extra=frame))
        if method == "GET" and path == "/login-dataframe":  # hostile: a frame with no origin at all
            src = "data:text/html;charset=utf-8,<label>验证密码 <input type=password></label>"
            return self._send(200, login_page(extra=f"<iframe id=partner src=\"{src}\"></iframe>"))
        if method == "GET" and path == "/login-sandboxed":  # hostile: a sandboxed frame has no origin
            frame = "<iframe id=partner sandbox srcdoc='<label>验证密码 <input type=password></label>'></iframe>"
            return self._send(200, login_page(extra=frame))
        if method == "GET" and path == "/out":  # hostile: the site sends the browser elsewhere
            return self._redirect(f"{site.foreign_url}/landing")
        if method == "POST" and path == "/login":
            return self._login()
        acct = self._account()
        if acct is not None and method == "GET" and path == site.state.expire_on_path:
            site.state.expired.add(self._phone())  # this page always ends the session: logged out again
            acct = None
        if acct is None:
            if path.startswith("/api/"):
                return self._send(401, '{"ok": false, "message": "登录已失效，请重新登录"}', "application/json")
            return self._redirect("/login")
        with site.state.lock:
            return self._logged_in(method, path, acct)

    def _login(self) -> None:
        form = {k: v[0] for k, v in parse_qs(self._body()).items()}
        self.site.state.login_posts.append(form)
        acct = self.site.state.accounts.get(form.get("account", ""))
        if acct is not None and acct.status == "closed":
            return self._send(200, login_page("该账号已注销"))
        if acct is None or acct.password != form.get("password") or not form.get("agree"):
            return self._send(200, login_page("账号或密码错误"))
        self.site.state.expired.discard(form["account"])
        return self._redirect("/home", headers=[("Set-Cookie", f"pg={form['account']}; Path=/; HttpOnly")])

    def _logged_in(self, method: str, path: str, acct: Account) -> None:
        site = self.site
        if method == "GET":
            pages = {
                "/home": lambda: HOME,
                "/settings": settings_page,
                "/tour/dialogs": lambda: DIALOGS,
                "/tour/notice": lambda: NOTICE,
                "/tour/frames": frames_page,
                "/tour/frame-inner": frame_inner,
                "/tour/check": lambda: check_page(acct),
                "/tour/verify": lambda: verify_page(acct),
                "/tour/verify-at-submit": lambda: verify_at_submit(acct),
                "/tour/verify-auto": lambda: self._verify_auto(acct),
                "/tour/verify-totp": lambda: verify_totp(acct),
                "/tour/result": lambda: result_page(acct),
                "/tour/face": lambda: FACE,
                "/tour/documents": lambda: page("文件", "<h1>我的文件</h1><a href='/tour/receipt.pdf'>下载回单</a>"
                                                      "<a href='/tour/archive.zip'>下载全部记录</a>"
                                                      f"<a href='{site.foreign_url}/receipt.pdf'>从合作方下载回单</a>"),
                "/tour/away": lambda: page("活动", f"<a href='{site.foreign_url}/promo'>合作方活动</a>"
                                                  f"<a href='{site.foreign_url}/promo' target=_blank>在新窗口打开活动</a>"),
                "/status": lambda: status_page(acct),
            }
            if path in pages:
                return self._send(200, pages[path]())
            if path in DOCUMENTS:  # offered for download (the download step)
                return self._document(path)
            if path == "/api/face":
                return self._json({"passed": acct.face_passed})
            return self._send(404, page("404", "<h1>页面不存在</h1>"))
        if path == "/settings":
            acct.settings = {k: v[0] for k, v in parse_qs(self._body()).items()}
            return self._redirect("/tour/dialogs")
        if path == "/tour/frame-inner":
            form = {k: v[0] for k, v in parse_qs(self._body()).items()}
            acct.note, acct.note_option = form.get("note", ""), form.get("option", "")
            return self._send(200, frame_inner("备注已保存"))
        if path == "/api/notice-read":
            acct.notice_read = True
            return self._json({"ok": True})
        if path == "/api/code/send":
            if acct.locked:
                return self._json({"ok": False, "message": LOCK_MESSAGE})
            self._send_code(acct)
            return self._json({"ok": True, "destination": self._masked_phone(acct),
                               "cooldown": site.state.resend_cooldown_s})
        if path == "/api/code/verify":
            return self._verify(acct, self._body().strip())
        if path == "/api/totp/verify":
            return self._verify_totp(acct, self._body().strip())
        if path == "/api/close":
            acct.close_requests += 1
            if not acct.code_ok:
                return self._json({"ok": False, "message": "请先完成身份验证"})
            return self._close(acct)
        if path == "/api/close-with-code":
            acct.close_requests += 1
            refusal = self._code_refusal(acct, self._body().strip())
            if refusal is not None:
                return self._json(refusal)
            return self._close(acct)
        return self._send(404, "{}", "application/json")

    def _document(self, path: str) -> None:
        name, ctype, data = DOCUMENTS[path]
        self.site.state.downloads.append(path)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Disposition", f"attachment; filename={name}")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _masked_phone(self, acct: Account) -> str:
        phone = next(p for p, a in self.site.state.accounts.items() if a is acct)
        return phone[:3] + "****" + phone[-4:]

    def _send_code(self, acct: Account) -> None:
        acct.code, acct.code_expired = f"{secrets.randbelow(10**6):06d}", False
        acct.codes_sent += 1
        acct.code_sent_at = time.monotonic()

    def _verify_auto(self, acct: Account) -> str:
        """Sends a code on arrival unless the last one is still inside its resend countdown."""
        cooldown = self.site.state.resend_cooldown_s
        since = None if acct.code_sent_at is None else time.monotonic() - acct.code_sent_at
        if not acct.locked and (since is None or since >= cooldown):
            self._send_code(acct)
            since = 0.0
        left = 0 if since is None else max(0, int(cooldown - since + 0.999))
        return verify_auto(acct, left, self._masked_phone(acct))

    def _close(self, acct: Account) -> None:
        """The site processes a closure request, or fails on the way (the test's fault knob)."""
        fault, acct.submit_fault = acct.submit_fault, None
        if acct.status == "pending":  # as real sites do: one request at a time
            return self._json({"ok": False, "message": "您已有注销申请正在审核中，请勿重复提交"})
        if fault == "502_before":
            return self._send(502, page("502", "<h1>502 Bad Gateway</h1>"))
        if fault == "session_expired":
            self.site.state.expired.add(self._phone())
            return self._send(401, '{"ok": false, "message": "登录已失效，请重新登录"}', "application/json")
        acct.submissions += 1
        if acct.outcome == "failed":
            return self._json({"ok": False, "message": "提交失败：系统繁忙，请稍后再试"})
        acct.status = acct.outcome
        acct.application_no = f"PG{secrets.randbelow(10**6):06d}"
        if fault == "502_after":  # processed, then the proxy in front failed
            return self._send(502, page("502", "<h1>502 Bad Gateway</h1>"))
        if fault == "timeout":  # processed, and the answer never comes back in time
            lock = self.site.state.lock
            lock.release()
            try:
                self.site.state.release.wait(HANG_LIMIT_S)
            finally:
                lock.acquire()
            self.close_connection = True
            return None
        return self._json({"ok": True})

    def _code_refusal(self, acct: Account, code: str) -> dict | None:
        """The code check shared by the code endpoint and the closure endpoint that checks the code itself."""
        if acct.locked or acct.wrong_codes >= LOCK_AFTER_WRONG:
            acct.locked = True
            return {"ok": False, "reason": "locked", "message": LOCK_MESSAGE}
        if acct.code is not None and acct.code_expired:
            return {"ok": False, "reason": "expired", "message": "验证码已过期，请重新获取"}
        if acct.code is None or code != acct.code:
            acct.wrong_codes += 1
            if acct.wrong_codes >= LOCK_AFTER_WRONG:
                acct.locked = True
                return {"ok": False, "reason": "locked", "message": LOCK_MESSAGE}
            return {"ok": False, "reason": "wrong", "message": "验证码错误"}
        acct.code_ok = True
        return None

    def _verify_totp(self, acct: Account, code: str) -> None:
        period = self.site.state.totp_period_s
        if code in acct.used_totp:
            return self._json({"ok": False, "reason": "wrong", "message": "动态码已使用，请等待下一个动态码"})
        if code != totp(time.time(), period):
            return self._json({"ok": False, "reason": "wrong", "message": "动态码错误"})
        acct.used_totp.add(code)  # single-use, like real authenticator checks
        if acct.totp_refuse_first:
            acct.totp_refuse_first = False
            return self._json({"ok": False, "reason": "wrong", "message": "动态码错误"})
        acct.code_ok = True
        return self._json({"ok": True})

    def _verify(self, acct: Account, code: str) -> None:
        site = self.site
        site.state.lock.release()  # the deliberate delay must not hold up other requests
        try:
            time.sleep(CODE_ANSWER_DELAY_S)
        finally:
            site.state.lock.acquire()
        refusal = self._code_refusal(acct, code)
        return self._json(refusal if refusal is not None else {"ok": True})


class _Server(ThreadingHTTPServer):
    daemon_threads = True


class Playground:
    """Both servers, started together; `state` is shared with the tests (same process)."""

    def __init__(self):
        self.state = PlaygroundState()
        self._servers: list[_Server] = []
        self.base_url = ""
        self.foreign_url = ""

    def _serve(self, host: str, foreign: bool) -> _Server:
        server = _Server((host, 0), _Handler)
        server.site, server.foreign = self, foreign
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
        self._servers.append(server)
        return server

    def start(self) -> "Playground":
        main = self._serve("127.0.0.1", foreign=False)
        self.base_url = f"http://127.0.0.1:{main.server_address[1]}"
        try:
            foreign = self._serve("127.0.0.2", foreign=True)
            self.foreign_url = f"http://127.0.0.2:{foreign.server_address[1]}"
        except OSError:  # e.g. macOS has only 127.0.0.1: "localhost" is still another origin to the browser
            foreign = self._serve("127.0.0.1", foreign=True)
            self.foreign_url = f"http://localhost:{foreign.server_address[1]}"
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        self._servers.clear()
