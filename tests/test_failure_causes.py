"""One failure taxonomy (issue 13.4): each cause gets its own exit status, a message whose advice fits
the cause, and the same advice in `cases`, in Chinese and English. Each cause is produced by a real run
on the playground (server errors, which the playground only gives on the submit, come from the submit)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest

from assistant.cases.store import CaseStore
from assistant.cases.tracking import CaseTracker
from assistant.cases.lifecycle import next_action
from assistant.cli.summary import outcome_lines
from assistant.driving.interaction import ScriptedInputs
from assistant.errors import ExitStatus
from assistant.messages import describe_error
from assistant.profiles import model as m
from assistant.profiles.loader import load_profile
from tests.playground.fixtures import PROFILES, playground, playground_site, run_playground  # noqa: F401
from tests.playground.site import ACCOUNTS, PASSWORD

QUICK = PROFILES / "good/playground-quick.yaml"
ASCII_COLON_IN_ZH = re.compile(r"[\u4e00-\u9fff]:|:[\u4e00-\u9fff]")


def quick_with(**changes):
    """playground-quick with its verification step (or another) changed for one story."""
    profile = load_profile(QUICK)
    for i, step in enumerate(profile.close_steps):
        if isinstance(step, m.VerificationCodeStep) and "attempts" in changes:
            profile.close_steps[i] = replace(step, attempts=changes["attempts"])
        if isinstance(step, m.PreconditionStep) and changes.get("break_precondition"):
            profile.close_steps[i] = replace(step, ok_if=m.Locator((m.Candidate("text", "不存在的文字"),)),
                                             blocked_if=m.Locator((m.Candidate("text", "也不存在"),)))
    return profile


def story(name, playground):
    """(profile, account, run keyword arguments) for one cause."""
    acct = playground.state.account(ACCOUNTS["clean"])
    if name == "wrong_password":
        return QUICK, "clean", {"password": "not-the-password"}
    if name == "wrong_password_keyring":
        inputs = ScriptedInputs(secrets={"password": "an-old-password"}, yes=True)
        inputs.password_from_keyring = True
        return QUICK, "clean", {"inputs": inputs}
    if name == "wrong_code":
        return quick_with(attempts=2), "clean", {"codes": ["000000", "000001"]}
    if name == "code_expired":
        def expired(destination, channel, attempt):
            acct.code_expired = True
            return acct.code
        return quick_with(attempts=2), "clean", {"codes": expired}
    if name == "code_locked":
        acct.wrong_codes = 2
        return QUICK, "clean", {"codes": ["000000"]}
    if name == "session_expired":
        playground.state.expire_on_path = "/tour/check"
        return QUICK, "clean", {}
    if name == "server_errors":
        acct.submit_fault = "502_before"
        return QUICK, "clean", {}
    if name == "site_changed":
        return quick_with(break_precondition=True), "clean", {"timeout_ms": 1_500}
    if name == "blocked":
        return QUICK, "blocked", {}
    raise AssertionError(name)


# cause → (exit status, words of the message en / zh, words of the `cases` advice en / zh)
CAUSES = {
    "wrong_password": (7, ("refused the password", "密码错误"), ("check the password", "确认密码")),
    "wrong_password_keyring": (7, ("credentials set playground-quick", "credentials set playground-quick"),
                               ("credentials set playground-quick", "credentials set playground-quick")),
    "wrong_code": (4, ("code was not accepted", "验证码未被接受"), ("new code", "新的验证码")),
    "code_expired": (4, ("code had expired", "验证码已过期"), ("promptly", "尽快输入")),
    "code_locked": (3, ("06:38", "06:38"), ("unlock time", "解锁时间")),
    "session_expired": (9, ("ended the session again", "再次让登录失效"), ("logs you out", "登出")),
    "server_errors": (9, ("answered with HTTP 502", "HTTP 502"), ("did not take the last request", "没有受理")),
    "site_changed": (6, ("profiles check", "profiles check"), ("profiles check playground-quick",
                                                               "profiles check playground-quick")),
    "blocked": (3, ("未结清的借款", "未结清的借款"), ("未结清的借款", "未结清的借款")),
}


@pytest.mark.parametrize("cause", list(CAUSES))
def test_each_cause_has_its_exit_status_message_and_advice(cause, run_playground, playground, tmp_path):
    status, (en_words, zh_words), (en_advice, zh_advice) = CAUSES[cause]
    profile, account, kw = story(cause, playground)
    phone = ACCOUNTS[account]
    store = CaseStore(tmp_path / "cases.sqlite3")
    kw.setdefault("timeout_ms", 4_000)
    run = run_playground(load_profile(profile) if not isinstance(profile, m.Profile) else profile, account,
                         listeners=(CaseTracker(store, phone, evidence_root=tmp_path / "ev"),), **kw)
    error = run.result.error
    assert error is not None and int(error.exit_status) == status, (cause, error)
    en = describe_error(error, "en", run.result.failed_index, run.result.failed_step, site="playground-quick")
    zh = describe_error(error, "zh", run.result.failed_index, run.result.failed_step, site="playground-quick")
    assert en_words in en, en
    assert zh_words in zh, zh
    assert not ASCII_COLON_IN_ZH.search(zh.replace("06:38", "")), zh
    if run.result.submit.sent:  # a request that left is never called "stopped without submitting"
        assert "without submitting" not in en and "未提交" not in zh
    case = store.case("playground-quick", phone)
    action = next_action(store, case)
    advice_en, advice_zh = action.text("en"), action.text("zh")
    assert en_advice in advice_en, advice_en
    assert zh_advice in advice_zh, advice_zh
    if cause not in ("site_changed",):
        assert "profiles check" not in advice_en  # only a changed site is the profile's fault
    assert run.result.deadline is None


def test_a_request_the_site_already_shows_is_not_made_again(run_playground, playground):
    account = playground.state.account(ACCOUNTS["clean"])
    account.status, account.application_no = "pending", "PG777777"
    run = run_playground("good/playground-quick", "clean", status_first=True)
    assert (run.result.outcome, run.result.state, run.result.error) == ("already_pending", "pending", None)
    assert account.close_requests == 0 and run.codes_asked == []
    assert "The site already shows your request (pending)" in "\n".join(outcome_lines(run.record, None, "en"))
    assert "平台上已有您的注销申请（审核中）" in "\n".join(outcome_lines(run.record, None, "zh"))


def test_an_active_account_goes_on_to_the_closure_after_the_read(run_playground, playground):
    run = run_playground("good/playground-quick", "clean", status_first=True)
    assert run.result.outcome == "submitted", run.result.error
    assert playground.state.account(ACCOUNTS["clean"]).submissions == 1


def test_exit_statuses_are_documented_in_readme_and_help():
    from pathlib import Path

    from assistant.cli.commands import EXIT_HELP
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    assert int(ExitStatus.SUBMIT_UNCONFIRMED) == 16
    assert "| 16 |" in readme and "\n  16 " in EXIT_HELP
    assert "refused the password" in readme.split("| 7 |")[1].splitlines()[0]
