function go(href) { location.href = href; }
function escHtml(s) { return String(s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
function api(method, path, body) {
  var opts = { method: method, credentials: 'same-origin', headers: { 'Content-Type': 'application/json' } };
  if (body !== undefined) { opts.body = JSON.stringify(body); }
  return fetch(path, opts).then(function (r) {
    return r.json().catch(function () { return { ok: false, message: 'Something went wrong. Please try again.' }; })
      .then(function (data) {
        data.status = r.status;
        if (r.status === 401 && data.redirect) { location.href = data.redirect; }
        return data;
      });
  }, function () { return { ok: false, message: 'Network error. Check your connection and try again.' }; });
}
