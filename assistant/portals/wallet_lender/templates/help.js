setTimeout(function () {
  api('GET', '/api/help/topics').then(function (d) {
    var box = document.getElementById('{{ s.topics }}');
    if (!d.ok) { box.innerHTML = '<p>' + escHtml(d.message || '加载失败') + '</p>'; return; }
    box.innerHTML = d.topics.map(function (t, i) {
      return '<div class="{{ s.topic }}"><button type="button" class="{{ s.topic_head }}" aria-expanded="false" '
        + 'aria-controls="topic-' + i + '">' + escHtml(t.title) + '</button><ul id="topic-' + i + '" hidden>'
        + t.articles.map(function (a) { return '<li><a href="' + escHtml(a.path) + '">' + escHtml(a.title) + '</a></li>'; })
          .join('') + '</ul></div>';
    }).join('');
    box.removeAttribute('aria-busy');
    box.querySelectorAll('.{{ s.topic_head }}').forEach(function (head) {
      head.addEventListener('click', function () {
        var open = head.getAttribute('aria-expanded') === 'true';
        head.setAttribute('aria-expanded', open ? 'false' : 'true');
        document.getElementById(head.getAttribute('aria-controls')).hidden = open;
      });
    });
  });
}, PAGE.contentDelay);
