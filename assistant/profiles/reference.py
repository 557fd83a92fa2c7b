"""Writes the profile reference in docs/writing-profiles.md from the JSON Schema, so the two never disagree.

    python -m assistant.profiles.reference          rewrite the section between the markers
    python -m assistant.profiles.reference --check  exit 1 when the document is out of date (CI, tests)
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.profiles.loader import ACTIONS, schema

DOC = Path(__file__).resolve().parents[2] / "docs" / "writing-profiles.md"
BEGIN = "<!-- BEGIN GENERATED REFERENCE: python -m assistant.profiles.reference rewrites this section -->"
END = "<!-- END GENERATED REFERENCE -->"

def _ref_name(node: dict) -> str | None:
    ref = node.get("$ref", "")
    return ref.rsplit("/", 1)[-1] if ref.startswith("#/$defs/") else None


def _code(values) -> str:
    return ", ".join(f"`{v}`" for v in values)


def _value(node: dict) -> str:
    """A short plain description of what a field takes."""
    ref = _ref_name(node)
    if ref == "steps":
        return "list of [steps](#steps)"
    if ref in ("locator", "candidate"):
        return "[locator](#locators)"
    if ref == "strings":
        return "[text or list of texts](#text-or-list)"
    if ref == "i18n":
        return "[`{zh, en}` text](#text-in-two-languages)"
    if ref == "capture":
        return "[capture](#capture)"
    if ref == "credential":
        return "[credential](#credentials)"
    if "const" in node:
        return f"always `{str(node['const']).lower() if isinstance(node['const'], bool) else node['const']}`"
    if "enum" in node:
        return "one of " + _code(node["enum"])
    kind = node.get("type")
    if kind == "array":
        items = node.get("items", {})
        text = f"list of {_value(items)}" if items else "list"
        return text + (f" (at most {node['maxItems']})" if "maxItems" in node else "")
    if kind == "string":
        extra = []
        if "pattern" in node:
            extra.append(f"pattern `{node['pattern']}`")
        if "maxLength" in node:
            extra.append(f"≤ {node['maxLength']} characters")
        return "text" + (f" ({'; '.join(extra)})" if extra else "")
    if kind == "integer":
        bounds = [f"{node['minimum']}" if "minimum" in node else "", f"{node['maximum']}" if "maximum" in node else ""]
        return "whole number" + (f" {bounds[0]}–{bounds[1]}" if all(bounds) else "")
    if kind == "boolean":
        return "`true` or `false`"
    if kind == "object":
        if "properties" in node:
            return "mapping: " + _code(node["properties"])
        extra = node.get("additionalProperties")
        if isinstance(extra, dict):
            return f"mapping of name → {_value(extra)}"
        return "mapping"
    return "see below"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def _table(node: dict, skip: tuple = ()) -> list[str]:
    required = set(node.get("required", []))
    rows = ["| key | required | value | meaning |", "| --- | --- | --- | --- |"]
    for key, sub in node.get("properties", {}).items():
        if key in skip:
            continue
        rows.append(f"| `{key}` | {'yes' if key in required else ''} | {_cell(_value(sub))} | "
                    f"{_cell(sub.get('description', ''))} |")
    return rows


def _conditions(node: dict) -> list[str]:
    """Rules the schema states beside the properties (oneOf of required keys, if/then)."""
    out = []
    alternatives = [b["required"] for b in node.get("oneOf", []) if set(b) == {"required"}]
    if alternatives:
        out.append("Give exactly one of: " + ", ".join(" + ".join(f"`{k}`" for k in a) for a in alternatives) + ".")
    if "if" in node and "then" in node:
        cond = node["if"].get("properties", {})
        when = ", ".join(f"`{k}: {v.get('const')}`" for k, v in cond.items())
        out.append(f"With {when}, also required: {_code(node['then'].get('required', []))}.")
    for key, needs in node.get("dependentRequired", {}).items():
        out.append(f"`{key}` needs {_code(needs)}.")
    if node.get("minProperties") and not alternatives:
        out.append("Give exactly one of these keys." if node.get("maxProperties") == 1
                   else "Give at least one of these keys.")
    return out


def _section(title: str, node: dict, skip: tuple = ()) -> list[str]:
    lines = [f"### {title}", ""]
    if node.get("description"):
        lines += [_cell(node["description"]), ""]
    lines += _table(node, skip)
    rules = _conditions(node)
    if rules:
        lines += [""] + rules
    return lines + [""]


def _patterns(node: dict) -> list[str]:
    """The schema's worked patterns of one step (x-patterns): a heading, the YAML, what the tool does."""
    patterns = node.get("x-patterns") or []
    if not patterns:
        return []
    out = ["### Verification patterns", "", "How `verification_code` describes the common ways sites check a code.", ""]
    for p in patterns:
        out += [f"#### {p['title']}", "", "```yaml", p["example"], "```", "", _cell(p["text"]), ""]
    return out


def render(sch: dict | None = None) -> str:
    """The whole generated reference as Markdown."""
    sch = sch or schema()
    defs = sch["$defs"]
    step = defs["step"]
    actions = [k for k in step["properties"] if k in ACTIONS]
    common = [k for k in step["properties"] if k not in ACTIONS]
    out = ["## Reference (generated from the schema)", "",
           f"Generated from `assistant/profiles/schema/profile.schema.json` (`{sch.get('title', '')}`). "
           "Do not edit by hand: change the schema and run `python -m assistant.profiles.reference`.", ""]
    out += _section("Top-level fields", sch)
    for key in ("names", "verified", "device", "closure", "login", "prepare", "close", "status", "tests"):
        node = sch["properties"][key]
        out += _section(f"`{key}`", node)
        if key == "prepare":
            out += ["#### Checklist items", "", "Each item of `prepare.checklist`.", ""]
            out += _table(defs["checklist_item"]) + [""]
    out += ["### Credentials", "", _cell(sch["properties"]["credentials"]["description"]), ""]
    out += _table(defs["credential"]) + [""]
    out += ["### Overlays", "", _cell(sch["properties"]["overlays"]["description"]), ""]
    out += _table(sch["properties"]["overlays"]["items"]) + [""]
    out += ["### Steps", "", _cell(step["description"]), "",
            f"Actions: {_code(actions)}.", "", "#### Keys every step may carry", ""]
    out += _table({"properties": {k: step["properties"][k] for k in common}}) + [""]
    for action in actions:
        node = step["properties"][action]
        out += [f"#### `{action}`", ""]
        if node.get("description"):
            out += [_cell(node["description"]), ""]
        target = defs["capture"] if _ref_name(node) == "capture" else node
        if target.get("type") == "object" and "properties" in target:
            out += _table(target)
            rules = _conditions(target)
            if rules:
                out += [""] + rules
        else:
            out.append(f"Value: {_value(node)}.")
        out.append("")
    out += _patterns(step["properties"]["verification_code"])
    out += _section("Locators", defs["candidate"])
    out += [_cell(defs["locator"]["description"]), ""]
    out += ["### Capture", "", "Used by the `capture` step and by `status.capture`.", ""] + _table(defs["capture"]) + [""]
    out += ["### Text or list", "", _cell(defs["strings"]["description"]), "",
            "### Text in two languages", "", _cell(defs["i18n"]["description"]) + " Keys: `zh`, `en`.", ""]
    return "\n".join(out).rstrip() + "\n"


def splice(document: str, generated: str) -> str:
    if BEGIN not in document or END not in document:
        raise ValueError(f"the markers are missing: {BEGIN} … {END}")
    head, rest = document.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n\n{generated}\n{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.profiles.reference", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when the document is out of date")
    parser.add_argument("--doc", type=Path, default=DOC)
    args = parser.parse_args(argv)
    current = args.doc.read_text("utf-8")
    wanted = splice(current, render())
    if args.check:
        if wanted != current:
            print(f"{args.doc} is out of date: run python -m assistant.profiles.reference", file=sys.stderr)
            return 1
        return 0
    if wanted != current:
        args.doc.write_text(wanted, "utf-8")
        print(f"rewrote the reference in {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
