"""A bundle is a closed world: `evidence verify`, `report` and `list` read only the regular files inside
the folder, each under a size cap. A crafted bundle (its hash chain recomputed, so it looks intact) whose
manifest names /etc/hostname, ../x or a link gets them flagged as "not part of the evidence" and
nothing of them into the report; a huge, deep or mistyped manifest is called damaged, never a bug.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from assistant.errors import ExitStatus
from assistant.evidence.writer import GENESIS, entry_hash, header_hash, summary_hash
from tests.test_environment_problems import fill_up, tmpfs  # noqa: F401 - fixture
from tests.test_evidence_verify import bundle, cli, manifest, pristine, save, verify  # noqa: F401 - fixtures

MARKER = "OUTSIDE-THE-BUNDLE-7f3a9c"
PNG_1PX = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def rechain(data: dict) -> dict:
    """What a forger does after editing a manifest: every hash recomputed, so the chain holds."""
    prev = GENESIS
    for seq, entry in enumerate(data["entries"], start=1):
        entry["seq"] = seq
        if entry["kind"] == "profile":
            entry["header_sha256"] = header_hash(data)
        if entry["kind"] == "finished":
            entry["summary_sha256"] = summary_hash(data)
        entry["prev"] = prev
        entry["hash"] = prev = entry_hash(entry)
    data["final_hash"] = prev
    return data


def craft(folder: Path, extra: list[dict]) -> None:
    """Adds `extra` entries just before the run's "finished" entry, with a valid chain."""
    data = manifest(folder)
    template = {k: data["entries"][-1][k] for k in ("time_utc", "time_local")}
    data["entries"][-1:-1] = [{**template, **entry} for entry in extra]
    save(folder, rechain(data))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_manifest_naming_files_outside_the_bundle_gets_them_flagged_and_never_read(bundle, tmp_path):
    outside = tmp_path / "outside-secret.txt"
    outside.write_text(MARKER, "utf-8")
    picture = tmp_path / "outside.png"
    picture.write_bytes(PNG_1PX)
    hidden = tmp_path / "outside-folder"
    hidden.mkdir()
    (hidden / "secret.txt").write_text(MARKER, "utf-8")
    (bundle / "texts" / "linked.txt").symlink_to(outside)
    (bundle / "more").symlink_to(hidden, target_is_directory=True)
    text = {"kind": "text", "label": "agreement", "screen": "agreement", "sha256": sha(MARKER.encode())}
    craft(bundle, [{**text, "file": str(outside)}, {**text, "file": "../outside-secret.txt"},
                   {**text, "file": "texts/linked.txt"}, {**text, "file": "more/secret.txt"},
                   {**text, "file": "/etc/hostname"},
                   {"kind": "screenshot", "step": "x", "index": 99, "outcome": "ok", "file": str(picture),
                    "sha256": sha(PNG_1PX)}])
    (bundle / "report.sha256").unlink()

    checked = verify(bundle)
    assert checked.returncode == ExitStatus.EVIDENCE_ALTERED, checked.stdout
    lines = checked.stdout.splitlines()
    for name, why in ((str(outside), "it is an absolute path"), ("../outside-secret.txt", "it uses .. to point"),
                      ("texts/linked.txt", "it is a symbolic link"), ("more/secret.txt", "it is a symbolic link"),
                      ("/etc/hostname", "it is an absolute path"), (str(picture), "it is an absolute path")):
        assert any(line.strip().startswith(f"not part of the evidence (not read): {name}") and why in line
                   for line in lines), (name, checked.stdout)
    assert any(line.strip().startswith("not part of the evidence (not read): more,") for line in lines)

    made = cli("evidence", "report", str(bundle), "--lang", "en", timeout=180)
    assert made.returncode == 0, made.stderr
    html = (bundle / "report.html").read_text("utf-8")
    assert MARKER not in html
    assert base64.b64encode(PNG_1PX).decode() not in html


@pytest.mark.parametrize("target", ["elsewhere", "/dev/zero"])
def test_a_symlinked_manifest_is_flagged_not_followed(bundle, tmp_path, target):
    real = tmp_path / "manifest-elsewhere.json"
    shutil.move(bundle / "manifest.json", real)
    (bundle / "manifest.json").symlink_to(real if target == "elsewhere" else target)
    checked = verify(bundle)
    assert checked.returncode == ExitStatus.EVIDENCE_ALTERED, checked.stdout
    assert "not part of the evidence (not read): manifest.json, it is a symbolic link" in checked.stdout
    made = cli("evidence", "report", str(bundle), "--lang", "en", timeout=60)
    assert made.returncode == ExitStatus.EVIDENCE_ALTERED, made.stderr
    assert "This manifest (manifest.json) is damaged" in made.stderr


def test_a_six_gigabyte_manifest_is_refused_at_the_cap_without_reading_it(bundle):
    with open(bundle / "manifest.json", "r+b") as fh:
        fh.truncate(6 * 1024 ** 3)  # sparse: no disk used, but reading it whole would take 6 GB
    checked = verify(bundle)
    assert checked.returncode == ExitStatus.EVIDENCE_ALTERED, checked.stdout
    assert "manifest.json, it is too large" in checked.stdout
    made = cli("evidence", "report", str(bundle), "--lang", "en", timeout=60)
    assert made.returncode == ExitStatus.EVIDENCE_ALTERED and "is damaged" in made.stderr


@pytest.mark.parametrize("damage, words", [
    (lambda data: "[" * 100_000 + "]" * 100_000, "nested too deeply"),
    (lambda data: {**data, "entries": "all of them"}, "'entries' is not a list"),
    (lambda data: {**data, "entries": [{**e, "file": 5} if "file" in e else e for e in data["entries"]]},
     "'file' is not text"),
    (lambda data: {**data, "entries": [{**e, "seq": str(e["seq"])} for e in data["entries"]]}, "has no number"),
    (lambda data: {**data, "site": ["demo-lender"]}, "'site' has the wrong type"),
    (lambda data: b"\xff\xfe not text", "not UTF-8"),
])
def test_a_damaged_manifest_is_named_damaged_not_a_bug(bundle, damage, words):
    result = damage(manifest(bundle))
    path = bundle / "manifest.json"
    if isinstance(result, bytes):
        path.write_bytes(result)
    else:
        path.write_text(result if isinstance(result, str) else json.dumps(result), "utf-8")
    checked = verify(bundle)
    assert checked.returncode == ExitStatus.EVIDENCE_ALTERED, checked.stdout + checked.stderr
    assert "damaged: manifest.json is not a manifest as this tool writes it" in checked.stdout and words in checked.stdout
    made = cli("evidence", "report", str(bundle), "--lang", "en", timeout=60)
    assert made.returncode == ExitStatus.EVIDENCE_ALTERED, made.stderr


def test_a_report_is_made_even_when_the_times_were_masked_by_an_older_version(bundle):
    data = manifest(bundle)
    for stamp in (data["started_at"], data["result"]["submitted_at"]):
        stamp["time_utc"] = "●●●●" + stamp["time_utc"][4:]  # what a password "2026" did to the dates
        stamp["time_local"] = "●●●●" + stamp["time_local"][4:]
    save(bundle, rechain(data))
    made = cli("evidence", "report", str(bundle), "--lang", "en", timeout=180)
    assert made.returncode == 0, made.stderr


def test_evidence_list_shows_every_good_run_and_flags_the_bad_folders(pristine, tmp_path):
    root = tmp_path / "runs"
    root.mkdir()
    good = root / pristine.evidence_dir.name
    shutil.copytree(pristine.evidence_dir, good)
    deep = root / "20260101T000000Z-demo-lender-0001-deep0000"
    deep.mkdir()
    (deep / "manifest.json").write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    huge = root / "20260101T000000Z-demo-lender-0001-huge0000"
    huge.mkdir()
    with open(huge / "manifest.json", "wb") as fh:
        fh.truncate(6 * 1024 ** 3)
    linked = root / "20260101T000000Z-demo-lender-0001-link0000"
    linked.mkdir()
    (linked / "manifest.json").symlink_to("/dev/zero")
    proc = cli("evidence", "list", "--evidence-dir", str(root), "--lang", "en",
               env=dict(os.environ, CLOSURE_ASSISTANT_HOME=str(tmp_path / "home")), timeout=60)
    assert proc.returncode == 0, proc.stderr
    rows = [line.split("\t") for line in proc.stdout.splitlines()[1:]]
    assert rows[0][1:4] == ["Demo Lender", "138****0001", "closure request submitted, under review"]
    assert rows[0][-1] == str(good.resolve())
    flagged = {row[-1]: row[3] for row in rows[1:]}
    assert set(flagged) == {str(deep.resolve()), str(huge.resolve()), str(linked.resolve())}
    assert "nested too deeply" in flagged[str(deep.resolve())]
    assert "it is too large" in flagged[str(huge.resolve())]
    assert "it is a symbolic link" in flagged[str(linked.resolve())]


def test_a_report_temp_file_left_behind_does_not_make_an_untouched_bundle_altered(bundle):
    (bundle / "report.html.tmp").write_text("<html>half a report", "utf-8")
    checked = verify(bundle)
    assert checked.returncode == 0, checked.stdout
    assert "a temporary file left by an interrupted report, not part of the evidence: report.html.tmp" in checked.stdout


def test_a_report_that_cannot_be_written_says_why_and_leaves_no_temp_file(pristine, tmp_path, tmpfs):
    size = sum(p.stat().st_size for p in pristine.evidence_dir.rglob("*") if p.is_file())
    disk = tmpfs("small", str(size + 4 * 1024 * 1024))
    if disk is None:
        pytest.skip("cannot mount a small disk here")
    copy = disk / pristine.evidence_dir.name
    shutil.copytree(pristine.evidence_dir, copy)
    before = {p.name: p.read_bytes() for p in copy.iterdir() if p.name.startswith("report")}
    fill_up(disk)
    made = cli("evidence", "report", str(copy), "--lang", "en", timeout=180)
    assert made.returncode == ExitStatus.ENVIRONMENT, made.stderr
    assert "The report could not be written" in made.stderr and "the disk is full" in made.stderr
    assert not list(copy.rglob("*.tmp"))
    assert {p.name: p.read_bytes() for p in copy.iterdir() if p.name.startswith("report")} == before
    assert verify(copy).returncode == 0


def test_a_run_without_the_pdf_has_an_intact_bundle_and_evidence_report_adds_it(pristine, bundle):
    # This module's runs follow the suite's default, CLOSURE_ASSISTANT_REPORT_PDF=0 (a user's setting too).
    assert pristine.report == pristine.evidence_dir / "report.html" and pristine.report_error == ""
    assert not (bundle / "report.pdf").exists()
    assert (bundle / "report.sha256").read_text("ascii").split() == [sha((bundle / "report.html").read_bytes()),
                                                                      "report.html"]
    assert verify(bundle).returncode == 0
    made = cli("evidence", "report", str(bundle), "--lang", "en")  # asked for by name: the PDF is always printed
    assert made.returncode == 0, made.stderr
    assert (bundle / "report.pdf").read_bytes().startswith(b"%PDF")
    checked = verify(bundle)
    assert checked.returncode == 0, checked.stdout  # the sidecar now lists both files
