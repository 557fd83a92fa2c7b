function toast(msg) {
  var t = document.querySelector('.{{ s.toast }}');
  t.textContent = msg;
  t.classList.add('{{ s.show }}');
  clearTimeout(window.__toastTimer);
  window.__toastTimer = setTimeout(function () { t.classList.remove('{{ s.show }}'); }, 2000);
}
function go(href) { location.href = href; }
function api(method, path, body) {
  var opts = { method: method, credentials: 'same-origin', headers: { 'Content-Type': 'application/json' } };
  if (body !== undefined) { opts.body = JSON.stringify(body); }
  return fetch(path, opts).then(function (r) {
    return r.json().catch(function () { return { ok: false, message: '服务器繁忙，请稍后重试' }; })
      .then(function (data) {
        data.status = r.status;
        if (r.status === 401 && data.redirect) { location.href = data.redirect; }
        return data;
      });
  }, function () { return { ok: false, message: '网络异常，请检查网络后重试' }; });
}
