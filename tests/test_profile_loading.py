"""Broken and hostile profiles are refused with file:line and a plain sentence; shipped ones load."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from assistant.errors import ProfileError
from assistant.profiles.loader import ACTIONS, load_profile
from assistant.profiles.registry import BUNDLED_DIR

BAD = Path(__file__).parent / "profiles" / "bad"

# file → (line, words that must appear in the message)
EXPECTED = {
    "bad-yaml.yaml": (4, "not valid YAML"),
    "unknown-step.yaml": (13, "unknown step or key 'clik'"),
    "missing-field.yaml": (1, "missing required field 'start_url'"),
    "two-submits.yaml": (17, "exactly one submit step, found 2"),
    "other-origin-login.yaml": (5, "start_url is refused"),
    "alias-bomb.yaml": (1, "anchors and aliases"),
    "python-tag.yaml": (2, "python/object"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_profile_names_file_and_line(name):
    line, words = EXPECTED[name]
    with pytest.raises(ProfileError) as info:
        load_profile(BAD / name)
    problems = info.value.problems
    assert any(p[1] == line and words in p[3] for p in problems), problems
    assert all(p[0].endswith(name) for p in problems)


def test_an_empty_tagged_number_is_a_sentence_not_a_traceback(tmp_path):
    path = tmp_path / "demo-lender.yaml"
    text = (BUNDLED_DIR / "demo-lender.yaml").read_text("utf-8")
    path.write_text(text.replace("schema_version: 1", "schema_version: !!int ''"), "utf-8")
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    assert [p[3] for p in info.value.problems] == ["the value '' cannot be read as !!int"]


def test_hostile_urls_are_all_reported():
    with pytest.raises(ProfileError) as info:
        load_profile(BAD / "other-origin-login.yaml")
    text = str(info.value)
    assert "javascript: URLs are never allowed" in text
    assert "evil.example.net" in text


def test_validate_cli_prints_every_problem_without_traceback():
    proc = subprocess.run([sys.executable, "-m", "assistant", "profiles", "validate", *map(str, BAD.glob("*.yaml"))],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 5
    assert "Traceback" not in proc.stdout + proc.stderr
    for name in EXPECTED:
        assert f"{name}:" in proc.stdout


@pytest.mark.parametrize("path", sorted(BUNDLED_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_shipped_profiles_load(path):
    profile = load_profile(path)
    assert profile.id == path.stem
    assert profile.tests.get("portal") or profile.tests.get("skip")


def test_executor_dispatch_covers_every_action():
    from assistant.profiles import model as m
    from assistant.driving.executor import Executor
    step_types = {cls for cls in vars(m).values()
                  if isinstance(cls, type) and issubclass(cls, m.Step) and cls is not m.Step}
    assert set(Executor.DISPATCH) == step_types
    assert len(step_types) == len(ACTIONS)
    assert all(callable(getattr(Executor, name)) for name in Executor.DISPATCH.values())
