"""Following a closure to its end.

Owns the case store (`store`: one case per site and account, every run, in SQLite) and the
subscriber that keeps a case in step with a run (`tracking`), and the one next thing to do for a case
(`next_action`, said by `cases` and the web app's dashboard).

May import: `assistant.driving` (its events), `assistant.profiles` and the foundation modules.
Never `assistant.evidence`, the engine or a front end.
"""
