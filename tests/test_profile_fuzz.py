"""Whatever bytes a profile file holds, loading it ends in a profile or a ProfileError with positions.

Property-based (hypothesis): random text, the real profiles mutated line by line (deleted, doubled,
re-indented, truncated, junk inserted) and mutated as data (keys renamed, values swapped for other
types). Never a traceback, never a hang. Bounded to run in seconds.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.errors import ProfileError, ProfileNotFound
from assistant.profiles.loader import load_profile

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*(ROOT / "site_profiles").glob("*.yaml"), *(ROOT / "tests" / "profiles" / "good").glob("*.yaml")])
TEXTS = {p.name: p.read_text("utf-8") for p in SOURCES}
BOUNDED = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

JUNK = ["", ":", ": ", "- ", "-", "{", "}", "[", "]", "&a ", "*a", "!!python/object:os.system ", "!!binary ",
        "!!int ", "!!map ", "!include x", "\t", "\x00", "\x07", "'", '"', "? ", "%YAML 1.1\n", "---\n", "...\n",
        "|", ">", "#", "~", "@", "`", "<<: ", "1e999", "9" * 5000, "\ufeff", "😀", "\u202e", "\\", "\r", "\n  ",
        "javascript:alert(1)", "file:///etc/passwd", "\"\\u", "[" * 40, "{a: " * 30]

ANY_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=8)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def _load_never_crashes(workdir: Path, name: str, data: bytes) -> None:
    path = workdir / name  # the real file name, so an unmutated profile is valid
    path.write_bytes(data)
    try:
        profile = load_profile(path)
    except ProfileError as exc:
        assert exc.problems
        for fname, line, col, message in exc.problems:
            assert fname == str(path) and line >= 1 and col >= 1 and message.strip()
            assert "Traceback" not in message
        return
    except ProfileNotFound:
        return
    assert profile.id == path.stem


@BOUNDED
@given(st.binary(max_size=600) | st.text(max_size=600).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_random_bytes(workdir, data):
    _load_never_crashes(workdir, "random.yaml", data)


@st.composite
def mutated_text(draw):
    name = draw(st.sampled_from(sorted(TEXTS)))
    lines = TEXTS[name].splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "double", "indent", "dedent", "junk", "swap", "truncate", "replace"]))
        line = lines[i]
        if kind == "delete":
            del lines[i]
        elif kind == "double":
            lines.insert(i, line)
        elif kind == "indent":
            lines[i] = " " * draw(st.integers(1, 5)) + line
        elif kind == "dedent":
            lines[i] = line.lstrip(" ")
        elif kind == "junk":
            at = draw(st.integers(0, len(line)))
            lines[i] = line[:at] + draw(st.sampled_from(JUNK) | st.text(max_size=8)) + line[at:]
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "truncate":
            lines = lines[:i] + [line[:draw(st.integers(0, len(line)))]]
        else:  # a value replaced: key: <something else>
            key, sep, _ = line.partition(":")
            if sep:
                lines[i] = f"{key}: {draw(st.sampled_from(JUNK) | st.text(max_size=12))}\n"
    return name, "".join(lines)


@BOUNDED
@given(mutated_text())
def test_mutated_real_profiles(workdir, case):
    name, text = case
    _load_never_crashes(workdir, name, text.encode("utf-8", "surrogatepass"))


def _paths(obj, prefix=()):
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, prefix + (i,))


@st.composite
def mutated_data(draw):
    """Well-formed YAML with the wrong things in it: reaches the schema and the meaning checks."""
    name = draw(st.sampled_from(sorted(TEXTS)))
    data = yaml.safe_load(TEXTS[name])
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        path = draw(st.sampled_from(paths))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1]
        kind = draw(st.sampled_from(["value", "delete", "rename", "add"]))
        if kind == "value":
            parent[last] = draw(ANY_VALUE)
        elif kind == "delete":
            del parent[last]
        elif kind == "rename" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=12))] = parent.pop(last)
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["optional", "if_visible", "within", "frame", "secret", "value", "name",
                                         "goto", "submit", "text_re", "pattern", "url", "has_text", "x"]))] = \
                draw(ANY_VALUE)
    # JSON is YAML: it keeps odd keys and floats (inf, nan) representable
    return name, json.dumps(data, ensure_ascii=False, default=str)


@BOUNDED
@given(mutated_data())
def test_mutated_profile_data(workdir, case):
    name, text = case
    _load_never_crashes(workdir, name, text.encode("utf-8"))


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_unmutated_sources_load(workdir, name):
    _load_never_crashes(workdir, name, TEXTS[name].encode("utf-8"))
    assert load_profile(workdir / name).id == Path(name).stem
