"""One-time verification codes (sent by SMS or e-mail) with the rules real
lenders enforce.

One live code per account; it expires, allows a few wrong guesses, and too
many wrong guesses lock the account out of closing. Each portal picks its own
`CodeRules`. Callers hold the portal lock, so nothing here locks on its own.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

CODE_TTL_S = 300
RESEND_AFTER_S = 60
MAX_WRONG_PER_CODE = 5
LOCK_S = 24 * 3600


@dataclass(frozen=True)
class CodeRules:
    ttl_s: int = CODE_TTL_S
    resend_after_s: int = RESEND_AFTER_S
    max_wrong: int = MAX_WRONG_PER_CODE  # wrong guesses on one code before the lock-out
    lock_s: int = LOCK_S


@dataclass
class SmsCode:
    value: str
    sent_at: float
    expires_at: float
    wrong_attempts: int = 0
    used: bool = False


class Verdict(enum.Enum):
    OK = "ok"
    NONE_SENT = "none_sent"
    EXPIRED = "expired"
    WRONG = "wrong"
    LOCKED = "locked"


@dataclass
class CheckResult:
    verdict: Verdict
    attempts_left: int = 0


class SendRefused(Exception):
    """Raised when a code may not be sent now; `reason` is 'locked' or 'too_soon'."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class CodeBook:
    def __init__(self, rules: CodeRules | None = None) -> None:
        self.rules = rules or CodeRules()
        self._latest: dict[str, SmsCode] = {}
        self._forced_next: dict[str, str] = {}
        self._wrong_total: dict[str, int] = {}
        self._locked_until: dict[str, float] = {}
        self._wrong_streak: dict[str, int] = {}  # wrong codes in a row that were no code of ours (TOTP)

    def _tables(self) -> tuple[dict, ...]:
        return self._latest, self._forced_next, self._wrong_total, self._locked_until, self._wrong_streak

    def clear(self) -> None:
        for table in self._tables():
            table.clear()

    def forget(self, account: str) -> None:
        for table in self._tables():
            table.pop(account, None)

    def force_next(self, account: str, value: str) -> None:
        self._forced_next[account] = value

    def latest(self, account: str) -> SmsCode | None:
        return self._latest.get(account)

    def expire(self, account: str, now: float) -> bool:
        code = self._latest.get(account)
        if code is None:
            return False
        code.expires_at = now
        return True

    def is_locked(self, account: str, now: float) -> bool:
        return self._locked_until.get(account, 0.0) > now

    def locked_until(self, account: str, now: float) -> float | None:
        """When the lock ends, or None when the account is not locked."""
        until = self._locked_until.get(account, 0.0)
        return until if until > now else None

    def lock(self, account: str, until: float) -> None:
        self._locked_until[account] = until

    def wrong_total(self, account: str) -> int:
        return self._wrong_total.get(account, 0)

    def resend_wait(self, account: str, now: float, cooldown_s: int | None = None) -> int:
        """Seconds until another code may be sent (0 when allowed now); `cooldown_s` overrides the rules."""
        code = self._latest.get(account)
        if code is None or code.used or now >= code.expires_at:
            return 0
        cooldown = self.rules.resend_after_s if cooldown_s is None else cooldown_s
        return max(0, int(code.sent_at + cooldown - now + 0.999))

    def send(self, account: str, now: float, random_digits: str, cooldown_s: int | None = None) -> SmsCode:
        if self.is_locked(account, now):
            raise SendRefused("locked")
        if self.resend_wait(account, now, cooldown_s) > 0:
            raise SendRefused("too_soon")
        value = self._forced_next.pop(account, None) or random_digits
        code = SmsCode(value=value, sent_at=now, expires_at=now + self.rules.ttl_s)
        self._latest[account] = code
        return code

    def check(self, account: str, value: str, now: float) -> CheckResult:
        if self.is_locked(account, now):
            return CheckResult(Verdict.LOCKED)
        code = self._latest.get(account)
        if code is None:
            return CheckResult(Verdict.NONE_SENT)
        if code.used or now >= code.expires_at:
            return CheckResult(Verdict.EXPIRED)
        if value != code.value:
            code.wrong_attempts += 1
            self._wrong_total[account] = self.wrong_total(account) + 1
            left = self.rules.max_wrong - code.wrong_attempts
            if left <= 0:
                self._locked_until[account] = now + self.rules.lock_s
                return CheckResult(Verdict.LOCKED)
            return CheckResult(Verdict.WRONG, attempts_left=left)
        code.used = True  # single use, like every real SMS code
        return CheckResult(Verdict.OK)

    def note_wrong(self, account: str, now: float) -> CheckResult:
        """A wrong code that was never sent (an authenticator app's): counts toward the same lock."""
        streak = self._wrong_streak.get(account, 0) + 1
        self._wrong_streak[account] = streak
        self._wrong_total[account] = self.wrong_total(account) + 1
        left = self.rules.max_wrong - streak
        if left <= 0:
            self._locked_until[account] = now + self.rules.lock_s
            self._wrong_streak.pop(account, None)
            return CheckResult(Verdict.LOCKED)
        return CheckResult(Verdict.WRONG, attempts_left=left)

    def note_right(self, account: str) -> None:
        self._wrong_streak.pop(account, None)
