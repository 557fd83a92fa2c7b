"""Everything a lender portal remembers: accounts, login sessions, one-time
codes and closure applications. Accounts are keyed by their login id (a phone
number or an e-mail address, whatever the site signs in with). One lock guards it all because the server is
threaded and each page view may touch several of these at once."""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from .faults import Chance
from .sms_codes import CodeBook, CodeRules

ACTIVE = "active"
PENDING_REVIEW = "pending_review"
CLOSED = "closed"


@dataclass(frozen=True)
class SeedAccount:
    login: str
    password: str
    unpaid: str = "0"
    balance: str = "0"
    display_name: str = ""


@dataclass
class Account:
    login: str
    password: str
    unpaid: Decimal
    balance: Decimal
    unpaid_text: str
    display_name: str = ""
    status: str = ACTIVE
    submissions: int = 0  # closure requests the site accepted
    repeat_requests: int = 0  # closure requests refused because one was already pending
    application_no: str | None = None
    submitted_at: float | None = None
    # What the user answered in the site's questionnaire, last answer wins.
    answers: dict[str, str] = field(default_factory=dict)
    # An authenticator app's shared secret (base32) and the last time step whose code was accepted.
    totp_secret: str | None = None
    totp_last_step: int = -1


@dataclass
class Session:
    sid: str
    account: str
    requests: int = 0
    verified_at: float | None = None
    # Per-session answers collected along the closure flow (e.g. the reason).
    data: dict[str, Any] = field(default_factory=dict)


def parse_money(text: str) -> Decimal:
    try:
        amount = Decimal(str(text).replace(",", ""))
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {text!r}") from exc
    if amount < 0:
        raise ValueError("amounts cannot be negative")
    return amount


class LenderState:
    def __init__(
        self,
        seeds: list[SeedAccount],
        chance: Chance,
        clock: Callable[[], float] = time.time,
        *,
        code_rules: CodeRules | None = None,
        application_format: str = "ZX{day}{digits}",
    ) -> None:
        self.lock = threading.RLock()
        self.codes = CodeBook(code_rules)
        self.application_format = application_format
        self.accounts: dict[str, Account] = {}
        self.sessions: dict[str, Session] = {}
        self._seeds = list(seeds)
        self._chance = chance
        self._clock = clock
        self.reset()

    def now(self) -> float:
        return self._clock()

    def reset(self) -> None:
        with self.lock:
            self.accounts.clear()
            self.sessions.clear()
            self.codes.clear()
            for seed in self._seeds:
                self.put_account(seed.login, seed.password, seed.unpaid, seed.balance, seed.display_name)

    def put_account(
        self, login: str, password: str, unpaid: str = "0", balance: str = "0", display_name: str = ""
    ) -> Account:
        """Add or replace an account with a fresh, active history."""
        account = Account(
            login=login,
            password=password,
            unpaid=parse_money(unpaid),
            balance=parse_money(balance),
            unpaid_text=str(unpaid),
            display_name=display_name,
        )
        with self.lock:
            self.drop_sessions_of(login)
            self.codes.forget(login)
            self.accounts[login] = account
        return account

    def account(self, login: str) -> Account | None:
        with self.lock:
            return self.accounts.get(login)

    def open_session(self, login: str) -> Session:
        session = Session(sid=secrets.token_hex(16), account=login)
        with self.lock:
            self.sessions[session.sid] = session
        return session

    def session(self, sid: str | None) -> Session | None:
        if not sid:
            return None
        with self.lock:
            return self.sessions.get(sid)

    def drop_session(self, sid: str) -> None:
        with self.lock:
            self.sessions.pop(sid, None)

    def sessions_of(self, login: str) -> list[Session]:
        with self.lock:
            return [s for s in self.sessions.values() if s.account == login]

    def drop_sessions_of(self, login: str) -> None:
        with self.lock:
            for session in self.sessions_of(login):
                del self.sessions[session.sid]

    def submit_closure(self, login: str) -> str:
        """Record one accepted closure request. With `refuse_while_pending` off the site accepts a
        repeat too: it keeps the first number and counts, so tests spot it by the counter alone."""
        with self.lock:
            account = self.accounts[login]
            account.submissions += 1
            if account.application_no is None:
                account.submitted_at = self.now()
                day = time.strftime("%Y%m%d", time.localtime(self.now()))
                account.application_no = self.application_format.format(day=day, digits=self._chance.digits(6))
            if account.status == ACTIVE:
                account.status = PENDING_REVIEW
            return account.application_no

    def note_repeat(self, login: str) -> None:
        """A closure request refused because one is already pending."""
        with self.lock:
            self.accounts[login].repeat_requests += 1

    def approve(self, login: str) -> bool:
        with self.lock:
            account = self.accounts.get(login)
            if account is None or account.status != PENDING_REVIEW:
                return False
            account.status = CLOSED
            self.drop_sessions_of(login)  # a closed account is logged out everywhere
            return True

    def snapshot(self, login: str) -> dict[str, Any] | None:
        with self.lock:
            account = self.accounts.get(login)
            if account is None:
                return None
            return {
                "account": account.login,
                "status": account.status,
                "submissions": account.submissions,
                "repeat_requests": account.repeat_requests,
                "application_no": account.application_no,
                "unpaid": account.unpaid_text,
                "balance": str(account.balance),
                "answers": dict(account.answers),
                "failed_code_attempts": self.codes.wrong_total(login),
                "locked": self.codes.is_locked(login, self.now()),
            }
