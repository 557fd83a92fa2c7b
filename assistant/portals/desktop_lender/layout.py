"""The desktop page shell of Northwind Credit: document head, top bar with the
account drop-down menu, the cookie-consent banner and the shared page script.
Class and id names are written as `§name` so the redesign variant can rename
them (see markup.apply_skin)."""

from __future__ import annotations

import json

from ..markup import apply_skin, call_after, esc
from .styles import CSS

# Ids the redesign renames outright; every other §name just gets "-v2".
REDESIGN_RENAMES = {
    "email": "login-email",
    "password": "login-secret",
    "code": "otp-input",
    "danger-zone": "account-removal",
    "confirm-word": "typed-confirmation",
}

CONSENT_COOKIE = "nw_cookie_consent"

# A fetch wrapper that follows the site's "signed out" answer, plus helpers.
BASE_JS = """
function go(href) { location.href = href; }
function escHtml(s) { return String(s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
function api(method, path, body) {
  var opts = { method: method, credentials: 'same-origin', headers: { 'Content-Type': 'application/json' } };
  if (body !== undefined) { opts.body = JSON.stringify(body); }
  return fetch(path, opts).then(function (r) {
    return r.json().catch(function () { return { ok: false, message: 'Something went wrong. Please try again.' }; })
      .then(function (data) {
        data.status = r.status;
        if (r.status === 401 && data.redirect) { location.href = data.redirect; }
        return data;
      });
  }, function () { return { ok: false, message: 'Network error. Check your connection and try again.' }; });
}
"""

MENU_JS = """
(function () {
  var chip = document.getElementById('§account-chip');
  var menu = document.getElementById('§account-menu');
  if (!chip) { return; }
  chip.addEventListener('click', function (ev) { ev.stopPropagation(); menu.classList.toggle('§open'); });
  document.addEventListener('click', function () { menu.classList.remove('§open'); });
  document.getElementById('§sign-out').addEventListener('click', function (ev) {
    ev.preventDefault();
    api('POST', '/api/signout', {}).then(function () { go('/signin'); });
  });
})();
"""

# The consent manager loads late, like a third-party script: the banner shows
# up at a moment the page cannot predict and shades everything under it.
COOKIE_JS = """
(function () {
  if (document.cookie.indexOf('__COOKIE__=') !== -1) { return; }
  function showConsent() {
    var shade = document.createElement('div');
    shade.className = '§cookie-shade';
    var box = document.createElement('section');
    box.className = '§cookie';
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-labelledby', '§cookie-title');
    box.innerHTML = '<div class="§cookie-inner"><div><h2 id="§cookie-title">We value your privacy</h2>'
      + '<p>We use cookies to keep you signed in, to understand how our site is used and to show you relevant '
      + 'offers. You can accept all cookies or keep only those that are strictly necessary.</p></div>'
      + '<div class="§cookie-buttons"><button type="button" class="§btn §btn-secondary" data-choice="necessary">'
      + 'Necessary only</button><button type="button" class="§btn §btn-primary" data-choice="all">'
      + 'Accept all cookies</button></div></div>';
    box.addEventListener('click', function (ev) {
      var choice = ev.target.getAttribute('data-choice');
      if (!choice) { return; }
      document.cookie = '__COOKIE__=' + choice + '; path=/; max-age=31536000; SameSite=Lax';
      shade.remove(); box.remove();
    });
    document.body.appendChild(shade);
    document.body.appendChild(box);
  }
  __SCHEDULE__
})();
"""


def page_data(data: dict) -> str:
    """Hand server-side decisions to the page script as a JS object."""
    return "var PAGE = " + json.dumps(data, ensure_ascii=False).replace("<", "\\u003c") + ";"


def cookie_script(delay_ms: int | None) -> str:
    if delay_ms is None:
        return ""
    return COOKIE_JS.replace("__COOKIE__", CONSENT_COOKIE).replace("__SCHEDULE__", call_after("showConsent", delay_ms))


NAV = [("overview", "Overview", "/dashboard"), ("loans", "Loans", "/loans"), ("payments", "Payments", "/payments"),
       ("documents", "Documents", "/documents")]


def topbar(*, user_name: str, email: str, current: str = "") -> str:
    initials = "".join(part[0] for part in user_name.split()[:2]).upper() or "?"
    mark = ' class="§current"'
    links = "".join(f'<a href="{href}"{mark if key == current else ""}>{label}</a>' for key, label, href in NAV)
    # The account "button" is a plain div with a click handler, as on many real sites.
    return f"""<header class="§topbar"><div class="§topbar-inner">
  <a class="§brand" href="/dashboard"><span class="§brand-mark">N</span>Northwind <small>Credit</small></a>
  <nav class="§mainnav" aria-label="Main">{links}</nav>
  <div class="§account">
    <div class="§account-chip" id="§account-chip" title="Account menu">
      <span class="§initials">{esc(initials)}</span><span>{esc(user_name)}</span><span class="§caret">▼</span></div>
    <div class="§menu" id="§account-menu" role="menu" aria-label="Account">
      <div class="§menu-head"><strong>{esc(user_name)}</strong><span>{esc(email)}</span></div>
      <a role="menuitem" href="/settings/personal">Profile</a>
      <a role="menuitem" href="/settings">Settings</a>
      <a role="menuitem" href="/documents">Statements</a>
      <a role="menuitem" href="/signin" id="§sign-out">Sign out</a>
    </div>
  </div>
</div></header>"""


def document(title: str, body: str, *, redesign: bool, script: str = "", cookie_delay_ms: int | None = None) -> str:
    markup = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=1280">
<link rel="icon" href="data:,">
<title>{esc(title)} · Northwind Credit</title>
<style>{CSS}</style>
</head>
<body>
{body}
<script>{BASE_JS}
{MENU_JS}
{script}
{cookie_script(cookie_delay_ms)}</script>
</body>
</html>
"""
    return apply_skin(markup, redesign, REDESIGN_RENAMES)


def footer() -> str:
    return ('<div class="§footer">Northwind Credit is a local practice site for closure-assistant. '
            "It offers no real credit. © 2026</div>")
