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


def evidence_of(store, case) -> str:
    """The folder that best proves the case: the submitting run's, else the latest run's."""
    run = store.run(case.submit_run) if case.submit_run else None
    run = run if run and run.evidence_dir else store.last_run(case.id)
    return (run.evidence_dir if run else None) or "-"


def next_step(store, case, lang: str, today: dt.date) -> str:
    from assistant.messages import t
    from assistant.redaction import mask_account
    # Advice that follows the cause: next.<state>.<reason> where the catalogue has it.
    if case.reason and f"next.{case.state}.{case.reason}" in _catalogue():
        return t(f"next.{case.state}.{case.reason}", lang, site=case.site, account=mask_account(case.account),
                 evidence=evidence_of(store, case))
    if case.state == "pending" and case.submitted_at is None and not case.overdue(today):
        return t("next.pending_no_deadline", lang)
    if case.state == "needs_user" and case.reason and f"case.{case.reason}" in _catalogue():
        if f"next.needs_user.{case.reason}" in _catalogue():
            return t(f"next.needs_user.{case.reason}", lang)
        return t("next.then_close", lang, what=reason_text(case.reason, lang))  # the reason says what to do
    key = "next.overdue" if case.overdue(today) else f"next.{case.state}"
    text = t(key, lang, site=case.site, account=mask_account(case.account), evidence=evidence_of(store, case))
    if case.reason and case.state in ("blocked", "failed", "needs_user", "not_started"):
        text = f"{text}（{reason_text(case.reason, lang)}）" if lang == "zh" else f"{text} ({reason_text(case.reason, lang)})"
    return text


def reason_text(reason: str, lang: str) -> str:
    """Our own reasons are catalogue keys; the site's messages are shown as the site wrote them."""
    from assistant.messages import t
    return t(f"case.{reason}", lang) if f"case.{reason}" in _catalogue() else reason


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
