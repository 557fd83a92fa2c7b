"""Everything a lender portal remembers: accounts, login sessions, SMS codes
and closure applications. One lock guards it all because the server is
threaded and each page view may touch several of these at once."""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from .faults import Chance
from .sms_codes import CodeBook

ACTIVE = "active"
PENDING_REVIEW = "pending_review"
CLOSED = "closed"


@dataclass(frozen=True)
class SeedAccount:
    phone: str
    password: str
    unpaid: str = "0"
    balance: str = "0"


@dataclass
class Account:
    phone: str
    password: str
    unpaid: Decimal
    balance: Decimal
    unpaid_text: str
    status: str = ACTIVE
    submissions: int = 0
    application_no: str | None = None


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
    ) -> None:
        self.lock = threading.RLock()
        self.codes = CodeBook()
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
                self.put_account(seed.phone, seed.password, seed.unpaid, seed.balance)

    def put_account(self, phone: str, password: str, unpaid: str = "0", balance: str = "0") -> Account:
        """Add or replace an account with a fresh, active history."""
        account = Account(
            phone=phone,
            password=password,
            unpaid=parse_money(unpaid),
            balance=parse_money(balance),
            unpaid_text=str(unpaid),
        )
        with self.lock:
            self.drop_sessions_of(phone)
            self.codes.forget(phone)
            self.accounts[phone] = account
        return account

    def account(self, phone: str) -> Account | None:
        with self.lock:
            return self.accounts.get(phone)

    def open_session(self, phone: str) -> Session:
        session = Session(sid=secrets.token_hex(16), account=phone)
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

    def drop_sessions_of(self, phone: str) -> None:
        with self.lock:
            for sid in [s.sid for s in self.sessions.values() if s.account == phone]:
                del self.sessions[sid]

    def submit_closure(self, phone: str) -> str:
        """Record one closure submission; repeats keep the first number so
        tests can spot double submission by the counter alone."""
        with self.lock:
            account = self.accounts[phone]
            account.submissions += 1
            if account.application_no is None:
                day = time.strftime("%Y%m%d", time.localtime(self.now()))
                account.application_no = f"ZX{day}{self._chance.digits(6)}"
            if account.status == ACTIVE:
                account.status = PENDING_REVIEW
            return account.application_no

    def approve(self, phone: str) -> bool:
        with self.lock:
            account = self.accounts.get(phone)
            if account is None or account.status != PENDING_REVIEW:
                return False
            account.status = CLOSED
            self.drop_sessions_of(phone)  # a closed account is logged out everywhere
            return True

    def snapshot(self, phone: str) -> dict[str, Any] | None:
        with self.lock:
            account = self.accounts.get(phone)
            if account is None:
                return None
            return {
                "account": account.phone,
                "status": account.status,
                "submissions": account.submissions,
                "application_no": account.application_no,
                "unpaid": account.unpaid_text,
                "balance": str(account.balance),
                "failed_code_attempts": self.codes.wrong_total(phone),
                "locked": self.codes.is_locked(phone, self.now()),
            }
