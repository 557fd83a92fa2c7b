"""Shows the run to the person: step i of N, pop-ups dismissed, drift warnings. Secrets scrubbed."""
from __future__ import annotations

import sys

from assistant.driving import events as ev
from assistant.messages import t
from assistant.redaction import Redactor


class ProgressPrinter(ev.Listener):
    def __init__(self, lang: str, redactor: Redactor, stream=None):
        self.lang = lang
        self.redactor = redactor
        self.stream = stream or sys.stderr
        self.last_retry = None  # (step, reason): a retry's warning that only repeats it is not said twice

    def say(self, text: str) -> None:
        print(self.redactor.scrub(text), file=self.stream, flush=True)

    def handle(self, event: ev.Event) -> None:
        lang = self.lang
        if isinstance(event, ev.StepStarted):
            self.say(t("progress.step", lang, i=event.index, n=event.total, name=event.step.title))
        elif isinstance(event, ev.StepFinished) and event.status == "skipped":
            self.say(t("progress.skipped", lang, note=event.note))
        elif isinstance(event, ev.StepFinished) and event.status == "warning":
            if self.last_retry != (id(event.step), str(event.note)):  # e.g. a wrong code: said once, as the retry
                self.say(t("progress.warning", lang, note=event.note))
        elif isinstance(event, ev.Drift):
            self.say(t("progress.drift", lang, k=event.candidate_index + 1, candidate=event.candidate))
        elif isinstance(event, ev.OverlayDismissed):
            self.say(t("progress.overlay", lang, name=event.name))
        elif isinstance(event, ev.DialogHandled):
            self.say(t("progress.dialog", lang, action=t(f"dialog.{event.action}", lang), message=event.message))
        elif isinstance(event, ev.CheckingAfterSubmit):  # before Retried: it is one, said differently
            self.say(t("progress.checking_after_submit", lang, reason=event.what))
        elif isinstance(event, ev.Retried):
            self.last_retry = (id(event.step), str(event.reason))
            self.say(t("progress.retry", lang, attempt=event.attempt, reason=event.reason))
        elif isinstance(event, ev.Waiting):
            self.say(t("progress.waiting", lang, seconds=event.seconds, reason=event.reason))
        elif isinstance(event, ev.Downloaded):
            what = (event.what or {}).get(lang) or event.name
            self.say(t("progress.downloaded", lang, what=what, kb=max(1, round(event.size / 1024)),
                       file=event.suggested or event.name))
        elif isinstance(event, ev.SubmitBlocked):
            self.say(t("progress.submit_blocked", lang, step=event.step, method=event.method, url=event.url))

