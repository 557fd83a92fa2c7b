"""The verification patterns of the profile language (issue 13.6), each in a real browser on the
playground: the code checked by the final submit, automatic send with a resend countdown, an
authenticator app, a lock already on the page, and waits that end when the login page appears."""
from __future__ import annotations

import time

import pytest

from assistant.cases import store as c
from assistant.cases.store import CaseStore
from assistant.cases.tracking import CaseTracker
from assistant.driving import events as ev
from assistant.engine.check import check_profile
from assistant.errors import CodeExpired, CodeLocked, ExitStatus, SessionExpired, WrongCode
from assistant.messages import describe_error
from assistant.profiles.loader import load_profile
from tests.playground.fixtures import PROFILES, playground, playground_site, run_playground  # noqa: F401
from tests.playground.site import ACCOUNTS, LOCK_MESSAGE, PASSWORD, totp

CLEAN = ACCOUNTS["clean"]


def tracked(run_playground, tmp_path, profile, **kw):
    store = CaseStore(tmp_path / "cases.sqlite3")
    run = run_playground(profile, "clean", listeners=(CaseTracker(store, CLEAN, evidence_root=tmp_path / "ev"),),
                         **kw)
    return run, store.case(run.result.site, CLEAN)


# ---------------------------------------------------------------- the code checked by the final submit

def test_code_checked_by_the_submit_closes_with_one_request(run_playground, playground, tmp_path):
    run, case = tracked(run_playground, tmp_path, "good/playground-at-submit")
    assert run.result.outcome == "submitted", run.result.error
    account = playground.state.account(CLEAN)
    assert (account.close_requests, account.submissions) == (1, 1)
    assert case.state == c.PENDING_REVIEW and case.deadline is not None


@pytest.mark.parametrize("kind, error, exit_status, case_state, reason", [
    ("wrong", WrongCode, 4, c.NEEDS_YOU, "wrong_code"),
    ("expired", CodeExpired, 4, c.NEEDS_YOU, "code_expired"),
])
def test_a_wrong_code_read_after_the_submit_is_not_accepted_never_submitted(kind, error, exit_status, case_state,
                                                                            reason, run_playground, playground,
                                                                            tmp_path):
    account = playground.state.account(CLEAN)

    def code(destination, channel, attempt):
        if kind == "expired":
            account.code_expired = True
            return account.code
        return "000000" if account.code != "000000" else "111111"
    run, case = tracked(run_playground, tmp_path, "good/playground-at-submit", codes=code)
    result = run.result
    assert type(result.error) is error, result.error
    assert int(result.error.exit_status) == exit_status
    assert result.submit.state == "rejected" and result.submitted  # it left, and the site said no
    assert (account.close_requests, account.submissions) == (1, 0)
    assert (case.state, case.reason, case.deadline) == (case_state, reason, None)  # never "submitted"
    en, zh = describe_error(result.error, "en"), describe_error(result.error, "zh")
    assert "was sent with the code" in en and "nothing is pending" in en and "without submitting" not in en
    assert "已随验证码发出" in zh
    assert result.deadline is None


def test_a_lock_read_after_the_submit_names_the_unlock_time(run_playground, playground, tmp_path):
    account = playground.state.account(CLEAN)
    account.wrong_codes = 2  # one more wrong code locks the check
    run, case = tracked(run_playground, tmp_path, "good/playground-at-submit", codes=["000001"])
    assert isinstance(run.result.error, CodeLocked) and int(run.result.error.exit_status) == 3
    assert "06:38" in describe_error(run.result.error, "en") and "06:38" in describe_error(run.result.error, "zh")
    assert (case.state, case.reason) == (c.NEEDS_YOU, "code_locked")


# ---------------------------------------------------------------- automatic send with a resend countdown

def test_automatic_send_waits_out_the_countdown_for_a_new_code(run_playground, playground):
    account = playground.state.account(CLEAN)
    playground.state.resend_cooldown_s = 3
    given = []

    def code(destination, channel, attempt):
        if attempt == 1:
            account.code_expired = True  # the first code has expired by the time it is typed
        given.append(account.code)
        return account.code
    playground.state.countdown_held = True  # the countdown waits at 1 s until the tool says it waits

    class OpenOnWaiting(ev.Listener):
        def handle(self, event):
            if isinstance(event, ev.Waiting):
                playground.state.countdown_held = False
    started = time.monotonic()
    run = run_playground("good/playground-auto-send", "clean", codes=code, timeout_ms=5_000,
                         listeners=(OpenOnWaiting(),))
    assert run.result.outcome == "submitted", run.result.error
    assert account.codes_sent == 2 and given[0] != given[1]  # sent on arrival, then once after the countdown
    waits = run.log.of(ev.Waiting)
    assert len(waits) == 1 and 1 <= waits[0].seconds <= 3 and "countdown" in waits[0].reason
    assert time.monotonic() - started < 40


def test_a_second_sign_in_within_the_countdown_reuses_the_code_already_sent(run_playground, playground):
    account = playground.state.account(CLEAN)
    playground.state.resend_cooldown_s = 60
    first = run_playground("good/playground-auto-send", "clean", codes=[None])  # the person gave no code
    assert first.result.error.params["reason"] == "no_code" and account.codes_sent == 1
    second = run_playground("good/playground-auto-send", "clean")  # signed in again, 60 s not yet over
    assert second.result.outcome == "submitted", second.result.error
    assert account.codes_sent == 1  # no new code: the one already sent was asked for and accepted


# ---------------------------------------------------------------- an authenticator app

def test_authenticator_retry_waits_for_the_next_code_instead_of_reusing_one(run_playground, playground):
    account = playground.state.account(CLEAN)
    account.totp_refuse_first = True  # the first right code is used up and answered "wrong"
    period = playground.state.totp_period_s
    typed = []

    def code(destination, channel, attempt):
        assert channel == "authenticator" and destination == ""  # nothing was sent anywhere
        typed.append(totp(time.time(), period))
        return typed[-1]
    run = run_playground("good/playground-totp", "clean", codes=code, timeout_ms=5_000)
    assert run.result.outcome == "submitted", run.result.error
    assert len(typed) == 2 and typed[0] != typed[1]  # a single-use code is never typed twice
    waits = run.log.of(ev.Waiting)
    assert len(waits) == 1 and waits[0].seconds <= period + 1 and "authenticator" in waits[0].reason


def test_authenticator_prompt_names_no_destination(monkeypatch):
    from assistant.cli import terminal
    asked = []
    monkeypatch.setattr(terminal, "_interactive", lambda: True)
    monkeypatch.setattr(terminal.getpass, "getpass", lambda prompt: asked.append(prompt) or "123456")
    for lang in ("en", "zh"):
        inputs = terminal.TerminalInputs(lang, "游乐场贷", CLEAN)
        assert inputs.code("", "authenticator", 1) == "123456"
    assert "authenticator app" in asked[0] and "?" not in asked[0] and "sent" not in asked[0]
    assert "身份验证器" in asked[1] and "发送至" not in asked[1]


# ---------------------------------------------------------------- a lock already on the page

@pytest.mark.parametrize("profile", ["good/playground-quick", "good/playground-at-submit"])
def test_a_lock_on_the_page_stops_before_anything_is_sent_or_typed(profile, run_playground, playground, tmp_path):
    account = playground.state.account(CLEAN)
    account.locked = True
    run, case = tracked(run_playground, tmp_path, profile)
    error = run.result.error
    assert isinstance(error, CodeLocked) and error.params.get("before_typing") is True
    assert error.exit_status == ExitStatus.BLOCKED_BY_SITE and LOCK_MESSAGE in error.detail
    assert run.codes_asked == [] and account.codes_sent == 0 and account.close_requests == 0
    for lang, words in (("en", "Too many wrong codes"), ("zh", "验证码错误次数过多")):
        message = describe_error(error, lang)
        assert words in message and "06:38" in message and "repay" not in message and "结清" not in message
    assert (case.state, case.reason) == (c.NEEDS_YOU, "code_locked")


# ---------------------------------------------------------------- waits end when the login page appears

def test_a_second_session_expiry_ends_the_wait_early_and_says_so(run_playground, playground):
    playground.state.expire_on_path = "/tour/check"  # every visit there ends the session
    run = run_playground("good/playground-quick", "clean", timeout_ms=20_000)
    started, finished = run.log.of(ev.RunStarted)[0].at, run.log.of(ev.RunFinished)[0].at
    elapsed = (finished - started).total_seconds()  # the run itself, not the report made after it
    error = run.result.error
    assert isinstance(error, SessionExpired), error
    assert int(error.exit_status) == 9
    assert elapsed < 20, elapsed  # two expiries, neither waited out the 20 s timeout (a long one: the suite runs in parallel)
    for lang in ("en", "zh"):
        assert "may have changed" not in describe_error(error, lang) and "改版" not in describe_error(error, lang)


# ---------------------------------------------------------------- profiles check understands them

@pytest.mark.parametrize("profile", ["playground-at-submit", "playground-auto-send", "playground-totp"])
def test_profiles_check_walks_each_pattern_without_submitting(profile, browser, playground, tmp_path):
    from assistant.driving.interaction import ScriptedInputs
    account = playground.state.account(CLEAN)

    def code(destination, channel, attempt):
        return totp(time.time(), playground.state.totp_period_s) if channel == "authenticator" else account.code
    report = check_profile(load_profile(PROFILES / "good" / f"{profile}.yaml"), CLEAN,
                           ScriptedInputs(secrets={"password": PASSWORD}, codes=code),
                           base_url=playground.base_url, evidence_root=tmp_path / "ev", timeout_ms=5_000,
                           browser=browser)
    assert report.exit_status == 0, (report.error, [(s.name, s.status) for s in report.steps])
    assert [s.status for s in report.steps if s.action == "submit"] == ["found_not_clicked"]
    assert (account.close_requests, account.submissions) == (0, 0)
