"""Trusted timestamps (RFC 3161) for an evidence bundle: asking a time-stamping authority, keeping its
token, and checking it.

What is stamped is the evidence fingerprint itself. The fingerprint is the SHA-256 of the manifest's last
entry (as `canonical_hash` serialises it), so that serialisation is sent as the "data" and the token's
message imprint *is* the fingerprint: anyone can check it with OpenSSL alone,
`openssl ts -verify -digest FINGERPRINT -in timestamp.tsr -CAfile AUTHORITY_ROOT.pem`.

The token is made after the run, so like the report it sits outside the hash chain (putting it in would
change the fingerprint it certifies). Two files hold it:

  timestamp.tsr   the authority's answer (a DER TimeStampResp), byte for byte
  timestamp.json  what was asked and when: the fingerprint, the manifest file's SHA-256, the token file's
                  SHA-256, this computer's clock around the exchange and the offset the authority's time
                  shows, and every attempt that failed (an unreachable authority is recorded, not fatal)

`check_stamp` is what `evidence verify` runs: the token file against its recorded hash, the token's
imprint against the fingerprint recomputed from the manifest as it is now, the manifest file against
the hash it had when it was stamped, and the authority's signature against a root this computer trusts
(its own trusted roots, or the authority certificates the user named with --tsa-ca).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import socket
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

from assistant.evidence.bundle import (MANIFEST, ManifestDamaged, NotInBundle, read_manifest, read_member,
                                       sha256_member)
from assistant.evidence.writer import atomic_write, entry_hash, times

TOKEN_FILE = "timestamp.tsr"
RECORD_FILE = "timestamp.json"
TIMESTAMP_FILES = (TOKEN_FILE, RECORD_FILE)
RECORD_FORMAT = "closure-assistant-timestamp/1"
TIMEOUT_S = 15.0                     # per authority; the run's outcome is already on screen while it waits
MAX_TOKEN_BYTES = 256 * 1024         # a token with its certificates is a few KB
MAX_RECORD_BYTES = 256 * 1024
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class NotStampable(Exception):
    """The bundle cannot be stamped as it is (no entries, or its chain does not end where it says):
    a stamp would vouch for something else than the run recorded. `why` is a catalogue key (tsa.not.<why>)."""

    def __init__(self, why: str):
        super().__init__(why)
        self.why = why


class _AskFailed(Exception):
    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason    # unreachable | timeout | http_status | bad_answer | refused | mismatch | bad_url
        self.detail = detail


@dataclass
class Stamp:
    """What asking the authorities gave: `state` is stamped, failed (every one failed) or off (none set)."""
    state: str
    url: str = ""
    authority: str = ""
    time_utc: Optional[dt.datetime] = None
    clock_offset_s: Optional[float] = None
    attempts: list = field(default_factory=list)   # {"url", "reason", "detail"} of each that failed

    @property
    def ok(self) -> bool:
        return self.state == "stamped"


# ---------------------------------------------------------------- what is stamped

def fingerprint_message(manifest: dict) -> tuple[bytes, str]:
    """(the bytes whose SHA-256 is the evidence fingerprint, that fingerprint) for `manifest` as it is."""
    entries = manifest.get("entries") or []
    if not entries:
        raise NotStampable("empty")
    last = {k: v for k, v in entries[-1].items() if k != "hash"}
    message = json.dumps(last, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return message, hashlib.sha256(message).hexdigest()


# ---------------------------------------------------------------- asking an authority

def _opener(url: str):
    # The user's proxy settings apply to a real authority; a local one (tests) is reached directly.
    if (urlsplit(url).hostname or "") in LOOPBACK:
        return urllib.request.build_opener(urllib.request.ProxyHandler({}))
    return urllib.request.build_opener()


def _ask(url: str, message: bytes, timeout: float):
    """(answer bytes, parsed response, asked at, answered at) or _AskFailed."""
    from rfc3161_client import HashAlgorithm, PKIStatus, TimestampRequestBuilder, decode_timestamp_response
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        raise _AskFailed("bad_url", url)
    query = TimestampRequestBuilder().data(message).hash_algorithm(HashAlgorithm.SHA256).build()
    request = urllib.request.Request(url, data=query.as_bytes(), method="POST",
                                     headers={"Content-Type": "application/timestamp-query",
                                              "Accept": "application/timestamp-reply"})
    asked = dt.datetime.now(dt.timezone.utc)
    try:
        with _opener(url).open(request, timeout=timeout) as answer:
            body = answer.read(MAX_TOKEN_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise _AskFailed("http_status", f"HTTP {exc.code}") from None
    except urllib.error.URLError as exc:
        cause = exc.reason
        if isinstance(cause, (socket.timeout, TimeoutError)):
            raise _AskFailed("timeout", f"{timeout:g} s") from None
        raise _AskFailed("unreachable", str(getattr(cause, "strerror", None) or cause)) from None
    except (socket.timeout, TimeoutError):
        raise _AskFailed("timeout", f"{timeout:g} s") from None
    except (OSError, ValueError) as exc:
        raise _AskFailed("unreachable", str(exc)) from None
    answered = dt.datetime.now(dt.timezone.utc)
    if len(body) > MAX_TOKEN_BYTES:
        raise _AskFailed("bad_answer", f"more than {MAX_TOKEN_BYTES} bytes")
    try:
        response = decode_timestamp_response(body)
    except ValueError as exc:
        raise _AskFailed("bad_answer", str(exc).splitlines()[0][:200]) from None
    if PKIStatus(response.status) not in (PKIStatus.GRANTED, PKIStatus.GRANTED_WITH_MODS):
        raise _AskFailed("refused", f"status {response.status} {' '.join(response.status_string)}".strip())
    info = response.tst_info
    if info.message_imprint.message != query.message_imprint.message or info.nonce != query.nonce:
        raise _AskFailed("mismatch", "the token is for other data than was sent")
    return body, response, asked, answered


def authority_name(response) -> str:
    """The signing certificate's subject (common name first), else the name the token gives."""
    from cryptography import x509
    signer = _signer_certificate(response)
    if signer is not None:
        names = signer.subject.get_attributes_for_oid(x509.oid.NameOID.COMMON_NAME)
        orgs = signer.subject.get_attributes_for_oid(x509.oid.NameOID.ORGANIZATION_NAME)
        if names:
            return str(names[0].value) + (f" ({orgs[0].value})" if orgs else "")
        return signer.subject.rfc4514_string()
    name = getattr(response.tst_info, "name", None)
    value = getattr(name, "value", None)
    return value.rfc4514_string() if hasattr(value, "rfc4514_string") else str(value or "")


def _signer_certificate(response):
    from cryptography import x509
    try:
        infos = list(response.signed_data.signer_infos)
        certs = [x509.load_der_x509_certificate(c) for c in response.signed_data.certificates]
    except ValueError:
        return None
    for cert in certs:
        if infos and cert.issuer == infos[0].issuer and cert.serial_number == infos[0].serial_number:
            return cert
    return certs[0] if certs else None


def _accuracy_s(response) -> Optional[float]:
    accuracy = getattr(response.tst_info, "accuracy", None)
    if accuracy is None:
        return None
    return (accuracy.seconds or 0) + (accuracy.millis or 0) / 1e3 + (accuracy.micros or 0) / 1e6


def stamp_bundle(bundle: Path, authorities: list[str], *, timeout: float = TIMEOUT_S) -> Stamp:
    """Asks each authority in turn for a token over the bundle's evidence fingerprint and keeps the first
    one given. Every failure is recorded in timestamp.json (why, which authority); the run never fails
    for want of a timestamp. OSError (the folder cannot be written) is the caller's to report."""
    if not authorities:
        return Stamp("off")
    bundle = Path(bundle)
    manifest = read_manifest(bundle)
    message, fingerprint = fingerprint_message(manifest)
    last = manifest["entries"][-1]
    if entry_hash(last) != last.get("hash") or manifest.get("final_hash") != fingerprint:
        raise NotStampable("chain")
    manifest_sha = sha256_member(bundle, MANIFEST)
    record = _read_record(bundle) or {}
    attempts = list(record.get("attempts") or []) if record.get("fingerprint") == fingerprint else []
    for url in authorities:
        try:
            body, response, asked, answered = _ask(url, message, timeout)
        except _AskFailed as exc:
            attempts.append({"url": url, "at": times(dt.datetime.now(dt.timezone.utc)), "reason": exc.reason,
                             "detail": exc.detail})
            continue
        midpoint = asked + (answered - asked) / 2
        gen_time = response.tst_info.gen_time
        offset = round((gen_time - midpoint).total_seconds(), 3)
        name = authority_name(response)
        atomic_write(bundle / TOKEN_FILE, body)
        record = {
            "format": RECORD_FORMAT, "fingerprint": fingerprint, "manifest_sha256": manifest_sha,
            "token": {"file": TOKEN_FILE, "sha256": hashlib.sha256(body).hexdigest(), "bytes": len(body)},
            "authority": {"url": url, "name": name},
            "time_utc": gen_time.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "accuracy_s": _accuracy_s(response), "serial": str(response.tst_info.serial_number),
            "policy": response.tst_info.policy.dotted_string,
            "asked_at": times(asked), "answered_at": times(answered),
            # The authority's time minus this computer's clock, halfway through the exchange.
            "clock_offset_s": offset,
            "attempts": attempts,
        }
        _write_record(bundle, record)
        return Stamp("stamped", url, name, gen_time, offset, attempts)
    _write_record(bundle, {"format": RECORD_FORMAT, "fingerprint": fingerprint, "manifest_sha256": manifest_sha,
                           "token": None, "attempts": attempts})
    return Stamp("failed", attempts=attempts)


def _write_record(bundle: Path, record: dict) -> None:
    atomic_write(bundle / RECORD_FILE, json.dumps(record, ensure_ascii=False, indent=2).encode("utf-8"))


def _read_record(bundle: Path) -> Optional[dict]:
    try:
        data = json.loads(read_member(bundle, RECORD_FILE, MAX_RECORD_BYTES).decode("utf-8"))
    except (NotInBundle, OSError, ValueError, UnicodeDecodeError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


# ---------------------------------------------------------------- checking a token

@dataclass
class StampCheck:
    """What `evidence verify` found. `state`:
      none       no timestamp.json: never stamped
      failed     stamping was tried and every authority failed (`attempts` say why)
      verified   the token certifies this evidence fingerprint, signed under a root this computer trusts
      untrusted  the token names this fingerprint, but its signature leads to no root this computer trusts
      mismatch   the token certifies another fingerprint than the manifest's as it is now
      changed    the manifest or the token changed since it was stamped (`problems` say which)
      damaged    timestamp.json or the token cannot be read
    """
    state: str
    authority: str = ""
    url: str = ""
    time_utc: Optional[dt.datetime] = None
    accuracy_s: Optional[float] = None
    clock_offset_s: Optional[float] = None
    attempts: list = field(default_factory=list)
    problems: list = field(default_factory=list)   # (reason key, file)
    detail: str = ""

    @property
    def present(self) -> bool:
        return self.state not in ("none", "failed")


def check_stamp(bundle: Path, manifest: Optional[dict] = None, ca_files: Optional[list] = None) -> StampCheck:
    bundle = Path(bundle)
    try:
        raw = read_member(bundle, RECORD_FILE, MAX_RECORD_BYTES)
    except NotInBundle as exc:
        return StampCheck("none") if exc.why == "missing" else StampCheck("damaged", detail=exc.why,
                                                                           problems=[("not_evidence", RECORD_FILE)])
    try:
        record = json.loads(raw.decode("utf-8"))
        if not isinstance(record, dict):
            raise ValueError("not an object")
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        return StampCheck("damaged", detail=str(exc)[:200], problems=[("record_damaged", RECORD_FILE)])
    attempts = record.get("attempts") if isinstance(record.get("attempts"), list) else []
    token = record.get("token")
    if not token:
        return StampCheck("failed", attempts=attempts)
    if not isinstance(token, dict) or not isinstance(record.get("fingerprint"), str):
        return StampCheck("damaged", problems=[("record_damaged", RECORD_FILE)])
    try:
        body = read_member(bundle, TOKEN_FILE, MAX_TOKEN_BYTES)
    except NotInBundle as exc:
        return StampCheck("damaged", problems=[("token_missing" if exc.why == "missing" else "not_evidence",
                                                TOKEN_FILE)], detail=exc.why)
    problems = []
    if hashlib.sha256(body).hexdigest() != token.get("sha256"):
        problems.append(("token_changed", TOKEN_FILE))
    try:
        if manifest is None:
            manifest = read_manifest(bundle)
        _message, fingerprint = fingerprint_message(manifest)
        manifest_sha = sha256_member(bundle, MANIFEST)
    except (NotInBundle, NotStampable, ManifestDamaged, OSError) as exc:  # a damaged manifest: nothing to match
        return StampCheck("changed", problems=[("manifest_changed", MANIFEST)], detail=str(exc)[:200])
    if manifest_sha != record.get("manifest_sha256"):
        problems.append(("manifest_changed", MANIFEST))
    from rfc3161_client import decode_timestamp_response
    try:
        response = decode_timestamp_response(body)
    except ValueError as exc:
        return StampCheck("damaged", problems=[*problems, ("token_unreadable", TOKEN_FILE)], detail=str(exc)[:200])
    info = response.tst_info
    check = StampCheck("verified", authority=authority_name(response),
                       url=str((record.get("authority") or {}).get("url") or ""),
                       time_utc=info.gen_time.astimezone(dt.timezone.utc), accuracy_s=_accuracy_s(response),
                       clock_offset_s=record.get("clock_offset_s") if isinstance(record.get("clock_offset_s"),
                                                                                (int, float)) else None,
                       attempts=attempts, problems=problems)
    imprint = info.message_imprint.message.hex()
    if imprint != fingerprint or record.get("fingerprint") != fingerprint:
        check.problems.append(("fingerprint_differs", TOKEN_FILE))
    if check.problems:
        check.state = "mismatch" if all(p[0] == "fingerprint_differs" for p in check.problems) else "changed"
        return check
    trusted, detail = _signature_trusted(response, bytes.fromhex(fingerprint), ca_files or [])
    if not trusted:
        check.state, check.detail = "untrusted", detail
    return check


def _signature_trusted(response, digest: bytes, ca_files: list) -> tuple[bool, str]:
    from rfc3161_client import VerificationError, VerifierBuilder
    roots = _roots(ca_files)
    if not roots:
        return False, "no trusted roots found on this computer"
    try:
        VerifierBuilder(roots=roots).build().verify(response, digest)
    except (VerificationError, ValueError) as exc:
        return False, str(exc).splitlines()[0][:300]
    return True, ""


_SYSTEM_ROOTS: Optional[list] = None


def _roots(ca_files: list) -> list:
    """This computer's trusted roots, plus the certificates in `ca_files` (PEM) the user named."""
    from cryptography import x509
    global _SYSTEM_ROOTS
    if _SYSTEM_ROOTS is None:
        import warnings
        warnings.filterwarnings("ignore", module="assistant.evidence.timestamp")  # odd old roots (serial 0)
        found: dict[bytes, object] = {}
        context = ssl.create_default_context()
        for der in context.get_ca_certs(binary_form=True):  # Windows and macOS stores, a loaded cafile
            found.setdefault(der, None)
        paths = ssl.get_default_verify_paths()
        for cafile in {paths.cafile, paths.openssl_cafile}:
            if cafile and Path(cafile).is_file():
                try:
                    for cert in x509.load_pem_x509_certificates(Path(cafile).read_bytes()):
                        found[cert.public_bytes(_der())] = cert
                except ValueError:
                    continue
        _SYSTEM_ROOTS = [cert or x509.load_der_x509_certificate(der) for der, cert in found.items()]
    roots = list(_SYSTEM_ROOTS)
    for path in ca_files:
        try:
            roots += x509.load_pem_x509_certificates(Path(path).read_bytes())
        except (OSError, ValueError):
            continue
    unique: dict[bytes, object] = {}
    for cert in roots:
        unique.setdefault(cert.public_bytes(_der()), cert)
    return list(unique.values())


def _der():
    from cryptography.hazmat.primitives.serialization import Encoding
    return Encoding.DER


def stamp_after_run(bundle: Optional[Path], authorities: list[str]) -> tuple[Optional[Stamp], str]:
    """For the runner: a timestamp that cannot be had must never cost the run its result. Returns
    (stamp, error); error is a catalogue key (tsa.not.<why>, oserror.*) when nothing could be asked or kept."""
    if not authorities:
        return Stamp("off"), ""
    if bundle is None or not (Path(bundle) / MANIFEST).is_file():
        return None, ""
    from assistant.evidence.writer import describe_os_error
    try:
        return stamp_bundle(bundle, authorities), ""
    except NotStampable as exc:
        return None, f"tsa.not.{exc.why}"
    except (NotInBundle, ManifestDamaged):
        return None, "tsa.not.chain"
    except OSError as exc:
        return None, describe_os_error(exc)
