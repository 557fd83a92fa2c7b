"""HTML for 示例贷's everyday pages (login, home, me, settings). Pure
functions: values in, markup out. The site profile matches these texts, so
change them with care."""

from __future__ import annotations

from ..markup import esc
from .layout import ad_script, cell, document, navbar, page_data


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
    return document("示例贷 - 登录", body, redesign=redesign, script=LOGIN_JS)


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
      + '<div style="margin-top:16px"><button type="button" class="§primary" onclick="go(\\'/borrow\\')">'
      + '去借款</button></div></div>'
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
    script = page_data({"contentDelay": content_delay_ms}) + HOME_JS + ad_script(ad_delay_ms)
    return document("示例贷", body, redesign=redesign, script=script, tabs="home")


def me_page(*, redesign: bool, masked_phone: str, pending: bool, ad_delay_ms: int | None) -> str:
    rows = [
        cell("我的借款", href="/loans"),
        cell("银行卡", toast="请前往示例贷App管理银行卡"),
    ]
    if pending:
        rows.append(cell("注销进度", href="/close/status"))
    rows.append(cell("设置", href="/settings"))
    body = f"""
<div class="§hero §compact"><h1 class="§nav-title">我的</h1>
  <div class="§user"><div class="§avatar"></div>
    <div><div class="§user-phone">{esc(masked_phone)}</div><span class="§tag">已实名</span></div></div></div>
<div class="§section"><div class="§group">{"".join(rows)}</div>
  <div class="§disclaimer">客服热线 400-000-0000（演示）</div></div>"""
    return document("我的", body, redesign=redesign, script=ad_script(ad_delay_ms), tabs="me")


def borrow_page(*, redesign: bool) -> str:
    body = """
<div class="§hero"><h1 class="§nav-title">借款</h1></div>
<div class="§section"><div class="§card §center"><div class="§muted">可借额度（元）</div>
  <div class="§banner-title">¥50,000</div>
  <div class="§muted" style="margin-bottom:16px">最长可分 12 期 · 按日计息</div>
  <button type="button" class="§primary" onclick="toast('当前申请人数较多，请稍后再试')">立即借款</button></div></div>"""
    return document("借款", body, redesign=redesign, tabs="borrow")


def loans_page(*, redesign: bool, unpaid_text: str | None) -> str:
    if unpaid_text:
        content = f"""<div class="§card"><div class="§muted">待还金额</div>
  <div class="§banner-title">待还 {esc(unpaid_text)}</div><div class="§muted">还款日：每月 15 日</div>
  <div style="margin-top:16px"><button type="button" class="§primary"
    onclick="toast('还款通道维护中，请稍后再试')">立即还款</button></div></div>"""
    else:
        content = '<div class="§empty">暂无借款记录</div>'
    body = navbar("我的借款", back="/me") + f'<div class="§section">{content}</div>'
    return document("我的借款", body, redesign=redesign)


def settings_page(*, redesign: bool) -> str:
    rows = [cell("账号与安全", href="/settings/security")]
    if redesign:
        rows.append(cell("隐私与账号服务", href="/settings/privacy"))
    rows += [cell("消息通知", toast="暂无新消息"), cell("关于我们", toast="示例贷 v5.8.0")]
    body = (
        navbar("设置", back="/me")
        + f"""<div class="§section"><div class="§group">{"".join(rows)}</div>
<div class="§actions"><button type="button" class="§btn §btn-plain" id="§logout">退出登录</button></div></div>"""
    )
    script = """
document.getElementById('§logout').addEventListener('click', function () {
  api('POST', '/api/logout', {}).then(function () { go('/login'); });
});"""
    return document("设置", body, redesign=redesign, script=script)


def security_page(*, redesign: bool, masked_phone: str) -> str:
    rows = cell("修改密码", toast="请前往示例贷App修改密码") + cell("手机号", value=masked_phone)
    # The closure entry is a small grey link at the very bottom; the redesign
    # moves it to the privacy page instead.
    hidden_entry = "" if redesign else (
        '<div class="§center" style="margin-top:48vh"><a class="§weak" href="/close">注销账号</a></div>'
    )
    body = navbar("账号与安全", back="/settings") + f"""<div class="§section"><div class="§group">{rows}</div>
{hidden_entry}</div>"""
    return document("账号与安全", body, redesign=redesign)


def privacy_page(*, redesign: bool) -> str:
    rows = (
        cell("隐私政策", toast="请前往示例贷App查看")
        + cell("个人信息收集清单", toast="请前往示例贷App查看")
        + '<a class="§cell §link" href="/close"><span>账号注销服务</span></a>'
    )
    body = navbar("隐私与账号服务", back="/settings") + f'<div class="§section"><div class="§group">{rows}</div></div>'
    return document("隐私与账号服务", body, redesign=redesign)

