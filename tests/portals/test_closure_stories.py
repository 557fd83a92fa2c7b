"""The borrower's stories on every bundled portal, through each portal's real site profile, the real
driver and a real Chromium: a blocked closure, wrong and expired codes, the review that ends in a
closed account, and a site that is slow, flaky or logs the user out. demo-lender's versions of the
first stories live in tests/test_closure_end_to_end.py; the ones here run on the other portals, and
the fault-knob stories on all of them."""
from __future__ import annotations

import pytest

from assistant.driving import events as ev
from assistant.errors import BlockedBySite, CodeLocked, WrongCode
from assistant.portals import PORTALS
from assistant.profiles.registry import load_site
from portal_http import submit_closure

ALL = list(PORTALS)
OTHERS = [name for name in ALL if name != "demo-lender"]
# What the site itself says when the account still owes money.
OWED = {"desktop-lender": "$1,234.56", "wallet-lender": "¥3,280.00"}
# After three wrong codes: Northwind locks sign-in on the third miss, 随心花 allows five.
AFTER_THREE_WRONG = {"desktop-lender": CodeLocked, "wallet-lender": WrongCode}


def accounts(name: str) -> dict:
    return load_site(name).tests["accounts"]


class Events:
    """A listener that keeps every event of a run, for questions about what happened on the way."""

    def __init__(self):
        self.seen = []

    def handle(self, event):
        self.seen.append(event)

    def of(self, kind):
        return [e for e in self.seen if isinstance(e, kind)]


@pytest.mark.parametrize("name", OTHERS)
def test_unpaid_balance_blocks_before_submit(name, portals, run_close):
    portal = portals(name)
    account = accounts(name)["unpaid"]
    record = run_close(portal, account)
    assert isinstance(record.result.error, BlockedBySite), record.result.error
    assert OWED[name] in record.result.error.detail  # the site's own words, with the amount
    assert record.result.submitted is False
    assert portal.client.state(account)["submissions"] == 0


@pytest.mark.parametrize("name", OTHERS)
def test_only_wrong_codes_stop_before_anything_irreversible(name, portals, run_close):
    portal = portals(name)
    account = accounts(name)["clean"]
    record = run_close(portal, account, codes=lambda destination, channel, attempt: "000000")
    assert type(record.result.error) is AFTER_THREE_WRONG[name], record.result.error
    state = portal.client.state(account)
    assert state["submissions"] == 0
    assert state["failed_code_attempts"] == 3
    assert state["locked"] is (name == "desktop-lender")


@pytest.mark.parametrize("name", ALL)
def test_wrong_then_expired_code_then_a_new_one_is_accepted(name, portals, run_close):
    """Attempt 1: a typo. Attempt 2: the code ran out meanwhile (expire-code hook between send and entry),
    so the driver must ask the site for a new one. Attempt 3: the new code."""
    portal = portals(name)
    account = accounts(name)["clean"]
    asked, sent = [], []

    def codes(destination, channel, attempt):
        asked.append(destination)
        if attempt == 1:
            return "000000"
        if attempt == 2:
            portal.client.expire_code(account)
        sent.append(portal.client.latest_code(account))
        return sent[-1]
    events = Events()
    record = run_close(portal, account, codes=codes, listeners=(events,))
    assert record.result.outcome == "submitted", (record.result.failed_step, record.result.error)
    assert len(asked) == 3 and account not in asked[0] and asked[0]  # the masked destination the page shows
    assert sent[0] != sent[1]  # a second code was requested and used
    answers = [e.label for e in events.of(ev.TextRecorded) if e.label in ("wrong_code", "expired")]
    assert answers == ["wrong_code", "expired"]
    state = portal.client.state(account)
    assert (state["submissions"], state["failed_code_attempts"]) == (1, 1)


@pytest.mark.parametrize("name", OTHERS)
def test_after_review_the_login_says_the_account_is_closed(name, portals, run_close):
    portal = portals(name)
    account = accounts(name)["clean"]
    number = submit_closure(name, portal.base_url, portal.client, account)  # by hand, earlier
    assert portal.client.state(account)["status"] == "pending_review"
    portal.client.approve(account)
    record = run_close(portal, account)
    assert (record.result.outcome, record.result.state) == ("already_closed", "closed"), record.result.error
    state = portal.client.state(account)
    assert (state["submissions"], state["application_no"]) == (1, number)


# -- the fault knobs --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ALL)
def test_slow_and_flaky_site_still_closes_exactly_once(name, portals, run_close):
    portal = portals(name)
    account = accounts(name)["clean"]
    portal.client.set_faults(latency_ms=40, error_rate=0.15, seed=5)
    portal.client.reset()  # restart the seeded random source, so this run meets the same failures each time
    events = Events()
    record = run_close(portal, account, listeners=(events,), timeout_ms=15_000)
    stats = portal.client.stats()
    assert stats["errors_injected"] > 0, stats  # the knob bit
    assert record.result.outcome == "submitted", (record.result.failed_step, record.result.error, stats)
    assert events.of(ev.Retried), "the server errors should have been retried"
    assert portal.client.state(account)["submissions"] == 1


class ExpireSessionOnce:
    """Logs the user out (session expiry knob) as the third close step starts, and stops once the
    driver logs in again: the site forgot the login mid-flow, once."""

    def __init__(self, client):
        self.client = client
        self.close_steps = 0
        self.relogins = 0

    def handle(self, event):
        if isinstance(event, ev.StepStarted) and event.flow == "close":
            self.close_steps += 1
            if self.close_steps == 3:
                self.client.set_faults(session_expiry_after=0)
        if isinstance(event, ev.Retried) and "logged us out" in event.reason:
            self.relogins += 1
            self.client.set_faults(session_expiry_after=None)


@pytest.mark.parametrize("name", ALL)
def test_session_expiry_mid_flow_logs_in_again_and_closes_once(name, portals, run_close):
    portal = portals(name)
    account = accounts(name)["clean"]
    expiry = ExpireSessionOnce(portal.client)
    record = run_close(portal, account, listeners=(expiry,))
    assert expiry.relogins == 1
    assert record.result.outcome == "submitted", (record.result.failed_step, record.result.error)
    assert portal.client.state(account)["submissions"] == 1


class ExpireAtTheLoginCode:
    """Logs the user out just as the sign-in code step starts (desktop-lender asks for an e-mail code
    after the password): the site sends the browser back to the sign-in page, once."""

    def __init__(self, client):
        self.client = client
        self.armed = True
        self.restarts = 0

    def handle(self, event):
        if (isinstance(event, ev.StepStarted) and event.flow == "login" and self.armed
                and type(event.step).__name__ == "VerificationCodeStep"):
            self.armed = False
            self.client.set_faults(session_expiry_after=0)
        if isinstance(event, ev.Retried) and "sign-in page" in event.reason:
            self.restarts += 1
            self.client.set_faults(session_expiry_after=None)


def test_session_expiry_at_the_sign_in_code_signs_in_again_and_closes_once(portals, run_close):
    portal = portals("desktop-lender")
    account = accounts("desktop-lender")["clean"]
    expiry = ExpireAtTheLoginCode(portal.client)
    record = run_close(portal, account, listeners=(expiry,))
    assert not expiry.armed and expiry.restarts == 1
    assert record.result.outcome == "submitted", (record.result.failed_step, record.result.error)
    assert portal.client.state(account)["submissions"] == 1


class FailAroundTheSubmit:
    """Every request but the submit itself fails from the submit on, so the result page never shows.
    The status check then finds a working site until its status page, which fails once more."""

    def __init__(self, client):
        self.client = client
        self.status_started = False
        self.status_reloads = 0

    def handle(self, event):
        if isinstance(event, ev.SubmitStarting):
            self.client.set_faults(error_rate=1.0)
        elif isinstance(event, ev.Retried) and "checking the site's status" in event.reason:
            self.client.set_faults(error_rate=0.0)
        elif isinstance(event, ev.StepStarted) and event.flow == "status" and not self.status_started:
            self.status_started = True
            self.client.set_faults(error_rate=1.0)
        elif isinstance(event, ev.Retried) and self.status_started and "reloading" in event.reason:
            self.status_reloads += 1
            self.client.set_faults(error_rate=0.0)


def test_unclear_submit_is_settled_by_the_status_page_even_when_the_site_still_fails(portals, run_close):
    portal = portals("desktop-lender")
    account = accounts("desktop-lender")["clean"]
    faults = FailAroundTheSubmit(portal.client)
    record = run_close(portal, account, listeners=(faults,), timeout_ms=4_000)
    assert faults.status_reloads >= 1  # the read-only status check reloaded after the submit
    assert record.result.outcome == "submitted", (record.result.failed_step, record.result.error)
    assert record.result.state == "pending" and any("status page says" in w for w in record.result.warnings)
    assert portal.client.state(account)["submissions"] == 1


class BannerWhileTheMenuIsOpen:
    """The cookie banner appears just after the account menu opened (the site's own banner markup and
    behaviour: its button's click also reaches the page and closes the menu)."""

    BANNER_JS = """() => {
      const box = document.createElement('section');
      box.setAttribute('role', 'dialog');
      box.setAttribute('aria-label', 'We value your privacy');
      box.innerHTML = '<button type="button">Accept all cookies</button>';
      box.addEventListener('click', () => box.remove());
      document.body.appendChild(box);
    }"""

    def __init__(self):
        self.shown = 0
        self.reloads = 0

    def handle(self, event):
        if isinstance(event, ev.StepFinished) and event.step.title == "Account menu" and not self.shown:
            self.shown += 1
            event.page.evaluate(self.BANNER_JS)
        if isinstance(event, ev.Retried) and "pop-up was closed" in event.reason:
            self.reloads += 1


def test_a_pop_up_that_closes_the_open_menu_is_survived_by_redoing_the_page(portals, run_close):
    portal = portals("desktop-lender")
    account = accounts("desktop-lender")["clean2"]
    portal.client.set_popups("never")  # the site's own banner must not race the one this test shows
    banner = BannerWhileTheMenuIsOpen()
    record = run_close(portal, account, listeners=(banner,), timeout_ms=3_000)
    assert banner.shown == 1 and banner.reloads == 1
    assert record.result.outcome == "submitted", (record.result.failed_step, record.result.error)
    assert record.result.overlays_dismissed >= 1
    assert portal.client.state(account)["submissions"] == 1
