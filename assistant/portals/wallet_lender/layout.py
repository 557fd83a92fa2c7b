"""The page shell of 随心花: document head, header with the help-centre link
(it opens a new tab), the red-packet pop-up and the shared page script. Class
and id names are written as `§name` so the redesign variant can rename them
(see markup.apply_skin)."""

from __future__ import annotations

import json

from ..markup import apply_skin, call_after, esc
from .styles import BASE_CSS, SERVICE_CSS

# Ids the redesign renames outright; every other §name just gets "-v2".
REDESIGN_RENAMES = {
    "phone": "account-mobile",
    "password": "account-pwd",
    "service-frame": "svc-frame",
    "agreement": "svc-terms",
}

PACKET_TEXT = "新人专享红包"

# A toast, a fetch wrapper that follows the site's "login expired" answer (out
# of the service iframe too: the whole window goes to the login page), and navigation.
BASE_JS = """
function toast(msg) {
  var t = document.querySelector('.§toast');
  if (!t) { return; }
  t.textContent = msg;
  t.classList.add('§show');
  clearTimeout(window.__toastTimer);
  window.__toastTimer = setTimeout(function () { t.classList.remove('§show'); }, 2000);
}
function go(href) { location.href = href; }
function escHtml(s) { return String(s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
function api(method, path, body) {
  var opts = { method: method, credentials: 'same-origin', headers: { 'Content-Type': 'application/json' } };
  if (body !== undefined) { opts.body = JSON.stringify(body); }
  return fetch(path, opts).then(function (r) {
    return r.json().catch(function () { return { ok: false, message: '系统繁忙，请稍后重试' }; })
      .then(function (data) {
        data.status = r.status;
        if (r.status === 401 && data.redirect) { window.top.location.href = data.redirect; }
        return data;
      });
  }, function () { return { ok: false, message: '网络异常，请检查网络后重试' }; });
}
"""

_PACKET_JS = """
function showPacket() {
  var mask = document.createElement('div');
  mask.className = '§packet-mask';
  mask.innerHTML = '<div class="§packet"><div class="§packet-title">__TEXT__</div>'
    + '<div class="§packet-amount">¥88</div><div>满 500 可用 · 7 天内有效</div>'
    + '<button type="button" class="§btn" onclick="toast(\\'领取成功\\')">立即领取</button></div>'
    + '<div class="§packet-close" role="button" aria-label="关闭红包">×</div>';
  mask.querySelector('.§packet-close').addEventListener('click', function () { mask.remove(); });
  document.body.appendChild(mask);
}
__SCHEDULE__
"""


def page_data(data: dict) -> str:
    return "var PAGE = " + json.dumps(data, ensure_ascii=False).replace("<", "\\u003c") + ";"


def packet_script(delay_ms: int | None) -> str:
    """The red-packet pop-up's script, or nothing on page views without it."""
    if delay_ms is None:
        return ""
    return _PACKET_JS.replace("__TEXT__", PACKET_TEXT).replace("__SCHEDULE__", call_after("showPacket", delay_ms))


NAV = [("wallet", "首页", "/wallet"), ("bills", "我的账单", "/bills"), ("quota", "额度管理", "/quota")]


def header(*, masked_phone: str, current: str = "") -> str:
    mark = ' class="§current"'
    links = "".join(f'<a href="{href}"{mark if key == current else ""}>{label}</a>' for key, label, href in NAV)
    # The help centre is a separate web app: it always opens in a new tab.
    links += '<a href="/help" target="_blank" rel="noopener">帮助中心</a>'
    return f"""<header class="§header"><div class="§header-inner">
  <a class="§logo" href="/wallet"><span class="§logo-mark">花</span>随心花<small>消费信贷</small></a>
  <nav class="§nav" aria-label="主导航">{links}</nav>
  <div class="§user"><span>{esc(masked_phone)}</span><span onclick="logout()">退出</span></div>
</div></header>"""


LOGOUT_JS = """
function logout() { api('POST', '/api/logout', {}).then(function () { go('/login'); }); }
"""


def document(title: str, body: str, *, redesign: bool, script: str = "") -> str:
    markup = f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=1280">
<link rel="icon" href="data:,">
<title>{esc(title)}</title>
<style>{BASE_CSS}</style>
</head>
<body>
{body}
<div class="§toast" role="status" aria-live="polite"></div>
<script>{BASE_JS}{LOGOUT_JS}
{script}</script>
</body>
</html>
"""
    return apply_skin(markup, redesign, REDESIGN_RENAMES)


def frame_document(title: str, body: str, *, redesign: bool, script: str = "") -> str:
    """A page of the closure service, shown inside the help centre's iframe."""
    markup = f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>{esc(title)}</title>
<style>{SERVICE_CSS}</style>
</head>
<body>
{body}
<script>{BASE_JS}
{script}</script>
</body>
</html>
"""
    return apply_skin(markup, redesign, REDESIGN_RENAMES)


def footer() -> str:
    return '<div class="§footer">随心花为本地演示站点，不提供真实信贷服务 · 客服热线 95000-0000（演示）</div>'
