"""Passwords live in the OS keyring (macOS Keychain, Windows Credential Locker, Secret Service).

Only (site, account) pairs are remembered in a small index file so `credentials list` works;
keyring itself cannot enumerate. No secret is ever written by this module.
"""
from __future__ import annotations

import json
from pathlib import Path

from assistant.errors import CredentialMissing
from assistant.settings import user_config_dir

SERVICE_PREFIX = "closure-assistant"


def service(site: str) -> str:
    return f"{SERVICE_PREFIX}:{site}"


def _index_path() -> Path:
    return user_config_dir() / "credentials-index.json"


def _read_index() -> list[list[str]]:
    try:
        return json.loads(_index_path().read_text("utf-8"))
    except (OSError, ValueError):
        return []


def _write_index(pairs: list[list[str]]) -> None:
    path = _index_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(sorted(pairs), ensure_ascii=False, indent=1), "utf-8")


class KeyringUnavailable(CredentialMissing):
    message_key = "error.keyring"


def _keyring():
    import keyring
    from keyring.errors import NoKeyringError
    backend = keyring.get_keyring()
    if type(backend).__name__ in ("Keyring", "FailKeyring") and "fail" in type(backend).__module__:
        raise KeyringUnavailable("no keyring backend")
    return keyring, NoKeyringError


def backend_name() -> str:
    try:
        keyring, _ = _keyring()
        b = keyring.get_keyring()
        return f"{type(b).__module__}.{type(b).__name__}"
    except KeyringUnavailable:
        return ""


def get_password(site: str, account: str) -> str | None:
    """None when nothing is stored or there is no usable keyring (the caller may prompt)."""
    try:
        keyring, no_keyring = _keyring()
        return keyring.get_password(service(site), account)
    except (KeyringUnavailable, Exception):  # noqa: BLE001 - any backend failure means "not stored"
        return None


def set_password(site: str, account: str, password: str) -> None:
    keyring, no_keyring = _keyring()
    try:
        keyring.set_password(service(site), account, password)
    except no_keyring as exc:
        raise KeyringUnavailable(str(exc)) from None
    pairs = [p for p in _read_index() if p != [site, account]] + [[site, account]]
    _write_index(pairs)


def delete_password(site: str, account: str) -> bool:
    keyring, no_keyring = _keyring()
    from keyring.errors import PasswordDeleteError
    try:
        keyring.delete_password(service(site), account)
        deleted = True
    except PasswordDeleteError:
        deleted = False
    except no_keyring as exc:
        raise KeyringUnavailable(str(exc)) from None
    _write_index([p for p in _read_index() if p != [site, account]])
    return deleted


def list_accounts() -> list[tuple[str, str]]:
    return [tuple(p) for p in _read_index()]
