setTimeout(function () {
  api('GET', '/api/overview').then(function (d) {
    var box = document.getElementById('{{ s.overview }}');
    if (!d.ok) {
      box.innerHTML = '<div class="{{ s.card }}">' + escHtml(d.message || 'We could not load your overview.')
        + ' <button type="button" class="{{ s.btn }} {{ s.btn_secondary }}" onclick="location.reload()">Try again</button></div>';
      return;
    }
    var html = '';
    if (d.pending_reference) {
      html += '<div class="{{ s.banner }}"><span>Your request to close your account (' + escHtml(d.pending_reference)
        + ') is under review.</span><a href="/settings/close-account/status">View status</a></div>';
    }
    html += '<div class="{{ s.grid }}">'
      + '<div class="{{ s.card }}"><div class="{{ s.stat_label }}">Available credit</div><div class="{{ s.stat }}">'
      + escHtml(d.available) + '</div><div class="{{ s.muted }}">of ' + escHtml(d.limit) + ' credit limit</div></div>'
      + '<div class="{{ s.card }}"><div class="{{ s.stat_label }}">Current balance</div><div class="{{ s.stat }}">'
      + escHtml(d.balance) + '</div><div class="{{ s.muted }}">' + escHtml(d.next_payment) + '</div></div>'
      + '<div class="{{ s.card }}"><div class="{{ s.stat_label }}">APR</div><div class="{{ s.stat }}">18.9%</div>'
      + '<div class="{{ s.muted }}">Variable, purchases</div></div>'
      + '<div class="{{ s.card }} {{ s.wide }}"><h2>Recent activity</h2><table class="{{ s.activity }}"><thead><tr><th>Date</th>'
      + '<th>Description</th><th class="{{ s.amount }}">Amount</th></tr></thead><tbody>'
      + d.activity.map(function (row) {
          return '<tr><td>' + escHtml(row[0]) + '</td><td>' + escHtml(row[1]) + '</td><td class="{{ s.amount }}">'
            + escHtml(row[2]) + '</td></tr>';
        }).join('')
      + '</tbody></table></div>'
      + '<div class="{{ s.card }}"><h2>Need help?</h2><p class="{{ s.muted }}">Call 1-800-555-0199, Monday to Friday, '
      + '8am–8pm ET.</p></div></div>';
    box.innerHTML = html;
  });
}, PAGE.contentDelay);
