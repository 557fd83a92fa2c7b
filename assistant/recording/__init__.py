"""Turning a person's clicks in a visible browser into a draft site profile.

Owns the page-side script (`recorder_script.js`) that computes user-facing locators, the
`recorder` that runs it in a headed browser, and `draft`, which turns the recorded actions into a
profile draft that validates.

May import: `assistant.driving` (browser launch), `assistant.profiles` and the foundation modules.
"""
