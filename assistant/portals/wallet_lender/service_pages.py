"""The closure service that 随心花's help centre shows in an iframe: the
closure agreement, the condition check, a retention screen, a slider captcha
with the SMS code, and the final submit behind a native confirm(). One page,
five panels. Pure functions: values in, markup out."""

from __future__ import annotations

from ..markup import esc
from .layout import frame_document, page_data

AGREEMENT_TITLE = "随心花账户注销协议"
AGREEMENT = [
    "欢迎您使用随心花账户注销服务。在您申请注销前，请仔细阅读并充分理解本协议的全部内容。",
    "一、注销是不可恢复的操作。注销后您将无法再登录、使用随心花账户，也无法找回账户中的任何内容或信息。",
    "二、申请注销前，您的账户须同时满足：所有账单已结清；无未到期的分期；无未完成的交易；账户余额、红包及优惠券已处理。",
    "三、为保障账户安全，我们将通过安全验证和短信验证码确认是您本人在操作。",
    "四、注销申请提交后，我们将在 7 个工作日内完成审核。审核期间账户将被冻结，您可联系客服撤回申请。",
    "五、注销后，您的信用额度将被收回，已获得的红包、优惠券、会员权益视为自动放弃。",
    "六、根据《中华人民共和国个人信息保护法》等法律法规，注销后我们将删除您的个人信息或对其进行匿名化处理。",
    "七、根据《中华人民共和国反洗钱法》等法律法规，我们需在业务关系结束后保存您的身份资料和交易记录至少五年。",
    "八、注销账户不影响已报送至金融信用信息基础数据库的信息，该等信息将按相关规定保存和使用。",
    "九、如您的账户存在安全风险、争议或正处于司法、行政程序中，我们有权暂停处理您的注销申请。",
    "十、本协议未尽事宜，以《随心花用户协议》《隐私政策》为准。",
    "十一、本协议自您勾选同意之日起生效。",
    "（以下无正文）",
]

SERVICE_JS = """
// Whole ids, never built by concatenation: a site update renames them all (see markup.apply_skin).
var PANELS = { agreement: '§panel-agreement', check: '§panel-check', retain: '§panel-retain', verify: '§panel-verify',
  confirm: '§panel-confirm', result: '§panel-result' };
var STEP_OF = { agreement: 0, check: 1, retain: 1, verify: 2, confirm: 3, result: 3 };
function show(name) {
  Object.keys(PANELS).forEach(function (p) { document.getElementById(PANELS[p]).hidden = p !== name; });
  document.querySelectorAll('.§steps li').forEach(function (li, i) { li.classList.toggle('§on', i <= STEP_OF[name]); });
  if (name === 'check') { runCheck(); }
  if (name === 'verify') { startCaptcha(); }
}

// 1. the agreement: the box must be read to its end before the tick box works
var box = document.getElementById('§agreement');
var agree = document.getElementById('§agree');
var toCheck = document.getElementById('§to-check');
box.addEventListener('scroll', function () {
  if (box.scrollTop + box.clientHeight >= box.scrollHeight - 4) {
    agree.disabled = false;
    document.getElementById('§read-hint').textContent = '您已阅读完毕，请勾选同意';
  }
});
agree.addEventListener('change', function () { toCheck.disabled = !agree.checked; });
toCheck.addEventListener('click', function () { show('check'); });

// 2. the condition check, answered late
function runCheck() {
  var area = document.getElementById('§check-area');
  setTimeout(function () {
    api('GET', '/api/service/check').then(function (d) {
      if (!d.ok) {
        area.innerHTML = '<p class="§center">' + escHtml(d.message || '检测失败') + '</p>';
        return;
      }
      if (d.passed) {
        area.innerHTML = '<div class="§ok">✓ 账户状态正常，可申请注销</div><div class="§center">'
          + '<button type="button" class="§btn §btn-primary" id="§to-retain">下一步</button></div>';
        document.getElementById('§to-retain').addEventListener('click', function () { show('retain'); });
      } else {
        area.innerHTML = '<div class="§blocked" role="alert">' + escHtml(d.message) + '</div>'
          + '<div class="§center"><button type="button" class="§btn §btn-primary" '
          + 'onclick="window.top.location.href=\\'/bills\\'">去还款</button></div>';
      }
    });
  }, PAGE.checkDelay);
}

// 3. retention: the big button keeps the account
document.getElementById('§keep').addEventListener('click', function () { window.top.location.href = '/wallet'; });
document.getElementById('§go-on').addEventListener('click', function (ev) { ev.preventDefault(); show('verify'); });

// 4a. the slider captcha: a person drags the piece into the gap
var solved = false, poller = null;
function captchaPassed() {
  solved = true;
  clearInterval(poller);
  var state = document.getElementById('§captcha-state');
  state.className = '§captcha-state §passed';
  state.textContent = '✓ 验证通过';
  document.getElementById('§slider-tip').textContent = '验证通过';
  document.getElementById('§sms').hidden = false;
}
function newChallenge() {
  api('GET', '/api/captcha').then(function (d) {
    if (!d.ok) { return; }
    var gap = document.getElementById('§gap'), piece = document.getElementById('§piece');
    gap.style.left = d.gap_x + 'px'; gap.style.top = d.gap_y + 'px'; piece.style.top = d.gap_y + 'px';
    setPosition(d.solved ? d.gap_x : 0);
    if (d.solved) { captchaPassed(); }
  });
}
function setPosition(x) {
  document.getElementById('§slider-handle').style.left = x + 'px';
  document.getElementById('§piece').style.left = x + 'px';
  document.getElementById('§slider-handle').setAttribute('aria-valuenow', String(Math.round(x)));
}
function startCaptcha() {
  if (solved) { return; }
  newChallenge();
  // The risk engine may also clear the check on its own (and tests solve it through a hook).
  poller = setInterval(function () {
    api('GET', '/api/captcha/status').then(function (d) {
      if (d.ok && d.solved && !solved) { setPosition(parseInt(document.getElementById('§gap').style.left, 10) || 0);
        captchaPassed(); }
    });
  }, 500);
}
(function () {
  var handle = document.getElementById('§slider-handle');
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
      var state = document.getElementById('§captcha-state');
      state.className = '§captcha-state §failed-captcha';
      state.textContent = d.message || '验证失败，请重试';
      x = 0; newChallenge();
    });
  });
})();

// 4b. the SMS code, sent only after the captcha
var sendBtn = document.getElementById('§send-code');
var err = document.getElementById('§sms-error');
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
document.getElementById('§verify-btn').addEventListener('click', function () {
  var code = document.getElementById('§sms-code').value.trim();
  if (!code) { err.textContent = '请输入短信验证码'; return; }
  api('POST', '/api/sms/verify', { code: code }).then(function (d) {
    if (d.ok) { show('confirm'); return; }
    err.textContent = d.message;
    if (d.reason === 'expired') { countdown(0); }
  });
});

// 5. the final submit, behind a native confirm()
var submitBtn = document.getElementById('§submit-close');
submitBtn.addEventListener('click', function () {
  if (!confirm('注销后账户将无法恢复，确定提交注销申请吗？')) { return; }
  submitBtn.disabled = true;
  api('POST', '/api/service/close/submit', {}).then(function (d) {
    if (d.ok) {
      document.getElementById('§app-no').textContent = d.application_no;
      show('result');
      return;
    }
    document.getElementById('§submit-error').textContent = d.message || '提交失败，请稍后重试';
    submitBtn.disabled = false;
  });
});
"""


def service_page(*, redesign: bool, masked_phone: str, check_delay_ms: int, resend_wait_s: int) -> str:
    text = "".join(f"<p>{esc(p)}</p>" for p in AGREEMENT)
    body = f"""<div class="§svc">
  <h2>申请注销随心花账户</h2><p class="§hint" style="margin:0 0 18px">注销后账户无法恢复，请仔细阅读每一步的说明</p>
  <ol class="§steps"><li class="§on">阅读协议</li><li>条件检测</li><li>身份验证</li><li>提交申请</li></ol>

  <section class="§panel" id="§panel-agreement">
    <p class="§hint" id="§read-hint">请阅读协议全文，滑动至底部后方可勾选</p>
    <div class="§agreement" id="§agreement" role="region" aria-label="{AGREEMENT_TITLE}" tabindex="0">
      <h3>{AGREEMENT_TITLE}</h3>{text}</div>
    <label class="§agree"><input type="checkbox" id="§agree" disabled>我已阅读并同意《{AGREEMENT_TITLE}》</label>
    <div class="§center"><button type="button" class="§btn §btn-primary §btn-wide" id="§to-check" disabled>下一步</button></div>
  </section>

  <section class="§panel" id="§panel-check" hidden>
    <div id="§check-area"><div class="§spinner"></div><p class="§center §hint">正在检测账户状态…</p></div>
  </section>

  <section class="§panel" id="§panel-retain" hidden><div class="§retain">
    <div class="§retain-title">确定要离开随心花吗？</div>
    <ul><li>¥20,000 可用额度将被收回</li><li>3 张优惠券（价值 ¥45）将失效</li><li>40 天免息等会员权益将无法恢复</li></ul>
    <div><button type="button" class="§btn §btn-primary §btn-wide" id="§keep">我再想想</button></div>
    <a href="#" class="§weak" id="§go-on">继续注销</a>
  </div></section>

  <section class="§panel" id="§panel-verify" hidden>
    <div class="§captcha"><div class="§captcha-title">请完成安全验证</div>
      <div class="§puzzle"><div class="§gap" id="§gap"></div><div class="§piece" id="§piece"></div></div>
      <div class="§slider"><span class="§slider-tip" id="§slider-tip">向右拖动滑块填充拼图</span>
        <div class="§slider-handle" id="§slider-handle" role="slider" aria-label="拖动滑块完成拼图"
          aria-valuemin="0" aria-valuemax="246" aria-valuenow="0">➜</div></div>
      <div class="§captcha-state" id="§captcha-state" role="status"></div></div>
    <div class="§sms" id="§sms" hidden>
      <p>验证码将发送至 <span class="§masked-phone">{esc(masked_phone)}</span></p>
      <div class="§code-row"><input id="§sms-code" type="text" inputmode="numeric" maxlength="6"
          autocomplete="one-time-code" placeholder="请输入6位验证码">
        <button type="button" class="§btn §btn-ghost" id="§send-code">获取验证码</button></div>
      <div class="§form-error" id="§sms-error" role="alert"></div>
      <div class="§center"><button type="button" class="§btn §btn-primary §btn-wide" id="§verify-btn">验证</button></div>
    </div>
  </section>

  <section class="§panel" id="§panel-confirm" hidden>
    <p class="§warn">提交后账户将进入注销审核，审核通过后无法恢复</p>
    <p class="§hint">审核期间账户将被冻结，如需撤回请联系客服 95000-0000（演示）。</p>
    <div class="§form-error" id="§submit-error" role="alert"></div>
    <div class="§center"><button type="button" class="§btn §btn-primary §btn-wide" id="§submit-close">提交注销申请</button></div>
  </section>

  <section class="§panel" id="§panel-result" hidden><div class="§center">
    <div class="§result-icon">✓</div><h2>注销申请已受理</h2>
    <p>受理编号：<span class="§app-no" id="§app-no"></span></p>
    <p class="§hint">我们将在 7 个工作日内完成审核，审核结果将以短信通知您。</p></div>
  </section>
</div>"""
    script = page_data({"checkDelay": check_delay_ms, "resendWait": resend_wait_s, "maskedPhone": masked_phone})
    return frame_document("注销服务", body, redesign=redesign, script=script + SERVICE_JS)


def back_to_login(target: str) -> str:
    """What the service answers when the login is gone: the whole window goes to log in again."""
    return f"""<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>登录已失效</title>
<p>登录状态已失效，正在跳转…</p><script>window.top.location.replace({target!r});</script></html>"""
