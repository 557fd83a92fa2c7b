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
from assistant.profiles import loader
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


# ---------------------------------------------------------------- the fast path says what the reference path says
# parse_yaml composes with libyaml and builds values in one pass over the node tree; _parse_checked is the
# slower reference (an event pass for anchors and depth, then the node-by-node builder). Same input, same
# answer: the same data and positions, or the same problems in the same order.

def _probe_paths(obj):
    """Every path in the data, and one step past each (a missing key, an index), as error paths go."""
    for path in _paths(obj):
        yield from (path, path + ("absent",), path + (0,))


def _answer(parse, text: str):
    try:
        data, pos = parse(text, "p.yaml")
    except ProfileError as exc:
        return "refused", exc.problems
    return "read", repr(data), [(path, pos.at(path)) for path in _probe_paths(data)]


def _same_as_reference(text: str) -> None:
    assert _answer(loader.parse_yaml, text) == _answer(loader._parse_checked, text), text[:2000]


# Corners of YAML the fast path must answer exactly as the reference path (or hand over to it).
CORNERS = [
    "a: &x 1\n", "a: [&x 1, *x]\n", "\ufeff&a a: 1\n", "{\"a\":&x 1}\n", "{?&x a: 1}\n", "- &a\n  - 1\n",
    "a: 'x&y'\n", "a: x &y\n", "a: \"*x\"\n", "a: |\n  &x\n", "a: 1\n---\nb: 2\n", "a: 1\n---\nb: &c 2\n",
    "!!str {a: 1}\n", "a: !!timestamp [1]\n", "a: !!int 0x1f\n", "a: !!int ''\n", "a: !!bool maybe\n", "a: 012\n",
    "a: 1:30\n", "a: .inf\n", "a: .nan\n", "a: 99999999999999999999999\n", "a: \"\\ud800\"\n", "a: 1_000\n",
    "<<: {a: 1}\n", "a: =\n", "? [a]\n: 1\n", "? {a: 1}\n: [[[[1]]]]\n", "1: x\ntrue: y\n~: z\n", "a: 1\na: 2\n",
    "a: 1\na: " + "[" * 26 + "]" * 26 + "\n", "a: !x " + "[" * 26 + "]" * 26 + "\n", "[" * 30 + "]" * 30, "- " * 30 + "x\n",
    "[" * 2000, "a: !!python/object:os.system x\n", "a: !foo\n  b: [1, !bar x]\n", "a: -0\nb: +5\nc: 0o17\nd: 0b101\n",
    "a: !!float 1\n", "a: !!null x\n", "a: !!seq x\n", "a: !!map x\n", "a: !!str\n", "a: ! 5\n", "a: 2001-12-14\n",
    "", "# only a comment\n", "---\n", "a:\tb\n", "\t- a\n", "%YAML 1.1\n---\na: 1\n", "a: !<tag:yaml.org,2002:str> 1\n",
    "a: Yes\nb: OFF\nc: nUll\nd: NULL\ne: ~\n", "a: 0\nb: 00\nc: 1e3\nd: 10.\n", "a: [1, {b: [c, {d: e}]}]\n",
]


@pytest.mark.parametrize("text", CORNERS)
def test_yaml_corners_read_as_the_reference_reads_them(text):
    _same_as_reference(text)


@BOUNDED
@given(mutated_text())
def test_mutated_profiles_read_as_the_reference_reads_them(case):
    _same_as_reference(case[1])


YAML_PIECES = list("ab:-[]{},&*!?|>'\"# \n\t0.~=<%") + ["!!str ", "!!int ", "!!map ", "&a ", "*a", "!x ", "<<: ", "- ",
                                                       ": ", "---\n", "é", "中", "  ", "1", "yes", "0x"]


@BOUNDED
@given(st.lists(st.sampled_from(YAML_PIECES), max_size=60).map("".join))
def test_yaml_fragments_read_as_the_reference_reads_them(text):
    _same_as_reference(text)


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_real_profiles_take_the_fast_path(name):
    data, _pos = loader._parse_tree(TEXTS[name], name)  # raises _ReferencePathNeeded if it would not
    assert not loader._MAYBE_ANCHOR.search(TEXTS[name])
    assert _answer(loader.parse_yaml, TEXTS[name]) == _answer(loader._parse_checked, TEXTS[name])


@BOUNDED
@given(mutated_data())
def test_the_schema_gate_never_passes_what_the_reference_validator_refuses(case):
    """jsonschema-rs only says valid or not; whatever it passes, the reference validator must pass too."""
    gate = loader._schema_gate()
    if gate is None:
        pytest.skip("jsonschema-rs is not installed: the reference validator does everything")
    data = json.loads(case[1])
    try:
        passed = gate.is_valid(data)
    except Exception:  # noqa: BLE001 - a value it cannot take: the loader asks the reference validator
        return
    if passed:
        assert not list(loader._schema_validator().iter_errors(data)), case[1][:2000]
