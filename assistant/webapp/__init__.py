"""The local web app: everything the tool does, from a page on the person's own computer.

`closure-assistant app` serves it on 127.0.0.1 with a session token (`guard`): the sites and their
search (`sites`), the start form with the profile's closure facts, a live run page fed by
server-sent events whose questions (the code, the final yes) the page answers (`runs`: the engine's
closing logic on a worker thread), the cases dashboard (`casebook`: the one adapter over the case
store) and the evidence viewer. Pages are Jinja2 templates and one plain script (`templates/`,
`static/`); the app's own sentences are in `words`, in Chinese and English.

A front end like `assistant.cli`, which alone imports it (the `app` command).

May import: `engine`, `cases`, `evidence`, `profiles`, `driving` and the foundation modules. Never
`assistant.cli`.
"""
