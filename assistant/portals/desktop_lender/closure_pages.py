"""HTML of Northwind Credit's closure wizard (eligibility, feedback, typed
confirmation, password re-entry) and the pages after it. Pure functions:
values in, markup out. The site profile matches these texts."""

from __future__ import annotations

from ..markup import esc
from .layout import document, footer, page_data, topbar

REASONS = [
    "I found a better offer elsewhere",
    "I no longer need a credit line",
    "Fees or interest are too high",
    "I'm worried about my data",
    "Other reason",
]
SATISFACTION = ["Very satisfied", "Satisfied", "Neutral", "Dissatisfied", "Very dissatisfied"]
CONFIRM_WORD = "CLOSE"
MIN_DETAILS = 10

WIZARD_JS = """
// Whole ids, never built by concatenation: a site update renames them all (see markup.apply_skin).
var PANELS = [['eligibility', '§panel-eligibility', '§step-eligibility'], ['feedback', '§panel-feedback', '§step-feedback'],
  ['confirm', '§panel-confirm', '§step-confirm']];
function show(name) {
  var at = PANELS.map(function (p) { return p[0]; }).indexOf(name);
  PANELS.forEach(function (p, i) {
    document.getElementById(p[1]).hidden = p[0] !== name;
    document.getElementById(p[2]).classList.toggle('§on', at >= i);
  });
  window.scrollTo(0, 0);
}
setTimeout(function () {
  api('GET', '/api/close/eligibility').then(function (d) {
    var box = document.getElementById('§eligibility-result');
    box.removeAttribute('aria-busy');
    if (!d.ok) {
      box.innerHTML = '<p>' + escHtml(d.message || 'We could not check your account.') + '</p>'
        + '<button type="button" class="§btn §btn-secondary" onclick="location.reload()">Try again</button>';
      return;
    }
    if (d.eligible) {
      box.innerHTML = '<div class="§ok-box"><strong>Your account can be closed.</strong> '
        + 'There is no balance to pay and nothing is pending.</div>'
        + '<ul class="§checklist"><li>Balance paid in full</li><li>No pending payments or disputes</li>'
        + '<li>No active balance transfer</li></ul>'
        + '<div class="§actions"><button type="button" class="§btn §btn-primary" id="§to-feedback">Continue</button>'
        + '</div>';
      document.getElementById('§to-feedback').addEventListener('click', function () { show('feedback'); });
    } else {
      box.innerHTML = '<div class="§blocked-box" role="alert"><strong>You can’t close your account yet.</strong> '
        + escHtml(d.message) + '</div><div class="§actions"><a class="§btn §btn-primary" href="/payments">'
        + 'Make a payment</a></div>';
    }
  });
}, PAGE.checkDelay);

document.getElementById('§feedback-form').addEventListener('submit', function (ev) {
  ev.preventDefault();
  var err = document.getElementById('§feedback-error');
  var reason = document.querySelector('input[name="reason"]:checked');
  var rating = document.getElementById('§rating').value;
  var details = document.getElementById('§details').value.trim();
  if (!reason) { err.textContent = 'Choose a reason.'; return; }
  if (!rating) { err.textContent = 'Tell us how satisfied you were.'; return; }
  if (details.length < PAGE.minDetails) {
    err.textContent = 'Please tell us a little more (at least ' + PAGE.minDetails + ' characters).'; return;
  }
  err.textContent = '';
  api('POST', '/api/close/feedback', { reason: reason.value, rating: rating, details: details }).then(function (d) {
    if (d.ok) { show('confirm'); } else { err.textContent = d.message; }
  });
});

var word = document.getElementById('§confirm-word');
var closeBtn = document.getElementById('§close-btn');
word.addEventListener('input', function () { closeBtn.disabled = word.value.trim() !== PAGE.confirmWord; });
var modal = document.getElementById('§password-modal');
var pwErr = document.getElementById('§password-error');
closeBtn.addEventListener('click', function () { pwErr.textContent = ''; modal.hidden = false;
  document.getElementById('§current-password').focus(); });
document.getElementById('§cancel-close').addEventListener('click', function () { modal.hidden = true; });
var finalBtn = document.getElementById('§final-close');
finalBtn.addEventListener('click', function () {
  var password = document.getElementById('§current-password').value;
  if (!password) { pwErr.textContent = 'Enter your password.'; return; }
  finalBtn.disabled = true;
  api('POST', '/api/account/close', { password: password, confirmation: word.value.trim() }).then(function (d) {
    if (d.ok) { go(d.redirect); return; }
    pwErr.textContent = d.message || 'Something went wrong. Please try again.';
    finalBtn.disabled = false;
  });
});
"""


def close_wizard_page(*, redesign: bool, user_name: str, email: str, check_delay_ms: int,
                      cookie_delay_ms: int | None) -> str:
    reasons = "".join(
        f'<label class="§choice"><input type="radio" name="reason" value="{esc(r)}"> {esc(r)}</label>' for r in REASONS
    )
    ratings = '<option value="">Choose one</option>' + "".join(f"<option>{esc(r)}</option>" for r in SATISFACTION)
    skeleton = '<div class="§skeleton" style="height:54px;margin-bottom:18px"></div>' \
               '<div class="§skeleton" style="height:14px;width:60%;margin-bottom:10px"></div>' \
               '<div class="§skeleton" style="height:14px;width:45%"></div>'
    body = topbar(user_name=user_name, email=email) + f"""
<main class="§page"><div class="§wizard">
  <p class="§muted"><a href="/settings/account">Settings</a> › Close account</p>
  <h1>Close your account</h1>
  <p class="§lead">Three short steps. You can stop at any time before the last one.</p>
  <ol class="§stepper">
    <li id="§step-eligibility" class="§on">1. Eligibility</li><li id="§step-feedback">2. Feedback</li>
    <li id="§step-confirm">3. Confirm</li></ol>

  <section class="§card §panel" id="§panel-eligibility">
    <h2>Checking your account</h2>
    <div id="§eligibility-result" aria-busy="true">{skeleton}</div>
  </section>

  <section class="§card §panel" id="§panel-feedback" hidden>
    <h2>Help us improve</h2>
    <form id="§feedback-form" novalidate>
      <fieldset class="§field"><legend>Why are you closing your account?</legend>{reasons}</fieldset>
      <div class="§field"><label for="§rating">How satisfied were you with Northwind Credit?</label>
        <select id="§rating" name="rating">{ratings}</select></div>
      <div class="§field"><label for="§details">Tell us more</label>
        <textarea id="§details" name="details" placeholder="What could we have done better?"></textarea>
        <p class="§hint">Required, at least {MIN_DETAILS} characters.</p></div>
      <div class="§form-error" id="§feedback-error" role="alert"></div>
      <div class="§actions"><a class="§btn §btn-secondary" href="/dashboard">Cancel</a>
        <button type="submit" class="§btn §btn-primary">Continue</button></div>
    </form>
  </section>

  <section class="§card §panel" id="§panel-confirm" hidden>
    <h2>Confirm closing your account</h2>
    <ul class="§consequences">
      <li>You will no longer be able to sign in or use your Flex Line.</li>
      <li>Your available credit of $15,000.00 will be cancelled.</li>
      <li>We keep statements and records for as long as the law requires.</li>
      <li>Closing does not remove your payment history from credit reports.</li>
    </ul>
    <div class="§field"><label for="§confirm-word">Type {CONFIRM_WORD} to confirm</label>
      <input id="§confirm-word" name="confirm_word" type="text" autocomplete="off" spellcheck="false">
      <p class="§hint">Type the word <span class="§confirm-word">{CONFIRM_WORD}</span> in capital letters.</p></div>
    <div class="§actions"><a class="§btn §btn-secondary" href="/dashboard">Keep my account</a>
      <button type="button" class="§btn §btn-danger" id="§close-btn" disabled>Close my account</button></div>
  </section>
</div></main>
<div class="§backdrop" id="§password-modal" hidden>
  <div class="§modal" role="dialog" aria-modal="true" aria-labelledby="§password-title">
    <h2 id="§password-title">Confirm your password</h2>
    <p>For your security, enter your password to confirm that you want to close your account.</p>
    <div class="§field"><label for="§current-password">Current password</label>
      <input id="§current-password" type="password" autocomplete="current-password"></div>
    <div class="§form-error" id="§password-error" role="alert"></div>
    <div class="§actions"><button type="button" class="§btn §btn-secondary" id="§cancel-close">Cancel</button>
      <button type="button" class="§btn §btn-danger" id="§final-close">Confirm closure</button></div>
  </div>
</div>{footer()}"""
    script = page_data({"checkDelay": check_delay_ms, "confirmWord": CONFIRM_WORD, "minDetails": MIN_DETAILS})
    return document("Close your account", body, redesign=redesign, script=script + WIZARD_JS,
                    cookie_delay_ms=cookie_delay_ms)


def submitted_page(*, redesign: bool, user_name: str, email: str, masked_email: str, reference: str,
                   review_days: int, cookie_delay_ms: int | None) -> str:
    body = topbar(user_name=user_name, email=email) + f"""
<main class="§page"><div class="§wizard"><section class="§card">
  <div class="§result-icon">✓</div>
  <h1>We've received your request to close your account</h1>
  <dl class="§kv" style="margin:22px 0">
    <dt>Reference number</dt><dd class="§ref">{esc(reference)}</dd>
    <dt>Status</dt><dd>Pending review</dd>
  </dl>
  <p>We will review your request within {review_days} business days and email the result to
    {esc(masked_email)}. Until then you can still sign in to check its status.</p>
  <div class="§actions" style="justify-content:flex-start;margin-top:22px"><a class="§btn §btn-primary" href="/dashboard">
    Back to overview</a></div>
</section></div></main>{footer()}"""
    return document("Request received", body, redesign=redesign, cookie_delay_ms=cookie_delay_ms)


def status_page(*, redesign: bool, user_name: str, email: str, reference: str | None, submitted_on: str,
                cookie_delay_ms: int | None) -> str:
    if reference:
        content = f"""<h2>Closure request</h2><dl class="§kv">
    <dt>Reference number</dt><dd class="§ref">{esc(reference)}</dd>
    <dt>Submitted</dt><dd>{esc(submitted_on)}</dd>
    <dt>Status</dt><dd>Pending review</dd></dl>"""
    else:
        content = "<h2>Closure request</h2><p>You have no open request to close your account.</p>"
    body = topbar(user_name=user_name, email=email) + f"""
<main class="§page"><div class="§wizard"><h1>Account closure status</h1>
<section class="§card" style="margin-top:20px">{content}</section></div></main>{footer()}"""
    return document("Closure status", body, redesign=redesign, cookie_delay_ms=cookie_delay_ms)
