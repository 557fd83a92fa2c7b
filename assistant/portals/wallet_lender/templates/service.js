// Whole ids, never built by concatenation: a site update renames them all (see markup.apply_skin).
var PANELS = { agreement: '{{ s.panel_agreement }}', check: '{{ s.panel_check }}', retain: '{{ s.panel_retain }}', verify: '{{ s.panel_verify }}',
  confirm: '{{ s.panel_confirm }}', result: '{{ s.panel_result }}' };
var STEP_OF = { agreement: 0, check: 1, retain: 1, verify: 2, confirm: 3, result: 3 };
function show(name) {
  Object.keys(PANELS).forEach(function (p) { document.getElementById(PANELS[p]).hidden = p !== name; });
  document.querySelectorAll('.{{ s.steps }} li').forEach(function (li, i) { li.classList.toggle('{{ s.on }}', i <= STEP_OF[name]); });
  if (name === 'check') { runCheck(); }
  if (name === 'verify') { startCaptcha(); }
}

// 1. the agreement: the box must be read to its end before the tick box works
var box = document.getElementById('{{ s.agreement }}');
var agree = document.getElementById('{{ s.agree }}');
var toCheck = document.getElementById('{{ s.to_check }}');
box.addEventListener('scroll', function () {
  if (box.scrollTop + box.clientHeight >= box.scrollHeight - 4) {
    agree.disabled = false;
    document.getElementById('{{ s.read_hint }}').textContent = '您已阅读完毕，请勾选同意';
  }
});
agree.addEventListener('change', function () { toCheck.disabled = !agree.checked; });
toCheck.addEventListener('click', function () { show('check'); });

// 2. the condition check, answered late
function runCheck() {
  var area = document.getElementById('{{ s.check_area }}');
  setTimeout(function () {
    api('GET', '/api/service/check').then(function (d) {
      if (!d.ok) {
        area.innerHTML = '<p class="{{ s.center }}">' + escHtml(d.message || '检测失败') + '</p>';
        return;
      }
      if (d.passed) {
        area.innerHTML = '<div class="{{ s.ok }}">✓ 账户状态正常，可申请注销</div><div class="{{ s.center }}">'
          + '<button type="button" class="{{ s.btn }} {{ s.btn_primary }}" id="{{ s.to_retain }}">下一步</button></div>';
        document.getElementById('{{ s.to_retain }}').addEventListener('click', function () { show('retain'); });
      } else {
        area.innerHTML = '<div class="{{ s.blocked }}" role="alert">' + escHtml(d.message) + '</div>'
          + '<div class="{{ s.center }}"><button type="button" class="{{ s.btn }} {{ s.btn_primary }}" '
          + 'onclick="window.top.location.href=\'/bills\'">去还款</button></div>';
      }
    });
  }, PAGE.checkDelay);
}

// 3. retention: the big button keeps the account
document.getElementById('{{ s.keep }}').addEventListener('click', function () { window.top.location.href = '/wallet'; });
document.getElementById('{{ s.go_on }}').addEventListener('click', function (ev) { ev.preventDefault(); show('verify'); });

// 4a. the slider captcha: a person drags the piece into the gap
var solved = false, poller = null;
function captchaPassed() {
  solved = true;
  clearInterval(poller);
  var state = document.getElementById('{{ s.captcha_state }}');
  state.className = '{{ s.captcha_state }} {{ s.passed }}';
  state.textContent = '✓ 验证通过';
  document.getElementById('{{ s.slider_tip }}').textContent = '验证通过';
  document.getElementById('{{ s.sms }}').hidden = false;
}
function newChallenge() {
  api('GET', '/api/captcha').then(function (d) {
    if (!d.ok) { return; }
    var gap = document.getElementById('{{ s.gap }}'), piece = document.getElementById('{{ s.piece }}');
    gap.style.left = d.gap_x + 'px'; gap.style.top = d.gap_y + 'px'; piece.style.top = d.gap_y + 'px';
    setPosition(d.solved ? d.gap_x : 0);
    if (d.solved) { captchaPassed(); }
  });
}
function setPosition(x) {
  document.getElementById('{{ s.slider_handle }}').style.left = x + 'px';
  document.getElementById('{{ s.piece }}').style.left = x + 'px';
  document.getElementById('{{ s.slider_handle }}').setAttribute('aria-valuenow', String(Math.round(x)));
}
function startCaptcha() {
  if (solved) { return; }
  newChallenge();
  // The risk engine may also clear the check on its own (and tests solve it through a hook).
  poller = setInterval(function () {
    api('GET', '/api/captcha/status').then(function (d) {
      if (d.ok && d.solved && !solved) { setPosition(parseInt(document.getElementById('{{ s.gap }}').style.left, 10) || 0);
        captchaPassed(); }
    });
  }, 500);
}
(function () {
  var handle = document.getElementById('{{ s.slider_handle }}');
  var startX = 0, x = 0, dragging = false;
  handle.addEventListener('pointerdown', function (ev) {
    if (solved) { return; }
    dragging = true; startX = ev.clientX - x; handle.setPointerCapture(ev.pointerId);
  });
  handle.addEventListener('pointermove', function (ev) {
    if (!dragging) { return; }
    x = Math.max(0, Math.min(246, ev.clientX - startX)); setPosition(x);
  });
  handle.addEventListener('pointerup', function () {
    if (!dragging) { return; }
    dragging = false;
    api('POST', '/api/captcha/verify', { x: Math.round(x) }).then(function (d) {
      if (d.ok) { captchaPassed(); return; }
      var state = document.getElementById('{{ s.captcha_state }}');
      state.className = '{{ s.captcha_state }} {{ s.failed_captcha }}';
      state.textContent = d.message || '验证失败，请重试';
      x = 0; newChallenge();
    });
  });
})();

// 4b. the SMS code, sent only after the captcha
var sendBtn = document.getElementById('{{ s.send_code }}');
var err = document.getElementById('{{ s.sms_error }}');
var left = 0, timer = null;
function tick() {
  if (left <= 0) { clearInterval(timer); timer = null; sendBtn.disabled = false; sendBtn.textContent = '获取验证码'; return; }
  sendBtn.disabled = true; sendBtn.textContent = left + '秒后重发'; left -= 1;
}
function countdown(s) { left = s; clearInterval(timer); tick(); timer = setInterval(tick, 1000); }
if (PAGE.resendWait > 0) { countdown(PAGE.resendWait); }
sendBtn.addEventListener('click', function () {
  if (sendBtn.disabled) { return; }
  sendBtn.disabled = true;
  api('POST', '/api/sms/send', {}).then(function (d) {
    if (d.ok) {
      err.textContent = '';
      alert('验证码已发送至 ' + PAGE.maskedPhone + '，请注意查收');
      countdown(d.resend_in);
      return;
    }
    err.textContent = d.message;
    if (d.resend_in) { countdown(d.resend_in); } else { sendBtn.disabled = false; }
  });
});
document.getElementById('{{ s.verify_btn }}').addEventListener('click', function () {
  var code = document.getElementById('{{ s.sms_code }}').value.trim();
  if (!code) { err.textContent = '请输入短信验证码'; return; }
  api('POST', '/api/sms/verify', { code: code }).then(function (d) {
    if (d.ok) { show('confirm'); return; }
    err.textContent = d.message;
    if (d.reason === 'expired') { countdown(0); }
  });
});

// 5. the final submit, behind a native confirm()
var submitBtn = document.getElementById('{{ s.submit_close }}');
submitBtn.addEventListener('click', function () {
  if (!confirm('注销后账户将无法恢复，确定提交注销申请吗？')) { return; }
  submitBtn.disabled = true;
  api('POST', '/api/service/close/submit', {}).then(function (d) {
    if (d.ok) {
      document.getElementById('{{ s.app_no }}').textContent = d.application_no;
      show('result');
      return;
    }
    document.getElementById('{{ s.submit_error }}').textContent = d.message || '提交失败，请稍后重试';
    submitBtn.disabled = false;
  });
});
