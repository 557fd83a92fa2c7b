"""YAML → validated, typed Profile. Every problem is reported as file:line:column + a plain sentence.

Safety: safe YAML only, no anchors/aliases (alias bombs), a size cap checked before reading (and
no device or pipe read at all), duplicate keys refused.

Speed: libyaml composes the node tree and one pass over it builds the values (parse_yaml); a file
that is not plain (a YAML error, an anchor) goes through the reference path (_parse_checked), which
words every problem. jsonschema-rs says whether the data is valid; only an invalid profile meets
the slower jsonschema, which explains each error. Both answer exactly as the reference path alone
did: tests/test_profile_fuzz.py compares them.
"""
from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import stat
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from assistant.profiles import model as m
from assistant.errors import ProfileError, ProfileNotFound
from assistant.profiles.origins import url_problem

MAX_PROFILE_BYTES = 256 * 1024
MAX_DEPTH = 24  # real profiles nest about 10 levels; deeper is junk or an attack on the parser
ACTIONS = ("goto", "click", "fill", "select", "check", "press", "scroll", "wait", "precondition",
           "verification_code", "manual", "capture", "submit", "outcome", "switch_tab")
Problem = tuple[str, int, int, str]


@lru_cache(maxsize=1)
def schema() -> dict:
    text = resources.files("assistant.profiles").joinpath("schema/profile.schema.json").read_text("utf-8")
    return json.loads(text)


def schema_path() -> Path:
    return Path(str(resources.files("assistant.profiles").joinpath("schema/profile.schema.json")))


# ---------------------------------------------------------------- YAML with positions

class _Positions:
    """Maps a path inside the document (tuple of keys/indexes) to its (line, column), 1-based."""

    def __init__(self, marks: dict | None = None):
        self.marks: dict[tuple, yaml.Mark] = {} if marks is None else marks  # path -> start mark

    def at(self, path) -> tuple[int, int]:
        path = tuple(path)
        while path and path not in self.marks:
            path = path[:-1]
        mark = self.marks.get(path)
        return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


class _TreePositions(_Positions):
    """The same answers, read off the node tree when asked: a valid profile asks only for its steps' lines."""

    def __init__(self, root: yaml.Node):
        self.root = root

    def at(self, path) -> tuple[int, int]:
        node, mark = self.root, self.root.start_mark
        for part in path:  # down to the deepest node on the path; a mapping's value is placed at its key
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if key_node.value == part:
                        node, mark = value_node, key_node.start_mark
                        break
                else:
                    break
            elif isinstance(node, yaml.SequenceNode) and type(part) is int and 0 <= part < len(node.value):
                node = node.value[part]
                mark = node.start_mark
            else:
                break
        return mark.line + 1, mark.column + 1


_TAG = "tag:yaml.org,2002:"
PLAIN_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}
_STR, _INT, _BOOL, _NULL, _TIMESTAMP, _MAP, _SEQ = (_TAG + t for t in ("str", "int", "bool", "null", "timestamp",
                                                                         "map", "seq"))
_BOOLS = yaml.SafeLoader.bool_values


def _tag_problem(node: yaml.Node, fname: str) -> Problem:
    return (fname, node.start_mark.line + 1, node.start_mark.column + 1,
            f"the tag {node.tag.replace(_TAG, '!!')} is not allowed: profiles hold plain data only")


def _too_deep(node: yaml.Node, fname: str) -> ProfileError:
    mark = node.start_mark
    return ProfileError([(fname, mark.line + 1, mark.column + 1, f"the YAML is nested more than {MAX_DEPTH} levels deep")])


def _construct_scalar(node: yaml.ScalarNode, problems: list, fname: str) -> Any:
    """A scalar by PyYAML's safe constructor (all the YAML 1.1 forms: 0x1F, 1_000, 1:30, .inf, ...)."""
    try:
        return _SCALAR_LOADER.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, KeyError, TypeError, OverflowError, IndexError):  # IndexError: !!int ''
        problems.append((fname, node.start_mark.line + 1, node.start_mark.column + 1,
                         f"the value {str(node.value)[:40]!r} cannot be read as {node.tag.replace(_TAG, '!!')}"))
        return None
    finally:
        _SCALAR_LOADER.constructed_objects.clear()  # the shared loader must not keep every value it saw


def _build(node: yaml.Node, path: tuple, pos: _Positions, problems: list, fname: str) -> Any:
    """The reference builder (used after the event check): node tree -> plain data, positions, problems."""
    pos.marks[path] = node.start_mark
    if node.tag not in PLAIN_TAGS:
        problems.append(_tag_problem(node, fname))
        return None
    if node.tag == _TIMESTAMP:
        return node.value  # dates stay text, as the schema expects
    if isinstance(node, yaml.MappingNode):
        out: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append((fname, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                 "a key must be plain text"))
                continue
            key = key_node.value  # keys stay text, whatever they look like (1, yes, ~)
            if key in out:
                problems.append((fname, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                 f"the key '{key}' appears twice in the same block"))
                continue
            out[key] = _build(value_node, path + (key,), pos, problems, fname)
            pos.marks[path + (key,)] = key_node.start_mark
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(child, path + (i,), pos, problems, fname) for i, child in enumerate(node.value)]
    return _construct_scalar(node, problems, fname)


_SCALAR_LOADER = yaml.SafeLoader("")
_C_LOADER = getattr(yaml, "CSafeLoader", None)  # libyaml when present: same safe rules, C speed
_FAST_LOADER = _C_LOADER or yaml.SafeLoader
# Where an anchor (&name) may begin: at a line start or after a blank, [ { , : ? or the byte-order mark.
# A file without one has no anchor, hence no alias either (an alias names an anchor), and can take the
# fast path; the rare file with one goes through the event check, which names its position.
_MAYBE_ANCHOR = re.compile(r"(?:^|[\s\[{,:?\ufeff])&[0-9A-Za-z_-]", re.M)


def parse_yaml(text: str, fname: str) -> tuple[Any, _Positions]:
    """Plain data and the position of every value; refuses anchors, tags, deep nesting, repeated keys."""
    if _C_LOADER is not None and not _MAYBE_ANCHOR.search(text):
        try:
            return _parse_tree(text, fname)
        except _ReferencePathNeeded:
            pass
    return _parse_checked(text, fname)


class _ReferencePathNeeded(Exception):
    """The fast path met something it leaves to the reference path (which words it exactly as always)."""


def _parse_tree(text: str, fname: str) -> tuple[Any, _Positions]:
    """One C compose and one pass over the node tree: values, tags, depth and repeated keys.

    Anything unusual (a YAML error, an alias, a collection under a scalar tag) is handed to the
    reference path, so every message stays word for word what _parse_checked says. Positions are
    read off the tree only when asked for.
    """
    try:
        root = yaml.compose(text, Loader=_C_LOADER)
    except Exception:  # noqa: BLE001 - the reference path reports it, in its words and position
        raise _ReferencePathNeeded from None
    if root is None:
        raise ProfileError([(fname, 1, 1, "the file is empty")])
    problems: list[Problem] = []
    seen: set[int] = set()
    Scalar, Mapping = yaml.ScalarNode, yaml.MappingNode

    def enter(node, depth: int) -> int:
        """The depth inside this collection; refuses a deep one, and an alias (its node seen before)."""
        if id(node) in seen:  # an alias after all: the reference path refuses it at its anchor
            raise _ReferencePathNeeded
        seen.add(id(node))
        depth += 1
        if depth > MAX_DEPTH:
            raise _too_deep(node, fname)
        return depth

    def depth_only(node, depth: int) -> None:
        """A subtree that is not built (under a refused key or tag) still counts for the depth limit."""
        if type(node) is Scalar:
            return
        depth = enter(node, depth)
        for child in node.value:
            if type(child) is tuple:  # a mapping's (key, value)
                depth_only(child[0], depth)
                depth_only(child[1], depth)
            else:
                depth_only(child, depth)

    def scalar(node):
        tag = node.tag
        if tag == _STR or tag == _TIMESTAMP:  # dates stay text, as the schema expects
            return node.value
        if tag == _INT:
            value = node.value
            if value.isdigit() and value.isascii() and len(value) < 18 and (value[0] != "0" or value == "0"):
                return int(value)
        elif tag == _BOOL:
            value = _BOOLS.get(node.value.lower())
            if value is not None:
                return value
        elif tag == _NULL:
            return None
        elif tag not in PLAIN_TAGS:
            problems.append(_tag_problem(node, fname))
            return None
        return _construct_scalar(node, problems, fname)  # 0x1F, 1_000, floats, !!bool on a non-bool, ...

    def build(node, depth: int):
        tag = node.tag
        if type(node) is Scalar:
            return node.value if tag == _STR else scalar(node)
        if tag not in PLAIN_TAGS:
            problems.append(_tag_problem(node, fname))
            depth_only(node, depth)
            return None
        depth = enter(node, depth)
        if type(node) is Mapping:
            if tag != _MAP:
                raise _ReferencePathNeeded  # a mapping tagged !!str and the like: rare, left to the reference
            out: dict = {}
            for key_node, value_node in node.value:
                if type(key_node) is not Scalar:
                    problems.append((fname, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                     "a key must be plain text"))
                    depth_only(key_node, depth)
                    depth_only(value_node, depth)
                    continue
                key = key_node.value  # keys stay text, whatever they look like (1, yes, ~)
                if key in out:
                    problems.append((fname, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                     f"the key '{key}' appears twice in the same block"))
                    depth_only(value_node, depth)
                    continue
                if type(value_node) is Scalar and value_node.tag == _STR:  # most values: no call needed
                    out[key] = value_node.value
                else:
                    out[key] = build(value_node, depth)
            return out
        if tag != _SEQ:
            raise _ReferencePathNeeded
        return [child.value if type(child) is Scalar and child.tag == _STR else build(child, depth)
                for child in node.value]

    data = build(root, 0)
    if problems:
        raise ProfileError(problems)
    return data, _TreePositions(root)


def _parse_checked(text: str, fname: str) -> tuple[Any, _Positions]:
    """The reference path: an event pass refuses anchors and deep nesting before anything is built."""
    problems: list[Problem] = []
    try:
        depth = 0
        for event in yaml.parse(text, Loader=_FAST_LOADER):
            mark = event.start_mark
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise ProfileError([(fname, mark.line + 1, mark.column + 1,
                                     "YAML anchors and aliases (& and *) are not allowed in profiles")])
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise ProfileError([(fname, mark.line + 1, mark.column + 1,
                                         f"the YAML is nested more than {MAX_DEPTH} levels deep")])
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
        node = yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ProfileError([(fname, line, col, f"this is not valid YAML: {exc.problem or exc}")]) from None
    except yaml.reader.ReaderError as exc:
        before = text[:exc.position] if _FAST_LOADER is yaml.SafeLoader else \
            text.encode("utf-8")[:exc.position].decode("utf-8", "ignore")  # libyaml counts bytes
        line, col = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        raise ProfileError([(fname, line, col, f"this is not valid YAML: the character U+{ord(exc.character) if isinstance(exc.character, str) else exc.character:04X} "
                                               "is not allowed in a profile")]) from None
    except yaml.YAMLError as exc:
        raise ProfileError([(fname, 1, 1, f"this is not valid YAML: {exc}")]) from None
    except RecursionError:
        raise ProfileError([(fname, 1, 1, "the YAML is nested too deeply")]) from None
    pos = _Positions()
    if node is None:
        raise ProfileError([(fname, 1, 1, "the file is empty")])
    data = _build(node, (), pos, problems, fname)
    if problems:
        raise ProfileError(problems)
    return data, pos


# ---------------------------------------------------------------- schema errors in plain words

_KINDS = ("role", "text", "text_re", "label", "placeholder", "title", "alt", "css")
_JSON_TYPES = {"object": "a mapping (key: value)", "array": "a list", "string": "text", "integer": "a whole number",
               "number": "a number", "boolean": "true or false", "null": "empty"}
_PY_TYPES = {dict: "a mapping", list: "a list", str: "text", int: "a number", float: "a number",
             bool: "true/false", type(None): "empty"}
_LOCATOR_FORM = ("a locator is a mapping such as {text: 注销账号} or {role: button, name: 下一步}, "
                 "or a list of such mappings tried in order")
# Plain sentences for the patterns in the schema, by the name of the field they guard.
_PATTERN_SENTENCES = {
    "id": "is not a valid id: use lower-case letters, digits and dashes (2-63 characters), as in the file name",
    "origins": ("is not an allowed origin: write https://host or https://host:port, or http:// only on "
                "127.0.0.1, localhost or [::1] (port optional, or :*); no path, no trailing slash"),
    "secret": "is not a credential name: lower-case letters, digits and _, starting with a letter",
    "name": "is not a capture name: lower-case letters, digits and _, starting with a letter",
    "key": "is not a key name such as Enter, Tab, Escape or Control+A",
    "date": "is not a date written YYYY-MM-DD",
    "locale": "is not a locale such as zh-CN or en",
}


def _defs(name: str) -> dict:
    return schema()["$defs"][name]


def _type_words(expected) -> str:
    names = expected if isinstance(expected, list) else [expected]
    return " or ".join(_JSON_TYPES.get(n, n) for n in names)


def _plain(error) -> str:
    v = error.validator
    where = error.absolute_path
    field_name = next((p for p in reversed(where) if isinstance(p, str)), "")
    if v == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        return f"missing required field '{missing[0] if missing else error.message}'"
    if v == "additionalProperties":
        extra = re.findall(r"'([^']+)'", error.message)
        known = list(error.schema.get("properties", {}))
        hint = difflib.get_close_matches(extra[0], known, n=1) if extra else []
        guess = f"; did you mean '{hint[0]}'?" if hint else ""
        if error.schema == _defs("step"):
            return (f"unknown step or key '{', '.join(extra)}'{guess} (actions: {', '.join(ACTIONS)}; "
                    "common keys: name, optional, if_visible, screen, timeout_ms, dialog, opens_tab)")
        return f"unknown field '{', '.join(extra)}'{guess}" + ("" if guess else f" (allowed: {', '.join(known)})")
    if v == "type":
        if error.schema in (_defs("candidate"), _defs("locator")):
            return _LOCATOR_FORM
        return f"should be {_type_words(error.validator_value)}, not {_PY_TYPES.get(type(error.instance), 'this')}"
    if v == "const" and field_name == "irreversible":
        return "irreversible must be true: it marks this as the one step that cannot be undone"
    if v in ("enum", "const"):
        allowed = error.validator_value if v == "enum" else [error.validator_value]
        hint = difflib.get_close_matches(str(error.instance), list(map(str, allowed)), n=1)
        guess = f" (did you mean '{hint[0]}'?)" if hint else ""
        return f"{error.instance!r} is not allowed here{guess}; use one of: {', '.join(map(str, allowed))}"
    if v == "pattern":
        key = "origins" if isinstance(where[-1] if where else None, int) and field_name == "origins" else field_name
        sentence = _PATTERN_SENTENCES.get(key)
        return f"{error.instance!r} {sentence}" if sentence else \
            f"{error.instance!r} does not have the expected form ({error.validator_value})"
    if v in ("minItems", "minLength"):
        return "must not be empty"
    if v == "minProperties":
        options = list(error.schema.get("properties", {}))
        return f"must not be empty: give one of {', '.join(options)}" if options else "must not be empty"
    if v == "maxProperties" and field_name == "wait":
        return "wait takes one condition: visible, hidden or url (use two wait steps for two conditions)"
    if v == "maxLength":
        return f"is {len(error.instance)} characters long; the limit is {error.validator_value}"
    if v == "maxItems":
        return f"has {len(error.instance)} items; the limit is {error.validator_value}"
    if v == "maxProperties":
        return f"has {len(error.instance)} entries; the limit is {error.validator_value}"
    if v in ("minimum", "maximum"):
        word = "at least" if v == "minimum" else "at most"
        return f"{error.instance} is out of range: it must be {word} {error.validator_value}"
    if v == "uniqueItems":
        return "contains the same item twice"
    if v == "dependentRequired":
        return "name (the accessible name) goes with role: add e.g. role: button, or use text: instead"
    if v == "oneOf":
        inst = error.instance
        if error.schema == _defs("step") and isinstance(inst, dict):
            found = [k for k in inst if k in ACTIONS]
            if not found:
                return f"a step needs one action ({', '.join(ACTIONS)})"
            return f"a step takes exactly one action, found {len(found)}: {', '.join(found)}"
        if error.schema == _defs("candidate") and isinstance(inst, dict):
            kinds = [k for k in inst if k in _KINDS]
            if not kinds:
                return f"a locator needs one way to find the element: {', '.join(_KINDS)}"
            return (f"a locator candidate uses one way to find the element, found {len(kinds)}: "
                    f"{', '.join(kinds)}; to try several, list them as fallbacks: [{{{kinds[0]}: ...}}, "
                    f"{{{kinds[1]}: ...}}]")
        if isinstance(inst, dict) and {"value", "secret"} <= set(inst):
            return "give either value or secret, not both"
        if isinstance(inst, dict) and "target" in inst:
            return "needs either value or secret"
        if error.schema in (_defs("locator"), _defs("candidate")) and not isinstance(inst, (dict, list)):
            return _LOCATOR_FORM
        best = _best_branch(error)
        if best is not None:
            return _plain(best)
        types = [e.validator_value for e in error.context if e.validator == "type" and not e.relative_path]
        if types:
            return f"should be {' or '.join(_type_words(t) for t in types)}, not {_PY_TYPES.get(type(inst), 'this')}"
        return "does not have a valid form here"
    return error.message


def _best_branch(error):
    """The most telling error among the oneOf branches that had the right type for the value."""
    from jsonschema.exceptions import best_match
    if not error.context:
        return None
    fitting = [e for e in error.context if not (e.validator == "type" and not e.relative_path)]
    return best_match(fitting) if fitting else None


@lru_cache(maxsize=1)
def _schema_validator():
    """The reference validator, compiled once per process: it finds every error and says where."""
    from jsonschema import Draft202012Validator
    return Draft202012Validator(schema())


@lru_cache(maxsize=1)
def _schema_gate():
    """jsonschema-rs (Rust) when installed: says only valid or not, about 20 times faster.

    A profile it finds valid is valid; anything else (invalid, or a value it cannot take such as a
    huge number) goes to the reference validator, whose words and positions the user sees.
    """
    try:
        import jsonschema_rs
        return jsonschema_rs.Draft202012Validator(schema())
    except Exception:  # noqa: BLE001 - not installed, or it cannot read the schema: the reference validator does all
        return None


def _schema_problems(data, pos: _Positions, fname: str) -> list[Problem]:
    gate = _schema_gate()
    if gate is not None:
        try:
            if gate.is_valid(data):
                return []
        except Exception:  # noqa: BLE001 - a value it cannot convert (huge int, NaN, lone surrogate): ask the reference
            pass
    out = []
    errors = list(_schema_validator().iter_errors(data))
    unknown_at = {tuple(e.absolute_path) for e in errors if e.validator == "additionalProperties"}
    for error in errors:
        if error.validator == "oneOf" and tuple(error.absolute_path) in unknown_at:
            continue  # "unknown key 'clik'" already says it better
        path = list(error.absolute_path)
        if error.validator == "additionalProperties":
            extra = re.findall(r"'([^']+)'", error.message)
            if extra:
                path = path + [extra[0]]
        line, col = pos.at(path)
        out.append((fname, line, col, _plain(error)))
    return out


# ---------------------------------------------------------------- typed objects

def _strings(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _candidates(spec: dict) -> list[m.Candidate]:
    within = _locator(spec["within"]) if "within" in spec else None
    common = dict(exact=bool(spec.get("exact")), first=bool(spec.get("first")), within=within,
                  frame=spec.get("frame"), has_text=spec.get("has_text"))
    if "role" in spec:
        names = _strings(spec["name"]) if "name" in spec else [None]
        return [m.Candidate("role", spec["role"], name=n, **common) for n in names]
    for kind in ("text", "text_re", "label", "placeholder", "title", "alt", "css"):
        if kind in spec:
            return [m.Candidate(kind, v, **common) for v in _strings(spec[kind])]
    raise ValueError("no kind")


def _locator(spec) -> m.Locator:
    specs = spec if isinstance(spec, list) else [spec]
    out: list[m.Candidate] = []
    for s in specs:
        out.extend(_candidates(s))
    return m.Locator(tuple(out))


def _opt_locator(spec, key):
    return _locator(spec[key]) if key in spec else None


def _capture(spec) -> m.Capture:
    return m.Capture(spec["name"], _locator(spec["from"]), spec.get("pattern"), bool(spec.get("sensitive")))


def _step(raw: dict, line: int) -> m.Step:
    action = next(k for k in raw if k in ACTIONS)
    common = dict(name=raw.get("name", ""), optional=bool(raw.get("optional")),
                  if_visible=_opt_locator(raw, "if_visible"), screen=raw.get("screen"),
                  timeout_ms=raw.get("timeout_ms"), dialog=raw.get("dialog"),
                  opens_tab=bool(raw.get("opens_tab")), line=line, action=action)
    a = raw[action]
    if action == "goto":
        return m.GotoStep(url=a, **common)
    if action == "click":
        return m.ClickStep(target=_locator(a), **common)
    if action == "fill":
        return m.FillStep(target=_locator(a["target"]), value=a.get("value"), secret=a.get("secret"), **common)
    if action == "select":
        return m.SelectStep(target=_locator(a["target"]), options=tuple(_strings(a["option"])), **common)
    if action == "check":
        return m.CheckStep(target=_locator(a), **common)
    if action == "press":
        return m.PressStep(key=a["key"], target=_opt_locator(a, "target"), **common)
    if action == "scroll":
        return m.ScrollStep(to=a["to"], target=_opt_locator(a, "target"), **common)
    if action == "wait":
        return m.WaitStep(visible=_opt_locator(a, "visible"), hidden=_opt_locator(a, "hidden"),
                          url=a.get("url"), **common)
    if action == "precondition":
        return m.PreconditionStep(ok_if=_locator(a["ok_if"]), blocked_if=_locator(a["blocked_if"]),
                                  message=_opt_locator(a, "message"), **common)
    if action == "verification_code":
        return m.VerificationCodeStep(
            input=_locator(a["input"]), confirm=_opt_locator(a, "confirm"), accepted=_opt_locator(a, "accepted"),
            channel=a.get("channel", "sms"), send=_opt_locator(a, "send"), sent=_opt_locator(a, "sent"),
            destination=_opt_locator(a, "destination"), wrong_code=_opt_locator(a, "wrong_code"),
            expired=_opt_locator(a, "expired"), locked=_opt_locator(a, "locked"),
            attempts=a.get("attempts", 3), checked_by=a.get("checked_by", "confirm"),
            auto_send=bool(a.get("auto_send")), resend_wait_s=a.get("resend_wait_s", 90),
            period_s=a.get("period_s", 30), **common)
    if action == "manual":
        return m.ManualStep(instructions=a["instructions"], done_when=_locator(a["done_when"]),
                            timeout_s=a.get("timeout_s", 600), **common)
    if action == "capture":
        return m.CaptureStep(capture=_capture(a), **common)
    if action == "submit":
        return m.SubmitStep(target=_locator(a["target"]), request_url=a.get("request_url"), **common)
    if action == "outcome":
        return m.OutcomeStep(states={k: _locator(v) for k, v in a.items()}, **common)
    if action == "switch_tab":
        return m.SwitchTabStep(which=a, **common)
    raise AssertionError(action)  # the schema admits no other action


def _steps(raw_steps, flow: str, pos: _Positions) -> list[m.Step]:
    return [_step(raw, pos.at((flow, "steps", i))[0]) for i, raw in enumerate(raw_steps)]


# ---------------------------------------------------------------- meaning checks the schema cannot express

def _meaning_problems(data: dict, pos: _Positions, fname: str, path: Path) -> list[Problem]:
    out: list[Problem] = []

    def add(where, message):
        line, col = pos.at(where)
        out.append((fname, line, col, message))

    origins = data["origins"]
    if path.suffix in (".yaml", ".yml") and path.stem != data["id"]:
        add(("id",), f"the id '{data['id']}' must equal the file name '{path.stem}'")
    problem = url_problem(data["start_url"], origins)
    if problem:
        add(("start_url",), f"start_url is refused: {problem}")
    secrets = set(data["credentials"])
    flows = [("login", data["login"].get("steps", [])), ("close", data["close"].get("steps", []))]
    if "status" in data:
        flows.append(("status", data["status"].get("steps", [])))
    submits = []
    for flow, steps in flows:
        for i, raw in enumerate(steps):
            where = (flow, "steps", i)
            if "goto" in raw:
                url = raw["goto"]
                if url.startswith(("//", "/\\")):
                    add(where + ("goto",), "goto is refused: a path must start with a single / "
                                           "(//host would leave the site's origin)")
                elif not url.startswith("/"):
                    problem = url_problem(url, origins)
                    if problem:
                        add(where + ("goto",), f"goto is refused: {problem}")
            if "fill" in raw and "secret" in raw["fill"] and raw["fill"]["secret"] not in secrets:
                add(where + ("fill", "secret"),
                    f"secret '{raw['fill']['secret']}' is not declared under credentials")
            if "fill" in raw and "value" in raw["fill"] and _SECRET_FIELD.search(" ".join(_strings_in(raw["fill"]))):
                add(where + ("fill", "value"), "a literal value is typed into what looks like a password or code "
                    "field; name a credential with `secret:` instead (values come from the keyring or a prompt)")
            if "submit" in raw:
                submits.append((flow, i))
                if flow != "close":
                    add(where, "submit (the irreversible step) belongs only in the close flow")
                if raw.get("optional"):
                    add(where + ("optional",), "the irreversible submit cannot be optional")
                if "if_visible" in raw:
                    add(where + ("if_visible",), "the irreversible submit cannot be conditional")
            if raw.get("optional") and "verification_code" in raw:
                add(where, "the verification step cannot be optional")
            if "verification_code" in raw:
                out.extend(_verification_problems(raw["verification_code"], flow, steps, i, where, add))
            if "submit" in raw and "request_url" in raw["submit"]:
                problem = portability_problem(raw["submit"]["request_url"])
                if problem:
                    add(where + ("submit", "request_url"), problem)
            for value in _regexes_in(raw, []):
                try:
                    re.compile(value)
                except re.error as exc:
                    add(where, f"'{value}' is not a valid regular expression: {exc}")
    out.extend(_same_target_as_submit(flows, submits, add))
    close_submits = [s for s in submits if s[0] == "close"]
    if not close_submits:
        add(("close", "steps"), "the close flow needs exactly one submit step, found 0")
    for flow, i in close_submits[1:]:
        add((flow, "steps", i), f"the close flow needs exactly one submit step, found {len(close_submits)}")
    if len(close_submits) == 1:
        idx = close_submits[0][1]
        steps = data["close"]["steps"]
        if not any("outcome" in s for s in steps[idx + 1:]):
            add(("close", "steps", idx), "add an outcome step after submit so the result is recognised")
    return out


# Python and the browser both read request_url (the browser decides which requests are routed at all):
# constructs the two read differently are refused.
_NOT_PORTABLE = re.compile(r"\(\?P|\(\?#|\\[AZz]|\(\?[aiLmsux-]+[:)]|\(\?\(")


def portability_problem(pattern: str) -> str | None:
    found = _NOT_PORTABLE.search(pattern)
    if found:
        return (f"'{found.group(0)}' is read differently by the browser, which matches request_url too; use "
                "plain regular-expression syntax (no inline flags, named groups, comments or \\A \\Z)")
    return None


def _verification_problems(code: dict, flow: str, steps: list, i: int, where: tuple, add) -> list:
    """Which keys a verification pattern needs; the schema cannot say "unless"."""
    by_submit = code.get("checked_by") == "submit"
    if by_submit:
        if "confirm" in code:
            add(where + ("verification_code", "confirm"), "with checked_by: submit the final submit checks the "
                "code: leave out confirm (a confirm that is the final button would be stopped, exit 8)")
        if flow != "close" or not any("submit" in s for s in steps[i + 1:]):
            add(where + ("verification_code", "checked_by"), "checked_by: submit needs the submit step after "
                "this one, in the close flow")
    else:
        for key in ("confirm", "accepted"):
            if key not in code:
                add(where + ("verification_code",), f"verification_code needs '{key}' (or checked_by: submit "
                    "when the final submit checks the code)")
    if code.get("channel") == "authenticator":
        for key in ("send", "sent", "destination", "auto_send"):
            if key in code:
                add(where + ("verification_code", key), f"an authenticator app sends nothing: leave out '{key}'")
    elif "period_s" in code:
        add(where + ("verification_code", "period_s"), "period_s is for channel: authenticator only")
    if code.get("auto_send") and "send" not in code and "resend_wait_s" in code:
        add(where + ("verification_code", "resend_wait_s"), "resend_wait_s needs send (the resend button)")
    return []


# Keys whose locator is clicked (or pressed) by a step other than the submit.
_CLICKING = (("click",), ("check",), ("press", "target"), ("select", "target"), ("fill", "target"),
             ("verification_code", "confirm"), ("verification_code", "send"))


def _same_target_as_submit(flows, submits, add) -> list:
    """A step whose locator is exactly the submit's target would press the final button outside the submit.
    (The runtime guard stops it anyway; saying so here saves a run.)"""
    close_submits = [(f, i) for f, i in submits if f == "close"]
    if len(close_submits) != 1:
        return []
    steps_by_flow = dict(flows)
    submit_raw = steps_by_flow["close"][close_submits[0][1]]["submit"]["target"]
    try:
        wanted = set(_locator(submit_raw).candidates)
    except (KeyError, ValueError, TypeError):
        return []
    for flow, steps in flows:
        for i, raw in enumerate(steps):
            for path in _CLICKING:
                spec = raw
                for key in path:
                    spec = spec.get(key) if isinstance(spec, dict) else None
                if spec is None:
                    continue
                try:
                    same = wanted & set(_locator(spec).candidates)
                except (KeyError, ValueError, TypeError):
                    continue
                if same:
                    add((flow, "steps", i) + path, f"this {'.'.join(path)} targets the final submit button "
                        f"({next(iter(same)).describe()}), which only the submit step may press: the closure "
                        f"request would be sent without the user's yes (and in a dry run)")
    return []


_SECRET_FIELD = re.compile(r"(?i)pass(word|wd)|\bpwd\b|密码|口令|验证码|one-time-code|type=.?password")


def _strings_in(obj):
    """Every text inside a locator, to recognise password-like fields."""
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            if k != "value":
                yield from _strings_in(v)
    elif isinstance(obj, list):
        for item in obj:
            yield from _strings_in(item)


_REGEX_KEYS = frozenset(("text_re", "pattern", "url", "request_url"))


def _regexes_in(obj, found: list) -> list:
    """Every regular expression a step holds (text_re, pattern, url, request_url), at any depth."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in _REGEX_KEYS and isinstance(v, str):
                found.append(v)
            elif isinstance(v, (dict, list)):
                _regexes_in(v, found)
    elif isinstance(obj, list):
        for item in obj:
            if isinstance(item, (dict, list)):
                _regexes_in(item, found)
    return found


# ---------------------------------------------------------------- entry points

def read_capped(path: Path, limit: int, what: str = "profiles") -> bytes:
    """A user-given file's bytes, at most `limit` of them, never more read.

    Looked at before reading: a folder, a device (/dev/zero), a pipe or a socket is refused unread
    (opening does not wait for a pipe's writer), and so is a regular file over the limit.
    """
    fname = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise ProfileNotFound(f"{fname}: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ProfileError([(fname, 1, 1, "this is a folder, not a file: give the .yaml file "
                                              "(profiles validate also takes a folder)")])
        if not stat.S_ISREG(info.st_mode):
            raise ProfileError([(fname, 1, 1, "this is not a regular file (a device, a pipe or a socket): "
                                              "nothing was read; give the .yaml file itself")])
        if info.st_size > limit:
            raise ProfileError([(fname, 1, 1, f"the file is {info.st_size} bytes; {what} are limited to "
                                              f"{limit} bytes")])
        chunks, size = [], 0
        while size <= limit:  # a file that grows while being read still stops at the limit
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise ProfileNotFound(f"{fname}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if size > limit:
        raise ProfileError([(fname, 1, 1, f"the file grew past {limit} bytes while being read; {what} are "
                                          f"limited to {limit} bytes")])
    return b"".join(chunks)


def load_profile(path: str | Path) -> m.Profile:
    path = Path(path)
    fname = str(path)
    raw = read_capped(path, MAX_PROFILE_BYTES, "profiles")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProfileError([(fname, 1, 1, f"the file is not UTF-8 text ({exc.reason})")]) from None
    data, pos = parse_yaml(text, fname)
    if not isinstance(data, dict):
        raise ProfileError([(fname, 1, 1, "a profile must be a mapping of fields (id, names, origins, ...)")])
    problems = _schema_problems(data, pos, fname)
    if not problems:
        problems = _meaning_problems(data, pos, fname, path)
    if problems:
        raise ProfileError(sorted(set(problems), key=lambda p: (p[1], p[2], p[3])))
    return _build_profile(data, pos, path, hashlib.sha256(raw).hexdigest())


def _build_profile(data: dict, pos: _Positions, path: Path, sha: str) -> m.Profile:
    login = data["login"]
    status = None
    if "status" in data:
        s = data["status"]
        status = m.StatusFlow(states={k: _locator(v) for k, v in s["states"].items()},
                              steps=_steps(s.get("steps", []), "status", pos),
                              captures=[_capture(c) for c in s.get("capture", [])])
    closure = data["closure"]
    device = data.get("device", {})
    return m.Profile(
        id=data["id"], names=data["names"], origins=list(data["origins"]), start_url=data["start_url"],
        credentials=data["credentials"],
        closure=m.ClosureInfo(routes=closure["routes"], modes=closure.get("modes", []),
                              review_working_days=closure.get("review_working_days", 15),
                              fees=closure.get("fees", ""), prerequisites=closure.get("prerequisites", []),
                              customer_service=closure.get("customer_service", ""),
                              notes=closure.get("notes", "")),
        login=m.LoginFlow(steps=_steps(login["steps"], "login", pos), logged_in=_locator(login["logged_in"]),
                          login_page=_opt_locator(login, "login_page"),
                          account_closed=_opt_locator(login, "account_closed"),
                          failed=_opt_locator(login, "failed")),
        close_steps=_steps(data["close"]["steps"], "close", pos),
        device=m.Device(viewport=device.get("viewport"), mobile=bool(device.get("mobile")),
                        locale=device.get("locale", "zh-CN"), timezone=device.get("timezone"),
                        user_agent=device.get("user_agent")),
        path=path, sha256=sha, website=data.get("website", ""), maintainer=data.get("maintainer", ""),
        verified=data.get("verified"),
        overlays=[m.Overlay(o["name"], _locator(o["appears"]), _locator(o["dismiss"]))
                  for o in data.get("overlays", [])],
        sensitive=[_locator(s) for s in data.get("sensitive", [])],
        status=status, tests=data.get("tests", {}),
    )


def validate_paths(paths: list[Path]) -> list[Problem]:
    """All problems across files (not just the first), for `profiles validate`."""
    problems: list[Problem] = []
    for p in paths:
        try:
            load_profile(p)
        except ProfileError as exc:
            problems.extend(exc.problems)
        except ProfileNotFound as exc:
            problems.append((str(p), 1, 1, exc.detail))
    return problems
