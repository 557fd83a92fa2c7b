var toggle = document.getElementById('{{ s.danger_toggle }}');
if (toggle) {
  toggle.addEventListener('click', function () {
    var open = toggle.getAttribute('aria-expanded') === 'true';
    toggle.setAttribute('aria-expanded', open ? 'false' : 'true');
    document.getElementById('{{ s.danger_zone }}').hidden = open;
  });
}
var retention = document.getElementById('{{ s.retention }}');
document.getElementById('{{ s.close_entry }}').addEventListener('click', function () { retention.hidden = false; });
document.getElementById('{{ s.keep }}').addEventListener('click', function () { retention.hidden = true; });
