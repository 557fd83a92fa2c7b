"""HTML for each page of 示例贷. Pure functions: values in, markup out.
Texts here are what the site profile matches on, so change them with care."""

from __future__ import annotations

from ..markup import esc
from . import agreement
from .layout import ad_script, document, navbar, page_data

PAGE_CSS = """
.§login { padding: 0 24px 32px; }
.§brand { text-align: center; padding: 56px 0 28px; }
.§logo { width: 64px; height: 64px; margin: 0 auto 12px; border-radius: 18px; color: #fff; font-size: 32px;
  font-weight: 700; line-height: 64px; background: linear-gradient(135deg, #4d8dff, #1f5af6);
  box-shadow: 0 8px 18px rgba(31, 90, 246, .3); }
.§brand-name { font-size: 24px; font-weight: 700; letter-spacing: 2px; }
.§slogan { margin-top: 6px; color: #8a8f99; font-size: 13px; }
.§field { background: #fff; border-radius: 12px; padding: 10px 16px; margin-bottom: 12px; }
.§field label { display: block; font-size: 12px; color: #8a8f99; }
.§field input { width: 100%; border: 0; outline: 0; font-size: 17px; padding: 6px 0 2px; font-family: inherit;
  background: transparent; }
.§consent { display: flex; align-items: flex-start; gap: 6px; font-size: 12px; color: #8a8f99; margin: 4px 0 18px;
  line-height: 1.5; }
.§consent input { margin: 2px 0 0; }
.§doc-name { color: #1f5af6; }
.§login-links { display: flex; justify-content: space-between; margin-top: 18px; font-size: 13px; color: #5a6070; }
.§disclaimer { text-align: center; color: #b0b3b8; font-size: 11px; padding: 24px 0 12px; }
.§banner-title { font-size: 28px; font-weight: 700; color: #1f2329; margin: 6px 0 4px; }
.§notice { background: #fff7e8; color: #d46b08; border-radius: 10px; padding: 10px 12px; font-size: 13px;
  margin: 12px 0 0; line-height: 1.5; }
.§services { display: grid; grid-template-columns: repeat(4, 1fr); text-align: center; font-size: 12px;
  color: #5a6070; gap: 8px; }
.§service-icon { width: 40px; height: 40px; margin: 0 auto 6px; border-radius: 12px; background: #eef3ff;
  color: #1f5af6; line-height: 40px; font-size: 18px; font-weight: 600; }
.§user { display: flex; align-items: center; gap: 14px; padding: 18px 4px 0; }
.§avatar { width: 56px; height: 56px; border-radius: 50%; background: rgba(255, 255, 255, .25);
  border: 2px solid rgba(255, 255, 255, .6); }
.§user-phone { font-size: 20px; font-weight: 600; }
.§tag { display: inline-block; margin-top: 4px; font-size: 11px; padding: 1px 8px; border-radius: 9px;
  background: rgba(255, 255, 255, .22); }
.§retain { text-align: center; padding: 28px 16px 8px; }
.§retain-icon { width: 72px; height: 72px; margin: 0 auto 16px; border-radius: 50%; background: #fff1e6;
  color: #ff7a1a; font-size: 40px; line-height: 72px; }
.§retain-title { font-size: 18px; font-weight: 600; line-height: 1.6; margin: 0 0 16px; }
.§lose { text-align: left; background: #fafbfc; border-radius: 10px; padding: 12px 16px; color: #5a6070;
  font-size: 14px; line-height: 1.9; }
.§agreement { height: 52vh; max-height: 420px; overflow-y: auto; background: #fff; border-radius: 12px;
  padding: 4px 16px; font-size: 13px; line-height: 1.75; color: #5a6070; border: 1px solid #eef0f3; }
.§agreement h3 { text-align: center; font-size: 16px; color: #1f2329; }
.§agree-row { display: flex; align-items: center; gap: 6px; margin: 14px 2px; font-size: 13px; }
.§check-ok { color: #1a9b53; font-size: 18px; font-weight: 600; text-align: center; margin: 8px 0 12px; }
.§check-blocked { color: #f5483b; font-size: 15px; line-height: 1.7; background: #fff2f0; border-radius: 10px;
  padding: 14px; }
.§check-list { list-style: none; padding: 0; margin: 0 0 20px; color: #5a6070; font-size: 14px; line-height: 2; }
.§option { display: flex; align-items: center; gap: 10px; padding: 12px 0; border-bottom: 1px solid #f2f3f5; }
.§option:last-of-type { border-bottom: 0; }
.§q { font-weight: 600; margin: 4px 0 6px; }
.§select, .§textarea { width: 100%; border: 1px solid #e3e5e8; border-radius: 8px; padding: 10px;
  font-size: 15px; font-family: inherit; background: #fff; }
.§textarea { height: 90px; resize: none; }
.§code-row { display: flex; align-items: center; gap: 10px; border-bottom: 1px solid #eef0f3; padding: 8px 0; }
.§code-row input { flex: 1; min-width: 0; border: 0; outline: 0; font-size: 17px; font-family: inherit;
  letter-spacing: 2px; }
.§send-btn { flex: none; border: 1px solid #1f5af6; background: #fff; color: #1f5af6; border-radius: 16px;
  height: 32px; padding: 0 12px; font-size: 13px; font-family: inherit; }
.§send-btn:disabled { border-color: #d0d3d9; color: #b0b3b8; }
.§warning { color: #f5483b; font-weight: 600; font-size: 16px; line-height: 1.6; }
.§result-icon { width: 72px; height: 72px; margin: 12px auto 14px; border-radius: 50%; background: #1a9b53;
  color: #fff; font-size: 40px; line-height: 72px; text-align: center; }
.§result-title { text-align: center; font-size: 20px; margin: 0 0 16px; }
.§kv { margin: 8px 0; color: #5a6070; }
.§app-no { color: #1f2329; font-weight: 600; }
.§empty { text-align: center; color: #8a8f99; padding: 48px 0; }
"""


def _doc(title: str, body: str, *, redesign: bool, script: str = "", tabs: str | None = None) -> str:
    return document(title, body, redesign=redesign, script=script, tabs=tabs, css=PAGE_CSS)


def _cell(label: str, *, href: str | None = None, toast: str | None = None, value: str = "") -> str:
    # Settings rows are clickable divs, like the real app; none are buttons.
    action = f' onclick="go(\'{esc(href)}\')"' if href else f' onclick="toast(\'{esc(toast)}\')"' if toast else ""
    kind = "§cell §link" if action else "§cell"
    tail = f' <span class="§cell-value">{esc(value)}</span>' if value else ""
    return f'<div class="{kind}"{action}><span>{esc(label)}</span>{tail}</div>'


def _ad(ad_delay_ms: int | None) -> str:
    return ad_script(ad_delay_ms) if ad_delay_ms is not None else ""


LOGIN_JS = """
document.getElementById('§login-form').addEventListener('submit', function (ev) {
  ev.preventDefault();
  var err = document.querySelector('.§form-error');
  var btn = document.getElementById('§login-btn');
  if (!document.getElementById('§consent').checked) { err.textContent = '请先阅读并同意用户协议'; return; }
  err.textContent = '';
  btn.disabled = true;
  api('POST', '/api/login', {
    phone: document.getElementById('§phone').value.trim(),
    password: document.getElementById('§password').value,
    agreed: true
  }).then(function (d) {
    if (d.ok) { go(d.redirect); return; }
    err.textContent = d.message;
    btn.disabled = false;
  });
});
"""


def login_page(*, redesign: bool, expired: bool) -> str:
    notice = "登录已过期，请重新登录" if expired else ""
    button = "立即登录" if redesign else "登录"
    body = f"""
<div class="§login">
  <div class="§brand"><div class="§logo">贷</div><div class="§brand-name">示例贷</div>
    <div class="§slogan">借款快至 1 分钟到账 · 随借随还</div></div>
  <form id="§login-form" autocomplete="on" novalidate>
    <div class="§field"><label for="§phone">手机号</label>
      <input id="§phone" name="phone" type="tel" placeholder="请输入手机号" maxlength="11" autocomplete="tel"></div>
    <div class="§field"><label for="§password">登录密码</label>
      <input id="§password" name="password" type="password" placeholder="请输入登录密码"
        autocomplete="current-password"></div>
    <label class="§consent"><input type="checkbox" id="§consent" name="agree"><span>我已阅读并同意<span
      class="§doc-name">《用户服务协议》</span><span class="§doc-name">《隐私政策》</span></span></label>
    <button type="submit" class="§primary" id="§login-btn">{button}</button>
    <div class="§form-error" role="alert">{notice}</div>
  </form>
  <div class="§login-links"><span onclick="toast('请前往示例贷App找回密码')">忘记密码</span>
    <span onclick="toast('暂不支持验证码登录')">验证码登录</span></div>
  <div class="§disclaimer">本站为本地演示站点，不提供真实借款服务</div>
</div>"""
    return _doc("示例贷 - 登录", body, redesign=redesign, script=LOGIN_JS)


HOME_JS = """
function escHtml(s) { return String(s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
setTimeout(function () {
  api('GET', '/api/home').then(function (d) {
    var box = document.getElementById('§home-content');
    if (!d.ok) {
      box.innerHTML = '<div class="§card §center"><p>' + escHtml(d.message || '加载失败') + '</p>'
        + '<button type="button" class="§primary" onclick="location.reload()">重新加载</button></div>';
      return;
    }
    var html = '';
    if (d.pending_application_no) {
      html += '<div class="§notice">您的账号注销申请正在审核中（申请编号：' + escHtml(d.pending_application_no) + '）</div>';
    }
    html += '<div class="§card"><div class="§muted">示例贷 · 额度</div>'
      + '<div class="§banner-title">最高可借 ' + escHtml(d.max_credit) + '</div>'
      + '<div class="§muted">年化利率（单利）7.2% 起，以实际审批为准</div>'
      + '<div style="margin-top:16px"><button type="button" class="§primary" onclick="go(\\'/borrow\\')">去借款</button></div></div>'
      + '<div class="§card"><div class="§services">'
      + ['账单', '提额', '客服', '会员'].map(function (name) {
          return '<div onclick="toast(\\'功能升级中，敬请期待\\')"><div class="§service-icon">' + name.charAt(0)
            + '</div>' + name + '</div>';
        }).join('')
      + '</div></div><div class="§disclaimer">本站为本地演示站点，不提供真实借款服务</div>';
    box.innerHTML = html;
  });
}, PAGE.contentDelay);
"""


def home_page(*, redesign: bool, content_delay_ms: int, ad_delay_ms: int | None) -> str:
    body = """
<div class="§hero"><h1 class="§nav-title">首页</h1></div>
<div class="§section" id="§home-content">
  <div class="§card"><div class="§skeleton" style="height:16px;width:40%"></div>
    <div class="§skeleton" style="height:34px;width:75%;margin:14px 0"></div>
    <div class="§skeleton" style="height:44px"></div></div>
  <div class="§card"><div class="§skeleton" style="height:64px"></div></div>
</div>"""
    script = page_data({"contentDelay": content_delay_ms}) + HOME_JS + _ad(ad_delay_ms)
    return _doc("示例贷", body, redesign=redesign, script=script, tabs="home")


def me_page(*, redesign: bool, masked_phone: str, pending: bool, ad_delay_ms: int | None) -> str:
    rows = [
        _cell("我的借款", href="/loans"),
        _cell("银行卡", toast="请前往示例贷App管理银行卡"),
    ]
    if pending:
        rows.append(_cell("注销进度", href="/close/status"))
    rows.append(_cell("设置", href="/settings"))
    body = f"""
<div class="§hero §compact"><h1 class="§nav-title">我的</h1>
  <div class="§user"><div class="§avatar"></div>
    <div><div class="§user-phone">{esc(masked_phone)}</div><span class="§tag">已实名</span></div></div></div>
<div class="§section"><div class="§group">{"".join(rows)}</div>
  <div class="§disclaimer">客服热线 400-000-0000（演示）</div></div>"""
    return _doc("我的", body, redesign=redesign, script=_ad(ad_delay_ms), tabs="me")


def borrow_page(*, redesign: bool) -> str:
    body = """
<div class="§hero"><h1 class="§nav-title">借款</h1></div>
<div class="§section"><div class="§card §center"><div class="§muted">可借额度（元）</div>
  <div class="§banner-title">¥50,000</div>
  <div class="§muted" style="margin-bottom:16px">最长可分 12 期 · 按日计息</div>
  <button type="button" class="§primary" onclick="toast('当前申请人数较多，请稍后再试')">立即借款</button></div></div>"""
    return _doc("借款", body, redesign=redesign, tabs="borrow")


def loans_page(*, redesign: bool, unpaid_text: str | None) -> str:
    if unpaid_text:
        content = f"""<div class="§card"><div class="§muted">待还金额</div>
  <div class="§banner-title">待还 {esc(unpaid_text)}</div><div class="§muted">还款日：每月 15 日</div>
  <div style="margin-top:16px"><button type="button" class="§primary"
    onclick="toast('还款通道维护中，请稍后再试')">立即还款</button></div></div>"""
    else:
        content = '<div class="§empty">暂无借款记录</div>'
    body = navbar("我的借款", back="/me") + f'<div class="§section">{content}</div>'
    return _doc("我的借款", body, redesign=redesign)


def settings_page(*, redesign: bool) -> str:
    rows = [_cell("账号与安全", href="/settings/security")]
    if redesign:
        rows.append(_cell("隐私与账号服务", href="/settings/privacy"))
    rows += [_cell("消息通知", toast="暂无新消息"), _cell("关于我们", toast="示例贷 v5.8.0")]
    body = (
        navbar("设置", back="/me")
        + f"""<div class="§section"><div class="§group">{"".join(rows)}</div>
<div class="§actions"><button type="button" class="§btn §btn-plain" id="§logout">退出登录</button></div></div>"""
    )
    script = """
document.getElementById('§logout').addEventListener('click', function () {
  api('POST', '/api/logout', {}).then(function () { go('/login'); });
});"""
    return _doc("设置", body, redesign=redesign, script=script)


def security_page(*, redesign: bool, masked_phone: str) -> str:
    rows = _cell("修改密码", toast="请前往示例贷App修改密码") + _cell("手机号", value=masked_phone)
    # The closure entry is a small grey link at the very bottom; the redesign
    # moves it to the privacy page instead.
    hidden_entry = "" if redesign else (
        '<div class="§center" style="margin-top:48vh"><a class="§weak" href="/close">注销账号</a></div>'
    )
    body = navbar("账号与安全", back="/settings") + f"""<div class="§section"><div class="§group">{rows}</div>
{hidden_entry}</div>"""
    return _doc("账号与安全", body, redesign=redesign)


def privacy_page(*, redesign: bool) -> str:
    rows = (
        _cell("隐私政策", toast="请前往示例贷App查看")
        + _cell("个人信息收集清单", toast="请前往示例贷App查看")
        + '<a class="§cell §link" href="/close"><span>账号注销服务</span></a>'
    )
    body = navbar("隐私与账号服务", back="/settings") + f'<div class="§section"><div class="§group">{rows}</div></div>'
    return _doc("隐私与账号服务", body, redesign=redesign)


def close_retention_page(*, redesign: bool) -> str:
    back = "/settings/privacy" if redesign else "/settings/security"
    body = navbar("注销账号", back=back) + """
<div class="§section"><div class="§card §retain">
  <div class="§retain-icon">!</div>
  <p class="§retain-title">您还有 ¥50,000 可用额度，注销后将无法恢复</p>
  <div class="§lose">注销后您将失去：<br>· 专属借款额度及优惠利率<br>· 新人免息券 1 张<br>· 在本平台积累的信用记录</div>
</div>
<div class="§actions">
  <button type="button" class="§primary §big" onclick="go('/me')">我再想想</button>
  <div class="§center"><a class="§weak" href="/close/notice">仍要注销</a></div>
</div></div>"""
    return _doc("注销账号", body, redesign=redesign)


NOTICE_JS = """
var box = document.getElementById('§agreement');
var agree = document.getElementById('§agree');
var next = document.getElementById('§next');
function reachedEnd() {
  if (box.scrollTop + box.clientHeight >= box.scrollHeight - 4) {
    agree.disabled = false;
    document.getElementById('§read-hint').textContent = '您已阅读完毕，请勾选同意';
  }
}
box.addEventListener('scroll', reachedEnd);
agree.addEventListener('change', function () { next.disabled = !agree.checked; });
next.addEventListener('click', function () { go('/close/check'); });
"""


def close_notice_page(*, redesign: bool) -> str:
    text = "".join(f"<p>{esc(p)}</p>" for p in agreement.PARAGRAPHS)
    body = navbar("注销须知", back="/close") + f"""
<div class="§section">
  <p class="§muted" id="§read-hint">请仔细阅读协议全文，滑动至底部后方可勾选</p>
  <div class="§agreement" id="§agreement"><h3>{agreement.TITLE}</h3>{text}</div>
  <div class="§agree-row"><input type="checkbox" id="§agree" disabled>
    <label for="§agree">我已阅读并同意《账号注销协议》</label></div>
  <button type="button" id="§next" class="§primary" disabled>下一步</button>
</div>"""
    return _doc("注销须知", body, redesign=redesign, script=NOTICE_JS)


CHECK_JS = """
setTimeout(function () {
  api('GET', '/api/close/check').then(function (d) {
    var area = document.getElementById('§check-area');
    if (!d.ok) {
      area.innerHTML = '<p class="§center">' + (d.message || '检测失败') + '</p>'
        + '<button type="button" class="§primary" onclick="location.reload()">重新检测</button>';
    } else if (d.passed) {
      area.innerHTML = '<div class="§check-ok">注销条件检测通过</div>'
        + '<ul class="§check-list"><li>✓ 借款已全部结清</li><li>✓ 账户余额已处理</li><li>✓ 账号状态正常</li></ul>'
        + '<button type="button" class="§primary" onclick="go(\\'/close/reason\\')">下一步</button>';
    } else {
      var blocked = document.createElement('div');
      blocked.className = '§check-blocked';
      blocked.textContent = d.message;
      area.innerHTML = '';
      area.appendChild(blocked);
      area.insertAdjacentHTML('beforeend', '<div style="margin-top:20px"><button type="button" class="§primary" '
        + 'onclick="go(\\'/me\\')">我知道了</button></div>');
    }
  });
}, PAGE.checkDelay);
"""


def close_check_page(*, redesign: bool, check_delay_ms: int) -> str:
    body = navbar("注销条件检测", back="/close/notice") + """
<div class="§section"><div class="§card" id="§check-area">
  <div class="§spinner"></div><p class="§center §muted">检测中…</p>
</div></div>"""
    script = page_data({"checkDelay": check_delay_ms}) + CHECK_JS
    return _doc("注销条件检测", body, redesign=redesign, script=script)


REASONS = ["不再需要借款", "利率太高", "担心个人信息安全", "其他原因"]
SOURCES = ["应用商店", "朋友推荐", "广告"]

REASON_JS = """
document.getElementById('§reason-next').addEventListener('click', function () {
  var err = document.querySelector('.§form-error');
  var picked = document.querySelector('input[name="reason"]:checked');
  if (!picked) { err.textContent = '请选择注销原因'; return; }
  err.textContent = '';
  api('POST', '/api/close/reason', {
    reason: picked.value,
    source: document.getElementById('§source').value,
    suggestion: document.getElementById('§suggestion').value
  }).then(function (d) {
    if (d.ok) { go(d.redirect); } else { err.textContent = d.message; }
  });
});
"""


def close_reason_page(*, redesign: bool) -> str:
    options = "".join(
        f'<label class="§option"><input type="radio" name="reason" value="{esc(r)}"><span>{esc(r)}</span></label>'
        for r in REASONS
    )
    sources = '<option value="">请选择</option>' + "".join(f'<option value="{esc(s)}">{esc(s)}</option>' for s in SOURCES)
    body = navbar("注销原因", back="/close/check") + f"""
<div class="§section"><div class="§card">
  <p class="§q">您注销账号的原因是？</p>{options}
</div>
<div class="§card">
  <p class="§q"><label for="§source">您是从哪里了解到我们的</label></p>
  <select id="§source" name="source" class="§select">{sources}</select>
  <p class="§q">您的建议</p>
  <textarea id="§suggestion" name="suggestion" class="§textarea" placeholder="请填写您的建议（选填）"></textarea>
</div>
<div class="§form-error" role="alert"></div>
<div class="§actions"><button type="button" class="§primary" id="§reason-next">下一步</button></div>
</div>"""
    return _doc("注销原因", body, redesign=redesign, script=REASON_JS)


VERIFY_JS = """
var sendBtn = document.getElementById('§send-code');
var err = document.querySelector('.§form-error');
var left = 0, timer = null;
function tick() {
  if (left <= 0) {
    clearInterval(timer); timer = null;
    sendBtn.disabled = false; sendBtn.textContent = '获取验证码';
    return;
  }
  sendBtn.disabled = true;
  sendBtn.textContent = '重新发送(' + left + 's)';
  left -= 1;
}
function countdown(seconds) { left = seconds; clearInterval(timer); tick(); timer = setInterval(tick, 1000); }
if (PAGE.resendWait > 0) { countdown(PAGE.resendWait); }
sendBtn.addEventListener('click', function () {
  if (sendBtn.disabled) { return; }
  sendBtn.disabled = true;
  api('POST', '/api/sms/send', {}).then(function (d) {
    if (d.ok) { err.textContent = ''; toast('验证码已发送'); countdown(d.resend_in); return; }
    err.textContent = d.message;
    if (d.resend_in) { countdown(d.resend_in); } else { sendBtn.disabled = false; }
  });
});
document.getElementById('§verify-btn').addEventListener('click', function () {
  var code = document.getElementById('§sms-code').value.trim();
  if (!code) { err.textContent = '请输入短信验证码'; return; }
  api('POST', '/api/sms/verify', { code: code }).then(function (d) {
    if (d.ok) { go(d.redirect); return; }
    err.textContent = d.message;
    if (d.reason === 'expired') { countdown(0); }
  });
});
"""


def close_verify_page(*, redesign: bool, masked_phone: str, resend_wait_s: int) -> str:
    body = navbar("身份验证", back="/close/reason") + f"""
<div class="§section"><div class="§card">
  <p>验证码将发送至 <span class="§masked-phone">{esc(masked_phone)}</span></p>
  <div class="§code-row">
    <input id="§sms-code" name="code" type="text" inputmode="numeric" maxlength="6" autocomplete="one-time-code"
      placeholder="请输入短信验证码">
    <button type="button" class="§send-btn" id="§send-code">获取验证码</button>
  </div>
  <div class="§form-error" role="alert"></div>
</div>
<div class="§actions"><button type="button" class="§primary" id="§verify-btn">下一步</button></div>
</div>"""
    script = page_data({"resendWait": resend_wait_s}) + VERIFY_JS
    return _doc("身份验证", body, redesign=redesign, script=script)


CONFIRM_JS = """
var btn = document.getElementById('§confirm-close');
btn.addEventListener('click', function () {
  if (!confirm('确定要注销账号吗？此操作不可撤销')) { return; }
  btn.disabled = true;
  api('POST', '/api/close/submit', {}).then(function (d) {
    if (d.ok) { go('/close/result'); return; }
    toast(d.message || '提交失败，请稍后重试');
    btn.disabled = false;
  });
});
"""


def close_confirm_page(*, redesign: bool) -> str:
    body = navbar("注销账号", back="/close/verify") + """
<div class="§section"><div class="§card">
  <p class="§warning">注销后，您的账号信息将被删除且无法恢复</p>
  <p class="§muted">提交后，我们将对您的注销申请进行审核，审核期间账号将被冻结。</p>
</div>
<div class="§actions"><button type="button" id="§confirm-close" class="§btn §danger">确认注销</button></div>
</div>"""
    return _doc("确认注销", body, redesign=redesign, script=CONFIRM_JS)


def close_result_page(*, redesign: bool, application_no: str) -> str:
    body = navbar("注销账号") + f"""
<div class="§section"><div class="§card">
  <div class="§result-icon">✓</div>
  <h2 class="§result-title">注销申请已提交</h2>
  <p class="§kv">申请编号：<span class="§app-no">{esc(application_no)}</span></p>
  <p class="§kv">当前状态：审核中</p>
  <p class="§muted">我们将在15个工作日内完成审核，结果将以短信通知</p>
</div>
<div class="§actions"><button type="button" class="§primary" onclick="go('/home')">返回首页</button></div>
</div>"""
    return _doc("注销申请已提交", body, redesign=redesign)


def close_status_page(*, redesign: bool, application_no: str | None) -> str:
    if application_no:
        content = f"""<p class="§kv">注销申请状态：审核中</p>
  <p class="§kv">申请编号：<span class="§app-no">{esc(application_no)}</span></p>
  <p class="§muted">我们将在15个工作日内完成审核，结果将以短信通知</p>"""
    else:
        content = '<div class="§empty">暂无注销申请</div>'
    body = navbar("注销进度", back="/me") + f'<div class="§section"><div class="§card">{content}</div></div>'
    return _doc("注销进度", body, redesign=redesign)
