(function () {
  var chip = document.getElementById('{{ s.account_chip }}');
  var menu = document.getElementById('{{ s.account_menu }}');
  if (!chip) { return; }
  chip.addEventListener('click', function (ev) { ev.stopPropagation(); menu.classList.toggle('{{ s.open }}'); });
  document.addEventListener('click', function () { menu.classList.remove('{{ s.open }}'); });
  document.getElementById('{{ s.sign_out }}').addEventListener('click', function (ev) {
    ev.preventDefault();
    api('POST', '/api/signout', {}).then(function () { go('/signin'); });
  });
})();
