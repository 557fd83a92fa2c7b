"""HTML for 示例贷's closure flow, from the retention screen to the result.
Pure functions: values in, markup out. The site profile matches these
texts, so change them with care."""

from __future__ import annotations

from ..markup import esc
from . import agreement
from .layout import document, navbar, page_data


def close_retention_page(*, redesign: bool) -> str:
    back = "/settings/privacy" if redesign else "/settings/security"
    body = navbar("注销账号", back=back) + """
<div class="§section"><div class="§card §retain">
  <div class="§retain-icon">!</div>
  <p class="§retain-title">您还有 ¥50,000 可用额度，注销后将无法恢复</p>
  <div class="§lose">注销后您将失去：<br>· 专属借款额度及优惠利率<br>· 新人免息券 1 张<br>· 在本平台积累的信用记录</div>
</div>
<div class="§actions">
  <button type="button" class="§primary §big" onclick="go('/me')">我再想想</button>
  <div class="§center"><a class="§weak" href="/close/notice">仍要注销</a></div>
</div></div>"""
    return document("注销账号", body, redesign=redesign)


NOTICE_JS = """
var box = document.getElementById('§agreement');
var agree = document.getElementById('§agree');
var next = document.getElementById('§next');
function reachedEnd() {
  if (box.scrollTop + box.clientHeight >= box.scrollHeight - 4) {
    agree.disabled = false;
    document.getElementById('§read-hint').textContent = '您已阅读完毕，请勾选同意';
  }
}
box.addEventListener('scroll', reachedEnd);
agree.addEventListener('change', function () { next.disabled = !agree.checked; });
next.addEventListener('click', function () { go('/close/check'); });
"""


def close_notice_page(*, redesign: bool) -> str:
    text = "".join(f"<p>{esc(p)}</p>" for p in agreement.PARAGRAPHS)
    body = navbar("注销须知", back="/close") + f"""
<div class="§section">
  <p class="§muted" id="§read-hint">请仔细阅读协议全文，滑动至底部后方可勾选</p>
  <div class="§agreement" id="§agreement"><h3>{agreement.TITLE}</h3>{text}</div>
  <div class="§agree-row"><input type="checkbox" id="§agree" disabled>
    <label for="§agree">我已阅读并同意《账号注销协议》</label></div>
  <button type="button" id="§next" class="§primary" disabled>下一步</button>
</div>"""
    return document("注销须知", body, redesign=redesign, script=NOTICE_JS)


CHECK_JS = """
setTimeout(function () {
  api('GET', '/api/close/check').then(function (d) {
    var area = document.getElementById('§check-area');
    if (!d.ok) {
      area.innerHTML = '<p class="§center">' + (d.message || '检测失败') + '</p>'
        + '<button type="button" class="§primary" onclick="location.reload()">重新检测</button>';
    } else if (d.passed) {
      area.innerHTML = '<div class="§check-ok">注销条件检测通过</div>'
        + '<ul class="§check-list"><li>✓ 借款已全部结清</li><li>✓ 账户余额已处理</li><li>✓ 账号状态正常</li></ul>'
        + '<button type="button" class="§primary" onclick="go(\\'/close/reason\\')">下一步</button>';
    } else {
      var blocked = document.createElement('div');
      blocked.className = '§check-blocked';
      blocked.textContent = d.message;
      area.innerHTML = '';
      area.appendChild(blocked);
      area.insertAdjacentHTML('beforeend', '<div style="margin-top:20px"><button type="button" class="§primary" '
        + 'onclick="go(\\'/me\\')">我知道了</button></div>');
    }
  });
}, PAGE.checkDelay);
"""


def close_check_page(*, redesign: bool, check_delay_ms: int) -> str:
    body = navbar("注销条件检测", back="/close/notice") + """
<div class="§section"><div class="§card" id="§check-area">
  <div class="§spinner"></div><p class="§center §muted">检测中…</p>
</div></div>"""
    script = page_data({"checkDelay": check_delay_ms}) + CHECK_JS
    return document("注销条件检测", body, redesign=redesign, script=script)


REASONS = ["不再需要借款", "利率太高", "担心个人信息安全", "其他原因"]
SOURCES = ["应用商店", "朋友推荐", "广告"]

REASON_JS = """
document.getElementById('§reason-next').addEventListener('click', function () {
  var err = document.querySelector('.§form-error');
  var picked = document.querySelector('input[name="reason"]:checked');
  if (!picked) { err.textContent = '请选择注销原因'; return; }
  err.textContent = '';
  api('POST', '/api/close/reason', {
    reason: picked.value,
    source: document.getElementById('§source').value,
    suggestion: document.getElementById('§suggestion').value
  }).then(function (d) {
    if (d.ok) { go(d.redirect); } else { err.textContent = d.message; }
  });
});
"""


def close_reason_page(*, redesign: bool) -> str:
    options = "".join(
        f'<label class="§option"><input type="radio" name="reason" value="{esc(r)}"><span>{esc(r)}</span></label>'
        for r in REASONS
    )
    sources = '<option value="">请选择</option>' + "".join(f'<option value="{esc(s)}">{esc(s)}</option>' for s in SOURCES)
    body = navbar("注销原因", back="/close/check") + f"""
<div class="§section"><div class="§card">
  <p class="§q">您注销账号的原因是？</p>{options}
</div>
<div class="§card">
  <p class="§q"><label for="§source">您是从哪里了解到我们的</label></p>
  <select id="§source" name="source" class="§select">{sources}</select>
  <p class="§q">您的建议</p>
  <textarea id="§suggestion" name="suggestion" class="§textarea" placeholder="请填写您的建议（选填）"></textarea>
</div>
<div class="§form-error" role="alert"></div>
<div class="§actions"><button type="button" class="§primary" id="§reason-next">下一步</button></div>
</div>"""
    return document("注销原因", body, redesign=redesign, script=REASON_JS)


VERIFY_JS = """
var sendBtn = document.getElementById('§send-code');
var err = document.querySelector('.§form-error');
var left = 0, timer = null;
function tick() {
  if (left <= 0) {
    clearInterval(timer); timer = null;
    sendBtn.disabled = false; sendBtn.textContent = '获取验证码';
    return;
  }
  sendBtn.disabled = true;
  sendBtn.textContent = '重新发送(' + left + 's)';
  left -= 1;
}
function countdown(seconds) { left = seconds; clearInterval(timer); tick(); timer = setInterval(tick, 1000); }
if (PAGE.resendWait > 0) { countdown(PAGE.resendWait); }
sendBtn.addEventListener('click', function () {
  if (sendBtn.disabled) { return; }
  sendBtn.disabled = true;
  api('POST', '/api/sms/send', {}).then(function (d) {
    if (d.ok) { err.textContent = ''; toast('验证码已发送'); countdown(d.resend_in); return; }
    err.textContent = d.message;
    if (d.resend_in) { countdown(d.resend_in); } else { sendBtn.disabled = false; }
  });
});
document.getElementById('§verify-btn').addEventListener('click', function () {
  var code = document.getElementById('§sms-code').value.trim();
  if (!code) { err.textContent = '请输入短信验证码'; return; }
  api('POST', '/api/sms/verify', { code: code }).then(function (d) {
    if (d.ok) { go(d.redirect); return; }
    err.textContent = d.message;
    if (d.reason === 'expired') { countdown(0); }
  });
});
"""


def close_verify_page(*, redesign: bool, masked_phone: str, resend_wait_s: int) -> str:
    body = navbar("身份验证", back="/close/reason") + f"""
<div class="§section"><div class="§card">
  <p>验证码将发送至 <span class="§masked-phone">{esc(masked_phone)}</span></p>
  <div class="§code-row">
    <input id="§sms-code" name="code" type="text" inputmode="numeric" maxlength="6" autocomplete="one-time-code"
      placeholder="请输入短信验证码">
    <button type="button" class="§send-btn" id="§send-code">获取验证码</button>
  </div>
  <div class="§form-error" role="alert"></div>
</div>
<div class="§actions"><button type="button" class="§primary" id="§verify-btn">下一步</button></div>
</div>"""
    script = page_data({"resendWait": resend_wait_s}) + VERIFY_JS
    return document("身份验证", body, redesign=redesign, script=script)


CONFIRM_JS = """
var btn = document.getElementById('§confirm-close');
btn.addEventListener('click', function () {
  if (!confirm('确定要注销账号吗？此操作不可撤销')) { return; }
  btn.disabled = true;
  api('POST', '/api/close/submit', {}).then(function (d) {
    if (d.ok) { go('/close/result'); return; }
    toast(d.message || '提交失败，请稍后重试');
    btn.disabled = false;
  });
});
"""


def close_confirm_page(*, redesign: bool) -> str:
    body = navbar("注销账号", back="/close/verify") + """
<div class="§section"><div class="§card">
  <p class="§warning">注销后，您的账号信息将被删除且无法恢复</p>
  <p class="§muted">提交后，我们将对您的注销申请进行审核，审核期间账号将被冻结。</p>
</div>
<div class="§actions"><button type="button" id="§confirm-close" class="§btn §danger">确认注销</button></div>
</div>"""
    return document("确认注销", body, redesign=redesign, script=CONFIRM_JS)


def close_result_page(*, redesign: bool, application_no: str) -> str:
    body = navbar("注销账号") + f"""
<div class="§section"><div class="§card">
  <div class="§result-icon">✓</div>
  <h2 class="§result-title">注销申请已提交</h2>
  <p class="§kv">申请编号：<span class="§app-no">{esc(application_no)}</span></p>
  <p class="§kv">当前状态：审核中</p>
  <p class="§muted">我们将在15个工作日内完成审核，结果将以短信通知</p>
</div>
<div class="§actions"><button type="button" class="§primary" onclick="go('/home')">返回首页</button></div>
</div>"""
    return document("注销申请已提交", body, redesign=redesign)


def close_status_page(*, redesign: bool, application_no: str | None) -> str:
    if application_no:
        content = f"""<p class="§kv">注销申请状态：审核中</p>
  <p class="§kv">申请编号：<span class="§app-no">{esc(application_no)}</span></p>
  <p class="§muted">我们将在15个工作日内完成审核，结果将以短信通知</p>"""
    else:
        content = '<div class="§empty">暂无注销申请</div>'
    body = navbar("注销进度", back="/me") + f'<div class="§section"><div class="§card">{content}</div></div>'
    return document("注销进度", body, redesign=redesign)

