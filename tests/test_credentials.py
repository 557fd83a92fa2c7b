"""Passwords in the keyring, through the command line as a script would use it. Never the real keyring:
conftest points keyring at keyrings.alt's file backend inside the isolated home."""
from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import CANARY_PASSWORD
from tests.test_cli import cli


def _secret_nowhere(proc, *paths: Path) -> None:
    assert CANARY_PASSWORD not in proc.stdout + proc.stderr
    for path in paths:
        if path.exists():
            assert CANARY_PASSWORD not in path.read_text("utf-8", "replace"), path


def test_keyring_round_trip_never_shows_the_secret(isolated_home):
    index = isolated_home / "config" / "credentials-index.json"
    keyring_file = Path(os.environ["KEYRING_PROPERTY_FILE_PATH"])
    assert keyring_file.is_relative_to(isolated_home)  # the test backend lives in the isolated home

    saved = cli("credentials", "set", "demo-lender", "13911110001", "--password-stdin", "--lang", "en",
                stdin=CANARY_PASSWORD + "\n")
    assert saved.returncode == 0, saved.stderr
    assert "Saved the password for demo-lender / 13911110001" in saved.stdout
    assert keyring_file.exists()  # stored by the isolated backend, not the user's keyring
    _secret_nowhere(saved, index)

    listed = cli("credentials", "list", "--lang", "en")
    assert listed.returncode == 0, listed.stderr
    row = next(line for line in listed.stdout.splitlines() if "13911110001" in line)
    assert row.split()[:3] == ["demo-lender", "13911110001", "yes"]
    _secret_nowhere(listed, index)

    from assistant import credentials
    assert credentials.get_password("demo-lender", "13911110001") == CANARY_PASSWORD

    deleted = cli("credentials", "delete", "demo-lender", "13911110001", "--lang", "en")
    assert deleted.returncode == 0, deleted.stderr
    assert "13911110001" not in cli("credentials", "list", "--lang", "en").stdout
    assert credentials.get_password("demo-lender", "13911110001") is None

    again = cli("credentials", "delete", "demo-lender", "13911110001", "--lang", "en")
    assert again.returncode == 7
    assert "No password is stored for demo-lender / 13911110001" in again.stderr


def test_set_refuses_an_unknown_site_and_an_empty_password():
    unknown = cli("credentials", "set", "no-such-lender", "1", "--password-stdin", "--lang", "en", stdin="x\n")
    assert unknown.returncode == 5
    assert "No such site profile" in unknown.stderr
    empty = cli("credentials", "set", "demo-lender", "1", "--password-stdin", "--lang", "en", stdin="\n")
    assert empty.returncode == 2
    assert "empty" in empty.stderr


def test_without_a_terminal_set_asks_for_password_stdin():
    proc = cli("credentials", "set", "demo-lender", "1", "--lang", "en", stdin="")
    assert proc.returncode == 7
    assert "--password-stdin" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_no_keyring_says_what_to_install():
    for command in (["set", "demo-lender", "1", "--password-stdin"], ["list"], ["delete", "demo-lender", "1"]):
        proc = cli("credentials", *command, "--lang", "en", stdin="x\n",
                   env_extra={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
        assert proc.returncode == 7, (command, proc.stderr)
        assert "Secret Service" in proc.stderr and "gnome-keyring" in proc.stderr
        assert "Traceback" not in proc.stderr
    zh = cli("credentials", "list", "--lang", "zh", env_extra={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    assert "无法使用系统密码库" in zh.stderr
