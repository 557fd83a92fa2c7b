var btn = document.getElementById('{{ s.confirm_close }}');
var err = document.querySelector('.{{ s.form_error }}');
btn.addEventListener('click', function () {
  if (!confirm('确定要注销账号吗？此操作不可撤销')) { return; }
  btn.disabled = true;
  // With the code checked by this submit, the code typed on the verification page goes along.
  var body = PAGE.checkAtSubmit ? { code: sessionStorage.getItem('closeCode') || '' } : {};
  api('POST', '/api/close/submit', body).then(function (d) {
    if (d.ok) { sessionStorage.removeItem('closeCode'); go('/close/result'); return; }
    if (err) { err.textContent = d.message || '提交失败，请稍后重试'; } else { toast(d.message || '提交失败，请稍后重试'); }
    btn.disabled = false;
  });
});
