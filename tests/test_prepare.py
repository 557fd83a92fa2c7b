"""Before the closure (issue 15): the bundled portals' prepare flows save the settlement certificate and the
repayment records into the evidence, the checklist is asked once and kept in the case and at the top of
the report, and a document that is too large or comes from elsewhere is refused with nothing kept."""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from assistant.cases import store as c
from assistant.cases.store import CaseStore
from assistant.cases.tracking import CaseTracker
from assistant.engine import preparing
from assistant.errors import UnsafeAction
from assistant.evidence.verify import verify_bundle
from assistant.profiles.registry import load_site
from tests.test_cli import READ_CODE, cli


def prepare_run(browser, portal, tmp_path, account=None, checklist=None, store=None):
    from assistant.driving.executor import RunOptions
    from assistant.driving.interaction import ScriptedInputs
    from assistant.engine.runner import run_profile
    profile = load_site(portal.name)
    account = account or portal.info.accounts["clean"]
    listeners = (CaseTracker(store, account, evidence_root=tmp_path / "evidence"),) if store else ()
    inputs = ScriptedInputs(secrets={"password": portal.info.passwords[account]},
                            manual=lambda instructions: portal.client.solve_captcha(account))
    options = RunOptions(flow="prepare", base_url=portal.base_url, timeout_ms=10_000, checklist=checklist)
    return run_profile(profile, account, inputs, options, evidence_root=tmp_path / "evidence", listeners=listeners,
                       browser=browser)


def manifest_of(record) -> dict:
    return json.loads((Path(record.evidence_dir) / "manifest.json").read_text("utf-8"))


def test_prepare_saves_the_settlement_certificate_into_the_bundle(browser, demo_portal, tmp_path):
    profile = load_site("demo-lender")
    answers = {"cards_unbound": True, "autodebit_cancelled": False, "records_saved": True}
    store = CaseStore(tmp_path / "cases.sqlite3")
    record = prepare_run(browser, demo_portal, tmp_path, checklist=preparing.evidence_items(profile, answers),
                         store=store)
    assert (record.result.outcome, record.result.error, record.result.prepared) == ("prepared", None, True)
    bundle = Path(record.evidence_dir)
    certificate = bundle / "downloads" / "settlement-certificate.pdf"
    data = certificate.read_bytes()
    text = "".join(page.extract_text() for page in PdfReader(certificate).pages)
    assert "Settlement certificate" in text and "138****0001" in text  # a real PDF, kept byte for byte
    # Its SHA-256 is in the manifest's chain, so evidence verify covers it...
    [entry] = [e for e in manifest_of(record)["entries"] if e["kind"] == "download"]
    assert entry["file"] == "downloads/settlement-certificate.pdf"
    assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["bytes"] == len(data)
    assert int(verify_bundle(bundle).status) == 0
    # ... and the report names it at its top, under what the person ticked.
    html = (bundle / "report.html").read_text("utf-8")
    top = html[:html.index("要点")]  # before the key facts: the redesigned report's first table
    assert "注销前的准备" in top and "settlement-certificate.pdf" in top and entry["sha256"] in top
    assert re.search(r"✓</span>已在示例贷App中解绑全部银行卡", top) and re.search(r"✗</span>已在支付宝", top)
    # Nothing is submitted by a prepare run; the case remembers the documents are saved.
    assert demo_portal.client.state(demo_portal.info.accounts["clean"])["submissions"] == 0
    case = store.case("demo-lender", demo_portal.info.accounts["clean"])
    assert case.state == c.PREPARING
    assert [e.kind for e in store.events(case.id)] == ["state", "prepared"]
    assert not preparing.prepare_needed(store, profile, case.account)
    certificate.write_bytes(data.replace(b"owes nothing", b"owes 99,999"))  # edited afterwards: found
    assert [f.path for f in verify_bundle(bundle).findings] == ["downloads/settlement-certificate.pdf"]


def test_prepare_on_the_wallet_keeps_the_cards_page_and_the_repayment_records(browser, portals, tmp_path):
    wallet = portals("wallet-lender")
    record = prepare_run(browser, wallet, tmp_path)
    assert (record.result.outcome, record.result.error) == ("prepared", None)
    bundle = Path(record.evidence_dir)
    records = (bundle / "downloads" / "repayment-records.csv").read_text("utf-8-sig")
    assert records.splitlines()[0] == "date,amount,status" and "已还清" in records
    entries = manifest_of(record)["entries"]
    cards = next(e for e in entries if e["kind"] == "screenshot" and e.get("step", "").startswith("银行卡与自动还款"))
    assert cards["screen"] == "notice"  # the page that shows what is still bound is flagged in the report
    page = (bundle / next(e["file"] for e in entries if e["kind"] == "html" and e["step"] == "银行卡页面 / the cards page"))
    assert "招商银行" in page.read_text("utf-8") and "自动还款：已开通" in page.read_text("utf-8")
    assert int(verify_bundle(bundle).status) == 0


@pytest.mark.parametrize("knobs, reason, words", [
    ({"download_size_mb": 50}, "download_too_large", "50.0 MB, more than the 20 MB"),
    ({"download_origin": "other"}, "download_outside", "http://localhost:"),
    ({"download_origin": "redirect"}, "download_outside", "http://localhost:"),
], ids=["50 MB", "another origin", "a redirect to another origin"])
def test_a_document_too_large_or_from_elsewhere_is_refused_and_nothing_kept(knobs, reason, words, browser,
                                                                          demo_portal, tmp_path):
    demo_portal.client.set_faults(**knobs)
    record = prepare_run(browser, demo_portal, tmp_path)
    error = record.result.error
    assert isinstance(error, UnsafeAction) and error.params["reason"] == reason, error
    assert words in error.detail.in_lang("en") and int(error.exit_status) == 8
    bundle = Path(record.evidence_dir)
    assert not (bundle / "downloads").exists()
    assert not [e for e in manifest_of(record)["entries"] if e["kind"] == "download"]
    assert int(verify_bundle(bundle).status) == 0  # nothing unlisted left in the folder


def test_an_unpaid_loan_stops_the_preparation_with_the_sites_words(browser, demo_portal, tmp_path):
    store = CaseStore(tmp_path / "cases.sqlite3")
    account = demo_portal.info.accounts["unpaid"]
    record = prepare_run(browser, demo_portal, tmp_path, account=account, store=store)
    assert record.result.outcome == "blocked" and "暂无法开具结清证明" in record.result.error.detail
    case = store.case("demo-lender", account)
    assert case.state == c.NEEDS_YOU and "未结清" in case.reason


def test_prepare_from_the_command_line_asks_the_checklist_once_and_close_then_skips_it(demo_portal, tmp_path):
    account = demo_portal.info.accounts["clean"]
    password = demo_portal.info.passwords[account]
    db, evidence = tmp_path / "cases.sqlite3", tmp_path / "evidence"
    common = ["--base-url", demo_portal.base_url, "--db", str(db), "--evidence-dir", str(evidence), "--lang", "en",
              "--password-stdin"]
    done = cli("prepare", "demo-lender", "--account", account, *common, "--checked", "cards_unbound",
               "autodebit_cancelled", stdin=password + "\n")
    assert done.returncode == 0, done.stderr
    assert "Preparation done" in done.stdout and "saved: settlement certificate" in done.stderr
    assert "Reminder: not done yet: the loan contract and repayment records are saved" in done.stderr
    listed = json.loads(cli("cases", "--json", "--db", str(db)).stdout)["cases"]
    [case] = listed
    assert case["checklist"]["answers"] == {"cards_unbound": True, "autodebit_cancelled": True, "records_saved": False}
    assert [e["kind"] for e in case["events"]] == ["state", "checklist", "prepared"]
    assert "first: the loan contract and repayment records are saved" in case["next_action"]["text"]

    # close: the checklist is not asked again (its answers go into this run's report too), nor the
    # documents downloaded again.
    closed = cli("close", "demo-lender", "--account", account, *common, "--yes", "--code-command", READ_CODE,
                 stdin=password + "\n")
    assert closed.returncode == 0, closed.stderr
    assert "Closure request submitted" in closed.stdout and "saved: settlement certificate" not in closed.stderr
    folder = Path(next(line.split(": ", 1)[1] for line in closed.stdout.splitlines()
                       if line.startswith("Evidence folder:")))
    assert not (folder / "downloads").exists()
    report = (folder / "report.html").read_text("utf-8")
    assert report.index("Before closing") < report.index("Key facts")
    assert demo_portal.client.state(account)["submissions"] == 1


def test_close_saves_the_certificate_first_when_nothing_was_prepared(demo_portal, tmp_path):
    account = demo_portal.info.accounts["clean2"]
    proc = cli("close", "demo-lender", "--account", account, "--base-url", demo_portal.base_url, "--db",
               str(tmp_path / "cases.sqlite3"), "--evidence-dir", str(tmp_path / "evidence"), "--lang", "en",
               "--password-stdin", "--yes", "--code-command", READ_CODE, "--checked", "cards_unbound",
               "autodebit_cancelled", "records_saved", stdin=demo_portal.info.passwords[account] + "\n")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.index("saved: settlement certificate") < proc.stderr.index("注销账号入口")  # prepare, then close
    [folder] = list((tmp_path / "evidence").iterdir())
    assert (folder / "downloads" / "settlement-certificate.pdf").exists() and int(verify_bundle(folder).status) == 0
    assert "Reminder" not in proc.stderr and "not answered" not in proc.stderr  # all ticked


def test_a_required_item_not_ticked_stops_close_before_anything_starts(tmp_path):
    from tests.conftest import ROOT
    profile = ROOT / "tests" / "profiles" / "good" / "playground-documents.yaml"
    proc = cli("close", str(profile), "--account", "13800000000", "--base-url", "http://127.0.0.1:9", "--db",
               str(tmp_path / "cases.sqlite3"), "--evidence-dir", str(tmp_path / "evidence"), "--lang", "en",
               "--password-stdin", stdin="x\n")
    assert proc.returncode == 4, proc.stderr
    assert "Not closing yet" in proc.stderr and "--checked cards_unbound" in proc.stderr
    assert not (tmp_path / "evidence").exists()  # no browser, no run


def test_a_checklist_item_the_profile_does_not_have_is_a_usage_error(tmp_path):
    proc = cli("prepare", "demo-lender", "--account", "13800000001", "--checked", "cards_unbound", "nope",
               "--db", str(tmp_path / "cases.sqlite3"), "--lang", "en")
    assert proc.returncode == 2
    assert "no item nope" in proc.stderr and "records_saved" in proc.stderr
