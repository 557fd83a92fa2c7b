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
from assistant.messages import say

MAX_PLAN_BYTES = 64 * 1024
MAX_ENTRIES = 200
KEYS = ("site", "account")


class PlanError(AssistantError):
    """Problems as (file, line, column, sentence), like a profile's: said one per line in the user's language."""

    exit_status = ExitStatus.USAGE
    message_key = "error.plan"

    def __init__(self, problems: list[tuple]):
        self.problems = problems
        super().__init__("\n".join(f"{f}:{ln}:{col}: {m}" for f, ln, col, m in problems))


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
        raise PlanError([(fname, 1, 1, say("plan.unreadable", detail=str(exc.strerror or exc)))]) from None
    if len(raw) > MAX_PLAN_BYTES:
        raise PlanError([(fname, 1, 1, say("plan.too_big", kb=MAX_PLAN_BYTES // 1024))])
    try:
        data, pos = parse_yaml(raw.decode("utf-8"), fname)
    except UnicodeDecodeError:
        raise PlanError([(fname, 1, 1, say("profile.not_utf8", detail="UTF-8"))]) from None
    except ProfileError as exc:
        raise PlanError(exc.problems) from None

    problems: list[tuple] = []

    def problem(where: tuple, text) -> None:
        line, col = pos.at(where)
        problems.append((fname, line, col, text))

    if not isinstance(data, list) or not data:
        problem((), say("plan.not_a_list"))
        raise PlanError(problems)
    if len(data) > MAX_ENTRIES:
        problem((), say("plan.too_many", n=MAX_ENTRIES))
    entries: list[PlanEntry] = []
    seen: set[tuple[str, str]] = set()
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            problem((i,), say("plan.entry_keys"))
            continue
        for key in item:
            if key not in KEYS:
                problem((i, key), say("plan.unknown_key", key=key))
        values = {}
        for key in KEYS:
            value = item.get(key)
            if isinstance(value, int) and not isinstance(value, bool):
                value = str(value)  # an unquoted phone number
            if not isinstance(value, str) or not value.strip():
                problem((i, key) if key in item else (i,), say("plan.missing", key=key))
                continue
            values[key] = value.strip()
        if len(values) == 2:
            pair = (values["site"], values["account"])
            if pair in seen:
                problem((i,), say("plan.twice", site=pair[0], account=pair[1]))
            seen.add(pair)
            entries.append(PlanEntry(*pair))
    if problems:
        raise PlanError(problems)
    return entries
