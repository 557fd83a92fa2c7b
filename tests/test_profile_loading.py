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


# ---------------------------------------------------------------- profiles validate FOLDER

def _validate(*paths, lang="en"):
    return subprocess.run([sys.executable, "-m", "assistant", "profiles", "validate", *map(str, paths), "--lang", lang],
                          capture_output=True, text=True, timeout=120)


def test_validate_takes_folders_and_files_together(tmp_path):
    import shutil
    shipped = sorted(BUNDLED_DIR.glob("*.yaml"))
    (tmp_path / "mine" / "drafts").mkdir(parents=True)
    for path in shipped:
        shutil.copy(path, tmp_path / "mine" / path.name)
    shutil.copy(BAD / "two-submits.yaml", tmp_path / "mine" / "drafts" / "two-submits.yml")  # found in a sub-folder
    (tmp_path / "mine" / "README.md").write_text("not a profile", "utf-8")  # other files are left alone
    (tmp_path / "mine" / ".git").mkdir()
    shutil.copy(BAD / "bad-yaml.yaml", tmp_path / "mine" / ".git" / "bad-yaml.yaml")  # hidden folders are skipped
    single = tmp_path / "unknown-step.yaml"
    shutil.copy(BAD / "unknown-step.yaml", single)

    proc = _validate(tmp_path / "mine", single, tmp_path / "mine" / shipped[0].name)  # a file named twice counts once
    assert proc.returncode == 5, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr and "Is a directory" not in proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert any(line.startswith(f"{tmp_path / 'mine' / 'drafts' / 'two-submits.yml'}:17:") for line in lines), lines
    assert any(line.startswith(f"{single}:13:") and "unknown step or key 'clik'" in line for line in lines), lines
    assert "bad-yaml" not in proc.stdout
    files = len(shipped) + 2
    assert f"{files} files: {len(shipped)} valid, 2 invalid, {len(lines)} problems" in proc.stderr

    ok = _validate(tmp_path / "mine" / shipped[0].name, tmp_path / "mine", lang="zh")
    assert ok.returncode == 5 and f"共 {files - 1} 个文件：{len(shipped)} 个有效，1 个有问题" in ok.stderr
    (tmp_path / "mine" / "drafts" / "two-submits.yml").unlink()
    assert _validate(tmp_path / "mine").returncode == 0


def test_validate_says_when_a_folder_holds_no_profile(tmp_path):
    (tmp_path / "empty").mkdir()
    proc = _validate(tmp_path / "empty")
    assert proc.returncode == 5
    assert f"{tmp_path / 'empty'}:1:1: no profile here" in proc.stdout
    assert "0 files: 0 valid, 0 invalid, 1 problem" in proc.stderr
