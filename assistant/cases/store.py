"""The case store: one case per (site, account), every run, in an embedded SQLite database.

A case remembers where a closure stands (not started, blocked, submit attempted, pending review,
closed, ...), the application number, when it was submitted and by when the platform must finish.
Every change is committed at once, so a run killed at any moment leaves a case the next run can
resolve. The schema is versioned with PRAGMA user_version; MIGRATIONS[n] takes version n to n+1.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from assistant.deadlines import add_working_days
from assistant.errors import AssistantError, ExitStatus, UnsafeAction
from assistant.messages import say
from assistant.settings import DEFAULT_REVIEW_WORKING_DAYS, user_data_dir

DB_ENV = "CLOSURE_ASSISTANT_DB"
TODAY_ENV = "CLOSURE_ASSISTANT_TODAY"
DB_NAME = "cases.sqlite3"

NOT_STARTED = "not_started"
BLOCKED = "blocked"
NEEDS_USER = "needs_user"
SUBMIT_ATTEMPTED = "submit_attempted"
PENDING = "pending"
CLOSED = "closed"
FAILED = "failed"
STATES = (NOT_STARTED, BLOCKED, NEEDS_USER, SUBMIT_ATTEMPTED, PENDING, CLOSED, FAILED)
# A closure request may already be with the platform: never submit again without checking the site.
SUBMITTED_STATES = (SUBMIT_ATTEMPTED, PENDING, CLOSED)


class CaseStoreError(AssistantError):
    exit_status = ExitStatus.ERROR
    message_key = "error.case_store"


class CaseBusy(UnsafeAction):
    message_key = "error.case_busy"


class BadToday(AssistantError):
    exit_status = ExitStatus.USAGE
    message_key = "error.usage"


def default_path() -> Path:
    return Path(os.environ[DB_ENV]) if os.environ.get(DB_ENV) else user_data_dir() / DB_NAME


def today() -> dt.date:
    """The date used for deadlines and overdue marks; CLOSURE_ASSISTANT_TODAY fixes it (tests)."""
    fixed = os.environ.get(TODAY_ENV)
    if fixed:
        try:
            return dt.date.fromisoformat(fixed)
        except ValueError:
            raise BadToday(say("usage.bad_today", name=TODAY_ENV, value=repr(fixed))) from None
    return dt.date.today()


def _stamp(at: dt.datetime) -> str:
    return at.astimezone(dt.timezone.utc).isoformat(timespec="seconds")


def _time(text: Optional[str]) -> Optional[dt.datetime]:
    return dt.datetime.fromisoformat(text) if text else None


def _date(text: Optional[str]) -> Optional[dt.date]:
    return dt.date.fromisoformat(text) if text else None


def site_date(at: dt.datetime, timezone: Optional[str]) -> dt.date:
    """The calendar date at the platform (its working days count), else on this computer."""
    if timezone:
        try:
            from zoneinfo import ZoneInfo
            return at.astimezone(ZoneInfo(timezone)).date()
        except Exception:  # noqa: BLE001 - no tz database (bare Windows): the local date is close enough
            pass
    return at.astimezone().date()


# ---------------------------------------------------------------- schema and migrations

def _v1(db: sqlite3.Connection) -> None:
    db.execute("""
        CREATE TABLE cases (
            id INTEGER PRIMARY KEY,
            site TEXT NOT NULL,
            account TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'not_started',
            reason TEXT,
            application_number TEXT,
            review_working_days INTEGER NOT NULL,
            site_timezone TEXT,
            submit_attempted_at TEXT,
            submitted_at TEXT,
            deadline TEXT,
            closed_at TEXT,
            submit_run INTEGER,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (site, account)
        )""")
    db.execute("""
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases(id),
            run_id TEXT NOT NULL,
            flow TEXT NOT NULL,
            dry_run INTEGER NOT NULL DEFAULT 0,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            outcome TEXT,
            site_state TEXT,
            submit_attempted_at TEXT,
            evidence_dir TEXT,
            detail TEXT
        )""")
    db.execute("CREATE INDEX runs_by_case ON runs (case_id, id)")


# MIGRATIONS[n] migrates a database at user_version n to n + 1; version 2 is one more function.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1]


def migrate(db: sqlite3.Connection, path: Path | str = "") -> int:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > len(MIGRATIONS):
        raise CaseStoreError(say("store.newer", path=str(path), version=version), path=str(path))
    while version < len(MIGRATIONS):
        db.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[version](db)
            version += 1
            db.execute(f"PRAGMA user_version = {int(version)}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    return version


# ---------------------------------------------------------------- records

@dataclass
class Run:
    id: int
    case_id: int
    run_id: str
    flow: str
    dry_run: bool
    started_at: dt.datetime
    finished_at: Optional[dt.datetime]
    outcome: Optional[str]          # None: the run never finished (killed, crashed)
    site_state: Optional[str]
    submit_attempted_at: Optional[dt.datetime]
    evidence_dir: Optional[str]
    detail: Optional[str]


@dataclass
class Case:
    id: int
    site: str
    account: str
    state: str
    reason: Optional[str]
    application_number: Optional[str]
    review_working_days: int
    site_timezone: Optional[str]
    submit_attempted_at: Optional[dt.datetime]
    submitted_at: Optional[dt.datetime]
    deadline: Optional[dt.date]
    closed_at: Optional[dt.datetime]
    submit_run: Optional[int]
    created_at: dt.datetime
    updated_at: dt.datetime

    def overdue(self, on: dt.date) -> bool:
        return self.state == PENDING and self.deadline is not None and on > self.deadline


def _run(row: sqlite3.Row) -> Run:
    return Run(id=row["id"], case_id=row["case_id"], run_id=row["run_id"], flow=row["flow"],
               dry_run=bool(row["dry_run"]), started_at=_time(row["started_at"]),
               finished_at=_time(row["finished_at"]), outcome=row["outcome"], site_state=row["site_state"],
               submit_attempted_at=_time(row["submit_attempted_at"]), evidence_dir=row["evidence_dir"],
               detail=row["detail"])


def _case(row: sqlite3.Row) -> Case:
    return Case(id=row["id"], site=row["site"], account=row["account"], state=row["state"], reason=row["reason"],
                application_number=row["application_number"], review_working_days=row["review_working_days"],
                site_timezone=row["site_timezone"], submit_attempted_at=_time(row["submit_attempted_at"]),
                submitted_at=_time(row["submitted_at"]), deadline=_date(row["deadline"]),
                closed_at=_time(row["closed_at"]), submit_run=row["submit_run"],
                created_at=_time(row["created_at"]), updated_at=_time(row["updated_at"]))


# ---------------------------------------------------------------- the store

class CaseStore:
    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else default_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Autocommit: every statement is its own durable transaction (default rollback journal,
            # synchronous=FULL), so a kill right after a write never loses it.
            self.db = sqlite3.connect(str(self.path), timeout=10, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA synchronous = FULL")
            migrate(self.db, self.path)
        except (sqlite3.Error, OSError) as exc:
            raise CaseStoreError(f"{self.path}: {exc}", path=str(self.path)) from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "CaseStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _write(self, sql: str, params: tuple = ()) -> sqlite3.Cursor:
        try:
            return self.db.execute(sql, params)
        except sqlite3.Error as exc:
            raise CaseStoreError(f"{self.path}: {exc}", path=str(self.path)) from None

    # -------------------------------------------------------- cases

    def case(self, site: str, account: str) -> Optional[Case]:
        row = self.db.execute("SELECT * FROM cases WHERE site = ? AND account = ?", (site, account)).fetchone()
        return _case(row) if row else None

    def case_by_id(self, case_id: int) -> Case:
        return _case(self.db.execute("SELECT * FROM cases WHERE id = ?", (case_id,)).fetchone())

    def ensure_case(self, site: str, account: str, *, review_working_days: int = DEFAULT_REVIEW_WORKING_DAYS,
                    site_timezone: Optional[str] = None, at: Optional[dt.datetime] = None) -> Case:
        now = _stamp(at or dt.datetime.now(dt.timezone.utc))
        self._write("INSERT INTO cases (site, account, review_working_days, site_timezone, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (site, account) DO UPDATE SET "
                    "review_working_days = excluded.review_working_days, site_timezone = excluded.site_timezone",
                    (site, account, review_working_days, site_timezone, now, now))
        return self.case(site, account)

    def all_cases(self) -> list[Case]:
        return [_case(r) for r in self.db.execute("SELECT * FROM cases ORDER BY site, account")]

    def cases_in(self, states: tuple[str, ...]) -> list[Case]:
        marks = ",".join("?" * len(states))
        return [_case(r) for r in self.db.execute(
            f"SELECT * FROM cases WHERE state IN ({marks}) ORDER BY site, account", states)]

    def set_state(self, case_id: int, state: str, reason: Optional[str] = None, *,
                  at: Optional[dt.datetime] = None) -> None:
        if state not in STATES:
            raise ValueError(f"unknown case state {state!r}")
        at = at or dt.datetime.now(dt.timezone.utc)
        self._write("UPDATE cases SET state = ?, reason = ?, updated_at = ?, "
                    "closed_at = CASE WHEN ? = 'closed' THEN COALESCE(closed_at, ?) ELSE closed_at END "
                    "WHERE id = ?", (state, reason, _stamp(at), state, _stamp(at), case_id))

    def set_application_number(self, case_id: int, number: str) -> None:
        self._write("UPDATE cases SET application_number = ? WHERE id = ?", (number, case_id))

    def mark_submit_attempted(self, case_id: int, run_pk: int, at: dt.datetime) -> None:
        """Written before the irreversible click: from here on the case is never submitted blindly."""
        stamp = _stamp(at)
        self._write("BEGIN IMMEDIATE")
        try:
            self._write("UPDATE runs SET submit_attempted_at = ? WHERE id = ?", (stamp, run_pk))
            self._write("UPDATE cases SET state = ?, reason = NULL, submit_attempted_at = ?, submit_run = ?, "
                        "updated_at = ? WHERE id = ?", (SUBMIT_ATTEMPTED, stamp, run_pk, stamp, case_id))
            self._write("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def confirm_submitted(self, case_id: int, *, seen_at: dt.datetime) -> Case:
        """The site shows the request: fix the submission time (the click, if we made it) and the deadline."""
        case = self.case_by_id(case_id)
        if case.submitted_at is not None:
            return case
        submitted = case.submit_attempted_at or seen_at
        deadline = add_working_days(site_date(submitted, case.site_timezone), case.review_working_days)
        self._write("UPDATE cases SET submitted_at = ?, deadline = ? WHERE id = ?",
                    (_stamp(submitted), deadline.isoformat(), case_id))
        return self.case_by_id(case_id)

    def forget_submission(self, case_id: int) -> None:
        """The site shows no request after all: the next close may submit afresh."""
        self._write("UPDATE cases SET submit_attempted_at = NULL, submitted_at = NULL, deadline = NULL, "
                    "submit_run = NULL, application_number = NULL WHERE id = ?", (case_id,))

    @contextlib.contextmanager
    def working_on(self, site: str, account: str):
        """Held while a command works on one case: two processes must never both decide to submit.
        An OS file lock, so a killed process releases it by dying."""
        folder = self.path.with_name(self.path.name + ".locks")
        folder.mkdir(parents=True, exist_ok=True)
        name = hashlib.sha256(f"{site}\n{account}".encode("utf-8")).hexdigest()[:20]
        handle = open(folder / f"{name}.lock", "a+b")
        try:
            try:
                if os.name == "nt":
                    import msvcrt
                    msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
                else:
                    import fcntl
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                from assistant.redaction import mask_account
                raise CaseBusy(f"{site} / {mask_account(account)}", site=site) from None
            yield
        finally:
            handle.close()  # closing releases the lock

    # -------------------------------------------------------- runs

    def start_run(self, case_id: int, run_id: str, flow: str, *, dry_run: bool, at: dt.datetime,
                  evidence_dir: Optional[str]) -> int:
        cur = self._write("INSERT INTO runs (case_id, run_id, flow, dry_run, started_at, evidence_dir) "
                          "VALUES (?, ?, ?, ?, ?, ?)", (case_id, run_id, flow, int(dry_run), _stamp(at), evidence_dir))
        return cur.lastrowid

    def finish_run(self, run_pk: int, *, outcome: str, site_state: Optional[str], detail: Optional[str],
                   at: dt.datetime) -> None:
        self._write("UPDATE runs SET outcome = ?, site_state = ?, detail = ?, finished_at = ? WHERE id = ?",
                    (outcome, site_state, detail, _stamp(at), run_pk))

    def runs(self, case_id: int) -> list[Run]:
        return [_run(r) for r in self.db.execute("SELECT * FROM runs WHERE case_id = ? ORDER BY id", (case_id,))]

    def run(self, run_pk: int) -> Optional[Run]:
        row = self.db.execute("SELECT * FROM runs WHERE id = ?", (run_pk,)).fetchone()
        return _run(row) if row else None

    def last_run(self, case_id: int) -> Optional[Run]:
        row = self.db.execute("SELECT * FROM runs WHERE case_id = ? ORDER BY id DESC LIMIT 1", (case_id,)).fetchone()
        return _run(row) if row else None
