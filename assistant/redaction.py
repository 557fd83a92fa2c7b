"""Keeps every secret the run learned and removes it from any text before it is shown or stored."""
from __future__ import annotations

MASK = "●●●●"


class Redactor:
    def __init__(self):
        self._secrets: set[str] = set()

    def add(self, value: str | None) -> None:
        if value and len(value) >= 3:  # shorter values would blank out ordinary text
            self._secrets.add(value)

    def scrub(self, text: str) -> str:
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, MASK)
        return text

    def scrub_bytes(self, data: bytes) -> bytes:
        for secret in sorted(self._secrets, key=len, reverse=True):
            data = data.replace(secret.encode("utf-8"), MASK.encode("utf-8"))
        return data


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
