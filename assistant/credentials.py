"""Passwords live in the OS keyring (macOS Keychain, Windows Credential Locker, Secret Service), and
only in one that keeps them encrypted.

A Python keyring "backend" may also be a plain file (keyrings.alt's PlaintextKeyring keeps passwords
base64-encoded in ~/.local/share/python_keyring), or nothing at all (keyring's fail backend on a
headless machine). Before a password is saved, the backend that would keep it is judged
(`check_backend`): known to encrypt, or declared by the backend itself to encrypt, is safe; known
to keep passwords in clear, marked by its own maker as not recommended (priority below 1), or
unusable is refused, and `credentials set` says what to do instead. A backend this module does
not know but whose maker recommends it (priority 1 or more) is used, and `doctor` says so.
Passwords are read only from a safe backend; a refused one can still delete what it holds.

Only (site, account) pairs are remembered in a small index file so `credentials list` works;
keyring itself cannot enumerate. No secret is ever written by this module.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import CredentialMissing
from assistant.settings import user_config_dir

SERVICE_PREFIX = "closure-assistant"
# Backends that exist but keep nothing: saving into them would only pretend to work.
UNUSABLE_BACKENDS = ("keyring.backends.fail", "keyring.backends.null")
# Backends known to keep passwords encrypted (by the OS, a keyring daemon, or a master password).
ENCRYPTING_BACKENDS = (
    "keyring.backends.macOS.Keyring",
    "keyring.backends.Windows.WinVaultKeyring",
    "keyring.backends.SecretService.Keyring",  # GNOME Keyring, KeePassXC, KWallet through D-Bus
    "keyring.backends.libsecret.Keyring",
    "keyring.backends.kwallet.DBusKeyring",
    "keyring.backends.kwallet.DBusKeyringKWallet4",
    "keyrings.cryptfile.cryptfile.CryptFileKeyring",  # Argon2 + AES, asks for a master password
    "keyrings.alt.file.EncryptedKeyring",  # AES, asks for a master password
    "keyrings.alt.Windows.EncryptedKeyring",  # Windows DPAPI
    "keyrings.alt.Windows.RegistryKeyring",  # Windows DPAPI
)
# Backends known to keep passwords readable: in clear or only encoded (base64 is not encryption).
CLEAR_TEXT_BACKENDS = ("keyrings.alt.file.PlaintextKeyring", "keyrings.alt.pyfs.PlaintextKeyring",
                       "keyrings.cryptfile.file.PlaintextKeyring")
# A backend's way to say it encrypts, for one this module cannot know (the test suite's own backend):
# a class attribute, so no setting a user could flip turns the check off.
DECLARES_ENCRYPTION = "closure_assistant_encrypts"


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


class KeyringKeepsClearText(CredentialMissing):
    """The backend would keep the password readable on disk: nothing is saved."""
    message_key = "error.keyring_clear"


class KeyringNotRecommended(CredentialMissing):
    """The backend's own maker marks it as not recommended (priority below 1): nothing is saved."""
    message_key = "error.keyring_not_recommended"


class CredentialNotStored(CredentialMissing):
    message_key = "error.credential_not_stored"


# ---------------------------------------------------------------- judging the backend

@dataclass(frozen=True)
class BackendCheck:
    """Which backend would keep a password, and whether that is safe."""
    name: str       # module.Class of the backend that keeps the password (a chainer's first backend)
    storage: str    # encrypted | declared | unknown | clear | not_recommended | unusable
    detail: str = ""

    @property
    def safe(self) -> bool:
        return self.storage in ("encrypted", "declared", "unknown")


def _class_name(backend) -> str:
    return f"{type(backend).__module__}.{type(backend).__name__}"


def _keeper(backend):
    """The backend a password would really go to: keyring's chainer writes to its first backend."""
    from keyring.backends.chainer import ChainerBackend
    if isinstance(backend, ChainerBackend):
        chained = list(backend.backends)
        return chained[0] if chained else None
    return backend


def check_backend(backend) -> BackendCheck:
    keeper = _keeper(backend)
    if keeper is None:
        return BackendCheck(_class_name(backend), "unusable", "no keyring backend to chain")
    name = _class_name(keeper)
    if name.startswith(UNUSABLE_BACKENDS):
        return BackendCheck(name, "unusable", f"no usable keyring backend ({type(keeper).__module__})")
    try:
        priority = type(keeper).priority
    except Exception as exc:  # noqa: BLE001 - keyring's way of saying "not usable here"
        return BackendCheck(name, "unusable", f"{name}: {exc}")
    scheme = str(getattr(keeper, "scheme", "")).lower()
    if name in CLEAR_TEXT_BACKENDS or "plaintext" in type(keeper).__name__.lower() or "no encyption" in scheme \
            or "no encryption" in scheme:  # keyrings.alt spells it "no encyption"
        return BackendCheck(name, "clear")
    if getattr(type(keeper), DECLARES_ENCRYPTION, False) is True:
        return BackendCheck(name, "declared")
    if name in ENCRYPTING_BACKENDS:
        return BackendCheck(name, "encrypted")
    if not isinstance(priority, (int, float)) or priority <= 0:
        return BackendCheck(name, "unusable", f"{name} (priority {priority})")
    if priority < 1:  # keyring: "a priority of one or greater is recommended"
        return BackendCheck(name, "not_recommended", f"{priority:g}")
    return BackendCheck(name, "unknown", f"{priority:g}")


def _backend():
    import keyring
    try:
        return keyring.get_keyring()
    except Exception as exc:  # noqa: BLE001 - a broken keyring configuration is "no keyring" to the user
        raise KeyringUnavailable(f"{type(exc).__name__}: {exc}") from None


def current_backend() -> BackendCheck:
    """The configured backend, judged; a broken configuration is 'unusable'."""
    try:
        return check_backend(_backend())
    except KeyringUnavailable as exc:
        return BackendCheck("", "unusable", exc.detail)


def _refusal(check: BackendCheck) -> CredentialMissing:
    if check.storage == "clear":
        return KeyringKeepsClearText(check.name, backend=check.name)
    if check.storage == "not_recommended":
        return KeyringNotRecommended(check.name, backend=check.name, why=check.detail)
    return KeyringUnavailable(check.detail or check.name or "no backend")


def _safe_keeper():
    """The backend that keeps passwords, or the error saying why none may."""
    backend = _backend()
    check = check_backend(backend)
    if not check.safe:
        raise _refusal(check)
    return _keeper(backend), check


def _usable_backend():
    """The configured backend even when it keeps passwords in clear (to list or delete what it holds)."""
    backend = _backend()
    check = check_backend(backend)
    if check.storage == "unusable":
        raise _refusal(check)
    return backend, check


def require_safe_keyring() -> str:
    """The name of the backend that would keep a password, or the error saying what to do instead."""
    return _safe_keeper()[1].name


# ---------------------------------------------------------------- passwords

def get_password(site: str, account: str) -> str | None:
    """None when nothing is stored, or no keyring may be used (the caller then asks the person)."""
    try:
        keeper, _check = _safe_keeper()
        return keeper.get_password(service(site), account)
    except Exception:  # noqa: BLE001 - any backend failure or refusal means "not stored"
        return None


def set_password(site: str, account: str, password: str) -> None:
    from keyring.errors import KeyringError
    keeper, _check = _safe_keeper()  # straight to the judged backend: never falls through to a chained one
    try:
        keeper.set_password(service(site), account, password)
        kept = keeper.get_password(service(site), account) == password
    except KeyringError as exc:  # locked, no D-Bus session, access refused...
        raise KeyringUnavailable(f"{type(exc).__name__}: {exc}") from None
    if not kept:
        raise KeyringUnavailable("the keyring did not keep the password")
    pairs = [p for p in _read_index() if p != [site, account]] + [[site, account]]
    _write_index(pairs)


def delete_password(site: str, account: str) -> None:
    """Raises CredentialNotStored when there was nothing to delete. Works on a clear-text backend too,
    so a password saved there before can be removed."""
    from keyring.errors import KeyringError, PasswordDeleteError
    backend, _check = _usable_backend()
    listed = [site, account] in _read_index()
    try:
        backend.delete_password(service(site), account)
        deleted = True
    except PasswordDeleteError:
        deleted = False
    except KeyringError as exc:
        raise KeyringUnavailable(f"{type(exc).__name__}: {exc}") from None
    _write_index([p for p in _read_index() if p != [site, account]])
    if not deleted and not listed:
        raise CredentialNotStored(f"{site} / {account}", site=site, account=account)


def require_usable_keyring() -> BackendCheck:
    """The configured backend, safe or not (a clear-text one may still list and delete), or the error."""
    return _usable_backend()[1]


def list_accounts() -> list[tuple[str, str]]:
    return [(site, account) for site, account in sorted(_read_index())]


def is_stored(site: str, account: str) -> bool:
    """Whether the backend holds a password for the pair, safe or not (`credentials list` shows both)."""
    try:
        backend, _check = _usable_backend()
        return backend.get_password(service(site), account) is not None
    except Exception:  # noqa: BLE001 - an unreadable keyring holds nothing we can use
        return False
