"""The mobile (H5) page shell of 示例贷: document head, CSS, nav bar, tab bar,
toast and the advertisement overlay. Class and id names are written as
`§name` so the redesign variant can rename them (see markup.apply_skin)."""

from __future__ import annotations

import json

from ..markup import apply_skin, esc

# Ids the redesign renames outright; every other §name just gets "-v2".
REDESIGN_RENAMES = {
    "phone": "mobile",
    "password": "login-pwd",
    "agree": "agree-check",
    "next": "btn-next",
    "agreement": "agreement-box",
    "confirm-close": "btn-confirm-close",
}

AD_TEXT = "限时福利：新用户专享 30 天免息券"

CSS = """
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; background: #f4f5f7; }
body { font-family: "Noto Sans CJK SC", "PingFang SC", sans-serif; color: #1f2329; font-size: 15px;
  -webkit-tap-highlight-color: transparent; }
a { color: inherit; }
.§app { max-width: 430px; min-height: 100vh; margin: 0 auto; background: #f4f5f7; position: relative; }
.§app.§with-tabs { padding-bottom: 72px; }
.§navbar { position: sticky; top: 0; z-index: 10; height: 46px; background: #fff; display: flex;
  align-items: center; justify-content: center; border-bottom: 1px solid #eef0f3; }
.§nav-title { margin: 0; font-size: 17px; font-weight: 600; }
.§back { position: absolute; left: 0; top: 0; width: 46px; height: 46px; display: flex; align-items: center;
  justify-content: center; font-size: 30px; color: #333; text-decoration: none; line-height: 1; }
.§hero { background: linear-gradient(160deg, #4d8dff 0%, #1f5af6 70%); color: #fff; padding: 14px 16px 64px; }
.§hero.§compact { padding-bottom: 28px; }
.§hero .§nav-title { text-align: center; color: #fff; }
.§section { padding: 0 12px; }
.§card { background: #fff; border-radius: 12px; padding: 18px 16px; margin: 12px 0;
  box-shadow: 0 2px 10px rgba(31, 90, 246, .06); }
.§hero + .§section .§card:first-child { margin-top: -50px; }
.§group { background: #fff; margin: 10px 0; border-radius: 12px; overflow: hidden; }
.§cell { display: flex; align-items: center; justify-content: space-between; min-height: 54px; padding: 0 16px;
  border-bottom: 1px solid #f2f3f5; cursor: pointer; text-decoration: none; color: #1f2329; }
.§cell:last-child { border-bottom: 0; }
.§cell.§link::after { content: "›"; color: #c0c4cc; font-size: 22px; margin-left: 8px; }
.§cell-value { color: #8a8f99; margin-left: auto; }
.§muted { color: #8a8f99; font-size: 13px; }
.§primary, .§btn { display: block; width: 100%; height: 46px; border: 0; border-radius: 23px; font-size: 16px;
  font-family: inherit; cursor: pointer; }
.§primary { background: linear-gradient(90deg, #4d8dff, #1f5af6); color: #fff;
  box-shadow: 0 6px 14px rgba(31, 90, 246, .28); }
.§primary.§big { height: 52px; border-radius: 26px; font-size: 18px; font-weight: 600; }
.§btn-plain { background: #fff; color: #f5483b; }
.§danger { background: #f5483b; color: #fff; box-shadow: 0 6px 14px rgba(245, 72, 59, .25); }
.§primary:disabled, .§btn:disabled, .§danger:disabled { opacity: .45; box-shadow: none; cursor: default; }
.§weak { display: inline-block; color: #b0b3b8; font-size: 12px; text-decoration: none; }
.§center { text-align: center; }
.§actions { padding: 24px 16px; }
.§actions > * + * { margin-top: 14px; }
.§form-error { color: #f5483b; font-size: 13px; min-height: 20px; margin: 8px 2px 0; }
.§toast { position: fixed; left: 50%; top: 42%; transform: translate(-50%, -50%); z-index: 1000; display: none;
  max-width: 72%; padding: 10px 18px; border-radius: 8px; background: rgba(0, 0, 0, .78); color: #fff;
  font-size: 14px; text-align: center; }
.§toast.§show { display: block; }
.§tabbar { position: fixed; bottom: 0; left: 50%; transform: translateX(-50%); width: 100%; max-width: 430px;
  height: 58px; z-index: 20; background: #fff; border-top: 1px solid #eef0f3; display: flex; }
.§tab { flex: 1; display: flex; flex-direction: column; align-items: center; justify-content: center;
  gap: 2px; font-size: 11px; color: #8a8f99; cursor: pointer; }
.§tab svg { width: 24px; height: 24px; }
.§tab.§active { color: #1f5af6; }
.§ad-mask { position: fixed; inset: 0; z-index: 500; background: rgba(0, 0, 0, .62); display: flex;
  flex-direction: column; align-items: center; justify-content: center; }
.§ad-card { width: 280px; border-radius: 18px; padding: 30px 22px 24px; text-align: center; color: #fff;
  background: linear-gradient(180deg, #ffa24d 0%, #ff5b1f 100%); box-shadow: 0 12px 30px rgba(0, 0, 0, .3); }
.§ad-badge { display: inline-block; font-size: 12px; padding: 2px 10px; border-radius: 10px;
  background: rgba(255, 255, 255, .25); }
.§ad-title { font-size: 20px; font-weight: 700; line-height: 1.45; margin: 14px 0 18px; }
.§ad-cta { width: 100%; height: 42px; border: 0; border-radius: 21px; background: #fff3d6; color: #ff5b1f;
  font-size: 16px; font-weight: 600; font-family: inherit; }
.§ad-close { margin-top: 22px; width: 34px; height: 34px; border: 1.5px solid #fff; border-radius: 50%;
  color: #fff; font-size: 24px; line-height: 30px; text-align: center; cursor: pointer; }
.§skeleton { background: linear-gradient(90deg, #eceef1 25%, #f6f7f9 50%, #eceef1 75%);
  background-size: 400% 100%; animation: §shimmer 1.2s infinite; border-radius: 8px; }
@keyframes §shimmer { 0% { background-position: 100% 0; } 100% { background-position: 0 0; } }
.§spinner { width: 36px; height: 36px; margin: 0 auto 12px; border-radius: 50%; border: 3px solid #dfe6ff;
  border-top-color: #1f5af6; animation: §spin .8s linear infinite; }
@keyframes §spin { to { transform: rotate(360deg); } }
"""

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
setTimeout(function () {
  var mask = document.createElement('div');
  mask.className = '§ad-mask';
  mask.innerHTML = '<div class="§ad-card"><span class="§ad-badge">新人专享</span>'
    + '<div class="§ad-title">__AD_TEXT__</div>'
    + '<button type="button" class="§ad-cta" onclick="go(\\'/borrow\\')">立即领取</button></div>'
    + '<span class="§ad-close" role="button" aria-label="关闭广告">×</span>';
  mask.querySelector('.§ad-close').addEventListener('click', function () { mask.remove(); });
  document.body.appendChild(mask);
}, __DELAY__);
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


def ad_script(delay_ms: int) -> str:
    return _AD_JS.replace("__AD_TEXT__", AD_TEXT).replace("__DELAY__", str(int(delay_ms)))


def document(
    title: str,
    body: str,
    *,
    redesign: bool,
    script: str = "",
    tabs: str | None = None,
    css: str = "",
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
<style>{CSS}{css}</style>
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
