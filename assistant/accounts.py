"""One spelling per account: the rules that turn what a person typed into the login a site knows.

`138 0000 0001`, `+86 138-0000-0001` and `13800000001` are one phone number to the site, so they must
be one case, one lock, one keyring entry and one message here; otherwise a second spelling could
submit a second closure. The kind comes from the profile (`credentials.account.kind`); e-mail local
parts are folded to lower case only when the profile says the site ignores their case
(`case_insensitive: true`), because RFC 5321 leaves that to each site.
"""
from __future__ import annotations

import re
import unicodedata

from assistant.errors import AssistantError, ExitStatus


class BadAccount(AssistantError):
    exit_status = ExitStatus.USAGE
    message_key = "error.bad_account"


MAINLAND_MOBILE = re.compile(r"1[3-9]\d{9}")
CHINA_PREFIXES = ("0086", "86")        # after a leading + is dropped: +86, 0086, 86
PHONE_PUNCTUATION = re.compile(r"[\s\-().\u00b7\u2010-\u2015]")   # spaces, dashes, brackets, dots
PHONE_SHAPE = re.compile(r"\+?\d+")                                   # once the punctuation is gone


def _folded(text: str) -> str:
    # Full-width digits and signs (１３８, ＋８６, ＠) as typed with a Chinese input method.
    return unicodedata.normalize("NFKC", text).strip()


def phone(raw: str) -> str:
    """Digits only; a mainland mobile number loses its +86 / 0086 / 86 prefix. Other international
    numbers keep a leading + so that they never collide with a domestic one."""
    compact = PHONE_PUNCTUATION.sub("", _folded(raw))
    if not PHONE_SHAPE.fullmatch(compact):
        raise BadAccount(f"'{raw.strip()}' is not a phone number (digits, spaces, dashes and a leading + only)",
                         kind="phone")
    international = compact.startswith("+")
    digits = compact.lstrip("+")
    if digits.startswith("00"):
        international, digits = True, digits[2:]
    for prefix in ("86",) if international else CHINA_PREFIXES:
        rest = digits[len(prefix):]
        if digits.startswith(prefix) and MAINLAND_MOBILE.fullmatch(rest):
            return rest
    return ("+" + digits) if international else digits


def email(raw: str, *, case_insensitive: bool = False) -> str:
    text = _folded(raw)
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain or any(ch.isspace() for ch in text):
        raise BadAccount(f"'{raw.strip()}' is not an e-mail address", kind="email")
    return f"{local.lower() if case_insensitive else local}@{domain.lower()}"


def normalise(raw: str, kind: str | None = None, *, case_insensitive: bool = False) -> str:
    """The one spelling of `raw` for an account of `kind` (the profile's `credentials.account.kind`)."""
    if not isinstance(raw, str) or not raw.strip():
        raise BadAccount("the account is empty")
    if kind == "phone":
        return phone(raw)
    if kind == "email":
        return email(raw, case_insensitive=case_insensitive)
    if kind in ("id_number", "bank_card"):
        text = re.sub(r"[\s\-]", "", _folded(raw))
        return text.upper()  # the check letter X of an ID number
    return raw.strip()  # username, other: only the spaces a copy and paste brings along


def shape_key(raw: str) -> str:
    """For records whose profile is unknown (old case stores): only the rewrites that are right for
    every kind. A mainland mobile number in any spelling, an e-mail's domain, surrounding spaces."""
    text = raw.strip()
    if PHONE_SHAPE.fullmatch(PHONE_PUNCTUATION.sub("", _folded(text))):
        number = phone(text)
        return number if MAINLAND_MOBILE.fullmatch(number) else text
    if text.count("@") == 1 and not any(ch.isspace() for ch in text):
        local, _, domain = text.partition("@")
        if local and domain:
            return f"{local}@{domain.lower()}"
    return text
