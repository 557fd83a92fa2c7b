"""locators.resolve in a real Chromium: the first choice wins, a fallback is drift, several visible
matches stop the run unless the candidate says `first`, and a hidden twin does not count."""
from __future__ import annotations

import pytest

from assistant.driving import locators
from assistant.errors import SiteChanged
from assistant.profiles.model import Candidate, Locator

PAGE = """<!doctype html><meta charset=utf-8>
<button>下一步</button><button>下一步</button>
<button>确认</button><button style="display:none">确认</button>
<a href="#">注销账号</a>
<script>setTimeout(() => document.body.insertAdjacentHTML('beforeend', '<p id=late>稍后出现</p>'), 150)</script>"""


def _loc(*cands: Candidate) -> Locator:
    return Locator(tuple(cands))


@pytest.fixture
def page_with_twins(page):
    page.set_content(PAGE)
    return page


@pytest.mark.parametrize("fallbacks", [0, 1], ids=["one candidate", "with a fallback"])
def test_two_visible_matches_stop_with_ambiguous(page_with_twins, fallbacks):
    cands = [Candidate("role", "button", name="下一步", exact=True)] + [Candidate("css", "#nothing")] * fallbacks
    with pytest.raises(SiteChanged) as err:
        locators.resolve(page_with_twins, _loc(*cands), 2_000)
    assert err.value.params["reason"] == "ambiguous" and "2 elements match" in err.value.detail


def test_first_takes_the_first_of_several(page_with_twins):
    found = locators.resolve(page_with_twins, _loc(Candidate("role", "button", name="下一步", exact=True,
                                                             first=True)), 2_000)
    assert found.element.inner_text() == "下一步" and not found.drifted


def test_a_hidden_twin_does_not_count(page_with_twins):
    found = locators.resolve(page_with_twins, _loc(Candidate("text", "确认", exact=True)), 2_000)
    found.element.click()  # exactly one element: no strict-mode error
    assert found.index == 0


def test_a_fallback_match_is_drift_and_late_content_is_waited_for(page_with_twins):
    found = locators.resolve(page_with_twins, _loc(Candidate("css", "#gone"), Candidate("css", "#late")), 3_000)
    assert found.drifted and found.index == 1 and found.element.inner_text() == "稍后出现"


def test_nothing_found_names_the_locator(page_with_twins):
    with pytest.raises(SiteChanged) as err:
        locators.resolve(page_with_twins, _loc(Candidate("text", "不存在的按钮")), 300)
    assert err.value.params["reason"] == "not_found" and "不存在的按钮" in err.value.detail
