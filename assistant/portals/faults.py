"""Fault and variant knobs that make a local portal behave like a flaky real one, or like another
real site. Each is a field of `Faults`: set at start (`PortalServer(faults=...)`, the flags of
`python -m assistant.portals`) or live through POST /__test__/faults (`PortalClient.set_faults`).

Faults (every portal):
  latency_ms            added to every answer but the test hooks'
  error_rate            share of requests answered 500 "server busy"; never the irreversible submit
  session_expiry_after  the first login session that makes more requests than this is dropped (once)
  redesign              serve the "after a site update" variant (renamed markup, moved closure entry)
  seed                  the seeded random source (codes, numbers, delays, pop-ups); None: random
  popups                when the site's pop-up shows: never | always (at once) | site (a share of page
                        views, after a random delay); None: never in test mode, site otherwise
                        (details per test: POST /__test__/popups, see popups.py)
  refuse_while_pending  a second closure request while one is pending is refused with the site's
                        words and creates nothing (default on, as real sites do)
  submit_answer         how the irreversible submit answers: None (as the site decides) | 502_before
                        (502, the request is not processed) | 502_after (processed, then 502) |
                        timeout (processed, then the answer is held submit_hold_s seconds) |
                        session_expired (the session is gone on exactly that request: 401 or the
                        login page, nothing processed)
  submit_hold_s         how long `timeout` holds the answer (0 to 60 s)
  resend_cooldown_s     seconds before another code may be sent; None: the site's own
  download_size_mb      the documents the site offers (certificate, records) are padded to this many MB
                        (streamed, with their Content-Length); None: their real size
  download_origin       where the document links lead: same (the site) | other (the same file on another
                        origin: localhost instead of 127.0.0.1) | redirect (the site's link redirects there)

Variants (only the lender named has them; others refuse a non-default value):
  code_check     demo-lender: confirm (a 下一步 checks the code) | submit (no separate check: the
                 final 确认注销 carries the code and the site answers a wrong one there)
  code_send      demo-lender: button (获取验证码) | auto (arriving on the page sends it and starts
                 the 重新发送(Ns) countdown; a new sign-in within the cooldown gets no new code)
  lock_notice    demo-lender: the verification page shows a code lock before anything is typed
                 (验证码错误次数过多，请于 HH:MM 后重试, China time)
  second_factor  desktop-lender: email (a code sent by e-mail) | totp (an authenticator app's
                 RFC 6238 code; secret through GET /__test__/totp; each code is accepted once)
  closed_login   demo-lender: says_closed (a closed account's login says 该账号已注销) |
                 like_wrong_password (it answers exactly as a wrong password does, as some sites do)
"""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass, fields
from typing import Any

POPUP_MODES = ("never", "always", "site")
SUBMIT_ANSWERS = ("502_before", "502_after", "timeout", "session_expired")
DOWNLOAD_ORIGINS = ("same", "other", "redirect")
MAX_DOWNLOAD_MB = 200
MAX_SUBMIT_HOLD_S = 60.0
# Variant knob -> the values it may take, default first.
VARIANTS: dict[str, tuple[Any, ...]] = {
    "code_check": ("confirm", "submit"),
    "code_send": ("button", "auto"),
    "lock_notice": (False, True),
    "second_factor": ("email", "totp"),
    "closed_login": ("says_closed", "like_wrong_password"),
}


@dataclass
class Faults:
    latency_ms: int = 0
    error_rate: float = 0.0
    session_expiry_after: int | None = None  # expire the first session that makes more requests (once)
    redesign: bool = False
    seed: int | None = None
    popups: str | None = None
    refuse_while_pending: bool = True
    submit_answer: str | None = None
    submit_hold_s: float = 10.0
    resend_cooldown_s: int | None = None
    download_size_mb: int | None = None
    download_origin: str = "same"
    code_check: str = "confirm"
    code_send: str = "button"
    lock_notice: bool = False
    second_factor: str = "email"
    closed_login: str = "says_closed"

    def __post_init__(self) -> None:
        for f in fields(self):
            setattr(self, f.name, _coerce(f.name, getattr(self, f.name)))

    def update(self, changes: dict[str, Any], *, variants: frozenset[str] | None = None) -> None:
        """Change knobs in place, so a running portal sees them at once. Every value is checked
        before any is set; `variants` names the variant knobs this portal has."""
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise ValueError(f"unknown fault knobs: {sorted(unknown)}")
        coerced = {name: _coerce(name, value) for name, value in changes.items()}
        if variants is not None:
            check_variants(coerced, variants)
        for name, value in coerced.items():
            setattr(self, name, value)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_variants(knobs: dict[str, Any], variants: frozenset[str]) -> None:
    """A portal refuses a variant it does not have, rather than silently serving its usual flow."""
    for name, value in knobs.items():
        if name in VARIANTS and name not in variants and value != VARIANTS[name][0]:
            raise ValueError(f"this portal has no {name} variant (it always serves {VARIANTS[name][0]!r})")


def _coerce(name: str, value: Any) -> Any:
    # JSON and argparse hand us loosely typed values; keep the dataclass honest.
    if name == "latency_ms":
        return max(0, int(value))
    if name == "error_rate":
        rate = float(value)
        if not 0.0 <= rate <= 1.0:
            raise ValueError("error_rate must be between 0 and 1")
        return rate
    if name in ("redesign", "refuse_while_pending", "lock_notice"):
        return _flag(name, value)
    if name == "popups":
        return _choice(name, value, POPUP_MODES, optional=True)
    if name == "submit_answer":
        return _choice(name, value, SUBMIT_ANSWERS, optional=True)
    if name == "download_origin":
        return _choice(name, value, DOWNLOAD_ORIGINS)
    if name in VARIANTS:
        return _choice(name, value, VARIANTS[name])
    if name == "submit_hold_s":
        hold = float(value)
        if not 0.0 <= hold <= MAX_SUBMIT_HOLD_S:
            raise ValueError(f"submit_hold_s must be between 0 and {MAX_SUBMIT_HOLD_S:g}")
        return hold
    if value is None:
        return None
    number = int(value)
    if name == "resend_cooldown_s" and number < 0:
        raise ValueError("resend_cooldown_s cannot be negative")
    if name == "download_size_mb" and not 0 <= number <= MAX_DOWNLOAD_MB:
        raise ValueError(f"download_size_mb must be between 0 and {MAX_DOWNLOAD_MB}")
    return number


def _flag(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "on", "yes"):
        return True
    if text in ("0", "false", "off", "no", ""):
        return False
    raise ValueError(f"{name} must be true or false")


def _choice(name: str, value: Any, allowed: tuple, *, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    if value not in allowed:
        choices = ", ".join(str(a) for a in allowed) + (" or null" if optional else "")
        raise ValueError(f"{name} must be one of {choices}")
    return value


class Chance:
    """The one seeded random source of a portal; threads share it safely."""

    def __init__(self, seed: int | None = None) -> None:
        self._lock = threading.Lock()
        self._random = random.Random(seed)

    def reseed(self, seed: int | None) -> None:
        with self._lock:
            self._random.seed(seed)

    def random(self) -> float:
        with self._lock:
            return self._random.random()

    def randint(self, low: int, high: int) -> int:
        with self._lock:
            return self._random.randint(low, high)

    def digits(self, count: int) -> str:
        with self._lock:
            return "".join(self._random.choice("0123456789") for _ in range(count))

    def token_bytes(self, count: int) -> bytes:
        with self._lock:
            return bytes(self._random.getrandbits(8) for _ in range(count))
