"""Hostile profiles are refused with a clear sentence: before a browser starts when the file shows it,
and at run time, with nothing typed, when only the site's pages show it.

The run-time cases use the test-only playground, whose second server (127.0.0.2, or "localhost"
where that address cannot be bound) is an origin no profile declares; it logs everything it gets.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.errors import ProfileError, UnsafeAction
from assistant.profiles.loader import MAX_PROFILE_BYTES, load_profile
from tests.playground.fixtures import playground, playground_site, run_playground  # noqa: F401
from tests.playground.site import ACCOUNTS, PASSWORD

BAD = Path(__file__).parent / "profiles" / "bad"
RUNTIME = BAD / "runtime"
CANARY = "Canary-Pw-hostile-5T"

# file → (line, words the message must contain); the older files are checked in test_profile_loading.py
REFUSED_WHEN_LOADED = {
    "javascript-url.yaml": (14, "javascript: URLs are never allowed"),
    "file-url.yaml": (6, "file: URLs are never allowed"),
    "data-url.yaml": (14, "data: URLs are never allowed"),
    "protocol-relative-goto.yaml": (14, "a path must start with a single /"),
    "plain-http-origin.yaml": (5, "is not an allowed origin"),
    "credentials-in-url.yaml": (14, "user name or password are not allowed"),
    "literal-password.yaml": (14, "name a credential with `secret:`"),
    "script-step.yaml": (14, "unknown step or key 'evaluate'"),
    "python-name-tag.yaml": (5, "the tag !!python/name:os.system is not allowed"),
    "custom-tag.yaml": (4, "the tag !include is not allowed"),
    "merge-alias.yaml": (3, "anchors and aliases"),
    "deeply-nested.yaml": (4, "nested more than"),
    "not-utf8.yaml": (1, "not UTF-8"),
    "alias-bomb.yaml": (1, "anchors and aliases"),
    "python-tag.yaml": (2, "is not allowed: profiles hold plain data only"),
    "other-origin-login.yaml": (5, "start_url is refused"),
    "same-target-as-submit.yaml": (16, "targets the final submit button"),
}


@pytest.mark.parametrize("name", sorted(REFUSED_WHEN_LOADED))
def test_hostile_file_is_refused_before_any_browser_starts(name):
    line, words = REFUSED_WHEN_LOADED[name]
    with pytest.raises(ProfileError) as info:
        load_profile(BAD / name)
    assert any(p[1] == line and words in p[3] for p in info.value.problems), info.value.problems


def test_every_hostile_file_is_named_in_a_test():
    older = {"bad-yaml.yaml", "missing-field.yaml", "two-submits.yaml", "unknown-step.yaml"}
    assert {p.name for p in BAD.glob("*.yaml")} == set(REFUSED_WHEN_LOADED) | older


def test_oversized_file_is_refused_unread(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text("schema_version: 1\nnotes: '" + "x" * MAX_PROFILE_BYTES + "'\n", encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    assert "profiles are limited to" in str(info.value)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_as_a_profile_is_refused_unread():
    """/dev/zero never ends: reading it whole would fill the memory."""
    proc = subprocess.run([sys.executable, "-m", "assistant", "profiles", "validate", "/dev/zero", "--lang", "en"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 5, proc.stderr
    assert proc.stdout.startswith("/dev/zero:1:1: this is not a regular file"), proc.stdout
    assert "Traceback" not in proc.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_as_a_profile_is_refused_without_waiting_for_a_writer(tmp_path):
    """Opening a pipe for reading waits for someone to write: the loader must not."""
    fifo = tmp_path / "acme-loan.yaml"
    os.mkfifo(fifo)
    proc = subprocess.run([sys.executable, "-m", "assistant", "profiles", "validate", str(fifo), "--lang", "en"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 5, proc.stderr
    assert proc.stdout.startswith(f"{fifo}:1:1: this is not a regular file"), proc.stdout
    with pytest.raises(ProfileError) as info:
        load_profile(tmp_path)  # a folder given where a profile file belongs
    assert info.value.problems == [(str(tmp_path), 1, 1, info.value.problems[0][3])]
    assert "folder" in info.value.problems[0][3]


def test_alias_bomb_is_refused_quickly():
    import time
    started = time.monotonic()
    with pytest.raises(ProfileError):
        load_profile(BAD / "alias-bomb.yaml")
    assert time.monotonic() - started < 3  # refused at the first anchor, never expanded (expanding takes minutes)


def test_validate_command_explains_each_hostile_file_without_traceback():
    paths = [str(BAD / n) for n in sorted(REFUSED_WHEN_LOADED)]
    proc = subprocess.run([sys.executable, "-m", "assistant", "profiles", "validate", *paths],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 5
    assert "Traceback" not in proc.stdout + proc.stderr
    for name, (line, words) in REFUSED_WHEN_LOADED.items():
        assert any(f"{name}:{line}:" in out and words in out for out in proc.stdout.splitlines()), name


def test_runtime_hostile_profiles_look_valid_on_paper():
    for path in RUNTIME.glob("*.yaml"):
        assert load_profile(path).id == path.stem


# ---------------------------------------------------------------- refused at run time

def _canary_account(playground):
    phone = "13900000099"
    playground.state.add_account(phone, CANARY)
    return phone


def _secret_reached(playground) -> bool:
    return any(CANARY in str(entry) for entry in playground.state.foreign_log)


def test_password_into_a_frame_from_another_origin_is_refused(run_playground, playground):
    phone = _canary_account(playground)
    run = run_playground("bad/runtime/foreign-frame-password", phone, password=CANARY)
    assert isinstance(run.result.error, UnsafeAction), run.result.error
    assert playground.foreign_url in run.result.error.detail
    assert run.result.failed_step == "密码（合作方框架）/ password in the partner frame"
    assert playground.state.foreign_log == []  # the frame itself was never even loaded
    assert not _secret_reached(playground)


def test_password_into_a_data_frame_is_refused(run_playground, playground):
    phone = _canary_account(playground)
    run = run_playground("bad/runtime/data-frame-password", phone, password=CANARY)
    assert isinstance(run.result.error, UnsafeAction), run.result.error
    assert "data: URLs are never allowed" in run.result.error.detail


def test_password_into_a_sandboxed_frame_is_refused_by_the_typing_guard(run_playground, playground):
    phone = _canary_account(playground)
    run = run_playground("bad/runtime/sandboxed-frame-password", phone, password=CANARY)
    assert isinstance(run.result.error, UnsafeAction), run.result.error
    assert "frame without an origin" in run.result.error.detail
    assert run.result.failed_index == 3  # open, account, password: stopped at the password


def test_redirect_to_another_origin_stops_before_the_password(run_playground, playground):
    phone = _canary_account(playground)
    run = run_playground("bad/runtime/redirect-away", phone, password=CANARY)
    assert isinstance(run.result.error, UnsafeAction), run.result.error
    assert "outside the profile's origins" in run.result.error.detail
    assert run.result.failed_step == "goto"  # the step that left, not the fill after it
    assert [e["path"] for e in playground.state.foreign_log] == ["/landing"]  # a redirect cannot be unsent
    assert not _secret_reached(playground)


def test_link_to_another_origin_is_blocked_mid_flow(run_playground, playground):
    run = run_playground("bad/runtime/link-away", "clean")
    assert isinstance(run.result.error, UnsafeAction), run.result.error
    assert playground.foreign_url in run.result.error.detail
    assert run.result.failed_step == "click"
    assert playground.state.foreign_log == []  # blocked in the browser: nothing left it
    assert run.result.submitted is False


def test_new_tab_on_another_origin_is_blocked(run_playground, playground):
    run = run_playground("bad/runtime/popup-away", "clean")
    assert isinstance(run.result.error, UnsafeAction), run.result.error
    assert playground.state.foreign_log == []
    assert run.result.submitted is False


def test_the_canary_account_works_on_an_honest_profile(run_playground, playground):
    """The refusals above are not an accident of a broken account: the same login works here."""
    phone = _canary_account(playground)
    run = run_playground("good/playground-quick", phone, password=CANARY, dry_run=True)
    assert run.result.outcome == "dry_run_ok", run.result.error
    assert playground.state.login_posts[-1]["password"] == CANARY


def test_honest_account_and_password_are_what_the_site_expects():
    assert PASSWORD and ACCOUNTS["clean"]  # the playground's fixed login, used by the tests above
