function escHtml(s) { return String(s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
setTimeout(function () {
  api('GET', '/api/home').then(function (d) {
    var box = document.getElementById('{{ s.home_content }}');
    if (!d.ok) {
      box.innerHTML = '<div class="{{ s.card }} {{ s.center }}"><p>' + escHtml(d.message || '加载失败') + '</p>'
        + '<button type="button" class="{{ s.primary }}" onclick="location.reload()">重新加载</button></div>';
      return;
    }
    var html = '';
    if (d.pending_application_no) {
      html += '<div class="{{ s.notice }}">您的账号注销申请正在审核中（申请编号：' + escHtml(d.pending_application_no) + '）</div>';
    }
    html += '<div class="{{ s.card }}"><div class="{{ s.muted }}">示例贷 · 额度</div>'
      + '<div class="{{ s.banner_title }}">最高可借 ' + escHtml(d.max_credit) + '</div>'
      + '<div class="{{ s.muted }}">年化利率（单利）7.2% 起，以实际审批为准</div>'
      + '<div style="margin-top:16px"><button type="button" class="{{ s.primary }}" onclick="go(\'/borrow\')">'
      + '去借款</button></div></div>'
      + '<div class="{{ s.card }}"><div class="{{ s.services }}">'
      + ['账单', '提额', '客服', '会员'].map(function (name) {
          return '<div onclick="toast(\'功能升级中，敬请期待\')"><div class="{{ s.service_icon }}">' + name.charAt(0)
            + '</div>' + name + '</div>';
        }).join('')
      + '</div></div><div class="{{ s.disclaimer }}">本站为本地演示站点，不提供真实借款服务</div>';
    box.innerHTML = html;
  });
}, PAGE.contentDelay);
