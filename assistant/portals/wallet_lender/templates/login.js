document.getElementById('{{ s.login_form }}').addEventListener('submit', function (ev) {
  ev.preventDefault();
  var err = document.querySelector('.{{ s.form_error }}');
  if (!document.getElementById('{{ s.agree }}').checked) { err.textContent = '请先阅读并勾选同意《随心花用户协议》《隐私政策》'; return; }
  err.textContent = '';
  api('POST', '/api/login', {
    phone: document.getElementById('{{ s.phone }}').value.trim(),
    password: document.getElementById('{{ s.password }}').value,
    agreed: true
  }).then(function (d) { if (d.ok) { go(d.redirect); } else { err.textContent = d.message; } });
});
