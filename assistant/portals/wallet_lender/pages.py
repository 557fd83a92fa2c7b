"""HTML of 随心花's everyday pages and its help centre, where the closure
service lives. Pure functions: values in, markup out. The site profile
matches these texts, so change them with care."""

from __future__ import annotations

from ..markup import esc
from .layout import document, footer, header, packet_script, page_data

LOGIN_JS = """
document.getElementById('§login-form').addEventListener('submit', function (ev) {
  ev.preventDefault();
  var err = document.querySelector('.§form-error');
  if (!document.getElementById('§agree').checked) { err.textContent = '请先阅读并勾选同意《随心花用户协议》《隐私政策》'; return; }
  err.textContent = '';
  api('POST', '/api/login', {
    phone: document.getElementById('§phone').value.trim(),
    password: document.getElementById('§password').value,
    agreed: true
  }).then(function (d) { if (d.ok) { go(d.redirect); } else { err.textContent = d.message; } });
});
"""


def login_page(*, redesign: bool, expired: bool) -> str:
    notice = "登录状态已失效，请重新登录" if expired else ""
    body = f"""<main class="§login-wrap">
  <section class="§promo"><div class="§logo"><span class="§logo-mark">花</span>随心花<small>消费信贷</small></div>
    <h1>先消费，后付款</h1><p>最长 <span class="§big">40</span> 天免息</p>
    <p class="§muted">额度最高 ¥50,000 · 按日计息 · 随借随还</p></section>
  <section class="§login-card">
    <div class="§tabs"><span class="§on">密码登录</span><span onclick="toast('短信登录维护中，请使用密码登录')">短信登录</span></div>
    <form id="§login-form" novalidate>
      <label class="§field-label" for="§phone">手机号</label>
      <input class="§input" id="§phone" type="tel" maxlength="11" placeholder="请输入手机号" autocomplete="tel">
      <label class="§field-label" for="§password">登录密码</label>
      <input class="§input" id="§password" type="password" placeholder="请输入登录密码" autocomplete="current-password">
      <label class="§agree"><input type="checkbox" id="§agree"><span>我已阅读并同意《随心花用户协议》《隐私政策》</span></label>
      <button type="submit" class="§btn §btn-primary §btn-block">登录</button>
      <div class="§form-error" role="alert">{notice}</div>
    </form>
    <p class="§muted" style="margin-top:14px">还没有账号？下载随心花 App 注册</p>
  </section>
</main>"""
    return document("随心花 - 登录", body, redesign=redesign, script=LOGIN_JS)


WALLET_JS = """
setTimeout(function () {
  api('GET', '/api/wallet').then(function (d) {
    var box = document.getElementById('§wallet');
    if (!d.ok) {
      box.innerHTML = '<div class="§card">' + escHtml(d.message || '加载失败')
        + ' <button class="§btn §btn-ghost" onclick="location.reload()">重新加载</button></div>';
      return;
    }
    var notice = d.pending_no ? '<div class="§card" style="margin-bottom:20px;color:#d46b08">您的账户注销申请正在审核中（受理编号：'
      + escHtml(d.pending_no) + '）<a href="/help/close-progress" style="margin-left:12px">查看进度</a></div>' : '';
    box.innerHTML = notice + '<div class="§row"><div class="§quota"><div class="§quota-label">可用额度（元）</div>'
      + '<div class="§quota-value">' + escHtml(d.available) + '</div><div class="§quota-label">总额度 '
      + escHtml(d.limit) + ' · 每月 10 日还款</div><button class="§btn" onclick="toast(\\'请在随心花 App 中使用\\')">'
      + '去消费</button></div><div class="§card"><div class="§title">本期账单</div><div style="font-size:30px;'
      + 'font-weight:700">' + escHtml(d.bill) + '</div><p class="§muted">' + escHtml(d.bill_note) + '</p></div></div>'
      + '<div class="§card"><div class="§title">常用服务</div><div class="§grid4">'
      + ['分期还款', '优惠券', '提升额度', '消费记录'].map(function (n) {
          return '<div onclick="toast(\\'功能升级中，敬请期待\\')">' + n + '</div>';
        }).join('') + '</div></div>';
  });
}, PAGE.contentDelay);
"""


def wallet_page(*, redesign: bool, masked_phone: str, content_delay_ms: int, packet_delay_ms: int | None) -> str:
    skeleton = """<div class="§row"><div class="§card"><div class="§skeleton" style="height:20px;width:30%"></div>
  <div class="§skeleton" style="height:46px;width:60%;margin:18px 0"></div><div class="§skeleton" style="height:16px;width:40%"></div>
  </div><div class="§card"><div class="§skeleton" style="height:110px"></div></div></div>"""
    body = header(masked_phone=masked_phone, current="wallet") + f"""
<main class="§main"><h1 class="§title" style="font-size:22px">我的钱包</h1>
<div id="§wallet">{skeleton}</div></main>{footer()}"""
    script = page_data({"contentDelay": content_delay_ms}) + WALLET_JS + packet_script(packet_delay_ms)
    return document("随心花 - 我的钱包", body, redesign=redesign, script=script)


def plain_page(*, redesign: bool, masked_phone: str, current: str, title: str, content: str) -> str:
    body = header(masked_phone=masked_phone, current=current) + f"""
<main class="§main"><h1 class="§title" style="font-size:22px">{esc(title)}</h1>
<div class="§card">{content}</div></main>{footer()}"""
    return document(f"随心花 - {title}", body, redesign=redesign)


# Help-centre topics: (title, [(article title, path)]). The site update moved
# and renamed the closure article.
TOPICS = [
    ("热门问题", [("如何查看本期账单", "/help/article/bill"), ("如何提前还款", "/help/article/prepay")]),
    ("借款与还款", [("还款日是哪天", "/help/article/due-date"), ("逾期会有什么影响", "/help/article/overdue")]),
    ("账户与安全", [("如何修改登录密码", "/help/article/password"), ("如何注销随心花账户", "/help/article/close-account")]),
]
REDESIGN_TOPICS = [
    TOPICS[0],
    TOPICS[1],
    ("账户与安全", [("如何修改登录密码", "/help/article/password"), ("如何更换绑定手机号", "/help/article/phone")]),
    ("隐私与个人信息", [("个人信息查询与导出", "/help/article/export"), ("账号注销申请", "/help/article/account-deletion")]),
]

HELP_JS = """
setTimeout(function () {
  api('GET', '/api/help/topics').then(function (d) {
    var box = document.getElementById('§topics');
    if (!d.ok) { box.innerHTML = '<p>' + escHtml(d.message || '加载失败') + '</p>'; return; }
    box.innerHTML = d.topics.map(function (t, i) {
      return '<div class="§topic"><button type="button" class="§topic-head" aria-expanded="false" '
        + 'aria-controls="topic-' + i + '">' + escHtml(t.title) + '</button><ul id="topic-' + i + '" hidden>'
        + t.articles.map(function (a) { return '<li><a href="' + escHtml(a.path) + '">' + escHtml(a.title) + '</a></li>'; })
          .join('') + '</ul></div>';
    }).join('');
    box.removeAttribute('aria-busy');
    box.querySelectorAll('.§topic-head').forEach(function (head) {
      head.addEventListener('click', function () {
        var open = head.getAttribute('aria-expanded') === 'true';
        head.setAttribute('aria-expanded', open ? 'false' : 'true');
        document.getElementById(head.getAttribute('aria-controls')).hidden = open;
      });
    });
  });
}, PAGE.contentDelay);
"""


def help_shell(title: str, content: str, *, redesign: bool, script: str = "") -> str:
    body = f"""<header class="§header"><div class="§header-inner">
  <a class="§logo" href="/help"><span class="§logo-mark">花</span>随心花<small>帮助中心</small></a>
  <nav class="§nav" aria-label="帮助中心导航"><a href="/help">首页</a><a href="/wallet">返回我的钱包</a></nav>
</div></header>{content}{footer()}"""
    return document(title, body, redesign=redesign, script=script)


def help_page(*, redesign: bool, content_delay_ms: int) -> str:
    skeleton = "".join('<div class="§skeleton" style="height:22px;margin:16px 0"></div>' for _ in range(3))
    content = f"""<section class="§help-hero"><div class="§main" style="padding:0 20px">
  <h1>您好，有什么可以帮您？</h1>
  <input class="§search" type="search" placeholder="搜索问题，如：如何还款" onkeydown="if(event.key==='Enter')toast('暂无搜索结果')">
</div></section>
<main class="§main"><div class="§help-grid">
  <section class="§card"><div class="§title">问题分类</div><div id="§topics" aria-busy="true">{skeleton}</div></section>
  <section class="§card"><div class="§title">联系我们</div>
    <p>在线客服：每天 9:00–21:00</p><p>客服热线：95000-0000（演示）</p>
    <p class="§muted">为保障您的账户安全，客服不会向您索要密码和验证码。</p></section>
</div></main>"""
    script = page_data({"contentDelay": content_delay_ms}) + HELP_JS
    return help_shell("随心花帮助中心", content, redesign=redesign, script=script)


def article_page(*, redesign: bool, title: str, paragraphs: list[str], action: str | None = None) -> str:
    text = "".join(f"<p>{esc(p)}</p>" for p in paragraphs)
    # The way into the closure service is a styled div, not a button or a link.
    button = (f'<div class="§btn §btn-primary" style="margin-top:10px" onclick="go(\'/help/close-service\')">'
              f"{esc(action)}</div>") if action else ""
    content = f"""<main class="§main"><div class="§card §article">
  <p class="§crumb"><a href="/help">帮助中心</a> › {esc(title)}</p><h1>{esc(title)}</h1>{text}{button}
</div></main>"""
    return help_shell(f"{title} - 随心花帮助中心", content, redesign=redesign)


CLOSE_ARTICLE = [
    "为保障您的资金和信息安全，注销前请确认：",
    "1. 所有账单均已结清，无待还款项；2. 账户内无未使用的红包、优惠券或余额；3. 已解除所有自动扣款授权。",
    "注销申请提交后，我们将在 7 个工作日内完成审核，审核结果将以短信通知您。注销后账户无法恢复，请谨慎操作。",
]


def close_service_page(*, redesign: bool) -> str:
    frame_title = "账号服务" if redesign else "注销服务"
    content = f"""<main class="§main"><p class="§crumb"><a href="/help">帮助中心</a> › 账户注销服务</p>
  <h1 class="§title" style="font-size:22px">账户注销服务</h1>
  <iframe class="§service-frame" id="§service-frame" title="{frame_title}" src="/service/close"></iframe>
</main>"""
    return help_shell("账户注销服务 - 随心花帮助中心", content, redesign=redesign)


def progress_page(*, redesign: bool, masked_phone: str, application_no: str | None, submitted_on: str) -> str:
    if application_no:
        content = f"""<div class="§progress-kv">注销申请状态：审核中<br>
受理编号：<span class="§app-no">{esc(application_no)}</span><br>提交时间：{esc(submitted_on)}</div>
<p class="§muted">审核结果将以短信通知您，预计 7 个工作日内完成。</p>"""
    else:
        content = '<p class="§progress-kv">暂无注销申请</p>'
    body = header(masked_phone=masked_phone) + f"""
<main class="§main"><h1 class="§title" style="font-size:22px">注销进度</h1><div class="§card">{content}</div></main>{footer()}"""
    return document("随心花 - 注销进度", body, redesign=redesign)
