"""Keeping proof of a run.

Owns the evidence writer (`writer`: an event subscriber that turns a run into screenshots, texts and a
hash-chained manifest), `verify` (is a bundle intact, partial, or what was changed), and the report for
people (`report`, `template`, `pdf`: report.html and report.pdf, made from a bundle after the run).

May import: `assistant.driving` (its events), `assistant.profiles` and the foundation modules.
"""
