document.getElementById('{{ s.signin_form }}').addEventListener('submit', function (ev) {
  ev.preventDefault();
  var err = document.querySelector('.{{ s.form_error }}');
  var btn = document.getElementById('{{ s.signin_btn }}');
  err.textContent = '';
  btn.disabled = true;
  api('POST', '/api/signin', {
    email: document.getElementById('{{ s.email }}').value.trim(),
    password: document.getElementById('{{ s.password }}').value,
    remember: document.getElementById('{{ s.remember }}').checked
  }).then(function (d) {
    if (d.ok) { go(d.redirect); return; }
    err.textContent = d.message;
    btn.disabled = false;
  });
});
