"""Someone takes the evidence folder to a dispute: any change to it must show, and say what changed.

One real demo closure makes the bundle; every test tampers with its own copy and asks the CLI
(`python -m assistant evidence verify DIR`) as a person would, checking the exit status and words.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.errors import ExitStatus
from tests.conftest import ROOT


@pytest.fixture(scope="module", autouse=True)
def _print_the_pdf(pdf_reports):
    """These tests read report.pdf."""


def cli(*args, timeout: int = 120, **kwargs):
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, **kwargs)


def verify(directory: Path, *extra):
    return cli("evidence", "verify", str(directory), "--lang", "en", *extra)


@pytest.fixture(scope="module")
def pristine(portals, browser, tmp_path_factory):
    from assistant.driving.executor import RunOptions
    from assistant.driving.interaction import ScriptedInputs
    from assistant.profiles.registry import load_site
    from assistant.engine.runner import run_profile

    portal = portals("demo-lender")
    account = portal.info.accounts["clean"]
    inputs = ScriptedInputs(secrets={"password": portal.info.passwords[account]},
                            codes=lambda d, c, a: portal.client.latest_code(account), yes=True)
    record = run_profile(load_site("demo-lender"), account, inputs,
                         RunOptions(base_url=portal.base_url, timeout_ms=10_000),
                         evidence_root=tmp_path_factory.mktemp("pristine"), browser=browser)
    assert record.result.outcome == "submitted", record.result.error
    return record


@pytest.fixture
def bundle(pristine, tmp_path) -> Path:
    copy = tmp_path / pristine.evidence_dir.name
    shutil.copytree(pristine.evidence_dir, copy)
    return copy


def manifest(directory: Path) -> dict:
    return json.loads((directory / "manifest.json").read_text("utf-8"))


def save(directory: Path, data: dict) -> None:
    (directory / "manifest.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")


def screenshots(directory: Path) -> list[dict]:
    return [e for e in manifest(directory)["entries"] if e["kind"] == "screenshot"]


def test_untouched_bundle_is_intact_and_names_its_final_hash(bundle, pristine):
    proc = verify(bundle)
    assert proc.returncode == ExitStatus.OK, proc.stdout + proc.stderr
    assert "Evidence intact" in proc.stdout and f"Evidence fingerprint: {pristine.final_hash}" in proc.stdout
    assert "report files match" in proc.stdout
    assert verify(bundle, "--final-hash", pristine.final_hash).returncode == ExitStatus.OK


def test_one_changed_byte_in_a_screenshot_is_altered(bundle):
    target = screenshots(bundle)[5]["file"]
    data = bytearray((bundle / target).read_bytes())
    data[len(data) // 2] ^= 0x01
    (bundle / target).write_bytes(bytes(data))
    proc = verify(bundle)
    assert proc.returncode == ExitStatus.EVIDENCE_ALTERED, proc.stdout
    assert f"altered: {target}" in proc.stdout
    assert proc.stdout.count("altered:") == 1


def test_a_deleted_file_is_missing(bundle):
    target = [e for e in manifest(bundle)["entries"] if e["kind"] == "dialog"][0]["file"]
    (bundle / target).unlink()
    proc = verify(bundle)
    assert proc.returncode == ExitStatus.EVIDENCE_MISSING, proc.stdout
    assert f"missing: {target}" in proc.stdout


def test_an_added_file_is_added(bundle):
    (bundle / "steps" / "023-extra.png").write_bytes((bundle / screenshots(bundle)[0]["file"]).read_bytes())
    proc = verify(bundle)
    assert proc.returncode == ExitStatus.EVIDENCE_ADDED, proc.stdout
    assert "added (not in the manifest): steps/023-extra.png" in proc.stdout


def test_two_screenshots_swapped_are_reordered(bundle):
    shots = screenshots(bundle)
    a, b = shots[9]["file"], shots[10]["file"]
    assert shots[9]["sha256"] != shots[10]["sha256"]
    (bundle / a).rename(bundle / "swap.tmp")
    (bundle / b).rename(bundle / a)
    (bundle / "swap.tmp").rename(bundle / b)
    proc = verify(bundle)
    assert proc.returncode == ExitStatus.EVIDENCE_REORDERED, proc.stdout
    assert f"{a} (manifest entry {shots[9]['seq']}) holds the content of {b}" in proc.stdout
    assert f"{b} (manifest entry {shots[10]['seq']}) holds the content of {a}" in proc.stdout


def test_two_manifest_entries_swapped_are_reordered(bundle):
    data = manifest(bundle)
    entries = data["entries"]
    entries[7], entries[8] = entries[8], entries[7]
    save(bundle, data)
    proc = verify(bundle)
    assert proc.returncode == ExitStatus.EVIDENCE_REORDERED, proc.stdout
    assert "entry 9 is in position 8" in proc.stdout and "entry 8 is in position 9" in proc.stdout


def test_an_entry_cut_out_of_the_chain_is_found(bundle):
    data = manifest(bundle)
    removed = data["entries"].pop(12)
    save(bundle, data)
    proc = verify(bundle)
    assert proc.returncode == ExitStatus.EVIDENCE_REORDERED, proc.stdout
    assert f"removed: manifest.json entries {removed['seq']}–{removed['seq']}" in proc.stdout
    if "file" in removed:  # its file is still there, now unlisted: said too
        assert f"added (not in the manifest): {removed['file']}" in proc.stdout


def test_an_edited_entry_is_altered(bundle):
    data = manifest(bundle)
    request = [e for e in data["entries"] if e["kind"] == "submit_request"][0]
    request["response_status"] = 500
    save(bundle, data)
    proc = verify(bundle)
    assert proc.returncode == ExitStatus.EVIDENCE_ALTERED, proc.stdout
    assert f"altered: manifest.json entry {request['seq']}" in proc.stdout


def test_an_edited_result_is_altered(bundle):
    data = manifest(bundle)
    data["result"]["captures"]["application_number"] = "ZX00000000000000"
    save(bundle, data)
    proc = verify(bundle)
    assert proc.returncode == ExitStatus.EVIDENCE_ALTERED, proc.stdout
    assert "manifest.json's result" in proc.stdout


def test_an_edited_header_is_altered(bundle):
    data = manifest(bundle)
    data["account"] = "139****0002"
    save(bundle, data)
    proc = verify(bundle)
    assert proc.returncode == ExitStatus.EVIDENCE_ALTERED, proc.stdout
    assert "manifest.json's header" in proc.stdout


def test_a_finished_run_passed_off_as_partial_needs_the_printed_hash(bundle, pristine):
    # Cut the "finished" entry off the end and call the run unfinished: the chain alone still holds,
    # so verify can only say "partial"; the final hash printed at the end of the run catches it.
    data = manifest(bundle)
    data["entries"].pop()
    data.update(complete=False, result=None, finished_at=None, final_hash=data["entries"][-1]["hash"])
    save(bundle, data)
    for name in ("report.html", "report.pdf", "report.sha256"):
        (bundle / name).unlink()
    assert verify(bundle).returncode == ExitStatus.EVIDENCE_PARTIAL
    proc = verify(bundle, "--final-hash", pristine.final_hash)
    assert proc.returncode == ExitStatus.EVIDENCE_REORDERED, proc.stdout
    assert "differs from the one you gave" in proc.stdout


def test_report_files_are_checked_against_their_sidecar(bundle):
    pdf = bytearray((bundle / "report.pdf").read_bytes())
    pdf[-100] ^= 0x01
    (bundle / "report.pdf").write_bytes(bytes(pdf))
    proc = verify(bundle)
    assert proc.returncode == ExitStatus.EVIDENCE_ALTERED and "altered: report.pdf" in proc.stdout
    (bundle / "report.html").unlink()
    proc = verify(bundle)
    assert "missing: report.html" in proc.stdout
    (bundle / "report.sha256").unlink()
    proc = verify(bundle)
    assert proc.returncode == ExitStatus.EVIDENCE_ADDED and "added (not recorded in report.sha256): report.pdf" in proc.stdout


def test_a_folder_that_is_not_evidence_is_no_tamper_alarm(tmp_path):
    (tmp_path / "holiday.jpg").write_bytes(b"\xff\xd8")
    for folder in (tmp_path, tmp_path / "nowhere"):
        proc = verify(folder)
        assert proc.returncode == ExitStatus.USAGE, proc.stdout + proc.stderr
        assert "not an evidence folder" in proc.stderr and "missing" not in proc.stdout


def test_evidence_whose_manifest_was_removed_is_missing_it(bundle):
    (bundle / "manifest.json").unlink()
    proc = verify(bundle)
    assert proc.returncode == ExitStatus.EVIDENCE_MISSING and "missing: manifest.json" in proc.stdout


def test_the_fingerprint_may_be_given_by_its_first_16_characters(bundle, pristine):
    proc = verify(bundle, "--fingerprint", pristine.final_hash[:16].upper())
    assert proc.returncode == ExitStatus.OK, proc.stdout + proc.stderr
    assert "first 16 characters" in proc.stdout and "only a prefix of 16 was compared" in proc.stdout
    wrong = ("0" if pristine.final_hash[0] != "0" else "1") + pristine.final_hash[1:20]
    proc = verify(bundle, "--fingerprint", wrong)
    assert proc.returncode == ExitStatus.EVIDENCE_REORDERED and "differs from the one you gave" in proc.stdout
    proc = verify(bundle, "--fingerprint", pristine.final_hash[:8])  # people copy 8: too few to mean anything
    assert proc.returncode == ExitStatus.USAGE and "at least the first 16 characters" in proc.stderr
    proc = verify(bundle, "--fingerprint", pristine.final_hash)
    assert proc.returncode == ExitStatus.OK and "matches the evidence fingerprint you gave" in proc.stdout


KILL_PARENT = """import os, signal
os.kill(os.getppid(), signal.SIGKILL)  # the run is killed while it waits for the SMS code
"""


def test_a_killed_run_leaves_a_valid_partial_bundle(demo_portal, tmp_path, browser):
    account = demo_portal.info.accounts["clean"]
    killer = tmp_path / "kill_parent.py"
    killer.write_text(KILL_PARENT, "utf-8")
    evidence = tmp_path / "evidence"
    proc = cli("close", "demo-lender", "--account", account, "--base-url", demo_portal.base_url,
               "--password-stdin", "--yes", "--code-command", f"{sys.executable} {killer}",
               "--evidence-dir", str(evidence), "--lang", "en",
               input=demo_portal.info.passwords[account] + "\n", timeout=180)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert demo_portal.client.state(account)["submissions"] == 0
    [folder] = list(evidence.iterdir())
    data = manifest(folder)
    assert data["complete"] is False and data["result"] is None and len(data["entries"]) > 20
    assert not (folder / "report.pdf").exists()
    proc = verify(folder)
    assert proc.returncode == ExitStatus.EVIDENCE_PARTIAL, proc.stdout
    assert "intact but partial" in proc.stdout

    # the report can still be made afterwards, and says the run did not finish
    from assistant.evidence.report import write_report
    write_report(folder, browser)
    html = (folder / "report.html").read_text("utf-8")
    assert "运行未正常结束" in html and "运行没有正常结束（被中断）" in html
    assert verify(folder).returncode == ExitStatus.EVIDENCE_PARTIAL

    # and `evidence list` shows it as unfinished
    listed = cli("evidence", "list", "--evidence-dir", str(evidence), "--lang", "en",
                 env=dict(os.environ, CLOSURE_ASSISTANT_HOME=str(tmp_path / "home")))
    assert listed.returncode == 0
    rows = [line.split("\t") for line in listed.stdout.splitlines()[1:]]
    assert rows == [[rows[0][0], "Demo Lender", "138****0001", "did not finish (interrupted)", str(folder.resolve())]]


def test_list_shows_runs_newest_first(pristine, tmp_path):
    root = tmp_path / "runs"
    root.mkdir()
    older = root / pristine.evidence_dir.name
    shutil.copytree(pristine.evidence_dir, older)
    newer = root / "20991231T000000Z-demo-lender-0001-ffffffff"
    shutil.copytree(pristine.evidence_dir, newer)
    data = manifest(newer)
    data["started_at"]["time_utc"] = "2099-12-31T00:00:00.000Z"
    data["started_at"]["time_local"] = "2099-12-31T08:00:00.000+08:00"
    save(newer, data)
    (root / "not-a-run").mkdir()
    proc = cli("evidence", "list", "--evidence-dir", str(root), "--lang", "zh",
               env=dict(os.environ, CLOSURE_ASSISTANT_HOME=str(tmp_path / "home")))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].split("\t") == ["时间", "站点", "账号", "结果", "文件夹"]
    assert [line.split("\t")[-1] for line in lines[1:]] == [str(newer.resolve()), str(older.resolve())]
    assert lines[1].split("\t")[1:4] == ["示例贷", "138****0001", "已提交注销申请，审核中"]
    assert lines[1].startswith("2099-12-31 08:00:00")
