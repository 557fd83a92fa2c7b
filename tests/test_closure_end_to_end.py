"""The borrower's story on the bundled demo lender, through the real driver and a real Chromium."""
from __future__ import annotations

import json

from assistant.errors import BlockedBySite, WrongCode
from assistant.evidence.writer import sha256_file


def test_clean_account_closes_with_one_submission(demo_portal, run_close):
    account = demo_portal.info.accounts["clean"]
    record = run_close(demo_portal, account)
    assert record.result.error is None, record.result.error
    assert record.result.outcome == "submitted"
    assert record.result.state == "pending"
    assert record.result.application_number.startswith("ZX")
    state = demo_portal.client.state(account)
    assert state["status"] == "pending_review"
    assert state["submissions"] == 1
    assert state["application_no"] == record.result.application_number


def test_manifest_hashes_match_every_file(demo_portal, run_close):
    record = run_close(demo_portal, demo_portal.info.accounts["clean"])
    manifest = json.loads((record.evidence_dir / "manifest.json").read_text("utf-8"))
    files = [e for e in manifest["entries"] if "file" in e]
    screenshots = [e for e in files if e["kind"] == "screenshot"]
    assert len(screenshots) >= 18  # one per step
    for entry in files:
        assert sha256_file(record.evidence_dir / entry["file"]) == entry["sha256"], entry["file"]
    assert manifest["account"] == "138****0001"
    assert manifest["result"]["outcome"] == "submitted"
    assert manifest["complete"] is True


def test_unpaid_loan_blocks_before_submit(demo_portal, run_close):
    account = demo_portal.info.accounts["unpaid"]
    record = run_close(demo_portal, account)
    assert isinstance(record.result.error, BlockedBySite)
    assert "未结清" in record.result.error.detail
    assert record.result.submitted is False
    assert demo_portal.client.state(account)["submissions"] == 0
    manifest = json.loads((record.evidence_dir / "manifest.json").read_text("utf-8"))
    failed = [e for e in manifest["entries"] if e.get("outcome") == "failed"]
    assert failed and failed[-1]["kind"] == "screenshot"
    assert (record.evidence_dir / failed[-1]["file"]).stat().st_size > 1000


def test_leftover_balance_blocks_too(demo_portal, run_close):
    account = demo_portal.info.accounts["leftover"]
    record = run_close(demo_portal, account)
    assert isinstance(record.result.error, BlockedBySite)
    assert "余额" in record.result.error.detail
    assert demo_portal.client.state(account)["submissions"] == 0


def test_wrong_code_is_asked_again_then_accepted(demo_portal, run_close):
    account = demo_portal.info.accounts["clean"]
    asked = []

    def codes(destination, channel, attempt):
        asked.append((destination, attempt))
        return "000000" if attempt == 1 else demo_portal.client.latest_code(account)
    record = run_close(demo_portal, account, codes=codes)
    assert record.result.outcome == "submitted", record.result.error
    assert [a for _, a in asked] == [1, 2]
    assert asked[0][0] == "138****0001"  # the masked destination as the page shows it
    assert demo_portal.client.state(account)["submissions"] == 1


def test_only_wrong_codes_stop_without_submission(demo_portal, run_close):
    account = demo_portal.info.accounts["clean"]
    record = run_close(demo_portal, account, codes=lambda d, c, a: "000000")
    assert isinstance(record.result.error, WrongCode)
    assert demo_portal.client.state(account)["submissions"] == 0


def test_dry_run_submits_nothing(demo_portal, run_close):
    account = demo_portal.info.accounts["clean"]
    record = run_close(demo_portal, account, dry_run=True)
    assert record.result.outcome == "dry_run_ok", record.result.error
    assert record.result.submitted is False
    state = demo_portal.client.state(account)
    assert state["submissions"] == 0 and state["status"] == "active"


def test_declined_confirmation_submits_nothing(demo_portal, run_close):
    account = demo_portal.info.accounts["clean"]
    record = run_close(demo_portal, account, yes=False)
    assert record.result.outcome == "needs_user"
    assert demo_portal.client.state(account)["submissions"] == 0


def test_second_close_sees_pending_and_does_not_resubmit_when_site_says_closed(demo_portal, run_close):
    account = demo_portal.info.accounts["clean"]
    assert run_close(demo_portal, account).result.outcome == "submitted"
    demo_portal.client.approve(account)
    record = run_close(demo_portal, account)
    assert record.result.outcome == "already_closed"
    assert demo_portal.client.state(account)["submissions"] == 1
