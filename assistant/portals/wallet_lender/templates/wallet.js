setTimeout(function () {
  api('GET', '/api/wallet').then(function (d) {
    var box = document.getElementById('{{ s.wallet }}');
    if (!d.ok) {
      box.innerHTML = '<div class="{{ s.card }}">' + escHtml(d.message || '加载失败')
        + ' <button class="{{ s.btn }} {{ s.btn_ghost }}" onclick="location.reload()">重新加载</button></div>';
      return;
    }
    var notice = d.pending_no ? '<div class="{{ s.card }}" style="margin-bottom:20px;color:#d46b08">您的账户注销申请正在审核中（受理编号：'
      + escHtml(d.pending_no) + '）<a href="/help/close-progress" style="margin-left:12px">查看进度</a></div>' : '';
    box.innerHTML = notice + '<div class="{{ s.row }}"><div class="{{ s.quota }}"><div class="{{ s.quota_label }}">可用额度（元）</div>'
      + '<div class="{{ s.quota_value }}">' + escHtml(d.available) + '</div><div class="{{ s.quota_label }}">总额度 '
      + escHtml(d.limit) + ' · 每月 10 日还款</div><button class="{{ s.btn }}" onclick="toast(\'请在随心花 App 中使用\')">'
      + '去消费</button></div><div class="{{ s.card }}"><div class="{{ s.title }}">本期账单</div><div style="font-size:30px;'
      + 'font-weight:700">' + escHtml(d.bill) + '</div><p class="{{ s.muted }}">' + escHtml(d.bill_note) + '</p></div></div>'
      + '<div class="{{ s.card }}"><div class="{{ s.title }}">常用服务</div><div class="{{ s.grid4 }}">'
      + ['分期还款', '优惠券', '提升额度', '消费记录'].map(function (n) {
          return '<div onclick="toast(\'功能升级中，敬请期待\')">' + n + '</div>';
        }).join('') + '</div></div>';
  });
}, PAGE.contentDelay);
