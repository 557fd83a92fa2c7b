"""The irreversible moment (issue 13): the submit guard in the browser, the one honest record of what
became of the closure request, and how terminal, manifest, report and case tell the same story.

Against the test-only playground (tests/playground/site.py), whose closure endpoints count every
request that reaches them (`close_requests`) apart from the ones the site processed (`submissions`).
"""
from __future__ import annotations

import json
from html import unescape

import pytest

from assistant.cases import store as c
from assistant.cases.store import CaseStore
from assistant.cases.tracking import CaseTracker
from assistant.cli.summary import outcome_lines
from assistant.driving import events as ev
from assistant.errors import (ExitStatus, SubmitEndpointReached, SubmitNotTaken, SubmitRejected,
                              SubmitUnconfirmed)
from assistant.evidence.report import render_html
from assistant.messages import describe_error
from assistant.profiles.loader import load_profile
from tests.playground.fixtures import PROFILES, playground, playground_site, run_playground  # noqa: F401
from tests.playground.site import ACCOUNTS


def manifest(run) -> dict:
    return json.loads((run.record.evidence_dir / "manifest.json").read_text("utf-8"))


# ---------------------------------------------------------------- the guard

@pytest.mark.parametrize("profile, step", [
    ("bad/runtime/click-final-button", "提交 / press on (the final button, by another name)"),
    ("bad/runtime/confirm-is-final-button", "短信验证 / SMS code"),
])
@pytest.mark.parametrize("dry_run", [True, False], ids=["dry-run", "real-run"])
def test_a_step_that_presses_the_final_button_sends_nothing_and_stops(profile, step, dry_run, run_playground,
                                                                        playground):
    run = run_playground(profile, "clean", dry_run=dry_run, timeout_ms=3_000)
    error = run.result.error
    assert isinstance(error, SubmitEndpointReached), error
    assert error.exit_status == ExitStatus.UNSAFE == 8
    assert step in error.detail and step in error.params["where"]
    account = playground.state.account(ACCOUNTS["clean"])
    assert (account.close_requests, account.submissions) == (0, 0)  # stopped in the browser: nothing left
    assert run.result.submitted is False and run.result.submit.state == "not_sent"
    blocked = [e for e in manifest(run)["entries"] if e["kind"] == "submit_blocked"]
    assert len(blocked) == 1 and step in blocked[0]["step"] and blocked[0]["after_submit"] is False
    message = describe_error(error, "en")
    assert "did not leave" in message and "stopped without submitting" not in message
    assert "没有发出" in describe_error(error, "zh")


def test_a_second_request_after_the_submit_is_stopped_and_recorded(run_playground, playground):
    account = playground.state.account(ACCOUNTS["clean"])
    account.double_post = True  # the page fires the request twice on one click
    run = run_playground("good/playground-quick", "clean")
    assert run.result.outcome == "submitted", run.result.error
    assert (account.close_requests, account.submissions) == (1, 1)
    assert any("second request" in w for w in run.result.warnings)
    blocked = [e for e in manifest(run)["entries"] if e["kind"] == "submit_blocked"]
    assert len(blocked) == 1 and blocked[0]["after_submit"] is True
    lines = outcome_lines(run.record, None, "en")
    assert any(line.startswith("Warning: a second request") for line in lines)  # printed, not only kept


def test_a_declined_yes_arms_nothing(run_playground, playground):
    run = run_playground("good/playground-quick", "clean", yes=False)
    assert run.result.error.params["reason"] == "declined"
    assert playground.state.account(ACCOUNTS["clean"]).close_requests == 0
    assert run.result.submit.clicked is False and "submit" not in [e["kind"] for e in manifest(run)["entries"]]


# ---------------------------------------------------------------- every answer: one story everywhere

def _run_with_case(run_playground, tmp_path, profile="good/playground-quick", account="clean", **kw):
    store = CaseStore(tmp_path / "cases.sqlite3")
    tracker = CaseTracker(store, ACCOUNTS.get(account, account), evidence_root=tmp_path / "evidence")
    run = run_playground(profile, account, listeners=(tracker,), **kw)
    case = store.case(run.result.site, ACCOUNTS.get(account, account))
    return run, case, store


ANSWERS = {
    # fault → (record state, confirmed by, exit status, the terminal's words, the report's plain words, case state)
    None: ("accepted", "result_page", 0, "accepted by the site", "received and accepted", c.PENDING_REVIEW),
    "502_after": ("accepted", "status_page", 0, "accepted by the site",
                  "closure status, read afterwards, shows the request accepted", c.PENDING_REVIEW),
    "timeout": ("accepted", "status_page", 0, "accepted by the site",
                "closure status, read afterwards, shows the request accepted", c.PENDING_REVIEW),
    "502_before": ("answered", "status_page", 9, "answered HTTP 502",
                   "The lender's server received the request and answered with an error", c.PREPARING),
    "session_expired": ("answered", "status_page", 9, "answered HTTP 401", "had ended the session", c.PREPARING),
}


@pytest.mark.parametrize("fault", list(ANSWERS), ids=[str(f) for f in ANSWERS])
def test_each_answer_of_the_submit_is_told_the_same_everywhere(fault, run_playground, playground, tmp_path):
    state, by, status, terminal_words, report_words, case_state = ANSWERS[fault]
    account = playground.state.account(ACCOUNTS["clean"])
    account.submit_fault = fault
    run, case, _store = _run_with_case(run_playground, tmp_path, timeout_ms=3_000)
    result, record = run.result, run.result.submit
    # the record
    assert (record.state, record.confirmed_by) == (state, by), (record, result.error)
    assert record.sent and record.method == "POST" and record.url.endswith("/api/close")
    assert int(result.error.exit_status if result.error else 0) == status, result.error
    # the terminal
    lines = outcome_lines(run.record, None, "en", case.deadline_info)
    assert terminal_words in lines[0], lines
    if result.error is not None:
        message = describe_error(result.error, "en")
        assert "was sent" in message and "stopped without submitting" not in message, message
    if by == "status_page" and state == "accepted":
        assert any(line.startswith("Warning:") and "status page says pending" in line for line in lines)
    # the manifest: method, URL, status (or none), times and the site's words, for every answer
    m = manifest(run)
    kept = m["result"]["submit"]
    assert (kept["state"], kept["method"], kept["url"]) == (state, "POST", record.url)
    assert kept["sent_at"] and kept["status"] == record.status and kept["site_words"]
    assert [e["state"] for e in m["entries"] if e["kind"] == "submit_request"] == [state]
    # the report
    html = unescape(render_html(run.record.evidence_dir, "en"))  # the site's language is zh; the words checked are en
    assert report_words in html
    # the case, and a deadline only for an accepted request
    assert case.state == case_state, (case.state, case.reason)
    if state == "accepted":
        assert result.deadline is not None and case.deadline == result.deadline.date
        deadline = result.deadline.date.isoformat()
        assert any(deadline in line for line in lines) and deadline in html
        assert m["result"]["deadline"]["date"] == deadline
        assert account.submissions == 1
    else:
        assert result.deadline is None and case.deadline is None and m["result"]["deadline"] is None
        assert "The platform should finish by" not in html and not any("should finish" in x for x in lines)
        assert account.submissions == 0
    assert account.close_requests == 1  # never sent twice, whatever the answer


def test_a_request_the_site_refused_is_rejected_with_its_words(run_playground, playground, tmp_path):
    run, case, _ = _run_with_case(run_playground, tmp_path, account="failing", timeout_ms=3_000)
    error = run.result.error
    assert isinstance(error, SubmitRejected) and error.exit_status == ExitStatus.BLOCKED_BY_SITE
    assert run.result.submit.state == "rejected" and "提交失败" in run.result.submit.site_words
    lines = outcome_lines(run.record, None, "en")
    assert "rejected by the site (it said: 提交失败" in lines[0]
    assert "nothing is pending" in describe_error(error, "en")
    assert "received the request and refused it" in unescape(render_html(run.record.evidence_dir, "en"))
    assert (case.state, case.deadline) == (c.DENIED, None) and "提交失败" in case.reason  # the site's own reason


def test_an_unconfirmed_request_exits_16_and_says_it_was_sent(run_playground, playground, tmp_path):
    profile = load_profile(PROFILES / "good/playground-quick.yaml")
    profile.status = None  # nothing to ask the site afterwards
    playground.state.account(ACCOUNTS["clean"]).submit_fault = "timeout"
    run, case, _ = _run_with_case(run_playground, tmp_path, profile=profile, timeout_ms=2_000)
    error = run.result.error
    assert isinstance(error, SubmitUnconfirmed) and int(error.exit_status) == 16
    assert run.result.submit.state == "sent_no_answer"
    for lang, words in (("en", "run closure-assistant status"), ("zh", "运行 closure-assistant status")):
        message = describe_error(error, lang, site="playground-quick")
        assert words in message and "without submitting" not in message
    assert "sent, no answer" in outcome_lines(run.record, None, "en")[0]
    assert case.state == c.SUBMITTED  # never submitted blindly again: the next close asks the site


def test_the_retry_after_an_unclear_submit_does_not_read_like_a_resubmission(run_playground, playground):
    playground.state.account(ACCOUNTS["clean"]).submit_fault = "502_after"
    run = run_playground("good/playground-quick", "clean", timeout_ms=3_000)
    checks = run.log.of(ev.CheckingAfterSubmit)
    assert len(checks) == 1 and run.log.of(ev.Retried) == checks  # the only "retry" is this read
    import io

    from assistant.cli.progress import ProgressPrinter
    from assistant.redaction import Redactor
    shown = io.StringIO()
    ProgressPrinter("en", Redactor(), shown).handle(checks[0])
    line = shown.getvalue()
    assert "read-only" in line and "not sent again" in line and "HTTP 502" in line and "retrying" not in line
