"""The irreversible request: a guard at the network layer, and one honest record of what became of it.

The guard is a Playwright route on the browser context that matches only the profile's
`submit.request_url`, so every other request goes straight through. Every request to that endpoint
is aborted unless the submit step armed the guard after the user's yes; the first one after that
goes out and disarms it. Anything else that reaches the endpoint (an ordinary click on the final
button, a code confirm that is really the final button, a page script, a double click) is stopped
before it leaves and recorded with the step that was running.

The record says what the run knows, no more: not sent / sent, no answer / answered HTTP n at t /
accepted by the site (what it showed) / rejected by the site (what it said). Terminal, manifest,
report and case all read this one record.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Callable, Optional

NOT_SENT = "not_sent"
SENT_NO_ANSWER = "sent_no_answer"
ANSWERED = "answered"
ACCEPTED = "accepted"
REJECTED = "rejected"
STATES = (NOT_SENT, SENT_NO_ANSWER, ANSWERED, ACCEPTED, REJECTED)

def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _stamp(at: Optional[dt.datetime]) -> Optional[str]:
    return at.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z") if at else None


@dataclass
class SubmitRecord:
    """What became of the irreversible request, as far as this run can tell."""

    state: str = NOT_SENT
    method: Optional[str] = None
    url: Optional[str] = None
    sent_at: Optional[dt.datetime] = None       # when the request left (seen by the route)
    status: Optional[int] = None                # the HTTP status of the answer
    answered_at: Optional[dt.datetime] = None
    failure: Optional[str] = None               # the browser's reason when the request failed (no answer)
    site_words: str = ""                        # what the site showed (accepted) or said (rejected, error)
    confirmed_by: Optional[str] = None          # result_page | status_page
    cause: Optional[str] = None                 # why not accepted: server_error, session_expired, wrong_code, ...
    clicked: bool = False                       # the submit step clicked (after the yes)
    blocked: list = field(default_factory=list)  # requests to the endpoint that were stopped

    @property
    def sent(self) -> bool:
        return self.sent_at is not None

    def as_dict(self) -> dict:
        return {"state": self.state, "method": self.method, "url": self.url, "sent_at": _stamp(self.sent_at),
                "status": self.status, "answered_at": _stamp(self.answered_at), "failure": self.failure,
                "site_words": self.site_words, "confirmed_by": self.confirmed_by, "cause": self.cause,
                "clicked": self.clicked, "blocked": list(self.blocked)}

    def settle(self, state: str, words: str = "", *, by: Optional[str] = None, cause: Optional[str] = None) -> None:
        """The site's verdict (accepted / rejected), or, without one, what the network saw."""
        self.state = state
        if words:
            self.site_words = words
        self.confirmed_by = by or self.confirmed_by
        self.cause = cause or self.cause

    def network_state(self) -> str:
        if not self.sent:
            return NOT_SENT
        return ANSWERED if self.status is not None else SENT_NO_ANSWER


class SubmitGuard:
    """Lets exactly one request to the submit endpoint out, and only after `arm()`."""

    def __init__(self, request_url: str, running_step: Callable[[], str], on_blocked: Callable[[dict], None]):
        self.pattern = re.compile(request_url)
        self.running_step = running_step
        self.on_blocked = on_blocked
        self.record = SubmitRecord()
        self.armed = False
        self.request = None          # the one request that went out
        self.violation: Optional[dict] = None   # the first request stopped before the submit step

    def install(self, context) -> None:
        context.route(self.pattern, self._route)
        context.on("response", self._on_response)
        context.on("requestfailed", self._on_failed)

    def arm(self) -> None:
        self.armed = True
        self.record.clicked = True

    def _route(self, route) -> None:
        request = route.request
        if self.armed and self.request is None:
            self.armed = False
            self.request = request
            self.record.method, self.record.url, self.record.sent_at = request.method, request.url, _now()
            self.record.state = SENT_NO_ANSWER
            route.fallback()  # on to the origin rules, then the network
            return
        blocked = {"step": self.running_step(), "method": request.method, "url": request.url,
                   "at": _stamp(_now()), "after_submit": self.request is not None}
        self.record.blocked.append(blocked)
        if self.violation is None and self.request is None:
            self.violation = blocked
        route.abort("blockedbyclient")
        self.on_blocked(blocked)

    def _on_response(self, response) -> None:
        if self.request is not None and response.request is self.request:
            self.record.status, self.record.answered_at = response.status, _now()
            if self.record.state == SENT_NO_ANSWER:
                self.record.state = ANSWERED

    def _on_failed(self, request) -> None:
        # ERR_ABORTED: the run left the page after waiting for the answer; that says nothing about the site.
        if self.request is not None and request is self.request and self.record.status is None \
                and "ERR_ABORTED" not in (request.failure or ""):
            self.record.failure = request.failure or "failed"
