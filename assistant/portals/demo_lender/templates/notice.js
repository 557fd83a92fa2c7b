var box = document.getElementById('{{ s.agreement }}');
var agree = document.getElementById('{{ s.agree }}');
var next = document.getElementById('{{ s.next }}');
function reachedEnd() {
  if (box.scrollTop + box.clientHeight >= box.scrollHeight - 4) {
    agree.disabled = false;
    document.getElementById('{{ s.read_hint }}').textContent = '您已阅读完毕，请勾选同意';
  }
}
box.addEventListener('scroll', reachedEnd);
agree.addEventListener('change', function () { next.disabled = !agree.checked; });
next.addEventListener('click', function () { go('/close/check'); });
