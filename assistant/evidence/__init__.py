"""The proof a run leaves behind.

Owns the evidence bundle: the `writer` (an event subscriber that saves screenshots, page HTML and
texts with a hash-chained manifest), `bundle` (a bundle read as a closed world: only regular files
inside it, size caps checked before reading), `verify` (checks a bundle for altered, missing, added
or reordered files), and the human-readable `report` (HTML from `template`, PDF from `pdf`).

May import: `assistant.driving` (its events and browser launch), `assistant.profiles` and the
foundation modules. Never `assistant.cases`, the engine or a front end.
"""
