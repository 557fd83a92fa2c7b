"""One account, one spelling: what a borrower types (spaces, +86, dashes, upper-case domains) can never
become a second case, a second lock, a second keyring entry or a second closure request."""
from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from assistant import accounts
from assistant.accounts import BadAccount
from assistant.cases import store as c
from assistant.cases.store import CaseStore
from assistant.profiles.registry import load_site
from tests.test_cli import READ_CODE, cli


@pytest.mark.parametrize("typed", ["13800000001", "13800000001 ", " 138 0000 0001", "+86 138-0000-0001",
                                   "0086 13800000001", "8613800000001", "(+86) 138.0000.0001",
                                   "＋８６ １３８０００００００１"])
def test_every_spelling_of_a_mainland_phone_is_one_account(typed):
    assert accounts.normalise(typed, "phone") == "13800000001"


def test_other_countries_keep_their_plus_and_never_meet_a_domestic_number():
    assert accounts.normalise("+1 (415) 555-0100", "phone") == "+14155550100"
    assert accounts.normalise("001 415 555 0100", "phone") == "+14155550100"
    assert accounts.normalise("010-12345678", "phone") == "01012345678"  # a landline, no prefix to drop


@pytest.mark.parametrize("typed", ["138 0000 000a", "me@example.com", "+", "--"])
def test_a_phone_site_refuses_what_is_not_a_phone_number(typed):
    with pytest.raises(BadAccount) as caught:
        accounts.normalise(typed, "phone")
    assert caught.value.exit_status == 2


def test_email_domain_is_folded_and_the_local_part_only_when_the_site_says_so():
    assert accounts.normalise(" Alice.Morgan@Example.COM ", "email") == "Alice.Morgan@example.com"
    assert accounts.normalise("Alice.Morgan@Example.COM", "email", case_insensitive=True) == "alice.morgan@example.com"
    with pytest.raises(BadAccount):
        accounts.normalise("alice at example.com", "email")


def test_usernames_and_id_numbers():
    assert accounts.normalise("  zhang_san\u3000", "username") == "zhang_san"
    assert accounts.normalise("11010119900101123x", "id_number") == "11010119900101123X"
    assert accounts.normalise("6222 0000 1111 2222", "bank_card") == "6222000011112222"


def test_profiles_carry_the_kind_and_the_case_flag():
    assert load_site("demo-lender").account("+86 138-0000-0001") == "13800000001"
    assert load_site("desktop-lender").account(" Alice.Morgan@Example.com") == "alice.morgan@example.com"


# ---------------------------------------------------------------- stores written before normalisation

def _v1_store(path, rows):
    """A case store as version 1 left it: one case per raw spelling, each with its run (and the states of then)."""
    db = sqlite3.connect(path)
    c._v1(db)
    db.execute("PRAGMA user_version = 1")
    for i, (site, account, state, number, updated) in enumerate(rows, start=1):
        db.execute("INSERT INTO cases (id, site, account, state, application_number, review_working_days, "
                   "created_at, updated_at, submitted_at) VALUES (?, ?, ?, ?, ?, 15, ?, ?, ?)",
                   (i, site, account, state, number, f"2026-11-0{i}T00:00:00+00:00", updated,
                    updated if state == "pending" else None))
        db.execute("INSERT INTO runs (case_id, run_id, flow, started_at) VALUES (?, ?, 'close', ?)",
                   (i, f"run{i}", updated))
    db.commit()
    db.close()


def test_migration_merges_the_cases_of_one_account_kept_under_several_spellings(tmp_path):
    path = tmp_path / "cases.sqlite3"
    _v1_store(path, [
        ("demo-lender", "13800000001", "not_started", None, "2026-11-20T00:00:00+00:00"),
        ("demo-lender", "13800000001 ", "pending", "ZX20261120000001", "2026-11-21T00:00:00+00:00"),
        ("demo-lender", "+86 138-0000-0001", "failed", None, "2026-11-22T00:00:00+00:00"),
        ("desktop-lender", "Alice@Example.com", "not_started", None, "2026-11-20T00:00:00+00:00"),
        ("desktop-lender", "bob_the_user", "blocked", None, "2026-11-20T00:00:00+00:00"),
    ])
    with CaseStore(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(c.MIGRATIONS)
        cases = {(x.site, x.account): x for x in store.all_cases()}
        assert set(cases) == {("demo-lender", "13800000001"), ("desktop-lender", "Alice@example.com"),
                              ("desktop-lender", "bob_the_user")}
        merged = cases[("demo-lender", "13800000001")]
        # the case furthest along wins: pending, with its application number, owning every run
        assert (merged.state, merged.application_number) == (c.PENDING_REVIEW, "ZX20261120000001")
        assert sorted(r.run_id for r in store.runs(merged.id)) == ["run1", "run2", "run3"]
        assert merged.created_at == dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)

        # the profile's own rules finish the job: this site ignores the case of the local part
        assert store.adopt_spellings("desktop-lender", load_site("desktop-lender").account) == 0
        assert store.case("desktop-lender", "alice@example.com") is not None


def test_cases_under_two_case_spellings_fall_together_with_the_profiles_rule(tmp_path):
    with CaseStore(tmp_path / "cases.sqlite3") as store:
        store.ensure_case("desktop-lender", "Alice@example.com")
        pending = store.ensure_case("desktop-lender", "alice@example.com")
        store.set_state(pending.id, c.PENDING_REVIEW)
        assert store.adopt_spellings("desktop-lender", load_site("desktop-lender").account) == 1
        [case] = store.all_cases()
        assert (case.account, case.state) == ("alice@example.com", c.PENDING_REVIEW)


# ---------------------------------------------------------------- the real command line

def test_two_spellings_of_one_phone_make_one_case_and_one_submission(demo_portal, tmp_path):
    account = demo_portal.info.accounts["clean"]
    password = demo_portal.info.passwords[account]
    db = tmp_path / "cases.sqlite3"

    def close(spelling):
        return cli("close", "demo-lender", "--account", spelling, "--base-url", demo_portal.base_url, "--yes",
                   "--password-stdin", "--code-command", READ_CODE, "--db", str(db),
                   "--evidence-dir", str(tmp_path / "evidence"), "--lang", "en", stdin=password + "\n")
    first = close(account)
    assert first.returncode == 0, first.stderr
    for spelling in (account + " ", "+86 138-0000-0001"):
        again = close(spelling)
        assert again.returncode == 0, again.stderr
        assert "nothing was submitted again" in again.stdout  # the same case: its status was read instead
    assert demo_portal.client.state(account)["submissions"] == 1
    with CaseStore(db) as store:
        [case] = store.all_cases()
    assert (case.account, case.state) == (account, c.PENDING_REVIEW)


def test_a_password_saved_under_another_spelling_is_still_found(demo_portal, tmp_path):
    from assistant import credentials
    account = demo_portal.info.accounts["clean2"]
    credentials.set_password("demo-lender", "138 0000 0003", demo_portal.info.passwords[account])
    try:
        proc = cli("close", "demo-lender", "--account", "+86 13800000003", "--base-url", demo_portal.base_url,
                   "--dry-run", "--code-command", READ_CODE, "--db", str(tmp_path / "cases.sqlite3"),
                   "--evidence-dir", str(tmp_path / "evidence"), "--lang", "en")
    finally:
        credentials.delete_password("demo-lender", "138 0000 0003")
    assert proc.returncode == 0, proc.stderr
    assert "Dry run finished" in proc.stdout


def test_a_phone_site_refuses_an_account_that_is_no_phone_number_before_any_browser(tmp_path):
    proc = cli("close", "demo-lender", "--account", "me@example.com", "--db", str(tmp_path / "cases.sqlite3"),
               "--evidence-dir", str(tmp_path / "evidence"), "--lang", "en")
    assert proc.returncode == 2, proc.stderr
    assert "not a phone number" in proc.stderr
    assert not (tmp_path / "evidence").exists()
