"""The switches Chromium is started with: ours added to Playwright's, never in place of them.

Chromium keeps only the last --disable-features it is given. The assistant turns one feature off
(RenderDocument, for cheaper navigations), so its switch must also carry every feature Playwright turns
off, or those would silently come back on.
"""
from __future__ import annotations

import os

from playwright.sync_api import sync_playwright

from assistant.driving import browser as b
from tests.helpers.processes import command_line, descendants


def _switch_values(args, name="--disable-features="):
    return [a[len(name):].split(",") for a in args if a.startswith(name)]


def test_one_disable_features_switch_carries_playwrights_list_and_ours():
    theirs = b.playwright_disabled_features()
    assert theirs, "the installed Playwright's disabled features could not be read: update the reader"
    assert "PaintHolding" in theirs and "HttpsUpgrades" in theirs  # two Playwright has long turned off
    values = _switch_values(b.launch_args())
    assert len(values) == 1
    assert set(theirs) | set(b.EXTRA_DISABLED_FEATURES) == set(values[0])


def test_an_unreadable_playwright_list_leaves_playwrights_switch_alone(monkeypatch):
    monkeypatch.setattr(b, "playwright_disabled_features", lambda: None)
    assert _switch_values(b.launch_args()) == []


def test_the_launched_browser_applies_both_lists():
    """Read back from the running browser's own command line: the switch it obeys (the last) has both."""
    with sync_playwright() as pw:
        browser, _choice = b.launch(pw)
        try:
            lines = [command_line(pid).split() for pid in descendants(os.getpid())]
            main = [line for line in lines if any(a.startswith("--remote-debugging-pipe") for a in line)]
            assert main, "the browser process was not found"
            obeyed = _switch_values(main[0])[-1]
            assert set(b.playwright_disabled_features()) <= set(obeyed)
            assert "RenderDocument" in obeyed
        finally:
            browser.close()
