"""Keeps every secret the run learned and removes it from the site's text before it is shown or stored.

A secret is masked only as a whole token: never where it is part of a longer run of letters and
digits. A password `2026` must not turn the application number ZX20261201… into ZX●●●●1201…, and
a code `261201` must leave that number whole. Only what the site shows (page text, HTML, dialogs,
its messages) is scrubbed; the run's own records (application number, times, dates, URLs, file
names, the evidence folder) never pass through here.
"""
from __future__ import annotations

import re

MASK = "●●●●"
TOKEN_CHARS = "0-9A-Za-z"  # a secret next to one of these is part of a longer token (CJK text around it is not)


def _token_pattern(secrets: list[str]) -> str:
    parts = []
    for secret in sorted(secrets, key=len, reverse=True):
        before = f"(?<![{TOKEN_CHARS}])" if re.match(f"[{TOKEN_CHARS}]", secret[0]) else ""
        after = f"(?![{TOKEN_CHARS}])" if re.match(f"[{TOKEN_CHARS}]", secret[-1]) else ""
        parts.append(before + re.escape(secret) + after)
    return "|".join(parts)


class Redactor:
    def __init__(self):
        self._secrets: set[str] = set()
        self._text: re.Pattern | None = None
        self._bytes: re.Pattern | None = None

    def add(self, value: str | None) -> None:
        if value and len(value) >= 3 and value not in self._secrets:  # shorter values would blank out ordinary text
            self._secrets.add(value)
            self._text = self._bytes = None

    def scrub(self, text: str) -> str:
        if not self._secrets or not text:
            return text
        if self._text is None:
            self._text = re.compile(_token_pattern(list(self._secrets)))
        return self._text.sub(MASK, text)

    def scrub_bytes(self, data: bytes) -> bytes:
        if not self._secrets or not data:
            return data
        if self._bytes is None:
            self._bytes = re.compile(_token_pattern(list(self._secrets)).encode("utf-8"))
        return self._bytes.sub(MASK.encode("utf-8"), data)


def mask_account(account: str) -> str:
    """138****0001 for phones, a***@example.com for e-mail, keeps first 3 and last 4 otherwise."""
    if "@" in account:
        user, _, domain = account.partition("@")
        return (user[:1] + "***@" + domain) if user else "***@" + domain
    if len(account) <= 4:
        return "*" * len(account)
    if len(account) <= 7:
        return account[:1] + "*" * (len(account) - 3) + account[-2:]
    return account[:3] + "****" + account[-4:]
