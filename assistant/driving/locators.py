"""Turns profile locators into Playwright locators and resolves ordered fallbacks.

A match other than the first candidate is drift; several visible matches stop the run unless the
candidate says `first`. Nothing here guesses a "similar" element: on a closure a clear stop beats a
wrong click.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from assistant.errors import SiteChanged, TransientSiteError
from assistant.messages import say
from assistant.profiles.model import Candidate, Locator

POLL_MS = 100  # only used when fallbacks live in different frames and cannot be awaited as one
SLICE_MS = 500  # with an abort check: how often a wait looks whether the site has failed meanwhile


def _slices(timeout_ms: int, abort):
    """Wait budgets: one whole wait, or slices between which `abort()` is asked (server errors seen)."""
    deadline = time.monotonic() + timeout_ms / 1000
    first = True
    while True:
        remaining = int((deadline - time.monotonic()) * 1000)
        if remaining <= 0 and not first:
            return
        if not first and abort is not None and abort():
            raise TransientSiteError(say("site.errors_while_loading"),
                                     reason="transient")
        first = False
        yield max(1, min(remaining, SLICE_MS) if abort is not None else remaining)


@dataclass
class Resolved:
    element: object      # Playwright Locator for exactly one element
    index: int           # which candidate matched (0 = the first choice)
    candidate: Candidate

    @property
    def drifted(self) -> bool:
        return self.index > 0


def _root(page, cand: Candidate):
    root = page.frame_locator(cand.frame) if cand.frame else page
    if cand.within is not None:
        root = union(root, cand.within)  # the region is looked for inside the frame, when there is one
    return root


def build(page, cand: Candidate):
    root = _root(page, cand)
    if cand.kind == "role":
        loc = root.get_by_role(cand.value, name=cand.name, exact=cand.exact) if cand.name else \
            root.get_by_role(cand.value)
    elif cand.kind == "text":
        loc = root.get_by_text(cand.value, exact=cand.exact)
    elif cand.kind == "text_re":
        loc = root.get_by_text(re.compile(cand.value))
    elif cand.kind == "label":
        loc = root.get_by_label(cand.value, exact=cand.exact)
    elif cand.kind == "placeholder":
        loc = root.get_by_placeholder(cand.value, exact=cand.exact)
    elif cand.kind == "title":
        loc = root.get_by_title(cand.value, exact=cand.exact)
    elif cand.kind == "alt":
        loc = root.get_by_alt_text(cand.value, exact=cand.exact)
    else:
        loc = root.locator(cand.value)
    if cand.has_text:
        loc = loc.filter(has_text=cand.has_text)
    return loc.filter(visible=True)


def union(page, locator: Locator):
    locs = [build(page, c) for c in locator.candidates]
    combined = locs[0]
    for loc in locs[1:]:
        combined = combined.or_(loc)
    return combined


def is_visible_now(page, locator: Locator) -> bool:
    try:
        return any(build(page, c).count() > 0 for c in locator.candidates)
    except PlaywrightError:
        return False


def _pick(page, locator: Locator) -> Resolved | None:
    for i, cand in enumerate(locator.candidates):
        loc = build(page, cand)
        n = loc.count()
        if n == 0:
            continue
        if n > 1 and not cand.first:
            raise _ambiguous(n, cand)
        return Resolved(loc.first, i, cand)
    return None


def _page_gone(page, exc: Exception) -> bool:
    """The page crashed or its browser went away: looking again would only spin until the timeout."""
    if "crash" in str(exc).lower():
        return True
    try:
        browser = page.context.browser  # None for a persistent context
        return page.is_closed() or (browser is not None and not browser.is_connected())
    except Exception:  # noqa: BLE001 - a dead driver cannot answer
        return True


def _ambiguous(n: int, cand: Candidate) -> SiteChanged:
    return SiteChanged(say("changed.ambiguous", n=n, locator=cand.describe()),
                       reason="ambiguous", locator=cand.describe())


def _wait_single(page, cand: Candidate, budget_ms: int) -> Resolved | None:
    """One candidate: one round trip. Playwright's strict mode reports several matches for us."""
    loc = build(page, cand)
    try:
        (loc.first if cand.first else loc).wait_for(state="visible", timeout=budget_ms)
    except PlaywrightTimeout:
        return None
    except PlaywrightError as exc:
        if "strict mode violation" not in str(exc):
            if "Target" in str(exc) and not _page_gone(page, exc):  # navigating: look again on the next page
                return None
            raise
        n = loc.count()
        if n > 1:
            raise _ambiguous(n, cand) from None
        return None  # one of them went away meanwhile: look again
    return Resolved(loc.first, 0, cand)


def resolve(page, locator: Locator, timeout_ms: int, abort=None) -> Resolved:
    """Wait until any candidate is visible, then take the first candidate (in profile order) that is.

    `abort`: asked between wait slices; True (the site failed meanwhile) ends the wait early.
    """
    same_frame = len({c.frame for c in locator.candidates}) == 1
    single = locator.candidates[0] if len(locator.candidates) == 1 else None
    for budget in _slices(timeout_ms, abort):
        if single is not None:
            found = _wait_single(page, single, budget)
            if found is not None:
                return found
            continue
        try:
            if same_frame:
                union(page, locator).first.wait_for(state="visible", timeout=budget)
            found = _pick(page, locator)
        except PlaywrightTimeout:
            found = None
        except PlaywrightError as exc:
            if "strict mode" in str(exc) or ("Target" in str(exc) and not _page_gone(page, exc)):
                found = None
            else:
                raise
        if found is not None:
            return found
        if not same_frame:
            page.wait_for_timeout(POLL_MS)
    raise SiteChanged(say("changed.not_found", ms=timeout_ms, locator=locator.describe()),
                      reason="not_found", locator=locator.describe())


def first_visible(page, named: dict[str, Locator], timeout_ms: int, abort=None) -> tuple[str, Resolved]:
    """Wait until one of several named locators shows; return its name. Used for outcome recognition."""
    combined = None
    for loc in named.values():
        u = union(page, loc)
        combined = u if combined is None else combined.or_(u)
    for budget in _slices(timeout_ms, abort):
        try:
            combined.first.wait_for(state="visible", timeout=budget)
        except PlaywrightTimeout:
            continue
        for name, loc in named.items():
            for i, cand in enumerate(loc.candidates):
                el = build(page, cand)
                if el.count() > 0:
                    return name, Resolved(el.first, i, cand)
        # It vanished between the wait and the look: look again within what is left of the time.
    wanted = "; ".join(f"{k}: {v.describe()}" for k, v in named.items())
    raise SiteChanged(say("changed.none_appeared", ms=timeout_ms, wanted=wanted),
                      reason="not_found", locator=wanted)
