"""Following a closure to its end.

Owns the case store (`store`: one case per site and account, its state to the end, every run and
every change as an event, in SQLite), the subscriber that keeps a case in step with a run
(`tracking`), and each case's one next action and the day it is due (`lifecycle`), which every front
end shows the same way.

May import: `assistant.driving` (its events), `assistant.profiles` and the foundation modules.
Never `assistant.evidence`, the engine or a front end.
"""
