"""closure-assistant cases: every closure this computer knows of, where it stands and what to do next."""
from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

from assistant.cli.commands import add_command
from assistant.errors import EnvironmentProblem

DESCRIPTION = """A table of every closure case (one per site and account): its number, state,
application number, submission date, the date by which the platform must finish (working days after
the submission), the last run and the one next thing to do. A case still under review after that
date becomes overdue (逾期 / OVERDUE).

States: preparing, submitted (not yet confirmed), pending review, needs you, closed, denied,
overdue, withdrawn. `closure-assistant note CASE "…"` records what you did outside the tool.

--due prints only what needs doing today and exits 20 when something does, 0 when nothing does:
for cron or a systemd timer, e.g. a crontab line
  0 9 * * * closure-assistant cases --due || notify-send "closure-assistant" "a closure needs you"
--ics FILE writes every deadline and re-check date as calendar events (.ics) for your calendar.
--json prints every case with its events, for scripts.

The cases live in an SQLite database in your data directory (change it with --db or the
environment variable CLOSURE_ASSISTANT_DB). CLOSURE_ASSISTANT_TODAY=YYYY-MM-DD fixes today's date.

examples:
  closure-assistant cases
  closure-assistant cases --due
  closure-assistant cases --ics ~/closures.ics
  closure-assistant cases --json
"""

class CalendarUnwritable(EnvironmentProblem):
    message_key = "error.ics_unwritable"


RED = "\033[31m"
RESET = "\033[0m"


def db_option(p) -> None:
    p.add_argument("--db", metavar="FILE", type=Path,
                   help="the case database (default: your data directory/cases.sqlite3; env CLOSURE_ASSISTANT_DB)")


def add_parser(sub):
    p = add_command(sub, "cases", "list every closure case, overdue ones marked, with the next step", run,
                    DESCRIPTION)
    show = p.add_mutually_exclusive_group()
    show.add_argument("--due", action="store_true",
                      help="only what needs action today; exit 20 when something does, 0 when nothing does")
    show.add_argument("--json", action="store_true", help="every case with its events, as JSON (for scripts)")
    show.add_argument("--ics", metavar="FILE", type=Path,
                      help="write every deadline and re-check date as calendar events to FILE (.ics)")
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


def last_run_text(run, lang: str) -> str:
    from assistant.messages import CATALOGUE, t
    if run is None:
        return "-"
    outcome = run.outcome or "interrupted"
    label = t("case.interrupted", lang) if run.outcome is None else (
        t(f"outcome.{outcome}", lang) if f"outcome.{outcome}" in CATALOGUE else outcome)
    if run.outcome == "status_read" and run.site_state:
        label = t(f"state.{run.site_state}", lang)  # "status check: closed", not "status status read: closed"
    flow = t(f"flow.{run.flow}", lang) if f"flow.{run.flow}" in CATALOGUE else run.flow
    return t("cases.last_run", lang, when=local(run.started_at, with_time=True), flow=flow, outcome=label)


def case_rows(store, views, lang: str) -> list[tuple[list[str], bool]]:
    from assistant.cases.lifecycle import state_label
    from assistant.redaction import mask_account
    rows = []
    for view in views:
        case = view.case
        rows.append(([str(case.id), case.site, mask_account(case.account), state_label(case, lang),
                      case.application_number or "-", submitted_on(case),
                      case.deadline.isoformat() if case.deadline else "-",
                      last_run_text(store.last_run(case.id), lang), view.action.text(lang)],
                     case.overdue(case.today())))
    return rows


def colour_wanted(stream) -> bool:
    return stream.isatty() and not os.environ.get("NO_COLOR")


def run(args, lang: str) -> int:
    from assistant.cases import lifecycle
    from assistant.cases.store import today as case_today
    from assistant.errors import ExitStatus
    from assistant.messages import t
    from assistant.cli.tables import render
    today = case_today()
    due, as_json, ics = (getattr(args, name, None) for name in ("due", "json", "ics"))
    with open_store(args) as store:
        views = lifecycle.overview(store)
        if as_json:
            print(json.dumps({"today": today.isoformat(), "database": str(store.path),
                              "cases": [view.as_dict(lang) for view in views]}, ensure_ascii=False, indent=2))
            return 0
        if ics:
            from assistant.followup.calendar import write_calendar
            try:
                count = write_calendar(views, ics, lang)
            except OSError as exc:
                from assistant.engine.sentences import Sentence
                from assistant.evidence.writer import describe_os_error
                from assistant.messages import reason
                why = describe_os_error(exc)  # the disk is full, no such folder, ... in the reader's language
                raise CalendarUnwritable(Sentence(lambda lang: f"{ics}: {reason(why, lang)}"), path=str(ics)) from None
            print(t("cases.ics_written", lang, path=ics, n=count))
            return 0
        if due:
            views = [view for view in views if view.due]
            if not views:
                print(t("cases.nothing_due", lang, today=today.isoformat()))
                return 0
        elif not views:
            print(t("cases.empty", lang))
            return 0
        rows = case_rows(store, views, lang)
        path = store.path
    header = [t(f"col.{k}", lang) for k in ("case", "site", "account", "state", "application", "submitted", "deadline",
                                            "last_run", "next")]
    lines = render(header, [cells for cells, _ in rows])
    colour = colour_wanted(sys.stdout)
    if due:
        print(t("cases.due", lang, n=len(rows), today=today.isoformat()))
    print(lines[0])
    for line, (_, overdue) in zip(lines[1:], rows):
        print(f"{RED}{line}{RESET}" if overdue and colour else line)
    print(t("cases.db", lang, path=path, today=today.isoformat()))
    return int(ExitStatus.DUE) if due else 0
