var btn = document.getElementById('{{ s.confirm_close }}');
btn.addEventListener('click', function () {
  if (!confirm('确定要注销账号吗？此操作不可撤销')) { return; }
  btn.disabled = true;
  api('POST', '/api/close/submit', {}).then(function (d) {
    if (d.ok) { go('/close/result'); return; }
    toast(d.message || '提交失败，请稍后重试');
    btn.disabled = false;
  });
});
