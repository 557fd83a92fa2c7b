"""After the submit, when a platform stalls: the letters that make it act, the calendar of deadlines, and
the customer-service route's script.

Owns the letters (`letters`: a follow-up to the platform and a complaint draft, written from a case and
its evidence as plain text, HTML and PDF, kept in the case's folder and recorded as a case event),
their words in one data file (`wording.yaml`, Jinja2 templates, Chinese and English), the calendar file
of every deadline and re-check date (`calendar`, with the `icalendar` package), and what a person says
and asks for when a site closes accounts only through customer service (`customer_service`).

May import: `assistant.cases`, `assistant.evidence`, `assistant.profiles` and the foundation modules.
Never the engine or a front end; a browser for the PDF is handed in by the caller.
"""
