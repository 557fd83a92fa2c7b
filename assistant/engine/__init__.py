"""The small core every front end uses (the CLI, the tests, the benchmarks).

Owns one run from start to finish: starting a bundled practice portal when the profile names one,
launching the browser, running the executor with its subscribers (evidence, case tracking,
progress), and writing the report afterwards (`runner`); `check`, which walks a profile up to
the final submit without pressing it; and `preparing`: the checklist asked once and kept in the case,
and whether `close` runs the profile's prepare steps first.

May import: every layer below it (`profiles`, `driving`, `evidence`, `cases`, `portals`) and the
foundation modules. Never a front end (`assistant.cli`).
"""
