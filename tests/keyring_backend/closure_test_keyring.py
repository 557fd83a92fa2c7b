"""The test suite's own keyring: never the user's keyring, and never a password on disk in clear.

Selected with PYTHON_KEYRING_BACKEND=closure_test_keyring.SessionKeyring; tests/conftest.py puts
this folder on PYTHONPATH, so the commands the tests start use it too. Passwords live in memory.
The commands a test starts are other processes: to share passwords with them, the backend keeps a
file (CLOSURE_TEST_KEYRING_FILE, in the tests' temporary home) whose values are sealed with a key
that exists only in the environment (CLOSURE_TEST_KEYRING_KEY, random for each test session).
Sealing is HMAC-SHA256 in counter mode plus a tag: enough that no canary, in clear or base64, is
ever on disk; not a cipher to keep real passwords with.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

FILE = "CLOSURE_TEST_KEYRING_FILE"
KEY = "CLOSURE_TEST_KEYRING_KEY"


def _stream(key: bytes, nonce: bytes, size: int) -> bytes:
    blocks = (hmac.new(key, nonce + i.to_bytes(4, "big"), hashlib.sha256).digest() for i in range(size // 32 + 1))
    return b"".join(blocks)[:size]


def _seal(key: bytes, text: str) -> str:
    nonce, plain = os.urandom(16), text.encode("utf-8")
    sealed = bytes(a ^ b for a, b in zip(plain, _stream(key, nonce, len(plain))))
    tag = hmac.new(key, nonce + sealed, hashlib.sha256).digest()[:16]
    return base64.b64encode(nonce + tag + sealed).decode("ascii")


def _open(key: bytes, blob: str) -> str:
    raw = base64.b64decode(blob)
    nonce, tag, sealed = raw[:16], raw[16:32], raw[32:]
    if not hmac.compare_digest(tag, hmac.new(key, nonce + sealed, hashlib.sha256).digest()[:16]):
        raise ValueError("the test keyring file was sealed with another key")
    return bytes(a ^ b for a, b in zip(sealed, _stream(key, nonce, len(sealed)))).decode("utf-8")


class SessionKeyring(KeyringBackend):
    priority = 1  # used only when named in PYTHON_KEYRING_BACKEND: it is no installed entry point
    closure_assistant_encrypts = True  # what assistant/credentials.py checks before saving a password

    def __init__(self):
        super().__init__()
        self._memory: dict[str, dict[str, str]] = {}

    def _shared(self) -> tuple[str | None, bytes | None]:
        path = os.environ.get(FILE)
        if not path:
            return None, None
        key = os.environ.get(KEY)
        if not key:
            raise RuntimeError(f"{FILE} is set without {KEY}: refusing to write passwords unsealed")
        return path, bytes.fromhex(key)

    def _load(self) -> dict[str, dict[str, str]]:
        path, key = self._shared()
        if path is None:
            return self._memory
        try:
            with open(path, encoding="utf-8") as fh:
                sealed = json.load(fh)
        except FileNotFoundError:
            return {}
        return {svc: {user: _open(key, blob) for user, blob in users.items()} for svc, users in sealed.items()}

    def _save(self, entries: dict[str, dict[str, str]]) -> None:
        path, key = self._shared()
        if path is None:
            self._memory = entries
            return
        sealed = {svc: {user: _seal(key, pw) for user, pw in users.items()} for svc, users in entries.items()}
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path + ".tmp", "w", encoding="utf-8") as fh:
            json.dump(sealed, fh)
        os.replace(path + ".tmp", path)  # another process never reads half a file

    def get_password(self, service, username):
        return self._load().get(service, {}).get(username)

    def set_password(self, service, username, password):
        entries = self._load()
        entries.setdefault(service, {})[username] = password
        self._save(entries)

    def delete_password(self, service, username):
        entries = self._load()
        if username not in entries.get(service, {}):
            raise PasswordDeleteError("not stored")
        del entries[service][username]
        self._save(entries)
