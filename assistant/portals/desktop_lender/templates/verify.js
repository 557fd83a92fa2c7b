var sendBtn = document.getElementById('{{ s.send_code }}');
var err = document.querySelector('.{{ s.form_error }}');
var note = document.getElementById('{{ s.sent_note }}');
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
document.getElementById('{{ s.verify_form }}').addEventListener('submit', function (ev) {
  ev.preventDefault();
  var code = document.getElementById('{{ s.code }}').value.trim();
  if (!code) { err.textContent = 'Enter the 6-digit code from the email.'; return; }
  api('POST', '/api/signin/verify', { code: code }).then(function (d) {
    if (d.ok) { go(d.redirect); return; }
    err.textContent = d.message;
    if (d.reason === 'expired') { countdown(0); }
  });
});
