// Whole ids, never built by concatenation: a site update renames them all (see markup.apply_skin).
var PANELS = [['eligibility', '{{ s.panel_eligibility }}', '{{ s.step_eligibility }}'], ['feedback', '{{ s.panel_feedback }}', '{{ s.step_feedback }}'],
  ['confirm', '{{ s.panel_confirm }}', '{{ s.step_confirm }}']];
function show(name) {
  var at = PANELS.map(function (p) { return p[0]; }).indexOf(name);
  PANELS.forEach(function (p, i) {
    document.getElementById(p[1]).hidden = p[0] !== name;
    document.getElementById(p[2]).classList.toggle('{{ s.on }}', at >= i);
  });
  window.scrollTo(0, 0);
}
setTimeout(function () {
  api('GET', '/api/close/eligibility').then(function (d) {
    var box = document.getElementById('{{ s.eligibility_result }}');
    box.removeAttribute('aria-busy');
    if (!d.ok) {
      box.innerHTML = '<p>' + escHtml(d.message || 'We could not check your account.') + '</p>'
        + '<button type="button" class="{{ s.btn }} {{ s.btn_secondary }}" onclick="location.reload()">Try again</button>';
      return;
    }
    if (d.eligible) {
      box.innerHTML = '<div class="{{ s.ok_box }}"><strong>Your account can be closed.</strong> '
        + 'There is no balance to pay and nothing is pending.</div>'
        + '<ul class="{{ s.checklist }}"><li>Balance paid in full</li><li>No pending payments or disputes</li>'
        + '<li>No active balance transfer</li></ul>'
        + '<div class="{{ s.actions }}"><button type="button" class="{{ s.btn }} {{ s.btn_primary }}" id="{{ s.to_feedback }}">Continue</button>'
        + '</div>';
      document.getElementById('{{ s.to_feedback }}').addEventListener('click', function () { show('feedback'); });
    } else {
      box.innerHTML = '<div class="{{ s.blocked_box }}" role="alert"><strong>You can’t close your account yet.</strong> '
        + escHtml(d.message) + '</div><div class="{{ s.actions }}"><a class="{{ s.btn }} {{ s.btn_primary }}" href="/payments">'
        + 'Make a payment</a></div>';
    }
  });
}, PAGE.checkDelay);

document.getElementById('{{ s.feedback_form }}').addEventListener('submit', function (ev) {
  ev.preventDefault();
  var err = document.getElementById('{{ s.feedback_error }}');
  var reason = document.querySelector('input[name="reason"]:checked');
  var rating = document.getElementById('{{ s.rating }}').value;
  var details = document.getElementById('{{ s.details }}').value.trim();
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

var word = document.getElementById('{{ s.confirm_word }}');
var closeBtn = document.getElementById('{{ s.close_btn }}');
word.addEventListener('input', function () { closeBtn.disabled = word.value.trim() !== PAGE.confirmWord; });
var modal = document.getElementById('{{ s.password_modal }}');
var pwErr = document.getElementById('{{ s.password_error }}');
closeBtn.addEventListener('click', function () { pwErr.textContent = ''; modal.hidden = false;
  document.getElementById('{{ s.current_password }}').focus(); });
document.getElementById('{{ s.cancel_close }}').addEventListener('click', function () { modal.hidden = true; });
var finalBtn = document.getElementById('{{ s.final_close }}');
finalBtn.addEventListener('click', function () {
  var password = document.getElementById('{{ s.current_password }}').value;
  if (!password) { pwErr.textContent = 'Enter your password.'; return; }
  finalBtn.disabled = true;
  api('POST', '/api/account/close', { password: password, confirmation: word.value.trim() }).then(function (d) {
    if (d.ok) { go(d.redirect); return; }
    pwErr.textContent = d.message || 'Something went wrong. Please try again.';
    finalBtn.disabled = false;
  });
});
