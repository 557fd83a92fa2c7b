setTimeout(function () {
  api('GET', '/api/close/check').then(function (d) {
    var area = document.getElementById('{{ s.check_area }}');
    if (!d.ok) {
      area.innerHTML = '<p class="{{ s.center }}">' + (d.message || '检测失败') + '</p>'
        + '<button type="button" class="{{ s.primary }}" onclick="location.reload()">重新检测</button>';
    } else if (d.passed) {
      area.innerHTML = '<div class="{{ s.check_ok }}">注销条件检测通过</div>'
        + '<ul class="{{ s.check_list }}"><li>✓ 借款已全部结清</li><li>✓ 账户余额已处理</li><li>✓ 账号状态正常</li></ul>'
        + '<button type="button" class="{{ s.primary }}" onclick="go(\'/close/reason\')">下一步</button>';
    } else {
      var blocked = document.createElement('div');
      blocked.className = '{{ s.check_blocked }}';
      blocked.textContent = d.message;
      area.innerHTML = '';
      area.appendChild(blocked);
      area.insertAdjacentHTML('beforeend', '<div style="margin-top:20px"><button type="button" class="{{ s.primary }}" '
        + 'onclick="go(\'/me\')">我知道了</button></div>');
    }
  });
}, PAGE.checkDelay);
