"""The mobile (H5) page shell of 示例贷: document head, nav bar, tab bar, cells,
toast and the advertisement overlay. Class and id names are written as
`§name` so the redesign variant can rename them (see markup.apply_skin)."""

from __future__ import annotations

import json

from ..markup import apply_skin, call_after, esc
from .styles import BASE_CSS, PAGE_CSS

# Ids the redesign renames outright; every other §name just gets "-v2".
REDESIGN_RENAMES = {
    "phone": "mobile",
    "password": "login-pwd",
    "agree": "agree-check",
    "next": "btn-next",
    "agreement": "agreement-box",
    "confirm-close": "btn-confirm-close",
    # The advert comes from an ad network's script, which a site update leaves alone.
    **{name: name for name in ("ad-mask", "ad-card", "ad-badge", "ad-title", "ad-cta", "ad-close")},
}

AD_TEXT = "限时福利：新用户专享 30 天免息券"


# The page scripts share these helpers: a toast, a fetch wrapper that follows
# the site's "login expired" answer, and plain navigation.
BASE_JS = """
function toast(msg) {
  var t = document.querySelector('.§toast');
  t.textContent = msg;
  t.classList.add('§show');
  clearTimeout(window.__toastTimer);
  window.__toastTimer = setTimeout(function () { t.classList.remove('§show'); }, 2000);
}
function go(href) { location.href = href; }
function api(method, path, body) {
  var opts = { method: method, credentials: 'same-origin', headers: { 'Content-Type': 'application/json' } };
  if (body !== undefined) { opts.body = JSON.stringify(body); }
  return fetch(path, opts).then(function (r) {
    return r.json().catch(function () { return { ok: false, message: '服务器繁忙，请稍后重试' }; })
      .then(function (data) {
        data.status = r.status;
        if (r.status === 401 && data.redirect) { location.href = data.redirect; }
        return data;
      });
  }, function () { return { ok: false, message: '网络异常，请检查网络后重试' }; });
}
"""

_AD_JS = """
function showAd() {
  var mask = document.createElement('div');
  mask.className = '§ad-mask';
  mask.innerHTML = '<div class="§ad-card"><span class="§ad-badge">新人专享</span>'
    + '<div class="§ad-title">__AD_TEXT__</div>'
    + '<button type="button" class="§ad-cta" onclick="go(\\'/borrow\\')">立即领取</button></div>'
    + '<span class="§ad-close" role="button" aria-label="关闭广告">×</span>';
  mask.querySelector('.§ad-close').addEventListener('click', function () { mask.remove(); });
  document.body.appendChild(mask);
}
__SCHEDULE__
"""

_TAB_ICONS = {
    "home": '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8">'
    '<path d="M3 11l9-7 9 7v9a1 1 0 0 1-1 1h-5v-6H9v6H4a1 1 0 0 1-1-1z"/></svg>',
    "borrow": '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8">'
    '<rect x="3" y="6" width="18" height="13" rx="2"/><path d="M3 10h18M7 15h4"/></svg>',
    "me": '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8">'
    '<circle cx="12" cy="8" r="4"/><path d="M4 21c1-4 4.5-6 8-6s7 2 8 6"/></svg>',
}


def page_data(data: dict) -> str:
    """Hand server-side decisions to the page script as a JS object."""
    return "var PAGE = " + json.dumps(data, ensure_ascii=False).replace("<", "\\u003c") + ";"


def navbar(title: str, back: str | None = None) -> str:
    back_link = f'<a class="§back" href="{esc(back)}" aria-label="返回">‹</a>' if back else ""
    return f'<header class="§navbar">{back_link}<h1 class="§nav-title">{esc(title)}</h1></header>'


def tabbar(active: str) -> str:
    # Real H5 sites build tabs from clickable divs, with no buttons or test ids.
    tabs = [("home", "首页", "/home"), ("borrow", "借款", "/borrow"), ("me", "我的", "/me")]
    items = "".join(
        f'<div class="§tab{" §active" if key == active else ""}" onclick="go(\'{href}\')">'
        f"{_TAB_ICONS[key]}<span>{label}</span></div>"
        for key, label, href in tabs
    )
    return f'<nav class="§tabbar">{items}</nav>'


def ad_script(delay_ms: int | None) -> str:
    """The promo overlay's script, or nothing on page views without the ad."""
    if delay_ms is None:
        return ""
    return _AD_JS.replace("__AD_TEXT__", AD_TEXT).replace("__SCHEDULE__", call_after("showAd", delay_ms))


def document(
    title: str,
    body: str,
    *,
    redesign: bool,
    script: str = "",
    tabs: str | None = None,
) -> str:
    app_class = "§app §with-tabs" if tabs else "§app"
    markup = f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1, user-scalable=no">
<meta name="format-detection" content="telephone=no">
<link rel="icon" href="data:,">
<title>{esc(title)}</title>
<style>{BASE_CSS}{PAGE_CSS}</style>
</head>
<body>
<div class="{app_class}">
{body}
</div>
{tabbar(tabs) if tabs else ""}
<div class="§toast" role="status" aria-live="polite"></div>
<script>{BASE_JS}
{script}</script>
</body>
</html>
"""
    return apply_skin(markup, redesign, REDESIGN_RENAMES)


def cell(label: str, *, href: str | None = None, toast: str | None = None, value: str = "") -> str:
    # Settings rows are clickable divs, like the real app; none are buttons.
    action = f' onclick="go(\'{esc(href)}\')"' if href else f' onclick="toast(\'{esc(toast)}\')"' if toast else ""
    kind = "§cell §link" if action else "§cell"
    tail = f' <span class="§cell-value">{esc(value)}</span>' if value else ""
    return f'<div class="{kind}"{action}><span>{esc(label)}</span>{tail}</div>'
