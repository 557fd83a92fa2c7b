"""Driving a real browser through a typed profile.

Owns browser discovery and launch (`browser`, the only module that touches Playwright's launch
machinery), element finding (`locators`), the questions a run asks a person (`interaction`), the
events a run emits (`events`) and the `executor` with its one complete dispatch over step types.
The executor writes no files: evidence, progress and case tracking subscribe to its events.

May import: `assistant.profiles` and the foundation modules.
"""
