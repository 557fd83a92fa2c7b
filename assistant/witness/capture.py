"""Looking at a page without touching it: when it has settled, what to black out, what it says.

A page has settled when it has loaded and its DOM has been quiet for a moment (explicit conditions,
no fixed sleep); a page that never goes quiet (a countdown, a carousel) is taken at the bound. What is
blacked out: password fields, one-time-code and other code-like inputs, the fields where the person
typed their account or personal data, and whatever they hid from the toolbar.
"""
from __future__ import annotations

import re
from typing import Optional
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

QUIET_MS = 300          # the DOM unchanged this long: the page has settled
QUIET_BOUND_MS = 3_000  # a page that keeps changing (a countdown) is taken after this long
LOAD_BOUND_MS = 15_000  # a page still loading after this long is taken as it is (and the step says so)
ATTEMPTS = 3            # a navigation that replaces the document while we wait: wait on the new one

# Resolves once no node of the document changed for `quiet` ms (our own toolbar's host aside), or at `bound`.
QUIET_JS = """([quiet, bound, hostTag]) => new Promise((resolve) => {
  let timer = null;
  const done = (how) => { observer.disconnect(); clearTimeout(timer); clearTimeout(cap); resolve(how); };
  const observer = new MutationObserver((records) => {
    if (records.every((r) => r.target.nodeName === hostTag.toUpperCase())) return;
    clearTimeout(timer);
    timer = setTimeout(() => done('quiet'), quiet);
  });
  observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  timer = setTimeout(() => done('quiet'), quiet);
  const cap = setTimeout(() => done('bound'), bound);
})"""

TEXT_JS = "() => document.body ? document.body.innerText : ''"
HEADING_JS = """() => { const h = document.querySelector('h1, h2, [role=heading]');
  return h ? h.innerText.trim().slice(0, 200) : ''; }"""

# Inputs whose value is a secret or a code, by what they say about themselves.
SECRET_FIELDS = ", ".join([
    "input[type=password]", "input[autocomplete~='one-time-code']", "input[autocomplete~='current-password']",
    "input[autocomplete~='new-password']", "input[name*='code' i]", "input[id*='code' i]",
    "input[placeholder*='验证码']", "input[placeholder*='校验码']", "input[placeholder*='动态码']",
    "input[placeholder*='code' i]", "input[aria-label*='验证码']", "input[aria-label*='code' i]",
    "input[maxlength='1'][inputmode='numeric']",
])
CODE_LABELS = re.compile(r"验证码|校验码|动态码|动态密码|one-time|verification code|security code|otp", re.I)


def settle(page, frame=None) -> str:
    """Waits for `frame` (else the page's main frame) to load and go quiet. Returns "" when it did, else
    why not ("loading": still loading at the bound; "closed": the page went away)."""
    target = frame if frame is not None and not frame.is_detached() else page.main_frame
    for _attempt in range(ATTEMPTS):
        if page.is_closed():
            return "closed"
        try:
            target.wait_for_load_state("load", timeout=LOAD_BOUND_MS)
            target.evaluate(QUIET_JS, [QUIET_MS, QUIET_BOUND_MS, "closure-assistant-witness"])
            return ""
        except PlaywrightTimeout:
            return "loading"
        except PlaywrightError:
            # The document was replaced while we waited (a click that navigates): wait on the new one.
            if target is not page.main_frame and target.is_detached():
                target = page.main_frame
            continue
    return "" if not page.is_closed() else "closed"


def address(url: str) -> str:
    """A page's address without its fragment: what a hidden element's selector is bound to."""
    return urlsplit(url or "")._replace(fragment="").geturl()


def masks(page, hidden: list, typed_fields: list) -> list:
    """Locators to black out on `page`: secret and code fields in every frame, the fields where the
    person typed their account or personal data (`typed_fields`: (frame, css)), and what they hid
    (`hidden`: (page, address, css): on that page at that address only)."""
    if page is None or page.is_closed():
        return []
    found = []
    for frame in page.frames:
        found.append(frame.locator(SECRET_FIELDS))
        found.append(frame.get_by_label(CODE_LABELS))
    for frame, css in typed_fields:
        if frame is not None and not frame.is_detached() and frame.page is page:
            found.append(frame.locator(css))
    here = address(page.url)
    for owner, where, css in hidden:
        if owner is page and where == here:
            found.append(page.locator(css))
    return found


def page_text(page) -> str:
    """Every word the page shows, its frames' included (the person marked it, or it is the last page)."""
    texts = []
    for frame in ([] if page is None or page.is_closed() else page.frames):
        try:
            text = frame.evaluate(TEXT_JS)
        except PlaywrightError:
            continue  # a frame that went away meanwhile
        if text and text.strip():
            texts.append(text.strip())
    return "\n\n".join(texts)


def heading(frame) -> str:
    try:
        return frame.evaluate(HEADING_JS) if frame is not None and not frame.is_detached() else ""
    except PlaywrightError:
        return ""


def frame_text(frame) -> Optional[str]:
    try:
        return frame.evaluate(TEXT_JS) if frame is not None and not frame.is_detached() else None
    except PlaywrightError:
        return None
