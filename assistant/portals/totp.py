"""Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP), as an authenticator app makes them.

HMAC-SHA1, 30-second steps, 6 digits: what Google Authenticator, Microsoft Authenticator and the
others use by default. Secrets travel as unpadded base32, the form a QR code carries.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct

PERIOD_S = 30
DIGITS = 6


def step_at(unix_time: float, period_s: int = PERIOD_S) -> int:
    """The time step (counter) a moment falls into."""
    return int(unix_time // period_s)


def decode_secret(secret: str) -> bytes:
    cleaned = secret.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def encode_secret(raw: bytes) -> str:
    return base64.b32encode(raw).decode("ascii").rstrip("=")


def hotp(key: bytes, counter: int, digits: int = DIGITS) -> str:
    """RFC 4226: HMAC-SHA1 of the big-endian counter, dynamically truncated."""
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10 ** digits).zfill(digits)


def totp(secret: str, unix_time: float, *, period_s: int = PERIOD_S, digits: int = DIGITS) -> str:
    return hotp(decode_secret(secret), step_at(unix_time, period_s), digits)


def matching_step(secret: str, code: str, unix_time: float, *, drift_steps: int = 1) -> int | None:
    """The step whose code `code` is, looking back `drift_steps` steps for a clock a little behind
    (RFC 6238 section 5.2); None when it is no recent code at all."""
    key = decode_secret(secret)
    now = step_at(unix_time)
    for step in range(now, now - drift_steps - 1, -1):
        if hmac.compare_digest(hotp(key, step), code):
            return step
    return None
