"""Every step type and common key of the profile language, proven in a real browser.

The demo lender's own story is in test_closure_end_to_end.py; what it does not exercise runs here
against the test-only playground (tests/playground/site.py). One tour (good/playground.yaml) walks
every widget once and the tests below read what the site received; short runs
(good/playground-quick.yaml) cover the scenarios that end a run (blocked, locked, failed, ...).
"""
from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from assistant.driving import events as ev
from assistant.errors import BlockedBySite, NeedsUser, SiteError, SubmitRejected
from assistant.profiles.loader import ACTIONS, schema
from tests.playground.fixtures import (PROFILES, playground, playground_runner,  # noqa: F401
                                       playground_site, run_playground)
from tests.playground.site import ACCOUNTS, ID_NUMBER, PASSWORD

ROOT = Path(__file__).resolve().parent.parent
COMMON_KEYS = set(schema()["$defs"]["step"]["properties"]) - set(ACTIONS)

# The test that proves each step type and common key (the report lists this too).
VOCABULARY = {
    "goto": "test_goto_opens_a_path_on_the_site",
    "click": "test_drift_is_reported_when_a_fallback_matches",
    "fill": "test_fill_types_secrets_and_literal_values",
    "select": "test_select_takes_the_first_option_that_exists",
    "check": "test_check_ticks_a_checkbox_and_chooses_a_radio",
    "press": "test_press_a_key_on_a_field_and_on_the_page",
    "scroll": "test_scroll_a_growing_box_the_page_and_to_an_element",
    "wait": "test_waits_for_hidden_visible_and_url",
    "precondition": "test_unpaid_loan_blocks_with_the_sites_message",
    "verification_code": "test_wrong_code_then_right_reads_the_fresh_answer",
    "manual": "test_manual_step_headless_stops_with_needs_user",
    "capture": "test_capture_keeps_pattern_groups_and_masks_sensitive_values",
    "submit": "test_failed_submit_is_reported_and_never_repeated",
    "outcome": "test_outcome_closed_at_once",
    "switch_tab": "test_new_tab_and_back_to_the_first",
    "download": "test_download_keeps_the_file_asked_for_and_refuses_the_rest",
    "name": "test_tour_reaches_the_outcome_with_one_submission",
    "optional": "test_optional_step_failure_is_a_warning",
    "if_visible": "test_if_visible_runs_or_skips_the_step",
    "screen": "test_screens_and_agreement_text_are_recorded",
    "timeout_ms": "test_optional_step_failure_is_a_warning",
    "dialog": "test_dialogs_are_answered_as_declared_and_unexpected_ones_recorded",
    "opens_tab": "test_new_tab_and_back_to_the_first",
}


def test_every_step_type_and_common_key_has_a_proving_test():
    assert set(VOCABULARY) == set(ACTIONS) | COMMON_KEYS
    assert all(callable(globals().get(name)) for name in VOCABULARY.values())


def test_every_step_type_and_common_key_is_used_by_a_tested_profile():
    used: set = set()
    for path in [*(PROFILES / "good").glob("*.yaml"), *(ROOT / "site_profiles").glob("*.yaml")]:
        data = yaml.safe_load(path.read_text("utf-8"))
        for flow in ("login", "close", "status", "prepare"):
            for step in (data.get(flow) or {}).get("steps", []):
                used |= set(step)
    assert set(ACTIONS) | COMMON_KEYS <= used


# ---------------------------------------------------------------- the tour: one run, read by many tests

@pytest.fixture(scope="module")
def tour(browser, playground_site, tmp_path_factory):
    playground_site.state.reset()
    run = playground_runner(browser, tmp_path_factory.mktemp("tour"), playground_site)("good/playground", "clean")
    account = replace(playground_site.state.account(ACCOUNTS["clean"]))  # a copy: later tests reset the site
    return run, account, list(playground_site.state.login_posts)


def _finished(run, title: str) -> ev.StepFinished:
    return [e for e in run.log.of(ev.StepFinished) if e.step.title == title][-1]


def _manifest(run) -> dict:
    return json.loads((run.record.evidence_dir / "manifest.json").read_text("utf-8"))


def test_tour_reaches_the_outcome_with_one_submission(tour):
    run, account, _ = tour
    assert run.result.error is None, run.result.error
    assert (run.result.outcome, run.result.state) == ("submitted", "pending")
    assert account.submissions == 1 and account.status == "pending"
    assert _finished(run, "提交注销申请（不可撤销）/ submit").status == "ok"  # steps are reported by name


def test_goto_opens_a_path_on_the_site(tour):
    run, _, _ = tour
    assert _finished(run, "设置页 / settings").url.endswith("/settings")


def test_fill_types_secrets_and_literal_values(tour):
    run, account, logins = tour
    assert logins[-1] == {"account": ACCOUNTS["clean"], "password": PASSWORD, "agree": "1"}
    assert account.settings["detail"] == "不再需要借款"
    for path in run.record.evidence_dir.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path


def test_select_takes_the_first_option_that_exists(tour):
    _, account, _ = tour
    assert account.settings["reason"] == "利率太高"


def test_check_ticks_a_checkbox_and_chooses_a_radio(tour):
    _, account, _ = tour
    assert account.settings["mode"] == "contract_end"
    assert account.settings["read_terms"] == "1"


def test_press_a_key_on_a_field_and_on_the_page(tour):
    run, _, _ = tour
    assert _finished(run, "帮助面板已关闭 / help closed").status == "ok"  # Escape on the page
    assert _finished(run, "搜索结果 / search result").status == "ok"     # Enter in the search field


def test_scroll_a_growing_box_the_page_and_to_an_element(tour):
    run, account, _ = tour
    # The tick box unlocks only at the true end of an agreement that grew twice while scrolling.
    assert account.settings["read_terms"] == "1"
    # The scroll step's agreement screen is kept whole, after the scroll: the part that grew in last too.
    agreement = [e for e in run.log.of(ev.TextRecorded) if e.label == "agreement_text"]
    assert "第3部分补充条款" in agreement[0].text
    assert _finished(run, "中部已读 / middle seen").status == "ok"
    assert _finished(run, "已到底部 / bottom reached").status == "ok"


def test_waits_for_hidden_visible_and_url(tour):
    run, _, _ = tour
    assert _finished(run, "等待加载完成 / loading done").status == "ok"
    assert _finished(run, "已选原因 / reason shown").matched == "text='已选择：利率太高'"
    assert _finished(run, "到了确认页 / on the confirm page").url.endswith("/tour/dialogs")


def test_if_visible_runs_or_skips_the_step(tour):
    run, _, _ = tour
    assert _finished(run, "公告：我知道了 / notice").status == "ok"
    skipped = _finished(run, "新人礼包（没有就跳过）/ gift, if shown")
    assert (skipped.status, skipped.note) == ("skipped", "condition not visible")


def test_optional_step_failure_is_a_warning(tour):
    run, _, _ = tour
    step = _finished(run, "可有可无的按钮 / optional button")
    assert step.status == "warning" and "within 300 ms" in step.note
    assert any(w.startswith("可有可无的按钮") for w in run.result.warnings)


def test_overlay_is_dismissed_and_logged_without_failing(tour):
    run, _, _ = tour
    assert [e.name for e in run.log.of(ev.OverlayDismissed)] == ["广告 / advertisement"]
    assert run.result.overlays_dismissed == 1
    assert any(e["kind"] == "overlay" for e in _manifest(run)["entries"])


def test_dialogs_are_answered_as_declared_and_unexpected_ones_recorded(tour):
    run, _, _ = tour
    seen = [(d.kind, d.message, d.action, d.expected) for d in run.log.of(ev.DialogHandled)]
    assert seen == [("confirm", "确定继续注销吗？", "accept", True),
                    ("confirm", "领取 50 元优惠券并留下吗？", "dismiss", True),
                    ("alert", "注销后数据不可恢复", "dismiss", False),
                    ("confirm", "注销后不可恢复，确定提交？", "accept", True)]
    dialogs = [e for e in _manifest(run)["entries"] if e["kind"] == "dialog"]
    assert [d["expected"] for d in dialogs] == [True, True, False, True]


def test_new_tab_and_back_to_the_first(tour):
    run, account, _ = tour
    assert account.notice_read  # the button was clicked in the new tab
    assert _finished(run, "确认须知 / confirm the notice").url.endswith("/tour/notice")
    assert _finished(run, "下一步 / next").url.endswith("/tour/frames") or account.submissions == 1
    assert _finished(run, "回到第一个标签页 / back to the first tab").url.endswith("/tour/dialogs")


def test_frame_and_within_locators_find_the_right_element(tour):
    run, account, _ = tour
    assert account.note == "请尽快处理"
    assert account.note_option == "邮寄纸质证明"  # the second of two identical buttons, by its region
    assert _finished(run, "已选方案B / plan B shown").status == "ok"


def test_drift_is_reported_when_a_fallback_matches(tour):
    run, account, _ = tour
    assert account.settings  # the click landed: the form was saved
    assert run.result.drift == [{"step": "保存设置 / save", "candidate": "role=button name='保存设置'", "index": 1}]
    assert [(d.candidate_index, d.candidate) for d in run.log.of(ev.Drift)] == [(1, "role=button name='保存设置'")]
    assert any(e["kind"] == "drift" for e in _manifest(run)["entries"])


def test_capture_keeps_pattern_groups_and_masks_sensitive_values(tour):
    run, account, _ = tour
    captures = run.result.captures
    assert captures["balance"] == "0.00"
    assert captures["application_number"] == account.application_no
    assert captures["id_number"] == "110****1234"
    assert ID_NUMBER not in (run.record.evidence_dir / "manifest.json").read_text("utf-8")


def test_screens_and_agreement_text_are_recorded(tour):
    run, _, _ = tour
    screens = {e.get("screen") for e in _manifest(run)["entries"]}
    assert {"questionnaire", "agreement", "retention", "verification", "result"} <= screens


def test_precondition_passes_when_the_site_says_ok(tour):
    run, _, _ = tour
    assert _finished(run, "注销条件检测 / closure conditions").matched == "text='注销条件检测通过'"


# ---------------------------------------------------------------- scenarios that end a run

def test_unpaid_loan_blocks_with_the_sites_message(run_playground, playground):
    run = run_playground("good/playground-quick", "blocked")
    assert isinstance(run.result.error, BlockedBySite), run.result.error
    assert "未结清的借款 ¥1,234.00" in run.result.error.detail
    account = playground.state.account(ACCOUNTS["blocked"])
    assert (account.codes_sent, account.submissions) == (0, 0)


def test_wrong_code_then_right_reads_the_fresh_answer(run_playground, playground):
    phone = ACCOUNTS["clean"]
    # The site's answer comes 0.3 s after the click while "验证码错误" from the first try is still shown.
    run = run_playground("good/playground-quick", "clean",
                         codes=lambda d, c, attempt: "000000" if attempt == 1 else playground.state.account(phone).code)
    assert run.result.outcome == "submitted", run.result.error
    assert run.codes_asked == [("139****0001", 1), ("139****0001", 2)]
    assert playground.state.account(phone).wrong_codes == 1
    assert [r.reason for r in run.log.of(ev.Retried)] == ["验证码错误"]
    assert run.result.drift[0]["step"] == "结果 / result"  # outcome recognisers report drift too


def test_expired_code_is_sent_again(run_playground, playground):
    account = playground.state.account(ACCOUNTS["clean"])

    def codes(destination, channel, attempt):
        if attempt == 1:
            account.code_expired = True  # the user was too slow
        return account.code
    run = run_playground("good/playground-quick", "clean", codes=codes)
    assert run.result.outcome == "submitted", run.result.error
    assert account.codes_sent == 2
    assert [r.reason for r in run.log.of(ev.Retried)] == ["验证码已过期，请重新获取"]


def test_too_many_wrong_codes_lock_and_stop(run_playground, playground):
    run = run_playground("good/playground-quick", "clean", codes=lambda d, c, a: "000000")
    assert isinstance(run.result.error, BlockedBySite), run.result.error
    assert run.result.error.params["reason"] == "code_locked"
    assert "错误次数过多" in run.result.error.detail
    assert len(run.codes_asked) == 3  # the site locked at the third; attempts: 5 was never reached
    assert playground.state.account(ACCOUNTS["clean"]).submissions == 0


def test_outcome_closed_at_once(run_playground, playground):
    run = run_playground("good/playground-quick", "instant")
    assert (run.result.outcome, run.result.state) == ("closed", "closed"), run.result.error
    assert playground.state.account(ACCOUNTS["instant"]).submissions == 1


def test_failed_submit_is_reported_and_never_repeated(run_playground, playground):
    run = run_playground("good/playground-quick", "failing", timeout_ms=2_000)
    assert isinstance(run.result.error, SubmitRejected), run.result.error  # the site said no: not "kept failing"
    assert "提交失败" in run.result.error.detail
    assert run.result.submitted is True
    assert run.result.submit.state == "rejected" and run.result.deadline is None
    assert run.result.submit_request["url"].endswith("/api/close")
    assert playground.state.account(ACCOUNTS["failing"]).submissions == 1


def test_status_flow_reads_pending_with_application_number(run_playground, playground):
    account = playground.state.account(ACCOUNTS["clean"])
    account.status, account.application_no = "pending", "PG424242"
    run = run_playground("good/playground", "clean", flow="status")
    assert (run.result.outcome, run.result.state) == ("status_read", "pending"), run.result.error
    assert run.result.captures["application_number"] == "PG424242"
    assert account.submissions == 0


def test_status_of_a_closed_account_is_read_at_login(run_playground, playground):
    run = run_playground("good/playground-quick", "closed", flow="status")
    assert (run.result.outcome, run.result.state) == ("status_read", "closed"), run.result.error


def test_manual_step_headless_stops_with_needs_user(run_playground, playground):
    run = run_playground("good/playground-manual", "clean")
    assert isinstance(run.result.error, NeedsUser), run.result.error
    assert run.result.error.params["reason"] == "manual"
    assert run.result.failed_step == "人脸识别 / face check"
    assert playground.state.account(ACCOUNTS["clean"]).codes_sent == 0  # nothing after it ran


def test_manual_step_goes_on_once_the_person_is_done(run_playground, playground):
    account = playground.state.account(ACCOUNTS["clean"])
    run = run_playground("good/playground-manual", "clean", manual=lambda instructions: setattr(account, "face_passed", True))
    assert run.result.outcome == "submitted", run.result.error
    assert _finished(run, "人脸识别 / face check").matched == "text='人脸识别通过'"


def test_manual_step_headless_exit_status_from_the_command_line(playground, tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "assistant", "close", str(PROFILES / "good" / "playground-manual.yaml"),
         "--account", ACCOUNTS["clean"], "--base-url", playground.base_url, "--password-stdin", "--yes",
         "--evidence-dir", str(tmp_path), "--lang", "en"],
        input=PASSWORD + "\n", capture_output=True, text=True, timeout=180, cwd=ROOT)
    assert proc.returncode == 4, proc.stderr
    assert "--headed" in proc.stderr and "Traceback" not in proc.stderr


def test_download_keeps_the_file_asked_for_and_refuses_the_rest(run_playground, playground):
    import hashlib

    from assistant.errors import UnsafeAction
    from assistant.evidence.verify import verify_bundle
    from assistant.profiles import model as m
    from assistant.profiles.loader import load_profile
    from tests.playground.site import DOCUMENTS

    def link(name):
        return m.Locator((m.Candidate("role", "link", name=name, exact=True),))
    profile = load_profile(PROFILES / "good/playground-documents.yaml")
    goto, download = profile.prepare.steps
    # A click that makes the site offer a file no download step asked for: refused and cancelled, as always.
    profile.prepare.steps = [goto, m.ClickStep(target=link("下载全部记录"), name="点错了 / wrong link", action="click"),
                             download]
    run = run_playground(profile, flow="prepare")
    assert (run.result.outcome, run.result.error) == ("prepared", None)
    refused = [e for e in run.log.of(ev.TextRecorded) if e.label == "download_refused"]
    assert [e.text for e in refused] == ["archive.zip"]
    bundle = Path(run.record.evidence_dir)
    assert sorted(p.name for p in (bundle / "downloads").iterdir()) == ["receipt.pdf"]
    kept = (bundle / "downloads" / "receipt.pdf").read_bytes()
    assert kept == DOCUMENTS["/tour/receipt.pdf"][2]
    manifest = json.loads((bundle / "manifest.json").read_text("utf-8"))
    [entry] = [e for e in manifest["entries"] if e["kind"] == "download"]
    assert (entry["file"], entry["sha256"]) == ("downloads/receipt.pdf", hashlib.sha256(kept).hexdigest())
    assert entry["what"] == {"zh": "回单", "en": "receipt"} and entry["url"].endswith("/tour/receipt.pdf")
    assert int(verify_bundle(bundle).status) == 0
    (bundle / "downloads" / "receipt.pdf").write_bytes(kept + b"edited")  # the chain covers the document
    assert [f.path for f in verify_bundle(bundle).findings] == ["downloads/receipt.pdf"]

    # Larger than the step's 1 MB, and from another origin: refused with the reason, nothing kept.
    for target, reason, words in ((link("下载全部记录"), "download_too_large", "2.0 MB"),
                                  (link("从合作方下载回单"), "download_outside", playground.foreign_url)):
        profile.prepare.steps = [goto, replace(download, target=target)]
        run = run_playground(profile, flow="prepare")
        error = run.result.error
        assert isinstance(error, UnsafeAction) and error.params["reason"] == reason, error
        assert words in error.detail.in_lang("en") and int(error.exit_status) == 8
        assert not (Path(run.record.evidence_dir) / "downloads").exists()
        assert int(verify_bundle(Path(run.record.evidence_dir)).status) == 0  # nothing half-written left behind
    assert playground.state.foreign_log == []  # the off-site link was never followed
