"""HTML of Northwind Credit's everyday pages: sign-in with an e-mailed code,
the dashboard, and the settings area where the closure entry hides. Pure
functions: values in, markup out. The site profile matches these texts, so
change them with care."""

from __future__ import annotations

from ..markup import esc
from .layout import document, footer, page_data, topbar

SIGNIN_JS = """
document.getElementById('§signin-form').addEventListener('submit', function (ev) {
  ev.preventDefault();
  var err = document.querySelector('.§form-error');
  var btn = document.getElementById('§signin-btn');
  err.textContent = '';
  btn.disabled = true;
  api('POST', '/api/signin', {
    email: document.getElementById('§email').value.trim(),
    password: document.getElementById('§password').value,
    remember: document.getElementById('§remember').checked
  }).then(function (d) {
    if (d.ok) { go(d.redirect); return; }
    err.textContent = d.message;
    btn.disabled = false;
  });
});
"""


def _auth_shell(title: str, card: str, *, redesign: bool, script: str, cookie_delay_ms: int | None) -> str:
    body = f"""<main class="§auth">
  <section class="§auth-art">
    <a class="§brand" href="/signin"><span class="§brand-mark">N</span>Northwind <small>Credit</small></a>
    <div><h2>Credit that works around your life.</h2>
      <p>Manage your Northwind Flex Line, make payments and download statements — all in one place.</p></div>
    <p class="§muted">Member FDIC lookalike · Equal Housing Lender lookalike · practice site only</p>
  </section>
  <section class="§auth-panel"><div class="§auth-card">{card}</div></section>
</main>"""
    return document(title, body, redesign=redesign, script=script, cookie_delay_ms=cookie_delay_ms)


def signin_page(*, redesign: bool, expired: bool, cookie_delay_ms: int | None) -> str:
    notice = "Your session has expired. Please sign in again." if expired else ""
    card = f"""<h1>Sign in</h1>
<p class="§lead">Welcome back to Northwind Credit.</p>
<div class="§notice" role="status">{notice}</div>
<form id="§signin-form" novalidate>
  <div class="§field"><label for="§email">Email address</label>
    <input id="§email" name="email" type="email" autocomplete="username" placeholder="you@example.com"></div>
  <div class="§field"><label for="§password">Password</label>
    <input id="§password" name="password" type="password" autocomplete="current-password"></div>
  <div class="§row"><label><input type="checkbox" id="§remember"> Keep me signed in</label>
    <a href="#" onclick="return false">Forgot password?</a></div>
  <button type="submit" class="§btn §btn-primary §btn-block" id="§signin-btn">Sign in</button>
  <div class="§form-error" role="alert"></div>
</form>
<p class="§muted" style="margin-top:28px">New to Northwind? <a href="#" onclick="return false">Apply for a Flex Line</a></p>"""
    return _auth_shell("Sign in", card, redesign=redesign, script=SIGNIN_JS, cookie_delay_ms=cookie_delay_ms)


VERIFY_JS = """
var sendBtn = document.getElementById('§send-code');
var err = document.querySelector('.§form-error');
var note = document.getElementById('§sent-note');
var left = 0, timer = null;
function tick() {
  if (left <= 0) {
    clearInterval(timer); timer = null;
    sendBtn.disabled = false;
    sendBtn.textContent = PAGE.everSent ? 'Resend code' : 'Send code';
    return;
  }
  sendBtn.disabled = true;
  sendBtn.textContent = 'Resend in ' + left + 's';
  left -= 1;
}
function countdown(seconds) { left = seconds; clearInterval(timer); tick(); timer = setInterval(tick, 1000); }
if (PAGE.resendWait > 0) { countdown(PAGE.resendWait); }
sendBtn.addEventListener('click', function () {
  if (sendBtn.disabled) { return; }
  sendBtn.disabled = true;
  api('POST', '/api/signin/send-code', {}).then(function (d) {
    if (d.ok) {
      PAGE.everSent = true;
      err.textContent = '';
      note.textContent = 'We sent a code to ' + PAGE.maskedEmail + '. It expires in 10 minutes.';
      countdown(d.resend_in);
      return;
    }
    err.textContent = d.message;
    if (d.resend_in) { countdown(d.resend_in); } else { sendBtn.disabled = false; }
  });
});
document.getElementById('§verify-form').addEventListener('submit', function (ev) {
  ev.preventDefault();
  var code = document.getElementById('§code').value.trim();
  if (!code) { err.textContent = 'Enter the 6-digit code from the email.'; return; }
  api('POST', '/api/signin/verify', { code: code }).then(function (d) {
    if (d.ok) { go(d.redirect); return; }
    err.textContent = d.message;
    if (d.reason === 'expired') { countdown(0); }
  });
});
"""


def verify_page(*, redesign: bool, masked_email: str, resend_wait_s: int, ever_sent: bool,
                cookie_delay_ms: int | None) -> str:
    card = f"""<h1>Verify it's you</h1>
<p class="§lead">To keep your account secure, we'll email a 6-digit code to
  <strong class="§masked-email">{esc(masked_email)}</strong>.</p>
<div class="§notice" id="§sent-note" role="status"></div>
<form id="§verify-form" novalidate>
  <div class="§field"><label for="§code">Verification code</label>
    <div class="§code-row"><input id="§code" name="code" type="text" inputmode="numeric" maxlength="6"
      autocomplete="one-time-code">
      <button type="button" class="§btn §btn-secondary" id="§send-code">Send code</button></div>
    <p class="§hint">Didn't get it? Check your spam folder, or wait and request a new code.</p></div>
  <button type="submit" class="§btn §btn-primary §btn-block">Verify</button>
  <div class="§form-error" role="alert"></div>
</form>
<p class="§muted" style="margin-top:24px"><a href="/signin">Use a different account</a></p>"""
    script = page_data({"resendWait": resend_wait_s, "maskedEmail": masked_email, "everSent": ever_sent}) + VERIFY_JS
    return _auth_shell("Verify it's you", card, redesign=redesign, script=script, cookie_delay_ms=cookie_delay_ms)


DASHBOARD_JS = """
setTimeout(function () {
  api('GET', '/api/overview').then(function (d) {
    var box = document.getElementById('§overview');
    if (!d.ok) {
      box.innerHTML = '<div class="§card">' + escHtml(d.message || 'We could not load your overview.')
        + ' <button type="button" class="§btn §btn-secondary" onclick="location.reload()">Try again</button></div>';
      return;
    }
    var html = '';
    if (d.pending_reference) {
      html += '<div class="§banner"><span>Your request to close your account (' + escHtml(d.pending_reference)
        + ') is under review.</span><a href="/settings/close-account/status">View status</a></div>';
    }
    html += '<div class="§grid">'
      + '<div class="§card"><div class="§stat-label">Available credit</div><div class="§stat">'
      + escHtml(d.available) + '</div><div class="§muted">of ' + escHtml(d.limit) + ' credit limit</div></div>'
      + '<div class="§card"><div class="§stat-label">Current balance</div><div class="§stat">'
      + escHtml(d.balance) + '</div><div class="§muted">' + escHtml(d.next_payment) + '</div></div>'
      + '<div class="§card"><div class="§stat-label">APR</div><div class="§stat">18.9%</div>'
      + '<div class="§muted">Variable, purchases</div></div>'
      + '<div class="§card §wide"><h2>Recent activity</h2><table class="§activity"><thead><tr><th>Date</th>'
      + '<th>Description</th><th class="§amount">Amount</th></tr></thead><tbody>'
      + d.activity.map(function (row) {
          return '<tr><td>' + escHtml(row[0]) + '</td><td>' + escHtml(row[1]) + '</td><td class="§amount">'
            + escHtml(row[2]) + '</td></tr>';
        }).join('')
      + '</tbody></table></div>'
      + '<div class="§card"><h2>Need help?</h2><p class="§muted">Call 1-800-555-0199, Monday to Friday, '
      + '8am–8pm ET.</p></div></div>';
    box.innerHTML = html;
  });
}, PAGE.contentDelay);
"""


def dashboard_page(*, redesign: bool, user_name: str, email: str, content_delay_ms: int,
                   cookie_delay_ms: int | None) -> str:
    first = user_name.split()[0] if user_name else "there"
    skeleton = '<div class="§card"><div class="§skeleton" style="height:14px;width:40%"></div>' \
               '<div class="§skeleton" style="height:34px;width:70%;margin:14px 0"></div>' \
               '<div class="§skeleton" style="height:12px;width:55%"></div></div>'
    body = topbar(user_name=user_name, email=email, current="overview") + f"""
<main class="§page">
  <h1>Account overview</h1>
  <p class="§lead">Good to see you, {esc(first)}.</p>
  <div id="§overview" aria-busy="true"><div class="§grid">{skeleton * 3}</div></div>
</main>{footer()}"""
    script = page_data({"contentDelay": content_delay_ms}) + DASHBOARD_JS
    return document("Overview", body, redesign=redesign, script=script, cookie_delay_ms=cookie_delay_ms)


def simple_page(*, redesign: bool, user_name: str, email: str, current: str, title: str, content: str,
                cookie_delay_ms: int | None) -> str:
    body = topbar(user_name=user_name, email=email, current=current) + f"""
<main class="§page"><h1>{esc(title)}</h1><div class="§card" style="margin-top:20px">{content}</div></main>{footer()}"""
    return document(title, body, redesign=redesign, cookie_delay_ms=cookie_delay_ms)


SETTINGS_TABS = [
    ("personal", "Personal details"),
    ("security", "Sign-in & security"),
    ("communication", "Communication"),
    ("account", "Account"),
]
REDESIGN_TABS = SETTINGS_TABS + [("privacy", "Privacy & data")]


def settings_page(*, redesign: bool, user_name: str, email: str, tab: str, content: str, script: str = "",
                  cookie_delay_ms: int | None) -> str:
    tabs = REDESIGN_TABS if redesign else SETTINGS_TABS
    mark = ' class="§current" aria-current="page"'
    links = "".join(f'<a href="/settings/{key}"{mark if key == tab else ""}>{label}</a>' for key, label in tabs)
    body = topbar(user_name=user_name, email=email) + f"""
<main class="§page">
  <h1>Settings</h1>
  <p class="§lead">Manage your details, sign-in options and your Northwind account.</p>
  <div class="§settings">
    <nav class="§sidenav" aria-label="Settings">{links}</nav>
    <div>{content}</div>
  </div>
</main>{footer()}"""
    return document("Settings", body, redesign=redesign, script=script, cookie_delay_ms=cookie_delay_ms)


def personal_content(*, user_name: str, email: str) -> str:
    return f"""<section class="§card"><h2>Personal details</h2><dl class="§kv">
  <dt>Name</dt><dd>{esc(user_name)}</dd><dt>Email address</dt><dd>{esc(email)}</dd>
  <dt>Mobile phone</dt><dd>(•••) •••-0142</dd><dt>Mailing address</dt><dd>•••• Harbor Street, Portland, OR</dd>
</dl></section>"""


def security_content() -> str:
    return """<section class="§card"><h2>Sign-in &amp; security</h2><dl class="§kv">
  <dt>Password</dt><dd>Last changed 4 months ago</dd>
  <dt>Two-step verification</dt><dd>On — code by email</dd>
  <dt>Recent sign-ins</dt><dd>Chrome on Linux · today</dd>
</dl></section>"""


def communication_content() -> str:
    return """<section class="§card"><h2>Communication</h2><dl class="§kv">
  <dt>Paperless statements</dt><dd><span class="§toggle" aria-label="On"></span></dd>
  <dt>Offers by email</dt><dd><span class="§toggle" aria-label="On"></span></dd>
</dl></section>"""


RETENTION_MODAL = """
<div class="§backdrop" id="§retention" hidden>
  <div class="§modal" role="dialog" aria-modal="true" aria-labelledby="§retention-title">
    <h2 id="§retention-title">Before you go…</h2>
    <p>You still have <strong>$15,000.00</strong> of available credit and a <strong>0% APR balance transfer
      offer</strong> reserved for you until March. Closing your account cancels both, and reopening later
      means a new application and a new credit check.</p>
    <div class="§modal-actions">
      <button type="button" class="§btn §btn-primary §btn-block" id="§keep">Keep my account</button>
      <a class="§small-link" href="/settings/close-account">__CONTINUE__</a>
    </div>
  </div>
</div>"""

CLOSE_ENTRY_JS = """
var toggle = document.getElementById('§danger-toggle');
if (toggle) {
  toggle.addEventListener('click', function () {
    var open = toggle.getAttribute('aria-expanded') === 'true';
    toggle.setAttribute('aria-expanded', open ? 'false' : 'true');
    document.getElementById('§danger-zone').hidden = open;
  });
}
var retention = document.getElementById('§retention');
document.getElementById('§close-entry').addEventListener('click', function () { retention.hidden = false; });
document.getElementById('§keep').addEventListener('click', function () { retention.hidden = true; });
"""


def account_content(*, pending_reference: str | None, redesign: bool) -> tuple[str, str]:
    details = """<section class="§card"><h2>Account details</h2><dl class="§kv">
  <dt>Product</dt><dd>Northwind Flex Line</dd><dt>Account number</dt><dd>•••• 4821</dd>
  <dt>Opened</dt><dd>June 2021</dd><dt>Credit limit</dt><dd>$15,000.00</dd>
</dl></section>"""
    if pending_reference:
        notice = f"""<section class="§card" style="margin-top:20px"><h2>Account closure</h2>
<p>Your request to close this account ({esc(pending_reference)}) is under review.
  <a href="/settings/close-account/status">View status</a></p></section>"""
        return details + notice, ""
    if redesign:  # the site update moved closure to "Privacy & data"
        return details, ""
    # Collapsed by default; the "Close account" control is a clickable div, not a button.
    danger = """<section class="§card §danger" style="margin-top:20px">
  <button type="button" class="§danger-toggle" id="§danger-toggle" aria-expanded="false"
    aria-controls="§danger-zone">Danger zone</button>
  <div class="§danger-body" id="§danger-zone" hidden>
    <div><h3>Close your Northwind account</h3>
      <p>Closing is permanent. You must pay any balance first. We keep records as the law requires.</p></div>
    <div class="§btn §btn-danger-outline" id="§close-entry">Close account</div>
  </div>
</section>"""
    return details + danger + RETENTION_MODAL.replace("__CONTINUE__", "Continue to close account"), CLOSE_ENTRY_JS


def privacy_content(*, pending_reference: str | None) -> tuple[str, str]:
    data = """<section class="§card"><h2>Privacy &amp; data</h2><dl class="§kv">
  <dt>Download your data</dt><dd><a href="#" onclick="return false">Request a copy</a></dd>
  <dt>Marketing partners</dt><dd>Not shared</dd>
</dl></section>"""
    if pending_reference:
        return data, ""
    removal = """<section class="§card" style="margin-top:20px">
  <h2>Delete your account</h2>
  <p class="§muted">Deleting your account is permanent. Pay any balance first.</p>
  <div class="§btn §btn-danger" id="§close-entry">Delete account</div>
</section>"""
    script = CLOSE_ENTRY_JS
    return data + removal + RETENTION_MODAL.replace("__CONTINUE__", "Continue to delete account"), script
