{#- When a page view's pop-up shows: at once for 0, so a pop-up pinned to "immediately" is
    already there when the page is ready; else that many ms after the page script runs. -#}
{% macro schedule(show, delay_ms) -%}
{% if delay_ms <= 0 %}{{ show }}();{% else %}setTimeout({{ show }}, {{ delay_ms }});{% endif %}
{%- endmacro %}
