"""The words said at the end of a run: outcome, the closure request's record, the deadline, warnings,
the evidence folder, what failed afterwards, where the case stands. Each is a catalogue sentence (key and
parameters) that every front end says in its own language; the deadline is the one the run computed
when the site accepted the request (the same the case, the report and `cases` show), never recomputed.
"""
from __future__ import annotations

from typing import Callable, Optional

from assistant.deadlines import Deadline, calendar_words
from assistant.errors import EnvironmentProblem, EvidenceUnwritable
from assistant.messages import CATALOGUE, Said, describe_error, reason, say


class Sentence(str):
    """Text the engine decided but a front end says: `in_lang(lang)` gives it in the reader's language (the
    calendar's words, an error's description). As plain text it is the English one, like a `Said`; as a
    parameter of a catalogue sentence it is said in that sentence's language."""

    def __new__(cls, render: Callable[[str], str]):
        sentence = super().__new__(cls, render("en"))
        sentence._render = render
        return sentence

    def in_lang(self, lang: str) -> str:
        return self._render(lang)


def in_lang(sentence, lang: str) -> str:
    """A sentence from this module (or any other text) in `lang`."""
    return sentence.in_lang(lang) if hasattr(sentence, "in_lang") else str(sentence)


def calendar_sentence(deadline: Deadline) -> Sentence:
    return Sentence(lambda lang: calendar_words(deadline, lang))


def error_sentence(exc, step_index=None, step_name=None, site: str = "", scrub=None) -> Sentence:
    """A typed error's description; `scrub` (a Redactor's) takes out what the run learned (the site's words
    may quote the account or the code)."""
    scrub = scrub or (lambda text: text)
    return Sentence(lambda lang: scrub(describe_error(exc, lang, step_index, step_name, site=site)))


def reason_sentence(text: str, **params):
    """A reason that is a catalogue key (oserror.ENOSPC) said in the reader's language; other text as it is."""
    return Sentence(lambda lang: reason(text, lang, **params)) if text in CATALOGUE else text


def deadline_sentence(deadline: Deadline) -> Said:
    return say("result.deadline", deadline=deadline.date.isoformat(), days=deadline.working_days,
               calendar=calendar_sentence(deadline))


def submit_sentences(record) -> list[Said]:
    """The one honest line about the closure request, and its technical line."""
    if not record.clicked:
        return []
    words = record.site_words.replace("\n", " ")[:200]
    at = record.answered_at.strftime("%Y-%m-%d %H:%M:%S UTC") if record.answered_at else "-"
    lines = [say("submit.line", state=say(f"submit.{record.state}", status=record.status, at=at, words=words))]
    if record.sent:
        if record.status is not None:
            answer = f"HTTP {record.status}"
        else:
            failure = f" ({record.failure})" if record.failure else ""
            answer = Sentence(lambda lang: in_lang(say("submit.no_answer"), lang) + failure)
        lines.append(say("submit.technical", method=record.method, url=record.url, answer=answer,
                         sent=record.sent_at.strftime("%Y-%m-%d %H:%M:%S UTC")))
    return lines


def outcome_sentences(record, deadline: Optional[Deadline] = None) -> list[Said]:
    r = record.result
    lines = submit_sentences(r.submit)
    deadline = r.deadline or deadline
    if r.outcome == "submitted":
        lines.append(say("result.submitted", app=r.application_number or "-"))
    elif r.outcome == "closed":
        lines.append(say("result.closed"))
    elif r.closed_by == "login_refused":  # status or close: the refused login is the evidence
        lines.append(say("result.closed_login_refused"))
    elif r.outcome in ("already_closed", "dry_run_ok", "already_pending", "prepared"):
        lines.append(say(f"result.{r.outcome}"))
    elif r.outcome == "status_read":
        lines.append(say("result.status_read", state=say(f"state.{r.state}")))
    # A deadline only for a request the site accepted (this run, or one the site already shows).
    accepted = (r.outcome == "submitted" and r.submit.state == "accepted") or r.outcome == "already_pending"
    if deadline is not None and accepted:
        lines.append(deadline_sentence(deadline))
    for warning in r.warnings:  # every warning the manifest keeps is said here too
        lines.append(say("result.warning", text=warning))
    if record.evidence_dir:
        lines.append(say("result.evidence", path=str(record.evidence_dir)))
    if record.final_hash:
        lines.append(say("result.final_hash", hash=record.final_hash))
    return lines


def after_submit_sentences(record) -> list[Said]:
    """What is known of a submit when something after it failed (the site's answer not seen, the disk,
    the case store): said plainly, so that no failure hides that the request was sent."""
    r = record.result
    lines = []
    # That the request was sent, and the site's answer, are the record's own lines (submit_sentences): here
    # only the application number when the run did not end on the result page that shows it.
    if r.submitted and r.outcome not in ("submitted", "closed"):
        if r.application_number:
            lines.append(say("case.application", app=r.application_number))
        if isinstance(r.error, EnvironmentProblem):  # its message is about this computer, not the request
            lines.append(say("after.unconfirmed"))
    if record.evidence_error and not isinstance(r.error, EvidenceUnwritable):  # else the error says it
        lines.append(say("after.evidence_incomplete", detail=reason_sentence(record.evidence_error)))
    if record.case_lost:
        lines.append(say("after.case_lost"))
    elif record.case_error:
        lines.append(say("after.case_journaled", detail=record.case_error, journal=str(record.case_journal or "-")))
    for failure in record.subscriber_errors:  # kept by the executor after the submit instead of stopping it
        lines.append(say("after.listener_failed", detail=failure))
    return lines


def clock_words(offset: Optional[float]) -> Said:
    """The authority's time minus this computer's clock, in words."""
    if offset is None or abs(offset) < 1:
        return say("tsa.clock.same")
    return say("tsa.clock.behind" if offset > 0 else "tsa.clock.ahead", seconds=f"{abs(offset):.1f}")


def utc_words(at) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S UTC") if at is not None else "-"


def attempts_words(attempts: list) -> Sentence:
    said = [say("tsa.attempt", url=a.get("url", ""), why=say(f"tsa.why.{a.get('reason')}", detail=a.get("detail", "")))
            for a in attempts if isinstance(a, dict) and f"tsa.why.{a.get('reason')}" in CATALOGUE]
    return Sentence(lambda lang: ("；" if lang == "zh" else "; ").join(s.in_lang(lang) for s in said) or "-")


def timestamp_sentences(record) -> list:
    """One sentence on the trusted timestamp: made, off (none set), or why not (the run's result stands)."""
    stamp = record.timestamp
    if record.timestamp_error:
        return [say("tsa.error", detail=reason_sentence(record.timestamp_error))]
    if stamp is None:
        return []
    if stamp.state == "off":
        return [say("tsa.off")]
    if stamp.ok:
        return [say("tsa.stamped", authority=stamp.authority, time=utc_words(stamp.time_utc),
                    clock=clock_words(stamp.clock_offset_s))]
    return [say("tsa.failed", reasons=attempts_words(stamp.attempts), path=str(record.evidence_dir or ""))]


def after_run_sentences(record) -> list:
    """What follows the run (`record.finish()`): the trusted timestamp, and the report if it failed."""
    lines = timestamp_sentences(record)
    if record.report_error and record.evidence_dir:
        lines.append(say("evidence.report_failed", detail=reason_sentence(record.report_error),
                         path=str(record.evidence_dir)))
    return lines


def after_deadline_sentences(profile, account: str, case) -> list[Said]:
    """Past the platform's deadline and the account not shown closed: check again (the refused login counts
    where the profile says so)."""
    from assistant.cases import store as c
    if case is None or case.deadline is None or case.state == c.CLOSED or case.today() <= case.deadline:
        return []
    refused = say("status.after_deadline_refused") if profile.login.closed_when_refused else ""
    return [say("status.after_deadline", deadline=case.deadline.isoformat(), site=profile.id, account=account,
                refused=refused)]


def case_sentences(case, show_deadline: bool) -> list[Said]:
    """Where the case stands after a run; with the deadline after a status check."""
    if case is None:
        return []
    lines = [say("case.saved", state=say(f"case.{case.state}"))]
    if case.reason and f"case.{case.reason}" in CATALOGUE:
        lines.append(say(f"case.{case.reason}"))
    if show_deadline and (case.state in ("pending_review", "overdue") or case.holds_request):
        if case.application_number:
            lines.append(say("case.application", app=case.application_number))
        info = case.deadline_info
        if info is not None and case.submitted_at:
            deadline = say("case.deadline", submitted=info.submitted_on.isoformat(), deadline=info.date.isoformat(),
                           days=info.working_days)
            lines.append(Sentence(lambda lang: deadline.in_lang(lang) + " " + calendar_words(info, lang)))
    return lines
