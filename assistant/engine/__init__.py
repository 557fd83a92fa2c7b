"""The small core every front end uses (the CLI, the tests, the benchmarks).

Owns one run from start to finish: starting a bundled practice portal when the profile names one,
launching the browser, running the executor with its subscribers (evidence, case tracking,
progress), and writing the report afterwards (`runner`); and `check`, which walks a profile up to
the final submit without pressing it.

May import: every layer below it (`profiles`, `driving`, `evidence`, `cases`, `portals`) and the
foundation modules. Never a front end (`assistant.cli`).
"""
