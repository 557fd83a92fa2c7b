"""The case store: one case per (site, account), every run and every change, in an embedded SQLite database.

A case follows a closure to its end through the states of the Data Rights Protocol's requests
(consumer-reports-innovation-lab/data-rights-protocol: open, in_progress, fulfilled, denied, revoked,
expired, with `expected_by` and a reason), in a borrower's words:

    preparing       nothing is with the platform yet (checklist, documents, a first run)
    submitted       the closure request left (or may have left): only the site can say what became of it
    pending_review  the platform took it and is reviewing it; `expected_by` is the date it must finish by
    needs_you       the person must act (`what`: repay a loan, type a code, look at a finding)
    closed          done, and how that was confirmed (the site's status, a login the site refuses, ...)
    denied          the platform said no (`what`: its reason, in its words)
    overdue         still under review after `expected_by`
    withdrawn       the person gave up on this closure

Every change of state is an event (table `events`: when, from what source: a run, a status check, the
person, the deadline passing, a letter) next to the runs. Every change is committed at once, so a run
killed at any moment leaves a case the next run can resolve. The schema is versioned with PRAGMA
user_version; MIGRATIONS[n] takes version n to n+1. Version 4 moved the states of before (not_started,
blocked, needs_user, submit_attempted, pending, closed, failed, active_after_submit) onto these, with
an event for each case's history as far as the store knew it.

Accounts are stored in their one spelling (assistant/accounts.py); version 2 merged the cases an older
store kept under several spellings of one account.

When the store cannot be written after a closure was sent (locked by another program, its disk
gone), what the run learned is appended to a journal beside it (`cases.sqlite3.journal`, one JSON
line per change, fsynced) and applied the next time any command opens the store (a journal written
by an older version, with the old state names, is read too).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from assistant.accounts import BadAccount, shape_key
from assistant.deadlines import Deadline, review_deadline
from assistant.deadlines import site_date as _site_date
from assistant.errors import AssistantError, EnvironmentProblem, ExitStatus, UnsafeAction
from assistant.messages import say
from assistant.settings import DEFAULT_REVIEW_WORKING_DAYS, user_data_dir

DB_ENV = "CLOSURE_ASSISTANT_DB"
TODAY_ENV = "CLOSURE_ASSISTANT_TODAY"
DB_NAME = "cases.sqlite3"
JOURNAL_SUFFIX = ".journal"
MAX_JOURNAL_BYTES = 16 * 1024 * 1024

PREPARING = "preparing"
SUBMITTED = "submitted"
PENDING_REVIEW = "pending_review"
NEEDS_YOU = "needs_you"
CLOSED = "closed"
DENIED = "denied"
OVERDUE = "overdue"
WITHDRAWN = "withdrawn"
STATES = (PREPARING, SUBMITTED, PENDING_REVIEW, NEEDS_YOU, CLOSED, DENIED, OVERDUE, WITHDRAWN)
# A closure request may already be with the platform: never submit again without checking the site.
# (A case that needs you after the site had accepted its request holds one too: Case.holds_request.)
SUBMITTED_STATES = (SUBMITTED, PENDING_REVIEW, OVERDUE, CLOSED)
# Nothing more will happen to these without the person.
FINAL_STATES = (CLOSED, WITHDRAWN)

# The states of before version 4, as a journal or an old database may still name them: state -> (state, reason).
LEGACY_STATES = {
    "not_started": PREPARING, "blocked": NEEDS_YOU, "needs_user": NEEDS_YOU, "submit_attempted": SUBMITTED,
    "pending": PENDING_REVIEW, "closed": CLOSED, "failed": NEEDS_YOU, "active_after_submit": NEEDS_YOU,
}
# Older names kept for code written before version 4 (the ones that map one to one).
NOT_STARTED, SUBMIT_ATTEMPTED, PENDING, NEEDS_USER, BLOCKED = PREPARING, SUBMITTED, PENDING_REVIEW, NEEDS_YOU, NEEDS_YOU

# Where an event comes from.
SOURCES = ("run", "status_check", "user", "customer_service", "deadline", "letters", "migration")
# How a closure was confirmed (Case.confirmed_by).
CONFIRMATIONS = ("site_status", "refused_login", "result_page", "user")
ROUTES = ("online", "customer_service")


def legacy_state(state: str, reason: Optional[str]) -> tuple[str, Optional[str]]:
    """A state of before version 4 (with its reason) as the state it is now; new states pass through."""
    if state in STATES:
        return state, reason
    if state == "failed" and reason == "rejected":
        return DENIED, reason
    if state == "failed" and reason == "submit_not_taken":
        return PREPARING, reason
    if state == "active_after_submit":
        return NEEDS_YOU, reason or "site_shows_active_after_submission"
    if state not in LEGACY_STATES:
        raise ValueError(f"unknown case state {state!r}")
    return LEGACY_STATES[state], reason


class CaseStoreError(EnvironmentProblem):
    """The database cannot be opened, read or written (corrupt, read-only, locked, its folder gone)."""

    message_key = "error.case_store"


class _RolledBack(Exception):
    """Ends a trial write on purpose (check_can_record)."""


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
    return _site_date(at, timezone)


def _day_start(day: dt.date, timezone: Optional[str]) -> dt.datetime:
    """Midnight of `day` at the platform (this computer's zone when the platform names none)."""
    if timezone:
        try:
            from zoneinfo import ZoneInfo
            return dt.datetime.combine(day, dt.time(), ZoneInfo(timezone))
        except Exception:  # noqa: BLE001 - no tz database: a mainland zone is +08:00 all year
            return dt.datetime.combine(day, dt.time(), dt.timezone(dt.timedelta(hours=8)))
    return dt.datetime.combine(day, dt.time()).astimezone()


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


def _v2(db: sqlite3.Connection) -> None:
    # The deadline as computed once at the submit (date, calendar, zone), and the submit's record.
    db.execute("ALTER TABLE cases ADD COLUMN deadline_info TEXT")
    db.execute("ALTER TABLE cases ADD COLUMN submit_record TEXT")


# The case that best says where a closure stands, when several spellings of one account each had one
# (the names of before version 4 too: version 3 merges before version 4 renames).
STATE_RANK = {CLOSED: 8, OVERDUE: 7, PENDING_REVIEW: 7, SUBMITTED: 6, DENIED: 5, NEEDS_YOU: 3, WITHDRAWN: 1,
              PREPARING: 0,
              "pending": 7, "submit_attempted": 6, "active_after_submit": 4, "blocked": 3, "needs_user": 2,
              "failed": 1, "not_started": 0}
MERGED_FIELDS = ("application_number", "submit_attempted_at", "submitted_at", "deadline", "deadline_info",
                 "submit_record", "closed_at", "submit_run")


def merge_spellings(db: sqlite3.Connection, site: str, key_of: Callable[[str], str]) -> int:
    """Re-keys the cases of `site` to key_of(account) and merges those that fall together: the case
    furthest along (closed > pending > submit attempted > ...) is kept, takes over the others' runs and
    fills its empty fields from theirs. Returns how many cases were merged away."""
    groups: dict[str, list[sqlite3.Row]] = {}
    for row in db.execute("SELECT * FROM cases WHERE site = ? ORDER BY id", (site,)).fetchall():
        groups.setdefault(key_of(row["account"]), []).append(row)
    merged = 0
    for key, group in groups.items():
        if len(group) == 1 and group[0]["account"] == key:
            continue
        keep = max(group, key=lambda r: (STATE_RANK.get(r["state"], 0), r["updated_at"] or "", r["id"]))
        fields = {col: next((r[col] for r in group if r[col] is not None), None)
                  for col in MERGED_FIELDS if keep[col] is None}
        has_events = _has_table(db, "events")
        for other in (r for r in group if r["id"] != keep["id"]):
            db.execute("UPDATE runs SET case_id = ? WHERE case_id = ?", (keep["id"], other["id"]))
            if has_events:  # the history of every spelling stays with the case that is kept
                db.execute("UPDATE events SET case_id = ? WHERE case_id = ?", (keep["id"], other["id"]))
            db.execute("DELETE FROM cases WHERE id = ?", (other["id"],))
            merged += 1
        fields.update(account=key, created_at=min(r["created_at"] for r in group))
        db.execute(f"UPDATE cases SET {', '.join(f'{col} = ?' for col in fields)} WHERE id = ?",
                   (*fields.values(), keep["id"]))
    return merged


def _v3(db: sqlite3.Connection) -> None:
    """One case per account: keys written before accounts were normalised (`13800000001 `,
    `+86 138-0000-0001`, `a@Example.com`) take their one spelling, as far as it is clear without the
    site's profile; `close` and `status` finish the job with the profile's rules (adopt_spellings)."""
    for (site,) in db.execute("SELECT DISTINCT site FROM cases").fetchall():
        merge_spellings(db, site, shape_key)


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def _v4(db: sqlite3.Connection) -> None:
    """Case states to the end (issue 15): the states of before are mapped onto the new ones, an events
    table keeps every change, and each case's history, as far as its dates and runs tell it, becomes
    its first events. Nothing is dropped: the runs stay as they were, the old state is in the last event."""
    db.execute("ALTER TABLE cases ADD COLUMN confirmed_by TEXT")
    db.execute("ALTER TABLE cases ADD COLUMN route TEXT NOT NULL DEFAULT 'online'")
    db.execute("ALTER TABLE cases ADD COLUMN checklist TEXT")
    db.execute("""
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases(id),
            at TEXT NOT NULL,
            source TEXT NOT NULL,
            kind TEXT NOT NULL,
            state TEXT,
            previous TEXT,
            detail TEXT,
            run INTEGER REFERENCES runs(id)
        )""")
    db.execute("CREATE INDEX events_by_case ON events (case_id, id)")
    migrated_at = _stamp(dt.datetime.now(dt.timezone.utc))
    for row in db.execute("SELECT * FROM cases ORDER BY id").fetchall():
        runs = db.execute("SELECT * FROM runs WHERE case_id = ? ORDER BY id", (row["id"],)).fetchall()
        history: list[tuple] = [(row["created_at"], "migration", PREPARING, None, None)]
        if row["submit_attempted_at"]:
            history.append((row["submit_attempted_at"], "run", SUBMITTED, None, row["submit_run"]))
        if row["submitted_at"]:
            history.append((row["submitted_at"], "run", PENDING_REVIEW,
                            {"expected_by": row["deadline"]} if row["deadline"] else None, row["submit_run"]))
        confirmed_by = None
        if row["state"] == "closed":
            seen = next((r for r in reversed(runs) if r["site_state"] == "closed"), None)
            if seen is not None:
                confirmed_by = "site_status" if seen["flow"] == "status" else "result_page"
            history.append((row["closed_at"] or row["updated_at"], "status_check" if confirmed_by == "site_status"
                            else "run", CLOSED, {"confirmed_by": confirmed_by} if confirmed_by else None,
                            seen["id"] if seen is not None else None))
        state, reason = legacy_state(row["state"], row["reason"])
        if (state, reason) != (history[-1][2], None):  # the history does not end where the case stands
            history.append((migrated_at, "migration", state, {"from": row["state"], "reason": row["reason"]}
                            if row["reason"] else {"from": row["state"]}, None))
        elif row["state"] != state:  # it does: the last event keeps the old name of that state
            at, source, last, detail, run = history[-1]
            history[-1] = (at, source, last, {**(detail or {}), "from": row["state"]}, run)
        previous = None
        for at, source, new_state, detail, run in history:
            db.execute("INSERT INTO events (case_id, at, source, kind, state, previous, detail, run) "
                       "VALUES (?, ?, ?, 'state', ?, ?, ?, ?)",
                       (row["id"], at, source, new_state, previous,
                        json.dumps(detail, ensure_ascii=False) if detail else None, run))
            previous = new_state
        db.execute("UPDATE cases SET state = ?, reason = ?, confirmed_by = ? WHERE id = ?",
                   (state, reason, confirmed_by, row["id"]))


# MIGRATIONS[n] migrates a database at user_version n to n + 1; version 5 is one more function.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1, _v2, _v3, _v4]


def _fsync_folder(folder: Path) -> None:
    """A new file's name is durable only once its folder is synced (not possible on Windows)."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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
    reason: Optional[str]           # needs_you: what the person must do; denied: the site's reason (a catalogue
                                    # key where the tool knows the cause, else the site's own words)
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
    deadline_info: Optional[Deadline] = None
    submit_record: Optional[dict] = None
    confirmed_by: Optional[str] = None   # closed: site_status | refused_login | result_page | user
    route: str = "online"                # online | customer_service
    checklist: Optional[dict] = None     # {"items": [{id, zh, en, required}], "answers": {id: bool}, "at": ...}

    @property
    def expected_by(self) -> Optional[dt.date]:
        """The date the platform must finish by (the review deadline), as the Data Rights Protocol names it."""
        return self.deadline

    @property
    def what(self) -> Optional[str]:
        """needs_you: what the person must do; denied: the site's reason."""
        return self.reason

    @property
    def holds_request(self) -> bool:
        """A closure request may be with the platform: never submit again without reading the site first.
        A case that needs you after the site had accepted its request (it now shows the account active)
        still holds that request."""
        return self.state in SUBMITTED_STATES or (self.state == NEEDS_YOU and self.submitted_at is not None)

    def overdue(self, on: dt.date) -> bool:
        if self.state == OVERDUE:
            return True
        return self.state == PENDING_REVIEW and self.deadline is not None and on > self.deadline

    def today(self, now: Optional[dt.datetime] = None) -> dt.date:
        """Today at the platform (its deadline is a date there); CLOSURE_ASSISTANT_TODAY fixes it."""
        if os.environ.get(TODAY_ENV):
            return today()
        return site_date(now or dt.datetime.now(dt.timezone.utc), self.site_timezone)


@dataclass
class CaseEvent:
    """One change of a case: a state it entered, a note, the checklist, a letter, a contact, a document."""
    id: int
    case_id: int
    at: dt.datetime
    source: str                 # run | status_check | user | customer_service | deadline | letters | migration
    kind: str                   # state | note | checklist | letter | contact | application_number
    state: Optional[str]        # kind state: the state entered
    previous: Optional[str]
    detail: dict
    run: Optional[int]

    def as_dict(self) -> dict:
        return {"id": self.id, "at": self.at.isoformat(), "source": self.source, "kind": self.kind,
                "state": self.state, "previous": self.previous, "detail": self.detail}


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
                created_at=_time(row["created_at"]), updated_at=_time(row["updated_at"]),
                deadline_info=Deadline.from_dict(json.loads(row["deadline_info"])) if row["deadline_info"] else None,
                submit_record=json.loads(row["submit_record"]) if row["submit_record"] else None,
                confirmed_by=row["confirmed_by"], route=row["route"] or "online",
                checklist=json.loads(row["checklist"]) if row["checklist"] else None)


def _event(row: sqlite3.Row) -> CaseEvent:
    return CaseEvent(id=row["id"], case_id=row["case_id"], at=_time(row["at"]), source=row["source"],
                     kind=row["kind"], state=row["state"], previous=row["previous"],
                     detail=json.loads(row["detail"]) if row["detail"] else {}, run=row["run"])


# ---------------------------------------------------------------- the store

class CaseStore:
    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else default_path()
        self.journal_path = self.path.with_name(self.path.name + JOURNAL_SUFFIX)
        self._locks: dict[tuple[str, str], object] = {}
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
        try:
            self.replay_journal()
        except BaseException:
            self.db.close()
            raise

    def close(self) -> None:
        for key in list(self._locks):
            self.release(*key)
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

    def _rows(self, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
        try:
            return self.db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise CaseStoreError(f"{self.path}: {exc}", path=str(self.path)) from None

    @contextlib.contextmanager
    def _transaction(self):
        if self.db.in_transaction:  # inside another change (apply, record_submission): that one commits
            yield
            return
        self._write("BEGIN IMMEDIATE")
        try:
            yield
            self._write("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
            raise

    # -------------------------------------------------------- cases

    def case(self, site: str, account: str) -> Optional[Case]:
        rows = self._rows("SELECT * FROM cases WHERE site = ? AND account = ?", (site, account))
        return _case(rows[0]) if rows else None

    def case_by_id(self, case_id: int) -> Case:
        return _case(self._rows("SELECT * FROM cases WHERE id = ?", (case_id,))[0])

    def ensure_case(self, site: str, account: str, *, review_working_days: int = DEFAULT_REVIEW_WORKING_DAYS,
                    site_timezone: Optional[str] = None, at: Optional[dt.datetime] = None,
                    source: str = "run") -> Case:
        """The case of `account` on `site`, made (preparing, with its first event) when there is none yet."""
        at = at or dt.datetime.now(dt.timezone.utc)
        now = _stamp(at)
        with self._transaction():
            cur = self._write("INSERT INTO cases (site, account, state, review_working_days, site_timezone, created_at, "
                              "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (site, account) DO NOTHING",
                              (site, account, PREPARING, review_working_days, site_timezone, now, now))
            if cur.rowcount:
                self.add_event(cur.lastrowid, "state", source=source, at=at, state=PREPARING)
            else:
                self._write("UPDATE cases SET review_working_days = ?, site_timezone = ? WHERE site = ? AND account = ?",
                            (review_working_days, site_timezone, site, account))
        return self.case(site, account)

    def all_cases(self) -> list[Case]:
        return [_case(r) for r in self._rows("SELECT * FROM cases ORDER BY site, account")]

    def cases_in(self, states: tuple[str, ...]) -> list[Case]:
        marks = ",".join("?" * len(states))
        return [_case(r) for r in self._rows(
            f"SELECT * FROM cases WHERE state IN ({marks}) ORDER BY site, account", states)]

    def set_state(self, case_id: int, state: str, reason: Optional[str] = None, *,
                  at: Optional[dt.datetime] = None, source: str = "run", confirmed_by: Optional[str] = None,
                  detail: Optional[dict] = None, run: Optional[int] = None) -> None:
        """Moves the case to `state` (with its reason: what you must do, or the site's words), recording the
        change as an event from `source` when the state, its reason or how a closure was confirmed changed."""
        if state not in STATES:
            raise ValueError(f"unknown case state {state!r}")
        if source not in SOURCES:
            raise ValueError(f"unknown event source {source!r}")
        at = at or dt.datetime.now(dt.timezone.utc)
        with self._transaction():  # the state and its event together, or neither
            self._set_state(case_id, state, reason, at, source, confirmed_by if state == CLOSED else None,
                            detail, run)

    def _set_state(self, case_id, state, reason, at, source, confirmed_by, detail, run) -> None:
        before = self.case_by_id(case_id)
        self._write("UPDATE cases SET state = ?, reason = ?, updated_at = ?, "
                    "closed_at = CASE WHEN ? = 'closed' THEN COALESCE(closed_at, ?) ELSE closed_at END, "
                    "confirmed_by = CASE WHEN ? = 'closed' THEN COALESCE(?, confirmed_by) ELSE NULL END "
                    "WHERE id = ?", (state, reason, _stamp(at), state, _stamp(at), state, confirmed_by, case_id))
        if (before.state, before.reason) != (state, reason) or (confirmed_by and confirmed_by != before.confirmed_by):
            facts = dict(detail or {})
            if reason:
                facts.setdefault("reason", reason)
            if confirmed_by:
                facts.setdefault("confirmed_by", confirmed_by)
            if state in (PENDING_REVIEW, OVERDUE) and before.deadline:
                facts.setdefault("expected_by", before.deadline.isoformat())
            self.add_event(case_id, "state", source=source, at=at, state=state, previous=before.state,
                           detail=facts, run=run)

    def set_application_number(self, case_id: int, number: str) -> None:
        self._write("UPDATE cases SET application_number = ? WHERE id = ?", (number, case_id))

    def mark_submit_attempted(self, case_id: int, run_pk: int, at: dt.datetime) -> None:
        """Written before the irreversible click: from here on the case is never submitted blindly."""
        stamp = _stamp(at)
        with self._transaction():
            before = self.case_by_id(case_id)
            self._write("UPDATE runs SET submit_attempted_at = ? WHERE id = ?", (stamp, run_pk))
            self._write("UPDATE cases SET state = ?, reason = NULL, submit_attempted_at = ?, submit_run = ?, "
                        "updated_at = ? WHERE id = ?", (SUBMITTED, stamp, run_pk, stamp, case_id))
            self.add_event(case_id, "state", source="run", at=at, state=SUBMITTED, previous=before.state,
                           run=run_pk)

    def check_can_record(self, case_id: int, site: str, account: str) -> None:
        """Just before a submit: this process holds the case's lock, and the store takes a write now (a
        write that is rolled back: it needs the same locks and journal file as the real one)."""
        if not self.holds_lock(site, account):
            raise CaseStoreError(f"{self.path}: this run no longer holds the lock of {site}", path=str(self.path))
        with contextlib.suppress(_RolledBack), self._transaction():
            self._write("UPDATE cases SET updated_at = updated_at WHERE id = ?", (case_id,))
            raise _RolledBack

    def confirm_submitted(self, case_id: int, *, submitted_at: Optional[dt.datetime] = None,
                          deadline: Optional[Deadline] = None) -> Case:
        """The site shows the request. A run that saw it accepted brings its time and its one deadline;
        a later status check keeps what is stored, or computes it once from our own click's time. A
        request we never saw leave (made elsewhere) gets no submission date and no deadline."""
        case = self.case_by_id(case_id)
        if deadline is None:
            if case.submitted_at is not None:
                return case
            if case.submit_attempted_at is None:
                return case
            submitted_at = case.submit_attempted_at
            deadline = review_deadline(submitted_at, case.review_working_days, timezone=case.site_timezone)
        self._write("UPDATE cases SET submitted_at = ?, deadline = ?, deadline_info = ? WHERE id = ?",
                    (_stamp(submitted_at), deadline.date.isoformat(), json.dumps(deadline.as_dict()), case_id))
        return self.case_by_id(case_id)

    def set_submit_record(self, case_id: int, record: dict) -> None:
        self._write("UPDATE cases SET submit_record = ? WHERE id = ?", (json.dumps(record, ensure_ascii=False),
                                                                        case_id))

    def forget_submission(self, case_id: int) -> None:
        """The site shows no request after all: the next close may submit afresh."""
        self._write("UPDATE cases SET submit_attempted_at = NULL, submitted_at = NULL, deadline = NULL, "
                    "deadline_info = NULL, submit_run = NULL, application_number = NULL WHERE id = ?", (case_id,))

    # -------------------------------------------------------- events, and what a person or the clock adds

    def add_event(self, case_id: int, kind: str, *, source: str, at: Optional[dt.datetime] = None,
                  state: Optional[str] = None, previous: Optional[str] = None, detail: Optional[dict] = None,
                  run: Optional[int] = None) -> int:
        if source not in SOURCES:
            raise ValueError(f"unknown event source {source!r}")
        at = at or dt.datetime.now(dt.timezone.utc)
        cur = self._write("INSERT INTO events (case_id, at, source, kind, state, previous, detail, run) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                          (case_id, _stamp(at), source, kind, state, previous,
                           json.dumps(detail, ensure_ascii=False) if detail else None, run))
        return cur.lastrowid

    def events(self, case_id: int) -> list[CaseEvent]:
        return [_event(r) for r in self._rows("SELECT * FROM events WHERE case_id = ? ORDER BY id", (case_id,))]

    def add_note(self, case_id: int, text: str, *, at: Optional[dt.datetime] = None, **facts) -> int:
        """What the person did outside the tool (a call to customer service, a ticket number)."""
        return self.add_event(case_id, "note", source="user", at=at, detail={"text": text, **facts})

    def record_checklist(self, case_id: int, items: list[dict], answers: dict[str, bool], *,
                         at: Optional[dt.datetime] = None) -> None:
        """The person's answers to the profile's checklist (what the tool cannot check itself)."""
        at = at or dt.datetime.now(dt.timezone.utc)
        value = {"items": items, "answers": answers, "at": _stamp(at)}
        with self._transaction():
            self._write("UPDATE cases SET checklist = ?, updated_at = ? WHERE id = ?",
                        (json.dumps(value, ensure_ascii=False), _stamp(at), case_id))
            self.add_event(case_id, "checklist", source="user", at=at, detail={"answers": answers})

    def record_submission(self, case_id: int, *, submitted_at: dt.datetime, deadline: Deadline,
                          application_number: Optional[str] = None, route: str = "online", source: str = "user",
                          at: Optional[dt.datetime] = None, detail: Optional[dict] = None) -> Case:
        """A closure request made outside a run (through customer service, by hand): the platform took it
        at `submitted_at`, and must finish by `deadline`. The case becomes pending review."""
        if route not in ROUTES:
            raise ValueError(f"unknown route {route!r}")
        with self._transaction():
            self._write("UPDATE cases SET submitted_at = ?, deadline = ?, deadline_info = ?, route = ?, "
                        "application_number = COALESCE(?, application_number) WHERE id = ?",
                        (_stamp(submitted_at), deadline.date.isoformat(), json.dumps(deadline.as_dict()), route,
                         application_number, case_id))
            facts = {"expected_by": deadline.date.isoformat(), "route": route, **(detail or {})}
            if application_number:
                facts["application_number"] = application_number
            self.set_state(case_id, PENDING_REVIEW, at=at or submitted_at, source=source, detail=facts)
        return self.case_by_id(case_id)

    def set_needs_you(self, case_id: int, what: str, *, source: str = "user", at: Optional[dt.datetime] = None) -> None:
        """The person must act: `what` is a catalogue key (case.<what>) or plain words."""
        self.set_state(case_id, NEEDS_YOU, what, at=at, source=source)

    def refresh_overdue(self) -> list[Case]:
        """Cases still under review after their deadline become overdue (an event from the clock, dated the
        first day past the deadline at the platform). A clock set back before the deadline (a computer's
        date corrected, CLOSURE_ASSISTANT_TODAY) puts them back under review. Returns the cases changed."""
        changed = []
        for case in self.cases_in((PENDING_REVIEW, OVERDUE)):
            if case.deadline is None:
                continue
            late = case.today() > case.deadline
            if late == (case.state == OVERDUE):
                continue
            facts = {"expected_by": case.deadline.isoformat(), "noticed_on": case.today().isoformat()}
            if late:
                became = _day_start(case.deadline + dt.timedelta(days=1), case.site_timezone)
                self.set_state(case.id, OVERDUE, case.reason, at=became, source="deadline", detail=facts)
            else:
                self.set_state(case.id, PENDING_REVIEW, case.reason, source="deadline",
                               detail={**facts, "clock": "before the deadline again"})
            changed.append(self.case_by_id(case.id))
        return changed

    def case_folder(self, case: Case) -> Path:
        """Where a case keeps its own files (letters): a folder per case beside the database."""
        digits = "".join(ch for ch in case.account if ch.isalnum())[-4:] or "acct"
        return self.path.parent / "cases" / f"{case.id:04d}-{case.site}-{digits}"

    def _lock_path(self, site: str, account: str) -> Path:
        name = hashlib.sha256(f"{site}\n{account}".encode("utf-8")).hexdigest()[:20]
        return self.path.with_name(self.path.name + ".locks") / f"{name}.lock"

    def acquire(self, site: str, account: str) -> bool:
        """Takes the case's lock (an OS file lock: a killed process releases it by dying). False when this
        store holds it already (the command took it; a run inside it just goes on)."""
        if (site, account) in self._locks:
            return False
        path = self._lock_path(site, account)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(path, "a+b")
        except OSError as exc:
            raise CaseStoreError(f"{path}: {exc.strerror or exc}", path=str(self.path)) from None
        try:
            if os.name == "nt":
                import msvcrt
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            from assistant.redaction import mask_account
            raise CaseBusy(f"{site} / {mask_account(account)}", site=site) from None
        self._locks[(site, account)] = handle
        return True

    def release(self, site: str, account: str) -> None:
        handle = self._locks.pop((site, account), None)
        if handle is not None:
            handle.close()  # closing releases the lock

    def holds_lock(self, site: str, account: str) -> bool:
        """This store holds the lock, and its file is still the one others would lock (not deleted or replaced)."""
        handle = self._locks.get((site, account))
        if handle is None:
            return False
        try:
            return os.fstat(handle.fileno()).st_ino == os.stat(self._lock_path(site, account)).st_ino
        except OSError:
            return False

    @contextlib.contextmanager
    def working_on(self, site: str, account: str):
        """Held while a command works on one case: two processes must never both decide to submit."""
        took = self.acquire(site, account)
        try:
            yield
        finally:
            if took:
                self.release(site, account)

    def adopt_spellings(self, site: str, spelling: Callable[[str], str]) -> int:
        """Re-keys this site's cases with the profile's rules (`spelling`: Profile.account), merging the
        cases kept under other spellings of one account. Returns how many were merged away."""
        def key_of(account: str) -> str:
            try:
                return spelling(account)
            except BadAccount:
                return account
        rows = self._rows("SELECT account FROM cases WHERE site = ?", (site,))
        if all(key_of(row["account"]) == row["account"] for row in rows):
            return 0
        try:
            with self._transaction():
                return merge_spellings(self.db, site, key_of)
        except sqlite3.Error as exc:
            raise CaseStoreError(f"{self.path}: {exc}", path=str(self.path)) from None

    # -------------------------------------------------------- changes a run makes, and their journal

    def apply(self, change: dict) -> None:
        """One change a run makes, in one transaction. Applying it twice changes nothing more, so a
        journal replayed after a crash half way through is safe."""
        op = change.get("op")
        if op not in ("application_number", "finish"):
            raise ValueError(f"unknown change {op!r}")
        with self._transaction():
            if op == "application_number":
                self._write("UPDATE cases SET application_number = ? WHERE id = ? AND "
                            "(application_number IS NULL OR application_number = ?)",
                            (change["number"], change["case"], change["number"]))
                return
            done = self._rows("SELECT finished_at FROM runs WHERE id = ?", (change["run"],))
            if not done or done[0]["finished_at"] is not None:
                return  # recorded already (the store came back before the journal was read)
            at = _time(change["at"])
            self.finish_run(change["run"], outcome=change["outcome"], site_state=change.get("site_state"),
                            detail=change.get("detail"), at=at)
            if change.get("submit_record"):
                self.set_submit_record(change["case"], change["submit_record"])
            if change.get("prepared") is not None:
                self.add_event(change["case"], "prepared", source="run", at=at, detail=change["prepared"],
                               run=change["run"])
            if change.get("forget"):
                self.forget_submission(change["case"])
            if change.get("deadline"):
                self.confirm_submitted(change["case"], submitted_at=_time(change["submitted_at"]),
                                       deadline=Deadline.from_dict(change["deadline"]))
            elif change.get("confirm"):
                self.confirm_submitted(change["case"])
            state, reason = legacy_state(change["state"], change.get("reason"))  # a journal of an older version
            self.set_state(change["case"], state, reason, at=at, source=change.get("source") or "run",
                           confirmed_by=change.get("confirmed_by"), run=change["run"])

    def _journal_locked(self) -> int:
        """The journal, open and locked (against a replay removing it under an append), created if need be."""
        while True:
            fd = os.open(self.journal_path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
            if os.name == "nt":
                return fd
            import fcntl
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                if os.fstat(fd).st_ino == os.stat(self.journal_path).st_ino:
                    return fd
            except FileNotFoundError:
                pass
            os.close(fd)  # a replay removed it while we waited: open the new one

    def journal(self, change: dict) -> None:
        """Appends `change` to the journal beside the store, durably (fsync of the file and its folder)."""
        line = (json.dumps(change, ensure_ascii=False) + "\n").encode("utf-8")
        fd = self._journal_locked()
        try:
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
        _fsync_folder(self.journal_path.parent)

    def replay_journal(self) -> int:
        """Applies what runs journaled while the store could not be written, then removes the journal.
        A store that still cannot take them is refused (CaseStoreError): working on a case whose last
        run is not recorded yet could undo what that run learned."""
        if not self.journal_path.exists():
            return 0
        try:
            fd = self._journal_locked()
        except OSError as exc:
            raise CaseStoreError(f"{self.journal_path}: {exc.strerror or exc}", path=str(self.path)) from None
        try:
            raw = os.pread(fd, MAX_JOURNAL_BYTES + 1, 0) if hasattr(os, "pread") else os.read(fd, MAX_JOURNAL_BYTES + 1)
            if len(raw) > MAX_JOURNAL_BYTES:
                raise CaseStoreError(f"{self.journal_path}: larger than {MAX_JOURNAL_BYTES // 2**20} MB, not a "
                                     f"journal this tool wrote; move it away", path=str(self.path))
            applied = 0
            for line in raw.decode("utf-8", errors="replace").splitlines():
                try:
                    self.apply(json.loads(line))
                except (ValueError, KeyError, TypeError, AttributeError, IndexError):
                    continue  # a line cut off by a crash while it was written, or not a change this tool wrote
                applied += 1
            try:
                os.unlink(self.journal_path)
                _fsync_folder(self.journal_path.parent)
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise CaseStoreError(f"{self.journal_path}: {exc.strerror or exc}", path=str(self.path)) from None
            return applied
        finally:
            os.close(fd)

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
        return [_run(r) for r in self._rows("SELECT * FROM runs WHERE case_id = ? ORDER BY id", (case_id,))]

    def run(self, run_pk: int) -> Optional[Run]:
        rows = self._rows("SELECT * FROM runs WHERE id = ?", (run_pk,))
        return _run(rows[0]) if rows else None

    def last_run(self, case_id: int) -> Optional[Run]:
        rows = self._rows("SELECT * FROM runs WHERE case_id = ? ORDER BY id DESC LIMIT 1", (case_id,))
        return _run(rows[0]) if rows else None
