"""The schema is the one source of truth: the docs' reference is generated from it and kept current,
the worked example quotes the real demo profile, the template validates, profiles point editors at it."""
from __future__ import annotations

import copy
import re
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.profiles import reference as schema_docs
from assistant.profiles.loader import ACTIONS, load_profile, schema, schema_path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "writing-profiles.md"
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")
PROFILES = sorted([*(ROOT / "site_profiles").glob("*.yaml"), *(ROOT / "tests" / "profiles" / "good").glob("*.yaml"),
                   *(ROOT / "tests" / "profiles" / "bad" / "runtime").glob("*.yaml")])


def _yaml_blocks(text: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", text, re.S)


def test_reference_in_the_doc_is_the_one_generated_from_the_schema():
    text = DOC.read_text("utf-8")
    assert schema_docs.splice(text, schema_docs.render()) == text, \
        "docs/writing-profiles.md is out of date: run python -m assistant.profiles.reference"


def test_reference_follows_the_schema_not_a_hand_written_copy():
    changed = copy.deepcopy(schema())
    changed["$defs"]["step"]["properties"]["goto"]["description"] = "Go somewhere new (changed)."
    changed["$defs"]["candidate"]["properties"]["placeholder"]["description"] = "By the grey hint text."
    text = schema_docs.render(changed)
    assert "Go somewhere new (changed)." in text and "By the grey hint text." in text
    assert text != schema_docs.render()


def test_every_step_type_and_locator_kind_is_documented():
    text = DOC.read_text("utf-8")
    for action in ACTIONS:
        assert f"#### `{action}`" in text, action
    for kind in schema()["$defs"]["candidate"]["properties"]:
        assert f"| `{kind}` |" in text, kind


def test_check_command_reports_a_stale_document_and_the_rewrite_fixes_it(tmp_path):
    stale = tmp_path / "writing-profiles.md"
    stale.write_text(DOC.read_text("utf-8").replace("#### `goto`", "#### `goto` (edited by hand)"), "utf-8")
    run = [sys.executable, "-m", "assistant.profiles.reference", "--doc", str(stale)]
    check = subprocess.run([*run, "--check"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert check.returncode == 1 and "out of date" in check.stderr
    assert subprocess.run(run, capture_output=True, cwd=ROOT, timeout=60).returncode == 0
    assert stale.read_text("utf-8") == DOC.read_text("utf-8")
    current = subprocess.run([sys.executable, "-m", "assistant.profiles.reference", "--check"], capture_output=True,
                             text=True, cwd=ROOT, timeout=60)
    assert current.returncode == 0, current.stderr


def test_the_doc_keeps_sections_other_tools_write():
    text = DOC.read_text("utf-8")
    assert text.count(schema_docs.BEGIN) == 1 and text.count(schema_docs.END) == 1
    assert "<!-- recording:start -->" in text and "<!-- recording:end -->" in text


def test_worked_example_quotes_the_real_demo_profile():
    text = DOC.read_text("utf-8")
    example = text[text.index("## A worked example"):text.index("### 10. Testing it")]
    real = {line.rstrip() for line in (ROOT / "site_profiles" / "demo-lender.yaml").read_text("utf-8").splitlines()}
    quoted = [line.rstrip() for block in _yaml_blocks(example) for line in block.splitlines() if line.strip()]
    assert len(quoted) > 100
    missing = [line for line in quoted if line not in real]
    assert not missing, f"the worked example no longer matches site_profiles/demo-lender.yaml: {missing[:5]}"


def test_contributing_template_validates(tmp_path):
    text = (ROOT / "CONTRIBUTING.md").read_text("utf-8")
    template = _yaml_blocks(text)[0]
    assert MODELINE.match(template.splitlines()[0])
    path = tmp_path / "example-lender.yaml"
    path.write_text(template, "utf-8")
    profile = load_profile(path)
    assert sum(step.action == "submit" for step in profile.close_steps) == 1


def test_schema_is_a_valid_json_schema():
    from jsonschema import Draft202012Validator
    Draft202012Validator.check_schema(schema())


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_profiles_point_editors_at_the_schema(path):
    first = path.read_text("utf-8").splitlines()[0]
    match = MODELINE.match(first)
    assert match, f"{path}: the first line must be the yaml-language-server modeline"
    assert (path.parent / match.group(1)).resolve() == schema_path().resolve()
