var sendBtn = document.getElementById('{{ s.send_code }}');
var err = document.querySelector('.{{ s.form_error }}');
var left = 0, timer = null;
function tick() {
  if (left <= 0) {
    clearInterval(timer); timer = null;
    sendBtn.disabled = PAGE.locked; sendBtn.textContent = PAGE.sendLabel;
    return;
  }
  sendBtn.disabled = true;
  sendBtn.textContent = '重新发送(' + left + 's)';
  left -= 1;
}
function countdown(seconds) { left = seconds; clearInterval(timer); tick(); timer = setInterval(tick, 1000); }
if (PAGE.resendWait > 0) { countdown(PAGE.resendWait); } else if (PAGE.locked) { sendBtn.disabled = true; }
sendBtn.addEventListener('click', function () {
  if (sendBtn.disabled) { return; }
  sendBtn.disabled = true;
  api('POST', '/api/sms/send', {}).then(function (d) {
    if (d.ok) { err.textContent = ''; toast('验证码已发送'); countdown(d.resend_in); return; }
    err.textContent = d.message;
    if (d.resend_in) { countdown(d.resend_in); } else { sendBtn.disabled = false; }
  });
});
document.getElementById('{{ s.verify_btn }}').addEventListener('click', function () {
  var code = document.getElementById('{{ s.sms_code }}').value.trim();
  if (!code) { err.textContent = '请输入短信验证码'; return; }
  if (PAGE.checkAtSubmit) {  // no check here: the final submit carries the code
    sessionStorage.setItem('closeCode', code);
    go('/close/confirm');
    return;
  }
  api('POST', '/api/sms/verify', { code: code }).then(function (d) {
    if (d.ok) { go(d.redirect); return; }
    err.textContent = d.message;
    if (d.reason === 'expired') { countdown(0); }
  });
});
