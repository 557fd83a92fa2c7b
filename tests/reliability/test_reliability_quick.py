"""The CI share of the fault-injection suite: every scenario once, the same table, hard zeros."""
from __future__ import annotations

from tests.reliability.suite import Tally, format_table, run_suite


def test_faults_never_double_submit_leak_or_fail_unclearly(browser, tmp_path):
    # One run of each scenario, each on the next bundled portal (errors: demo, expiry: desktop, redesign:
    # wallet, kill: demo); the long runs (--full, docs/reliability.md) repeat them across all three.
    rows = run_suite({"errors": 1, "expiry": 1, "kill": 1, "redesign": 1}, browser, tmp_path, seed=3,
                     progress=lambda s: None)
    print("\n" + format_table(rows))
    total = Tally()
    for tally in rows.values():
        total.add(tally)
    assert total.attempted == 4
    assert total.double_submissions == 0, total.notes
    assert total.secrets_leaked == 0, total.notes
    assert total.unclear_failures == 0, total.notes
    assert rows["redesign variant (old profile)"].stopped_cleanly == 1
    assert rows["300 ms latency + 10% server errors"].closed >= 1
    assert rows["killed at a random moment, then resumed"].closed >= 1
