"""YAML → validated, typed Profile. Every problem is reported as file:line:column + a plain sentence.

Safety: safe YAML only, no anchors/aliases (alias bombs), a size cap, duplicate keys refused.
"""
from __future__ import annotations

import difflib
import hashlib
import json
import re
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

    def __init__(self):
        self.marks: dict[tuple, tuple[int, int]] = {}

    def at(self, path) -> tuple[int, int]:
        path = tuple(path)
        while path and path not in self.marks:
            path = path[:-1]
        return self.marks.get(path, (1, 1))


_TAG = "tag:yaml.org,2002:"
PLAIN_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}


def _build(node: yaml.Node, path: tuple, pos: _Positions, problems: list, fname: str) -> Any:
    pos.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if node.tag not in PLAIN_TAGS:
        problems.append((fname, node.start_mark.line + 1, node.start_mark.column + 1,
                         say("profile.tag", tag=node.tag.replace(_TAG, '!!'))))
        return None
    if node.tag == _TAG + "timestamp":
        return node.value  # dates stay text, as the schema expects
    if isinstance(node, yaml.MappingNode):
        out: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append((fname, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                 say("profile.key_not_text")))
                continue
            key = yaml.SafeLoader.construct_scalar(_SCALAR_LOADER, key_node)
            if key_node.tag.endswith(":int") or key_node.tag.endswith(":bool"):
                key = str(key)
            if key in out:
                problems.append((fname, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                 say("profile.duplicate_key", key=key)))
                continue
            pos.marks[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = _build(value_node, path + (key,), pos, problems, fname)
            pos.marks[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(child, path + (i,), pos, problems, fname) for i, child in enumerate(node.value)]
    try:
        return _SCALAR_LOADER.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, KeyError, TypeError, OverflowError):
        problems.append((fname, node.start_mark.line + 1, node.start_mark.column + 1,
                         say("profile.unreadable_value", value=repr(str(node.value)[:40]),
                             tag=node.tag.replace(_TAG, '!!'))))
        return None
    finally:
        _SCALAR_LOADER.constructed_objects.clear()  # the shared loader must not keep every value it saw


_SCALAR_LOADER = yaml.SafeLoader("")
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: same safe rules, faster


def parse_yaml(text: str, fname: str) -> tuple[Any, _Positions]:
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


def _schema_problems(data, pos: _Positions, fname: str) -> list[Problem]:
    from jsonschema import Draft202012Validator
    validator = Draft202012Validator(schema())
    out = []
    errors = list(validator.iter_errors(data))
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
            input=_locator(a["input"]), confirm=_locator(a["confirm"]), accepted=_locator(a["accepted"]),
            channel=a.get("channel", "sms"), send=_opt_locator(a, "send"), sent=_opt_locator(a, "sent"),
            destination=_opt_locator(a, "destination"), wrong_code=_opt_locator(a, "wrong_code"),
            expired=_opt_locator(a, "expired"), locked=_opt_locator(a, "locked"),
            attempts=a.get("attempts", 3), **common)
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
        add(("id",), say("profile.id_not_filename", id=data["id"], stem=path.stem))
    problem = url_problem(data["start_url"], origins)
    if problem:
        add(("start_url",), say("profile.start_url_refused", problem=problem))
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
            for key in ("text_re", "pattern", "url", "request_url"):
                for value in _find_key(raw, key):
                    try:
                        re.compile(value)
                    except re.error as exc:
                        add(where, say("profile.bad_regex", value=value, detail=str(exc)))
    close_submits = [s for s in submits if s[0] == "close"]
    if not close_submits:
        add(("close", "steps"), say("profile.submit_count", n=0))
    for flow, i in close_submits[1:]:
        add((flow, "steps", i), say("profile.submit_count", n=len(close_submits)))
    if len(close_submits) == 1:
        idx = close_submits[0][1]
        steps = data["close"]["steps"]
        if not any("outcome" in s for s in steps[idx + 1:]):
            add(("close", "steps", idx), say("profile.outcome_after_submit"))
    return out


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


def _find_key(obj, key):
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == key and isinstance(v, str):
                yield v
            else:
                yield from _find_key(v, key)
    elif isinstance(obj, list):
        for item in obj:
            yield from _find_key(item, key)


# ---------------------------------------------------------------- entry points

def load_profile(path: str | Path) -> m.Profile:
    path = Path(path)
    fname = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ProfileNotFound(say("profile.unreadable_file", file=fname, detail=exc.strerror or "")) from None
    if len(raw) > MAX_PROFILE_BYTES:
        raise ProfileError([(fname, 1, 1, say("profile.too_big", n=len(raw), limit=MAX_PROFILE_BYTES))])
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
