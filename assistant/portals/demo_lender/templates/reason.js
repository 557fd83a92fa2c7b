document.getElementById('{{ s.reason_next }}').addEventListener('click', function () {
  var err = document.querySelector('.{{ s.form_error }}');
  var picked = document.querySelector('input[name="reason"]:checked');
  if (!picked) { err.textContent = '请选择注销原因'; return; }
  err.textContent = '';
  api('POST', '/api/close/reason', {
    reason: picked.value,
    source: document.getElementById('{{ s.source }}').value,
    suggestion: document.getElementById('{{ s.suggestion }}').value
  }).then(function (d) {
    if (d.ok) { go(d.redirect); } else { err.textContent = d.message; }
  });
});
