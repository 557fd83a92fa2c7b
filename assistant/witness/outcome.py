"""How the walk ended, in the person's words, and the run's record that says so.

Only the person knows how it ended (the tool clicked nothing): submitted and now under review, closed
at once, refused by the site (and why), or given up. The record they get is the one a `close` run
makes (assistant/driving/executor.RunResult), so the summary, the manifest, the report and the case
read it the same way; the request itself is what the browser saw the final click send.
"""
from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional

from assistant.deadlines import review_deadline
from assistant.driving.executor import RunResult
from assistant.driving.submit import ACCEPTED, REJECTED, SubmitRecord
from assistant.errors import BlockedBySite

OUTCOMES = ("pending", "closed", "refused", "gave_up")


@dataclass
class Verdict:
    outcome: str                            # pending | closed | refused | gave_up
    application_number: Optional[str] = None
    reason: str = ""                        # refused: what the site said; gave_up: why, if they said


# Words that label an application number on the page (the line they are on is offered first).
NUMBER_LABELS = re.compile(r"编号|单号|受理号|流水号|reference|application|ticket|case|request (?:id|no)", re.I)
TOKEN = re.compile(r"(?<![A-Za-z0-9*])([A-Za-z]{0,6}-?\d[0-9A-Za-z]*(?:-[0-9A-Za-z]+)*)(?![A-Za-z0-9*])")
DATE_OR_TIME = re.compile(r"\d{4}-\d{1,2}-\d{1,2}(?:-.*)?|\d{8}")


def numbers_on(text: str, limit: int = 5) -> list[str]:
    """What on the page may be the application number: tokens of six digits or more, those on a line
    that names a number (申请编号, reference) first. Dates and masked phone numbers are left out."""
    labelled, others = [], []
    for line in (text or "").splitlines():
        for match in TOKEN.finditer(line):
            token = match.group(1)
            if sum(ch.isdigit() for ch in token) < 6 or len(token) > 40 or DATE_OR_TIME.fullmatch(token):
                continue
            (labelled if NUMBER_LABELS.search(line) else others).append(token)
    return list(dict.fromkeys(labelled + others))[:limit]


def default_outcome(submit: SubmitRecord) -> str:
    """What Enter means at the question: submitted, when the final click sent a request the site answered
    without an error; otherwise nothing is assumed (given up)."""
    if submit.sent and submit.status is not None and submit.status < 400:
        return "pending"
    return "gave_up"


def run_result(run_id: str, site, account_masked: str, verdict: Verdict, submit: SubmitRecord, *,
               finished_at: dt.datetime, result_words: str = "") -> RunResult:
    """The run's record for a walk that ended with an outcome (not for one given up: that stays partial)."""
    record = copy.deepcopy(submit)
    result = RunResult(run_id=run_id, site=site.id, account_masked=account_masked, flow="witness", submit=record)
    if verdict.application_number:
        result.captures["application_number"] = verdict.application_number
    if verdict.outcome == "refused":
        result.outcome, result.state = "blocked", "rejected"
        result.error = BlockedBySite(verdict.reason or "-", reason="refused_by_site")
        if record.sent:
            record.settle(REJECTED, verdict.reason, by="person")
        return result
    result.outcome, result.state = ("closed", "closed") if verdict.outcome == "closed" else ("submitted", "pending")
    if record.sent:
        record.settle(ACCEPTED, result_words, by="person")
    if verdict.outcome == "pending":
        # The one deadline: from when the request left (else from when the person finished), at the site's calendar.
        result.deadline = review_deadline(record.sent_at or finished_at, site.closure.review_working_days,
                                          timezone=site.device.timezone, locale=site.device.locale)
    return result
