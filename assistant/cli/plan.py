"""A closure plan: a small YAML list of (site, account) pairs for `close --plan FILE`.

    # my-plan.yaml
    - site: demo-lender
      account: "13800000001"
    - site: desktop-lender
      account: me@example.com

Plain data only (the profile loader's safe YAML: no tags, no anchors), checked before anything runs;
every problem is reported as file:line:column.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant.errors import AssistantError, ExitStatus, ProfileError

MAX_PLAN_BYTES = 64 * 1024
MAX_ENTRIES = 200
KEYS = ("site", "account")


class PlanError(AssistantError):
    exit_status = ExitStatus.USAGE
    message_key = "error.plan"


@dataclass(frozen=True)
class PlanEntry:
    site: str
    account: str


def load_plan(path: Path) -> list[PlanEntry]:
    from assistant.profiles.loader import parse_yaml
    fname = str(path)
    try:
        with open(path, "rb") as fh:  # at most one byte past the cap: /dev/zero or a huge file stops there
            raw = fh.read(MAX_PLAN_BYTES + 1)
    except OSError as exc:
        raise PlanError(f"{fname}: {exc.strerror or exc}") from None
    if len(raw) > MAX_PLAN_BYTES:
        raise PlanError(f"{fname}: the file is larger than {MAX_PLAN_BYTES // 1024} KB")
    try:
        data, pos = parse_yaml(raw.decode("utf-8"), fname)
    except UnicodeDecodeError:
        raise PlanError(f"{fname}: the file is not UTF-8 text") from None
    except ProfileError as exc:
        raise PlanError(exc.detail) from None

    problems: list[str] = []

    def problem(where: tuple, text: str) -> None:
        line, col = pos.at(where)
        problems.append(f"{fname}:{line}:{col}: {text}")

    if not isinstance(data, list) or not data:
        problem((), "a plan is a list of entries, each with `site:` and `account:`")
        raise PlanError("\n".join(problems))
    if len(data) > MAX_ENTRIES:
        problem((), f"a plan may list at most {MAX_ENTRIES} accounts")
    entries: list[PlanEntry] = []
    seen: set[tuple[str, str]] = set()
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            problem((i,), "each entry needs `site:` and `account:`")
            continue
        for key in item:
            if key not in KEYS:
                problem((i, key), f"unknown key '{key}' (an entry has only `site:` and `account:`)")
        values = {}
        for key in KEYS:
            value = item.get(key)
            if isinstance(value, int) and not isinstance(value, bool):
                value = str(value)  # an unquoted phone number
            if not isinstance(value, str) or not value.strip():
                problem((i, key) if key in item else (i,), f"`{key}:` is missing or not text")
                continue
            values[key] = value.strip()
        if len(values) == 2:
            pair = (values["site"], values["account"])
            if pair in seen:
                problem((i,), f"{pair[0]} / {pair[1]} is listed twice")
            seen.add(pair)
            entries.append(PlanEntry(*pair))
    if problems:
        raise PlanError("\n".join(problems))
    return entries
