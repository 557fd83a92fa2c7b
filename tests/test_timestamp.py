"""Trusted timestamps (issue 14): after the run the evidence fingerprint goes to an RFC 3161 authority, and
`evidence verify` checks the token against the manifest as it is now. The authority is a local one started
by the test (OpenSSL's `ts -reply` behind a small server, a throwaway root; tests/helpers/tsa.py), never the
internet. Everything runs as a person would: `closure-assistant demo --tsa URL`, `evidence verify`,
`evidence timestamp`, and OpenSSL alone."""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from assistant.evidence.timestamp import RECORD_FILE, TOKEN_FILE, stamp_bundle
from assistant.evidence.writer import GENESIS, entry_hash
from tests.helpers.tsa import TSA_NAME, LocalTSA
from tests.test_cli import cli


@pytest.fixture(scope="module")
def tsa(tmp_path_factory):
    with LocalTSA(tmp_path_factory.mktemp("tsa")) as authority:
        yield authority


def closed_port() -> int:
    """A port on this computer that nothing listens on (an authority that cannot be reached)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def demo(evidence: Path, *extra):
    return cli("demo", "--evidence-dir", str(evidence), "--lang", "en", *extra)


def folder_of(stdout: str) -> Path:
    return Path(next(line.split(": ", 1)[1] for line in stdout.splitlines() if line.startswith("Evidence folder: ")))


def verify(folder: Path, *extra):
    return cli("evidence", "verify", str(folder), "--lang", "en", *extra)


@pytest.fixture(scope="module")
def stamped(tsa, tmp_path_factory):
    proc = demo(tmp_path_factory.mktemp("stamped"), "--tsa", tsa.url)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc, folder_of(proc.stdout)


@pytest.fixture(scope="module")
def unstamped(tmp_path_factory):
    unreachable = f"http://127.0.0.1:{closed_port()}/"
    proc = demo(tmp_path_factory.mktemp("unstamped"), "--tsa", unreachable)
    return proc, folder_of(proc.stdout), unreachable


def copy_of(folder: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(folder, tmp_path / folder.name))


def test_a_demo_run_gets_a_token_that_verify_accepts_and_names(stamped, tsa):
    proc, folder = stamped
    assert f"Trusted timestamp: {TSA_NAME}" in proc.stdout and "certifies that the evidence fingerprint" in proc.stdout
    assert (folder / TOKEN_FILE).stat().st_size > 500
    record = json.loads((folder / RECORD_FILE).read_text("utf-8"))
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert record["fingerprint"] == manifest["final_hash"] and record["authority"]["url"] == tsa.url
    assert abs(record["clock_offset_s"]) < 5  # the authority runs on this computer's clock

    checked = verify(folder, "--tsa-ca", str(tsa.ca_pem))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"Trusted timestamp valid: {TSA_NAME}" in checked.stdout
    assert record["time_utc"][:10] in checked.stdout  # the authority's time, said

    # Without its root the token still names this fingerprint, but nothing vouches for the authority.
    unknown = verify(folder)
    assert unknown.returncode == 0 and "does not lead to a root this computer trusts" in unknown.stdout

    # Anyone can check it with OpenSSL alone: the token's imprint is the fingerprint itself.
    openssl = subprocess.run(["openssl", "ts", "-verify", "-digest", manifest["final_hash"], "-in",
                              str(folder / TOKEN_FILE), "-CAfile", str(tsa.ca_pem)], capture_output=True, text=True)
    assert openssl.returncode == 0 and "Verification: OK" in openssl.stdout, openssl.stdout + openssl.stderr

    # The report says so.
    assert TSA_NAME in (folder / "report.html").read_text("utf-8")


def test_one_changed_byte_of_the_manifest_fails_the_token_too(stamped, tsa, tmp_path):
    _proc, original = stamped
    folder = copy_of(original, tmp_path)
    raw = (folder / "manifest.json").read_bytes()
    at = raw.index(b'"account"') + 1
    (folder / "manifest.json").write_bytes(raw[:at] + bytes([raw[at] ^ 0x20]) + raw[at + 1:])  # "Account"
    checked = verify(folder, "--tsa-ca", str(tsa.ca_pem))
    assert checked.returncode != 0
    assert "manifest.json changed after it was timestamped" in checked.stdout
    assert "Trusted timestamp valid" not in checked.stdout


def test_a_rewritten_chain_is_caught_by_the_token(stamped, tsa, tmp_path):
    """Someone edits an entry and recomputes every hash after it: the chain holds again, but the token
    certifies the old fingerprint."""
    _proc, original = stamped
    folder = copy_of(original, tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    entries = manifest["entries"]
    victim = next(e for e in entries if e.get("url"))
    victim["url"] = victim["url"] + "?edited"
    previous = GENESIS
    for entry in entries:
        entry["prev"] = previous
        entry["hash"] = previous = entry_hash(entry)
    manifest["final_hash"] = previous
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), "utf-8")
    checked = verify(folder, "--tsa-ca", str(tsa.ca_pem))
    assert checked.returncode != 0, checked.stdout
    assert "certifies another evidence fingerprint" in checked.stdout or "changed after it was timestamped" in checked.stdout
    assert "Trusted timestamp valid" not in checked.stdout


def test_an_unreachable_authority_leaves_the_run_complete_and_the_stamp_can_be_added_later(unstamped, tsa):
    proc, folder, unreachable = unstamped
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No trusted timestamp could be had" in proc.stdout and unreachable in proc.stdout
    assert "cannot connect" in proc.stdout and "evidence timestamp" in proc.stdout
    assert not (folder / TOKEN_FILE).exists()
    why = json.loads((folder / RECORD_FILE).read_text("utf-8"))
    assert why["token"] is None and why["attempts"][0]["reason"] == "unreachable"
    before = verify(folder)
    assert before.returncode == 0 and "none could be had at the end of the run" in before.stdout

    added = cli("evidence", "timestamp", str(folder), "--tsa", tsa.url, "--tsa-ca", str(tsa.ca_pem), "--lang", "en")
    assert added.returncode == 0, added.stdout + added.stderr
    assert f"Trusted timestamp: {TSA_NAME}" in added.stdout and "Trusted timestamp added" in added.stdout
    after = verify(folder, "--tsa-ca", str(tsa.ca_pem))
    assert after.returncode == 0 and f"Trusted timestamp valid: {TSA_NAME}" in after.stdout
    assert TSA_NAME in (folder / "report.html").read_text("utf-8")  # the report was made again with it
    again = cli("evidence", "timestamp", str(folder), "--tsa", tsa.url, "--lang", "en")
    assert again.returncode == 0 and "already has a trusted timestamp" in again.stdout
    assert tsa.requests >= 1


def test_an_authority_that_misbehaves_is_recorded_and_the_next_one_asked(unstamped, tsa, tmp_path):
    _proc, original, _url = unstamped
    with LocalTSA(tmp_path / "bad") as bad:
        for answer, reason in (("500", "http_status"), ("garbage", "bad_answer"), ("wrong_imprint", "mismatch")):
            folder = copy_of(original, tmp_path / answer)
            (folder / RECORD_FILE).unlink()
            bad.answer = answer
            stamp = stamp_bundle(folder, [bad.url, tsa.url])
            assert stamp.ok and stamp.url == tsa.url, answer
            assert [a["reason"] for a in stamp.attempts] == [reason], stamp.attempts
            record = json.loads((folder / RECORD_FILE).read_text("utf-8"))
            assert record["attempts"][0]["url"] == bad.url
            assert verify(folder, "--tsa-ca", str(tsa.ca_pem)).returncode == 0


def test_a_bad_settings_file_stops_before_any_browser(tmp_path):
    from assistant.settings import settings_path
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("timestamp: [unclosed\n", "utf-8")
    try:
        proc = demo(tmp_path)
    finally:
        path.unlink()
    assert proc.returncode != 0 and "settings file" in proc.stderr and not (tmp_path / "evidence").exists()


def test_no_authority_set_says_so(tmp_path):
    proc = demo(tmp_path, "--timeout-ms", "10000")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No trusted timestamp: no time-stamping authority is set" in proc.stdout
    assert not (folder_of(proc.stdout) / RECORD_FILE).exists()


def test_a_changed_or_removed_token_is_found(stamped, tsa, tmp_path):
    _proc, original = stamped
    changed = copy_of(original, tmp_path / "changed")
    token = bytearray((changed / TOKEN_FILE).read_bytes())
    token[len(token) // 2] ^= 0x01
    (changed / TOKEN_FILE).write_bytes(bytes(token))
    checked = verify(changed, "--tsa-ca", str(tsa.ca_pem))
    assert checked.returncode == 10, checked.stdout  # altered
    assert TOKEN_FILE in checked.stdout and "Trusted timestamp valid" not in checked.stdout

    removed = copy_of(original, tmp_path / "removed")
    (removed / TOKEN_FILE).unlink()
    checked = verify(removed, "--tsa-ca", str(tsa.ca_pem))
    assert checked.returncode == 11, checked.stdout  # missing
    assert TOKEN_FILE in checked.stdout
