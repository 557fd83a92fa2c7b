"""The small core every front end uses (the CLI, the web app, the tests, the benchmarks).

Owns one run from start to finish: starting a bundled practice portal when the profile names one,
launching the browser, running the executor with its subscribers (evidence, case tracking,
progress), and writing the report afterwards (`runner`); and `check`, which walks a profile up to
the final submit without pressing it; `closing`, what `close` and `status` decide for one site/account
after another (ask the site first, resume, never submit twice, the practice portals' rules) with the
front end's questions, progress and voice as seams; `preparing`, the checklist asked once and kept in
the case and whether `close` runs the profile's prepare steps first; and `sentences`, the words said
after a run, as catalogue sentences each front end says in its own language.

May import: every layer below it (`profiles`, `driving`, `evidence`, `cases`, `portals`) and the
foundation modules. Never a front end (`assistant.cli`).
"""
