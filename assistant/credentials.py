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
# Backends that exist but keep nothing: saving into them would only pretend to work.
UNUSABLE_BACKENDS = ("keyring.backends.fail", "keyring.backends.null")


def service(site: str) -> str:
    return f"{SERVICE_PREFIX}:{site}"


def _index_path() -> Path:
    return user_config_dir() / "credentials-index.json"


def _read_index() -> list[list[str]]:
    try:
        pairs = json.loads(_index_path().read_text("utf-8"))
    except (OSError, ValueError):
        return []
    return [p for p in pairs if isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p)]


def _write_index(pairs: list[list[str]]) -> None:
    path = _index_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(sorted(pairs), ensure_ascii=False, indent=1), "utf-8")


class KeyringUnavailable(CredentialMissing):
    message_key = "error.keyring"


class CredentialNotStored(CredentialMissing):
    message_key = "error.credential_not_stored"


def _keyring():
    import keyring
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # noqa: BLE001 - a broken keyring configuration is "no keyring" to the user
        raise KeyringUnavailable(f"{type(exc).__name__}: {exc}") from None
    if type(backend).__module__.startswith(UNUSABLE_BACKENDS):
        raise KeyringUnavailable(f"no usable keyring backend ({type(backend).__module__})")
    return keyring


def require_keyring() -> str:
    """The backend's name, or KeyringUnavailable saying what to install."""
    b = _keyring().get_keyring()
    return f"{type(b).__module__}.{type(b).__name__}"


def backend_name() -> str:
    try:
        b = _keyring().get_keyring()
        return f"{type(b).__module__}.{type(b).__name__}"
    except KeyringUnavailable:
        return ""


def get_password(site: str, account: str) -> str | None:
    """None when nothing is stored or there is no usable keyring (the caller may prompt)."""
    try:
        return _keyring().get_password(service(site), account)
    except Exception:  # noqa: BLE001 - any backend failure means "not stored"
        return None


def set_password(site: str, account: str, password: str) -> None:
    from keyring.errors import KeyringError
    keyring = _keyring()
    try:
        keyring.set_password(service(site), account, password)
        kept = keyring.get_password(service(site), account) == password
    except KeyringError as exc:  # locked, no D-Bus session, access refused...
        raise KeyringUnavailable(f"{type(exc).__name__}: {exc}") from None
    if not kept:
        raise KeyringUnavailable("the keyring did not keep the password")
    pairs = [p for p in _read_index() if p != [site, account]] + [[site, account]]
    _write_index(pairs)


def delete_password(site: str, account: str) -> None:
    """Raises CredentialNotStored when there was nothing to delete."""
    from keyring.errors import KeyringError, PasswordDeleteError
    keyring = _keyring()
    listed = [site, account] in _read_index()
    try:
        keyring.delete_password(service(site), account)
        deleted = True
    except PasswordDeleteError:
        deleted = False
    except KeyringError as exc:
        raise KeyringUnavailable(f"{type(exc).__name__}: {exc}") from None
    _write_index([p for p in _read_index() if p != [site, account]])
    if not deleted and not listed:
        raise CredentialNotStored(f"{site} / {account}", site=site, account=account)


def list_accounts() -> list[tuple[str, str]]:
    return [(site, account) for site, account in sorted(_read_index())]


def is_stored(site: str, account: str) -> bool:
    return get_password(site, account) is not None
