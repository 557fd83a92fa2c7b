"""The request the person's final click sent: its method, URL, the site's status and the times.

The person arms "my next click is the final submit" on the toolbar; from their next press on, every
request the browser makes is looked at (never changed: no route, nothing blocked, nothing sent). The
closure request is the first one that changes something (any method but GET/HEAD/OPTIONS, pings
aside); a click that only loads a page (a form sent by GET) is recorded as that page's request. The
watch ends at the person's next action after the submit, so a later click is never taken for it.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from assistant.driving.submit import ANSWERED, SENT_NO_ANSWER, SubmitRecord

READ_ONLY = ("GET", "HEAD", "OPTIONS")
NOT_THE_REQUEST = ("ping", "beacon", "eventsource", "websocket", "manifest")  # resource types sent on their own
MAX_SEEN = 20


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class SubmitWatch:
    """Attach once (`install`); `start(at)` at the final press, `stop()` at the person's next action."""

    def __init__(self):
        self.record = SubmitRecord()
        self.watching = False
        self.pressed_at: Optional[dt.datetime] = None
        self.request = None        # the closure request, once seen
        self.tentative = None      # a page load the click caused, until a request that changes something shows
        self.tentative_at: Optional[dt.datetime] = None
        self.tentative_answer: Optional[tuple] = None   # (status, when) of that page load
        self.seen: list[dict] = []  # every request after the press (method, URL), for the evidence

    def install(self, context) -> None:
        context.on("request", self._on_request)
        context.on("response", self._on_response)
        context.on("requestfailed", self._on_failed)

    def start(self, at: dt.datetime) -> None:
        if self.pressed_at is None:
            self.pressed_at = at
            self.record.clicked = True
        self.watching = True

    def stop(self) -> None:
        self.watching = False
        if self.request is None and self.tentative is not None:
            self._choose(self.tentative, self.tentative_at)

    @property
    def sent(self) -> bool:
        return self.record.sent

    def _choose(self, request, at: dt.datetime) -> None:
        self.request = request
        self.record.method, self.record.url, self.record.sent_at = request.method, request.url, at
        self.record.state = SENT_NO_ANSWER
        if request is self.tentative and self.tentative_answer is not None:
            self.record.status, self.record.answered_at = self.tentative_answer
            self.record.state = ANSWERED

    def _on_request(self, request) -> None:
        if not self.watching or self.request is not None:
            return
        at = _now()
        try:
            kind = request.resource_type
        except Exception:  # noqa: BLE001 - a request whose frame is gone: its type does not matter
            kind = ""
        if len(self.seen) < MAX_SEEN:
            self.seen.append({"method": request.method, "url": request.url, "type": kind})
        if kind in NOT_THE_REQUEST:
            return
        if request.method.upper() not in READ_ONLY:
            self._choose(request, at)
        elif self.tentative is None and request.is_navigation_request():
            self.tentative, self.tentative_at = request, at

    def _on_response(self, response) -> None:
        request = response.request
        if request is self.request:
            self.record.status, self.record.answered_at = response.status, _now()
            self.record.state = ANSWERED
        elif request is self.tentative:
            # Kept until the watch ends: this page load becomes the request only if nothing else does.
            self.tentative_answer = (response.status, _now())

    def _on_failed(self, request) -> None:
        if request is self.request and self.record.status is None:
            self.record.failure = request.failure or "failed"
