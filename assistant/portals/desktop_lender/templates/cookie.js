{% from "portal/popup.js" import schedule %}
(function () {
  if (document.cookie.indexOf('{{ consent_cookie }}=') !== -1) { return; }
  function showConsent() {
    var shade = document.createElement('div');
    shade.className = '{{ s.cookie_shade }}';
    var box = document.createElement('section');
    box.className = '{{ s.cookie }}';
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-labelledby', '{{ s.cookie_title }}');
    box.innerHTML = '<div class="{{ s.cookie_inner }}"><div><h2 id="{{ s.cookie_title }}">We value your privacy</h2>'
      + '<p>We use cookies to keep you signed in, to understand how our site is used and to show you relevant '
      + 'offers. You can accept all cookies or keep only those that are strictly necessary.</p></div>'
      + '<div class="{{ s.cookie_buttons }}"><button type="button" class="{{ s.btn }} {{ s.btn_secondary }}" data-choice="necessary">'
      + 'Necessary only</button><button type="button" class="{{ s.btn }} {{ s.btn_primary }}" data-choice="all">'
      + 'Accept all cookies</button></div></div>';
    box.addEventListener('click', function (ev) {
      var choice = ev.target.getAttribute('data-choice');
      if (!choice) { return; }
      document.cookie = '{{ consent_cookie }}=' + choice + '; path=/; max-age=31536000; SameSite=Lax';
      shade.remove(); box.remove();
    });
    document.body.appendChild(shade);
    document.body.appendChild(box);
  }
  {{ schedule("showConsent", popup) }}
})();
