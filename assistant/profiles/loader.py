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
from assistant.messages import say
from assistant.profiles.origins import url_problem

MAX_PROFILE_BYTES = 256 * 1024
MAX_DEPTH = 24  # real profiles nest about 10 levels; deeper is junk or an attack on the parser
ACTIONS = ("goto", "click", "fill", "select", "check", "press", "scroll", "wait", "precondition",
           "verification_code", "manual", "capture", "submit", "outcome", "switch_tab", "download")
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
            say("profile.tag", tag=node.tag.replace(_TAG, '!!')))


def _too_deep(node: yaml.Node, fname: str) -> ProfileError:
    mark = node.start_mark
    return ProfileError([(fname, mark.line + 1, mark.column + 1, say("profile.too_deep", levels=MAX_DEPTH))])


def _construct_scalar(node: yaml.ScalarNode, problems: list, fname: str) -> Any:
    """A scalar by PyYAML's safe constructor (all the YAML 1.1 forms: 0x1F, 1_000, 1:30, .inf, ...)."""
    try:
        return _SCALAR_LOADER.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, KeyError, TypeError, OverflowError, IndexError):  # IndexError: !!int ''
        problems.append((fname, node.start_mark.line + 1, node.start_mark.column + 1,
                         say("profile.unreadable_value", value=repr(str(node.value)[:40]),
                             tag=node.tag.replace(_TAG, '!!'))))
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
                                 say("profile.key_not_text")))
                continue
            key = key_node.value  # keys stay text, whatever they look like (1, yes, ~)
            if key in out:
                problems.append((fname, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                 say("profile.duplicate_key", key=key)))
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
        raise ProfileError([(fname, 1, 1, say("profile.empty_file"))])
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
                                     say("profile.key_not_text")))
                    depth_only(key_node, depth)
                    depth_only(value_node, depth)
                    continue
                key = key_node.value  # keys stay text, whatever they look like (1, yes, ~)
                if key in out:
                    problems.append((fname, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                     say("profile.duplicate_key", key=key)))
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
                                     say("profile.anchor"))])
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise ProfileError([(fname, mark.line + 1, mark.column + 1,
                                         say("profile.too_deep", levels=MAX_DEPTH))])
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
        node = yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ProfileError([(fname, line, col, say("profile.bad_yaml", detail=str(exc.problem or exc)))]) from None
    except yaml.reader.ReaderError as exc:
        before = text[:exc.position] if _FAST_LOADER is yaml.SafeLoader else \
            text.encode("utf-8")[:exc.position].decode("utf-8", "ignore")  # libyaml counts bytes
        line, col = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        code = ord(exc.character) if isinstance(exc.character, str) else exc.character
        raise ProfileError([(fname, line, col, say("profile.bad_character", code=f"U+{code:04X}"))]) from None
    except yaml.YAMLError as exc:
        raise ProfileError([(fname, 1, 1, say("profile.bad_yaml", detail=str(exc)))]) from None
    except RecursionError:
        raise ProfileError([(fname, 1, 1, say("profile.too_deep_recursion"))]) from None
    pos = _Positions()
    if node is None:
        raise ProfileError([(fname, 1, 1, say("profile.empty_file"))])
    data = _build(node, (), pos, problems, fname)
    if problems:
        raise ProfileError(problems)
    return data, pos


# ---------------------------------------------------------------- schema errors in plain words

_KINDS = ("role", "text", "text_re", "label", "placeholder", "title", "alt", "css")
# The words for JSON and Python types (catalogue keys profile.type.<name>).
_JSON_TYPES = ("object", "array", "string", "integer", "number", "boolean", "null")
_PY_TYPES = {dict: "mapping", list: "array", str: "string", int: "number", float: "number", bool: "true_false",
             type(None): "null"}
# Plain sentences for the patterns in the schema, by the name of the field they guard (profile.pattern.<field>).
_PATTERN_SENTENCES = ("id", "origins", "secret", "name", "key", "date", "locale")


def _defs(name: str) -> dict:
    return schema()["$defs"][name]


def _type_words(expected):
    names = expected if isinstance(expected, list) else [expected]
    words = [say(f"profile.type.{n}") if n in _JSON_TYPES else n for n in names]
    said = words[-1]
    for word in reversed(words[:-1]):
        said = say("profile.either", first=word, second=said)
    return said


def _actual_type(value):
    return say(f"profile.type.{_PY_TYPES[type(value)]}") if type(value) in _PY_TYPES else say("profile.type.this")


def _did_you_mean(hint: list, paren: bool = False):
    return say("profile.did_you_mean_paren" if paren else "profile.did_you_mean", hint=hint[0]) if hint else ""


def _plain(error) -> str:
    v = error.validator
    where = error.absolute_path
    field_name = next((p for p in reversed(where) if isinstance(p, str)), "")
    if v == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        return say("profile.required", field=missing[0] if missing else error.message)
    if v == "additionalProperties":
        extra = re.findall(r"'([^']+)'", error.message)
        known = list(error.schema.get("properties", {}))
        hint = difflib.get_close_matches(extra[0], known, n=1) if extra else []
        guess = _did_you_mean(hint)
        if error.schema == _defs("step"):
            return say("profile.unknown_step", key=", ".join(extra), guess=guess, actions=", ".join(ACTIONS),
                       common="name, optional, if_visible, screen, timeout_ms, dialog, opens_tab")
        if guess:
            return say("profile.unknown_field_guess", field=", ".join(extra), guess=guess)
        return say("profile.unknown_field", field=", ".join(extra), allowed=", ".join(known))
    if v == "type":
        if error.schema in (_defs("candidate"), _defs("locator")):
            return say("profile.locator_form")
        return say("profile.wrong_type", expected=_type_words(error.validator_value), actual=_actual_type(error.instance))
    if v == "const" and field_name == "irreversible":
        return say("profile.irreversible_true")
    if v in ("enum", "const"):
        allowed = error.validator_value if v == "enum" else [error.validator_value]
        hint = difflib.get_close_matches(str(error.instance), list(map(str, allowed)), n=1)
        return say("profile.not_allowed_value", value=repr(error.instance), guess=_did_you_mean(hint, paren=True),
                   allowed=", ".join(map(str, allowed)))
    if v == "pattern":
        key = "origins" if isinstance(where[-1] if where else None, int) and field_name == "origins" else field_name
        if key in _PATTERN_SENTENCES:
            return say(f"profile.pattern.{key}", value=repr(error.instance))
        return say("profile.pattern.other", value=repr(error.instance), pattern=error.validator_value)
    if v in ("minItems", "minLength"):
        return say("profile.empty_value")
    if v == "minProperties":
        options = list(error.schema.get("properties", {}))
        return say("profile.empty_give_one", options=", ".join(options)) if options else say("profile.empty_value")
    if v == "maxProperties" and field_name == "wait":
        return say("profile.wait_one")
    if v == "maxLength":
        return say("profile.too_long", n=len(error.instance), limit=error.validator_value)
    if v == "maxItems":
        return say("profile.too_many_items", n=len(error.instance), limit=error.validator_value)
    if v == "maxProperties":
        return say("profile.too_many_entries", n=len(error.instance), limit=error.validator_value)
    if v in ("minimum", "maximum"):
        return say(f"profile.{v}", value=error.instance, limit=error.validator_value)
    if v == "uniqueItems":
        return say("profile.duplicate_item")
    if v == "dependentRequired":
        return say("profile.name_needs_role")
    if v == "oneOf":
        inst = error.instance
        if error.schema == _defs("step") and isinstance(inst, dict):
            found = [k for k in inst if k in ACTIONS]
            if not found:
                return say("profile.step_no_action", actions=", ".join(ACTIONS))
            return say("profile.step_many_actions", n=len(found), found=", ".join(found))
        if error.schema == _defs("candidate") and isinstance(inst, dict):
            kinds = [k for k in inst if k in _KINDS]
            if not kinds:
                return say("profile.locator_no_kind", kinds=", ".join(_KINDS))
            return say("profile.locator_many_kinds", n=len(kinds), kinds=", ".join(kinds), first=kinds[0],
                       second=kinds[1])
        if isinstance(inst, dict) and {"value", "secret"} <= set(inst):
            return say("profile.value_and_secret")
        if isinstance(inst, dict) and "target" in inst:
            return say("profile.value_or_secret")
        if error.schema in (_defs("locator"), _defs("candidate")) and not isinstance(inst, (dict, list)):
            return say("profile.locator_form")
        best = _best_branch(error)
        if best is not None:
            return _plain(best)
        types = [e.validator_value for e in error.context if e.validator == "type" and not e.relative_path]
        if types:
            return say("profile.wrong_type", expected=_type_words([n for t in types for n in (t if isinstance(t, list) else [t])]),
                       actual=_actual_type(inst))
        return say("profile.invalid_form")
    return say("profile.schema_other", detail=error.message)


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
    if action == "download":
        return m.DownloadStep(target=_locator(a["target"]), save_as=a["save_as"], what=a.get("what"),
                              max_mb=a.get("max_mb", m.DEFAULT_DOWNLOAD_MB), **common)
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
        add(("id",), say("profile.id_not_filename", id=data["id"], stem=path.stem))
    problem = url_problem(data["start_url"], origins)
    if problem:
        add(("start_url",), say("profile.start_url_refused", problem=problem))
    if data["login"].get("closed_when_refused") and "failed" not in data["login"]:
        add(("login", "closed_when_refused"), say("profile.closed_when_refused_needs_failed"))
    secrets = set(data["credentials"])
    flows = [("login", data["login"].get("steps", []))]
    if "close" in data:
        flows.append(("close", data["close"].get("steps", [])))
    if "status" in data:
        flows.append(("status", data["status"].get("steps", [])))
    if "prepare" in data:
        flows.append(("prepare", data["prepare"].get("steps", [])))
        seen_ids: set = set()
        for i, item in enumerate(data["prepare"].get("checklist", [])):
            if item["id"] in seen_ids:
                add(("prepare", "checklist", i, "id"), say("profile.checklist_id_twice", id=item["id"]))
            seen_ids.add(item["id"])
    submits = []
    for flow, steps in flows:
        for i, raw in enumerate(steps):
            where = (flow, "steps", i)
            if "goto" in raw:
                url = raw["goto"]
                if url.startswith(("//", "/\\")):
                    add(where + ("goto",), say("profile.goto_double_slash"))
                elif not url.startswith("/"):
                    problem = url_problem(url, origins)
                    if problem:
                        add(where + ("goto",), say("profile.goto_refused", problem=problem))
            if "fill" in raw and "secret" in raw["fill"] and raw["fill"]["secret"] not in secrets:
                add(where + ("fill", "secret"), say("profile.secret_undeclared", secret=raw["fill"]["secret"]))
            if "fill" in raw and "value" in raw["fill"] and _SECRET_FIELD.search(" ".join(_strings_in(raw["fill"]))):
                add(where + ("fill", "value"), say("profile.literal_secret"))
            if "submit" in raw:
                submits.append((flow, i))
                if flow != "close":
                    add(where, say("profile.submit_outside_close"))
                if raw.get("optional"):
                    add(where + ("optional",), say("profile.submit_optional"))
                if "if_visible" in raw:
                    add(where + ("if_visible",), say("profile.submit_conditional"))
            if raw.get("optional") and "verification_code" in raw:
                add(where, say("profile.code_optional"))
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
                    add(where, say("profile.bad_regex", value=value, detail=str(exc)))
    out.extend(_same_target_as_submit(flows, submits, add))
    close_submits = [s for s in submits if s[0] == "close"]
    if not close_submits and "close" in data:
        add(("close", "steps"), say("profile.submit_count", n=0))
    for flow, i in close_submits[1:]:
        add((flow, "steps", i), say("profile.submit_count", n=len(close_submits)))
    if len(close_submits) == 1:
        idx = close_submits[0][1]
        steps = data["close"]["steps"]
        if not any("outcome" in s for s in steps[idx + 1:]):
            add(("close", "steps", idx), say("profile.outcome_after_submit"))
    return out


# Python and the browser both read request_url (the browser decides which requests are routed at all):
# constructs the two read differently are refused.
_NOT_PORTABLE = re.compile(r"\(\?P|\(\?#|\\[AZz]|\(\?[aiLmsux-]+[:)]|\(\?\(")


def portability_problem(pattern: str) -> str | None:
    found = _NOT_PORTABLE.search(pattern)
    if found:
        return say("profile.not_portable", construct=found.group(0))
    return None


def _verification_problems(code: dict, flow: str, steps: list, i: int, where: tuple, add) -> list:
    """Which keys a verification pattern needs; the schema cannot say "unless"."""
    by_submit = code.get("checked_by") == "submit"
    if by_submit:
        if "confirm" in code:
            add(where + ("verification_code", "confirm"), say("profile.code_by_submit_no_confirm"))
        if flow != "close" or not any("submit" in s for s in steps[i + 1:]):
            add(where + ("verification_code", "checked_by"), say("profile.code_by_submit_needs_submit"))
    else:
        for key in ("confirm", "accepted"):
            if key not in code:
                add(where + ("verification_code",), say("profile.code_needs_key", key=key))
    if code.get("channel") == "authenticator":
        for key in ("send", "sent", "destination", "auto_send"):
            if key in code:
                add(where + ("verification_code", key), say("profile.authenticator_sends_nothing", key=key))
    elif "period_s" in code:
        add(where + ("verification_code", "period_s"), say("profile.period_only_authenticator"))
    if code.get("auto_send") and "send" not in code and "resend_wait_s" in code:
        add(where + ("verification_code", "resend_wait_s"), say("profile.resend_wait_needs_send"))
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
                    add((flow, "steps", i) + path, say("profile.same_target_as_submit", key=".".join(path),
                                                       locator=next(iter(same)).describe()))
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
        raise ProfileNotFound(say("profile.unreadable_file", file=fname, detail=exc.strerror or str(exc))) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ProfileError([(fname, 1, 1, say("profile.is_folder"))])
        if not stat.S_ISREG(info.st_mode):
            raise ProfileError([(fname, 1, 1, say("profile.not_regular_file"))])
        if info.st_size > limit:
            raise ProfileError([(fname, 1, 1, say(f"file.too_big.{what}", n=info.st_size, limit=limit))])
        chunks, size = [], 0
        while size <= limit:  # a file that grows while being read still stops at the limit
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise ProfileNotFound(say("profile.unreadable_file", file=fname, detail=exc.strerror or str(exc))) from None
    finally:
        os.close(fd)
    if size > limit:
        raise ProfileError([(fname, 1, 1, say(f"file.grew.{what}", limit=limit))])
    return b"".join(chunks)


def load_profile(path: str | Path) -> m.Profile:
    path = Path(path)
    fname = str(path)
    raw = read_capped(path, MAX_PROFILE_BYTES, "profiles")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProfileError([(fname, 1, 1, say("profile.not_utf8", detail=exc.reason))]) from None
    data, pos = parse_yaml(text, fname)
    if not isinstance(data, dict):
        raise ProfileError([(fname, 1, 1, say("profile.not_mapping"))])
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
    prepare = None
    if "prepare" in data:
        p = data["prepare"]
        prepare = m.PrepareFlow(steps=_steps(p.get("steps", []), "prepare", pos),
                                checklist=[m.ChecklistItem(id=i["id"], ask=i["ask"], required=bool(i.get("required")))
                                           for i in p.get("checklist", [])])
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
                          failed=_opt_locator(login, "failed"),
                          closed_when_refused=bool(login.get("closed_when_refused", False))),
        close_steps=_steps(data["close"]["steps"], "close", pos) if "close" in data else [],
        device=m.Device(viewport=device.get("viewport"), mobile=bool(device.get("mobile")),
                        locale=device.get("locale", "zh-CN"), timezone=device.get("timezone"),
                        user_agent=device.get("user_agent")),
        path=path, sha256=sha, website=data.get("website", ""), maintainer=data.get("maintainer", ""),
        verified=data.get("verified"),
        overlays=[m.Overlay(o["name"], _locator(o["appears"]), _locator(o["dismiss"]))
                  for o in data.get("overlays", [])],
        sensitive=[_locator(s) for s in data.get("sensitive", [])],
        status=status, tests=data.get("tests", {}), jurisdiction=data.get("jurisdiction"), prepare=prepare,
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
