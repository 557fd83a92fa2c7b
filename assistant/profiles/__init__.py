"""Site profiles: the YAML language that describes one platform's closure path.

Owns the JSON Schema (`schema/profile.schema.json`, the single source for validation, the
reference docs and editor completion), the position-keeping YAML loader that turns a file into
typed, validated `model` objects with `file:line:column` messages, the origin rules, where
profiles are found (`registry`), and the tools that write new ones (`scaffold`, `reference`).

May import: the foundation modules (`assistant.errors`, `settings`, `messages`, `redaction`).
Never Playwright: profiles are checked before any browser starts.
"""
