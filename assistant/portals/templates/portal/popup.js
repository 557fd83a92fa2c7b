{#- When this page view's pop-up shows (the portal decided, see popups.py): when the pointer reaches
    the element whose whole text is `on_hover` (the click that follows lands on the pop-up), else
    `delay_ms` after the page script runs; at once for 0, so it is already there when the page is
    ready. -#}
{% macro schedule(show, popup) -%}
{% if popup.on_hover %}
(function () {
  var wanted = {{ popup.on_hover|tojson }};
  function reached(ev) {
    for (var el = ev.target; el && el !== document.body; el = el.parentElement) {
      if ((el.textContent || '').trim() === wanted) {
        document.removeEventListener('pointerover', reached, true);
        {{ show }}();
        return;
      }
    }
  }
  document.addEventListener('pointerover', reached, true);
})();
{% elif popup.delay_ms <= 0 %}{{ show }}();{% else %}setTimeout({{ show }}, {{ popup.delay_ms }});{% endif %}
{%- endmacro %}
