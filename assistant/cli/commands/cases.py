"""closure-assistant cases: every closure this computer knows of, where it stands and what to do next."""
from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

from assistant.cli.commands import add_command

DESCRIPTION = """A table of every closure case (one per site and account): its state, application
number, submission date, the date by which the platform must finish (working days after the
submission), the last run and the next thing to do. Cases past their deadline and still pending
are marked 逾期 / OVERDUE.

The cases live in an SQLite database in your data directory (change it with --db or the
environment variable CLOSURE_ASSISTANT_DB).

examples:
  closure-assistant cases
  closure-assistant cases --db ~/closures.sqlite3
"""

RED = "\033[31m"
RESET = "\033[0m"


def db_option(p) -> None:
    p.add_argument("--db", metavar="FILE", type=Path,
                   help="the case database (default: your data directory/cases.sqlite3; env CLOSURE_ASSISTANT_DB)")


def add_parser(sub):
    p = add_command(sub, "cases", "list every closure case, overdue ones marked, with the next step", run,
                    DESCRIPTION)
    db_option(p)


def open_store(args):
    from assistant.cases.store import CaseStore
    return CaseStore(getattr(args, "db", None))


def submitted_on(case) -> str:
    """The submission's date at the site (the day its working days count from), as stored with the deadline."""
    if case.deadline_info is not None:
        return case.deadline_info.submitted_on.isoformat()
    return local(case.submitted_at)


def local(at: dt.datetime | None, with_time: bool = False) -> str:
    if at is None:
        return "-"
    return at.astimezone().strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def state_label(case, lang: str, today: dt.date) -> str:
    from assistant.messages import t
    label = t(f"case.{case.state}", lang)
    return f"{label} · {t('case.overdue', lang)}" if case.overdue(today) else label


# What to do next for a case is the cases layer's (assistant/cases/next_action.py), shared with the web app.
from assistant.cases.next_action import evidence_of, next_step, reason_text  # noqa: E402,F401


def _catalogue() -> dict:
    from assistant.messages import CATALOGUE
    return CATALOGUE


def last_run_text(run, lang: str) -> str:
    from assistant.messages import t
    if run is None:
        return "-"
    outcome = run.outcome or "interrupted"
    label = t("case.interrupted", lang) if run.outcome is None else (
        t(f"outcome.{outcome}", lang) if f"outcome.{outcome}" in _catalogue() else outcome)
    if run.outcome == "status_read" and run.site_state:
        label = t(f"state.{run.site_state}", lang)  # "status check: closed", not "status status read: closed"
    flow = t(f"flow.{run.flow}", lang) if f"flow.{run.flow}" in _catalogue() else run.flow
    return t("cases.last_run", lang, when=local(run.started_at, with_time=True), flow=flow, outcome=label)


def case_rows(store, cases, lang: str, today: dt.date) -> list[tuple[list[str], bool]]:
    from assistant.redaction import mask_account
    rows = []
    for case in cases:
        rows.append(([case.site, mask_account(case.account), state_label(case, lang, case.today()),
                      case.application_number or "-", submitted_on(case),
                      case.deadline.isoformat() if case.deadline else "-",
                      last_run_text(store.last_run(case.id), lang), next_step(store, case, lang, case.today())],
                     case.overdue(case.today())))
    return rows


def colour_wanted(stream) -> bool:
    return stream.isatty() and not os.environ.get("NO_COLOR")


def run(args, lang: str) -> int:
    from assistant.cases.store import today as case_today
    from assistant.messages import t
    from assistant.cli.tables import render
    today = case_today()
    with open_store(args) as store:
        cases = store.all_cases()
        if not cases:
            print(t("cases.empty", lang))
            return 0
        rows = case_rows(store, cases, lang, today)
        path = store.path
    header = [t(f"col.{k}", lang) for k in ("site", "account", "state", "application", "submitted", "deadline",
                                            "last_run", "next")]
    lines = render(header, [cells for cells, _ in rows])
    colour = colour_wanted(sys.stdout)
    print(lines[0])
    for line, (_, overdue) in zip(lines[1:], rows):
        print(f"{RED}{line}{RESET}" if overdue and colour else line)
    print(t("cases.db", lang, path=path, today=today.isoformat()))
    return 0
