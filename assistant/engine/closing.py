"""Closing accounts and reading their status, for one site/account after another: the decisions every front
end shares (the CLI's `close` and `status`, the local web app).

Ask the site before submitting; resume a case whose request may already be with the platform; never
submit twice; never trust a practice portal started just now about a closure it never saw; say what each
run ended with. A front end gives the questions (an `Inputs`), the progress listeners and its voice (a
`FrontEnd`): each sentence comes as a catalogue key with parameters (`Said`, or a `Sentence` that says
itself), so every front end says it in its own language. Parsing, showing and exit statuses stay there.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from assistant import interrupts
from assistant.cases import store as c
from assistant.driving.executor import DEFAULT_TIMEOUT_MS
from assistant.engine import preparing, sentences
from assistant.errors import AssistantError, NeedsUser, UnsafeAction
from assistant.messages import say
from assistant.redaction import Redactor, mask_account


class AlreadySubmitted(UnsafeAction):
    message_key = "error.already_submitted"


class RejectedBySite(NeedsUser):
    message_key = "error.rejected"


class PracticePortalGone(NeedsUser):
    """A bundled portal started now never saw the closure a case records: reading it would say "active"."""

    message_key = "error.portal_gone"


class NoStatusFlow(NeedsUser):
    message_key = "error.no_status_flow"


@dataclass
class CloseSettings:
    """What a front end decided for its runs (the CLI: from the command line)."""
    dry_run: bool = False
    headed: bool = False
    browser_path: Optional[str] = None
    evidence_dir: Optional[Path] = None     # None: the data directory's evidence/
    base_url: Optional[str] = None          # None: the profile's own, or a bundled portal started here
    timeout_ms: int = DEFAULT_TIMEOUT_MS
    db: Optional[Path] = None               # the case store (None: the default one)
    # A bundled portal the front end keeps running across runs (the web app: from `start_practice_portal`);
    # its "SMS" codes are shown as a fresh one's. It is trusted about this account only when the front end
    # knows that an earlier run of it went to this very portal (`practice_portal_knows`).
    practice_portal: Optional[object] = None
    practice_portal_knows: bool = False
    timestamp_authorities: tuple = ()       # RFC 3161 authorities asked after each run (empty: none)
    report_lang: Optional[str] = None       # the report's language (None: the site's)
    checked: Optional[list] = None          # checklist items ticked up front (--checked); None: ask


class FrontEnd:
    """What the closing logic needs from whoever shows it: the secrets and questions, progress, a voice."""

    def secrets(self, profile, account: str) -> tuple[dict, str]:
        """Every credential the run will type, before any browser starts, and where the password came
        from ("keyring", "stdin", "prompt", ...): a refused password from the keyring may be out of date."""
        raise NotImplementedError

    def inputs(self, session: "SiteSession"):
        """The `Inputs` for one site/account (session.base_url and session.practice_code are known)."""
        raise NotImplementedError

    def listeners(self, session: "SiteSession") -> tuple:
        return ()

    def say(self, sentence, *, err: bool = False) -> None:
        """One sentence (a `Said` or a `Sentence`: `.in_lang(lang)`); err: a problem rather than a result."""
        raise NotImplementedError

    def closure_facts(self, profile) -> None:
        """What the profile says about closing on this site, before the first step and before any browser."""

    def ask_checklist(self, items) -> Optional[dict]:
        """The person's answers to the checklist items not answered yet ({item id: done}); None when there
        is no one to ask (a script: CloseSettings.checked answers instead)."""
        return None


def secrets_needed(profile) -> list[str]:
    """The credentials (other than the account itself) that the profile's steps type in."""
    from assistant.profiles import model as m
    steps = list(profile.login.steps) + list(profile.close_steps) + (list(profile.status.steps) if profile.status else [])
    names = [s.secret for s in steps if isinstance(s, m.FillStep) and s.secret and s.secret != "account"]
    return list(dict.fromkeys(names))


def saved_password(profile, account: str) -> Optional[str]:
    """The password kept in the keyring for this account, also when it was saved under another spelling of
    it (before accounts had one spelling). None when there is none (or no safe keyring)."""
    from assistant import credentials
    stored = credentials.get_password(profile.id, account)
    if stored is None:
        for site, saved_as in credentials.list_accounts():
            if site == profile.id and saved_as != account and same_account(profile, saved_as, account):
                stored = credentials.get_password(site, saved_as)
                if stored is not None:
                    break
    return stored


def same_account(profile, spelling: str, account: str) -> bool:
    from assistant.accounts import BadAccount
    try:
        return profile.account(spelling) == account
    except BadAccount:
        return False


class SharedBrowser:
    """One Chromium for every run of a command (or of one web-app run), launched when the first run needs
    it, on the thread that uses it (Playwright's sync API is bound to its thread)."""

    def __init__(self, headed: bool = False, browser_path: Optional[str] = None):
        self.headed, self.browser_path = headed, browser_path
        self._playwright = None
        self._browser = None

    def get(self):
        if self._browser is None:
            from playwright.sync_api import sync_playwright

            from assistant.driving.browser import launch
            self._playwright = sync_playwright().start()
            self._browser, _choice = launch(self._playwright, headed=self.headed, override=self.browser_path)
        return self._browser

    def close(self) -> None:
        from assistant.driving.browser import close_quietly
        closers = [self._browser.close] if self._browser is not None else []
        closers += [self._playwright.stop] if self._playwright is not None else []
        self._browser = self._playwright = None
        close_quietly(*closers)


@dataclass
class Outcome:
    """What one site/account ended with: a line of the CLI's summary table, the web app's result page."""
    site: str
    account: str
    status: int
    outcome: str = "-"
    site_state: Optional[str] = None
    application_number: Optional[str] = None
    evidence_dir: Optional[str] = None
    deadline: Optional[object] = None       # the Deadline of an accepted request (the case's), else None
    report: Optional[str] = None            # report.pdf of the run, when one was made


class SiteSession:
    """Everything the flows of one site/account share: secrets, inputs, base URL, redactor."""

    def __init__(self, profile, account: str, settings: CloseSettings, store, browser: SharedBrowser,
                 front: FrontEnd):
        self.profile, self.account, self.settings = profile, account, settings
        self.store, self.browser, self.front = store, browser, front
        self.secrets, self.password_source = front.secrets(profile, account)
        self.password_from_keyring = self.password_source == "keyring"  # a refused one may be out of date
        self.redactor = Redactor()
        for value in self.secrets.values():
            self.redactor.add(value)
        self.inputs = None
        self.base_url = None
        self.fresh_portal = False   # a bundled portal started by this command (it knows no earlier run)
        self.practice_code: Optional[Callable[[], Optional[str]]] = None  # that portal's last "SMS" code

    @contextlib.contextmanager
    def opened(self):
        from assistant.engine.runner import site_base_url
        kept = None if self.settings.base_url else self.settings.practice_portal
        with self.store.working_on(self.profile.id, self.account), \
                site_base_url(self.profile, self.settings.base_url or (kept.base_url if kept else None)) \
                as (base_url, server):
            self.store.adopt_spellings(self.profile.id, self.profile.account)  # cases under older spellings
            self.base_url = base_url
            self.fresh_portal = server is not None or (kept is not None and not self.settings.practice_portal_knows)
            portal = server or kept
            self.practice_code = practice_code(portal, self.account) if portal else None
            self.inputs = self.front.inputs(self)
            self.inputs.password_from_keyring = self.password_from_keyring
            yield self

    def say(self, sentence, err: bool = False) -> None:
        self.front.say(sentence, err=err)

    def run(self, flow: str, dry_run: bool = False, status_first: bool = False, **extra):
        """One tracked run; says its outcome. Returns (RunRecord, Case). `extra`: more RunOptions (prepare,
        checklist)."""
        from assistant.driving.executor import RunOptions
        from assistant.engine.runner import tracked_run
        from assistant.settings import evidence_root
        s = self.settings
        options = RunOptions(flow=flow, dry_run=dry_run, headed=s.headed, base_url=self.base_url,
                             timeout_ms=s.timeout_ms, status_first=status_first, **extra)
        record, case = tracked_run(self.store, self.profile, self.account, self.inputs, options,
                                   evidence_root=s.evidence_dir or evidence_root(),
                                   listeners=tuple(self.front.listeners(self)), redactor=self.redactor,
                                   browser_path=s.browser_path, browser=self.browser.get(),
                                   timestamp_authorities=s.timestamp_authorities, defer_report=True,
                                   report_lang=s.report_lang)
        self.last_record, self.last_case = record, case
        # The run's own records (application number, dates, the evidence folder) are said as they are:
        # only the site's words pass through the redactor (a password 2026 must not mask a date).
        for sentence in (sentences.outcome_sentences(record, case.deadline_info if case else None)
                         + sentences.after_submit_sentences(record)):
            self.say(sentence)
        for sentence in sentences.case_sentences(case, show_deadline=(flow == "status")):
            self.say(sentence)
        # The outcome is said; now the trusted timestamp and the report (the PDF takes a moment).
        for sentence in sentences.after_run_sentences(record.finish()):
            self.say(sentence)
        return record, case

    def failed(self, record) -> int:
        r = record.result
        self.say(sentences.error_sentence(r.error, r.failed_index, r.failed_step, site=self.profile.id,
                                          scrub=self.redactor.scrub), err=True)
        return int(r.error.exit_status)

    def finished(self, record) -> int:
        """The exit status of a run: its own error's, else 15 when this computer failed it afterwards."""
        from assistant.errors import ExitStatus
        if record.result.error is not None:
            return self.failed(record)
        if record.environment_problem:
            self.say(say("after.fix"), err=True)
            return int(ExitStatus.ENVIRONMENT)
        return 0

    def outcome(self, record, status: int) -> Outcome:
        r = record.result
        case = None if record.case_error else self._case()
        number = r.application_number or (case.application_number if case else None)
        deadline = r.deadline or (case.deadline_info if case is not None and case.submitted_at else None)
        accepted = (r.outcome == "submitted" and r.submit.state == "accepted") or r.outcome == "already_pending"
        return Outcome(self.profile.id, mask_account(self.account), status, r.outcome, r.state, number,
                       str(record.evidence_dir or "") or None, deadline if accepted else None,
                       str(record.report) if record.report else None)

    def _case(self):
        try:
            return self.store.case(self.profile.id, self.account)
        except c.CaseStoreError:  # locked this moment: the run's own record has said what matters
            return None


def start_practice_portal(profile):
    """The bundled practice portal of `profile`, started for a front end that outlives one run (the web app):
    kept running, it remembers the dry run, the closure and what a status check reads, as a real site does.
    None for a real site. The caller stops it (`.stop()`)."""
    from assistant.engine.runner import bundled_portal_name
    from assistant.portals import start_portal
    name = bundled_portal_name(profile)
    return start_portal(name, test_mode=True) if name else None


def practice_code(server, account: str) -> Callable[[], Optional[str]]:
    """A bundled portal cannot send a real SMS: the code it 'sent' last, read through its test hook."""
    from assistant.portals import PortalClient
    client = PortalClient(server.base_url)
    return lambda: client.latest_code(account)


# ---------------------------------------------------------------- close, with resume; status

def close_one(session: SiteSession) -> Outcome:
    profile, account = session.profile, session.account
    session.front.closure_facts(profile)  # before any browser starts
    case = session.store.case(profile.id, account)
    # The checklist, asked once, and the documents first; after the site's status when a request may stand.
    before_closing = None if case is not None and case.holds_request else preparing.before_closing(session)
    status_first = profile.status is not None  # ask the site before submitting, whatever the store says
    if case is not None and case.holds_request:
        # Resume: the request may already be with the platform. Read the site before anything else.
        session.say(say("close.resume", site=_display_name(profile), account=mask_account(account),
                        state=say(f"case.{case.state}")), err=True)
        refuse_fresh_portal(session, case)
        if profile.status is None:
            if case.state == c.CLOSED:
                session.say(say("result.closed"))
                return Outcome(profile.id, mask_account(account), 0, "closed", "closed", case.application_number)
            raise AlreadySubmitted(profile.id, site=_display_name(profile), account=mask_account(account))
        record, case = session.run("status")
        if record.result.error is not None or record.environment_problem:
            return session.outcome(record, session.finished(record))
        if record.result.state == "rejected":
            rejected = RejectedBySite(record.result.captures.get("reason") or say("case.rejected"))
            session.say(sentences.error_sentence(rejected), err=True)
            return session.outcome(record, int(rejected.exit_status))
        if record.result.state != "active":
            session.say(say("close.closed_already" if record.result.state == "closed" else "close.not_again"))
            return session.outcome(record, 0)
        # Only a positive "active" on the site (its own locator matched) lets a fresh closure start.
        session.say(say("close.active_again"), err=True)
        status_first = False  # just read
    before_closing = before_closing or preparing.before_closing(session)
    record, case = session.run("close", dry_run=session.settings.dry_run, status_first=status_first,
                               **before_closing)
    return session.outcome(record, session.finished(record))


def check_one(session: SiteSession) -> Outcome:
    """Reads the closure's state on the site (nothing is ever submitted) and updates the case."""
    if session.profile.status is None:
        raise NoStatusFlow(_display_name(session.profile))
    refuse_fresh_portal(session, session.store.case(session.profile.id, session.account))
    record, case = session.run("status")
    for sentence in sentences.after_deadline_sentences(session.profile, session.account, case):
        session.say(sentence)
    return session.outcome(record, session.finished(record))


def cases_to_check(store) -> list[tuple[str, str]]:
    """`status --all`: every case whose request is with the platform and not settled: submitted, pending
    review, overdue."""
    return [(case.site, case.account) for case in store.all_cases()
            if case.state in (c.SUBMITTED, c.PENDING_REVIEW, c.OVERDUE)]


def _display_name(profile):
    """The site's name as a sentence: each front end says it in its own language."""
    return sentences.Sentence(profile.display_name)


def refuse_fresh_portal(session: SiteSession, case) -> None:
    """A practice portal started by this command never saw the closure the case records (each bundled
    portal keeps its accounts in its own process): its "active" would erase a real finding."""
    if session.fresh_portal and case is not None and case.holds_request:
        raise PracticePortalGone(f"{session.profile.id} / {mask_account(session.account)}")


def run_each(pairs, settings: CloseSettings, front: FrontEnd, one) -> list[Outcome]:
    """Runs `one(session)` for every (site, account) in turn; one site's failure does not stop the rest
    (with one pair, or after the user's stop, the error goes up to the front end)."""
    from assistant.profiles.registry import load_site
    profiles = {site: load_site(site) for site, _ in pairs}  # every profile is checked before any browser starts
    # One spelling per account (a second spelling must never make a second closure), also checked up front.
    pairs = list(dict.fromkeys((site, profiles[site].account(account)) for site, account in pairs))
    outcomes: list[Outcome] = []
    browser = SharedBrowser(settings.headed, settings.browser_path)
    try:
        with c.CaseStore(settings.db) as store:
            for site, account in pairs:
                profile = profiles[site]
                try:
                    session = SiteSession(profile, account, settings, store, browser, front)
                    with session.opened():
                        outcomes.append(one(session))
                except AssistantError as exc:
                    if len(pairs) == 1 or interrupts.requested():  # a Ctrl-C stops every site, not just this one
                        raise
                    front.say(sentences.error_sentence(exc), err=True)
                    outcomes.append(Outcome(profile.id, mask_account(account), int(exc.exit_status), "failed"))
    finally:
        browser.close()
    return outcomes
