"""The authenticator-app codes desktop-lender's TOTP variant checks: RFC 6238's own test vectors."""
from __future__ import annotations

import pytest

from assistant.portals import totp

# RFC 6238, Appendix B (HMAC-SHA1, the ASCII secret "12345678901234567890", 8 digits).
VECTORS = [(59, "94287082"), (1111111109, "07081804"), (1111111111, "14050471"), (1234567890, "89005924"),
           (2000000000, "69279037"), (20000000000, "65353130")]
SECRET = totp.encode_secret(b"12345678901234567890")


@pytest.mark.parametrize(("when", "code"), VECTORS)
def test_rfc_6238_vectors(when, code):
    assert totp.totp(SECRET, when, digits=8) == code
    assert totp.totp(SECRET, when) == code[-6:]  # six digits, as authenticator apps show


def test_a_code_matches_its_step_and_one_step_back_only():
    now = 1_700_000_015.0
    code = totp.totp(SECRET, now)
    step = totp.step_at(now)
    assert totp.matching_step(SECRET, code, now) == step
    assert totp.matching_step(SECRET, code, now + 30) == step  # a clock a little behind
    assert totp.matching_step(SECRET, code, now + 60) is None
    assert totp.matching_step(SECRET, "000000" if code != "000000" else "111111", now) is None


def test_secrets_travel_as_unpadded_base32():
    assert SECRET == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert totp.decode_secret(SECRET.lower()) == b"12345678901234567890"
