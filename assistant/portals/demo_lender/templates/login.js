document.getElementById('{{ s.login_form }}').addEventListener('submit', function (ev) {
  ev.preventDefault();
  var err = document.querySelector('.{{ s.form_error }}');
  var btn = document.getElementById('{{ s.login_btn }}');
  if (!document.getElementById('{{ s.consent }}').checked) { err.textContent = '请先阅读并同意用户协议'; return; }
  err.textContent = '';
  btn.disabled = true;
  api('POST', '/api/login', {
    phone: document.getElementById('{{ s.phone }}').value.trim(),
    password: document.getElementById('{{ s.password }}').value,
    agreed: true
  }).then(function (d) {
    if (d.ok) { go(d.redirect); return; }
    err.textContent = d.message;
    btn.disabled = false;
  });
});
