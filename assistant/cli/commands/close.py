"""closure-assistant close SITE [SITE...] --account A | --plan FILE"""
from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from assistant.cli import checklist as checklist_cli
from assistant.cli import customer_service
from assistant.cli.commands import add_command, browser_options
from assistant.cli.commands.cases import db_option, open_store
from assistant import interrupts
from assistant.errors import AssistantError, ExitStatus, NeedsUser, UnsafeAction

DESCRIPTION = """Close your account on SITE (注销账号).

The password comes from the OS keyring (save it once with `closure-assistant credentials set SITE
ACCOUNT`) or from a hidden prompt; it is never accepted as an argument. When the site sends the
verification code, the tool says where it went and asks for it. Just before the one irreversible
submit it shows the site and the masked account and asks for a yes.

Every closure is a case (see `closure-assistant cases`). A case already submitted, pending or
closed is never submitted again: the site's status is read first, and only when the site clearly
shows the account active with no closure request does a fresh closure start.

Before its own steps, a profile's `prepare` flow runs once per case: the documents to keep while the
account still exists (a settlement certificate, repayment records) go into the evidence, and its
checklist (what only you can do: unbind cards, cancel automatic debits) is asked once and shown at
the top of the report; --checked ITEM ticks items from a script (see `closure-assistant prepare`).

A site that closes only through customer service (or any site with --route customer-service) is
walked through that instead: what to say, what to ask for, and what they answered becomes the case
(the ticket number, and the deadline counted from the day you contacted them); --ticket,
--contacted-on and --promised-by answer from a script.

Several sites run one after another (each asks for its own code when its site sends it) and end
with a summary table. A plan file lists site/account pairs:
  - site: demo-lender
    account: "13800000001"

examples:
  closure-assistant close demo-lender --account 13800000001 --dry-run
  closure-assistant close demo-lender --account 13800000001
  closure-assistant close demo-lender other-lender --account 13800000001
  closure-assistant close --plan my-plan.yaml
  closure-assistant close demo-lender --account 13800000001 --yes --code-command "my-sms-reader"
  closure-assistant close wallet-lender --account 13900000101 --route customer-service --ticket GD123
"""


class UsageError(AssistantError):
    exit_status = ExitStatus.USAGE
    message_key = "error.usage"


class AlreadySubmitted(UnsafeAction):
    message_key = "error.already_submitted"


class RejectedBySite(NeedsUser):
    message_key = "error.rejected"


class PracticePortalGone(NeedsUser):
    """A bundled portal started now never saw the closure a case records: reading it would say "active"."""

    message_key = "error.portal_gone"


def add_parser(sub):
    p = add_command(sub, "close", "close an account (several sites: one after another)", run, DESCRIPTION)
    p.add_argument("sites", nargs="*", metavar="SITE", help="profile id (see profiles list) or a .yaml path")
    p.add_argument("--account", help="your login on the site (phone number, e-mail); the same for every SITE")
    p.add_argument("--plan", metavar="FILE", type=Path, help="a YAML list of site/account pairs to close in turn")
    p.add_argument("--dry-run", action="store_true", help="do everything except the irreversible submit")
    p.add_argument("--yes", action="store_true", help="answer yes to the final confirmation (automation)")
    checklist_cli.checked_option(p)
    customer_service.route_options(p)
    code_options(p)
    db_option(p)
    browser_options(p)


def code_options(p) -> None:
    p.add_argument("--code-command", metavar="CMD",
                   help="run CMD to get the verification code (first line of its output); it sees "
                        "CLOSURE_ASSISTANT_SITE, _ACCOUNT, _DESTINATION, _ATTEMPT, _BASE_URL")
    p.add_argument("--password-stdin", action="store_true",
                   help="read the password from standard input, one line per site/account in order (scripts)")


def _password(profile, account: str, args, lang: str) -> tuple[dict, str]:
    """The password and where it came from (stdin, keyring, or asked for now); before any browser starts."""
    from assistant import credentials
    from assistant.cli.terminal import ask_secrets_up_front
    source = "stdin" if args.password_stdin else "keyring"
    known: dict = {}
    if args.password_stdin:
        line = sys.stdin.readline()
        known = {"password": line.rstrip("\r\n")} if line else {}
    else:
        stored = credentials.get_password(profile.id, account)
        if stored is None:  # saved before accounts had one spelling: under the spelling typed then
            for site, saved_as in credentials.list_accounts():
                if site == profile.id and saved_as != account and _same_account(profile, saved_as, account):
                    stored = credentials.get_password(site, saved_as)
                    if stored is not None:
                        break
        known = {"password": stored} if stored is not None else {}
    if "password" not in known:
        source = "prompt"
    return ask_secrets_up_front(profile, account, known, lang), source


def _same_account(profile, spelling: str, account: str) -> bool:
    from assistant.accounts import BadAccount
    try:
        return profile.account(spelling) == account
    except BadAccount:
        return False


# ---------------------------------------------------------------- running flows for one site/account

class SharedBrowser:
    """One Chromium for every run of the command, launched when the first run needs it."""

    def __init__(self, args):
        self.args = args
        self._playwright = None
        self._browser = None

    def get(self):
        if self._browser is None:
            from playwright.sync_api import sync_playwright

            from assistant.driving.browser import launch
            self._playwright = sync_playwright().start()
            self._browser, _choice = launch(self._playwright, headed=self.args.headed,
                                            override=self.args.browser_path)
        return self._browser

    def close(self) -> None:
        from assistant.driving.browser import close_quietly
        closers = [self._browser.close] if self._browser is not None else []
        closers += [self._playwright.stop] if self._playwright is not None else []
        self._browser = self._playwright = None
        close_quietly(*closers)


@dataclass
class Outcome:
    """One line of the summary table."""
    site: str
    account: str
    status: int
    outcome: str = "-"
    site_state: Optional[str] = None
    application_number: Optional[str] = None
    evidence_dir: Optional[str] = None


class SiteSession:
    """Everything the flows of one site/account share: password, inputs, base URL, redactor."""

    def __init__(self, profile, account: str, args, lang: str, store, browser: SharedBrowser):
        from assistant.redaction import Redactor
        self.profile, self.account, self.args, self.lang = profile, account, args, lang
        self.store, self.browser = store, browser
        self.secrets, self.password_source = _password(profile, account, args, lang)
        self.password_from_keyring = self.password_source == "keyring"  # a refused one may be out of date
        self.redactor = Redactor()
        for value in self.secrets.values():
            self.redactor.add(value)
        self.inputs = None
        self.base_url = None
        self.fresh_portal = False   # a bundled portal started by this command (it knows no earlier run)

    @contextlib.contextmanager
    def opened(self):
        from assistant.engine.runner import site_base_url
        from assistant.cli.terminal import TerminalInputs
        with self.store.working_on(self.profile.id, self.account), \
                site_base_url(self.profile, self.args.base_url) as (base_url, server):
            self.store.adopt_spellings(self.profile.id, self.profile.account)  # cases under older spellings
            sms_inbox = _demo_inbox(server, self.account) if server else None
            self.base_url, self.fresh_portal = base_url, server is not None
            self.inputs = TerminalInputs(self.lang, self.profile.display_name(self.lang), self.account,
                                         code_command=self.args.code_command, yes=getattr(self.args, "yes", False),
                                         secrets=self.secrets, base_url=base_url, sms_inbox=sms_inbox)
            self.inputs.password_from_keyring = self.password_from_keyring
            yield self

    def run(self, flow: str, dry_run: bool = False, status_first: bool = False, **extra):
        """One tracked run; prints its outcome. Returns (RunRecord, Case). `extra`: more RunOptions
        (prepare, checklist)."""
        from assistant.engine.runner import tracked_run
        from assistant.driving.executor import RunOptions
        from assistant.cli.progress import ProgressPrinter
        from assistant.settings import evidence_root
        from assistant.cli.summary import after_submit_lines, outcome_lines
        options = RunOptions(flow=flow, dry_run=dry_run, headed=self.args.headed, base_url=self.base_url,
                             timeout_ms=self.args.timeout_ms, status_first=status_first, **extra)
        record, case = tracked_run(self.store, self.profile, self.account, self.inputs, options,
                                   evidence_root=self.args.evidence_dir or evidence_root(),
                                   listeners=(ProgressPrinter(self.lang, self.redactor),), redactor=self.redactor,
                                   browser_path=self.args.browser_path, browser=self.browser.get())
        # The run's own records (application number, dates, the evidence folder) are printed as they are:
        # only the site's words pass through the redactor (a password 2026 must not mask a date).
        for line in (outcome_lines(record, self.profile, self.lang, case.deadline_info if case else None)
                     + after_submit_lines(record, self.lang)):
            self.say(line)
        for line in case_lines(case, self.lang, show_deadline=(flow == "status")):
            self.say(line)
        return record, case

    def say(self, text: str, err: bool = False) -> None:
        print(text, file=sys.stderr if err else sys.stdout, flush=True)

    def failed(self, record) -> int:
        from assistant.messages import describe_error
        r = record.result
        self.say(self.redactor.scrub(describe_error(r.error, self.lang, r.failed_index, r.failed_step,
                                                    site=self.profile.id)), err=True)
        return int(r.error.exit_status)

    def finished(self, record) -> int:
        """The exit status of a run: its own error's, else 15 when this computer failed it afterwards."""
        from assistant.errors import ExitStatus
        from assistant.messages import t
        if record.result.error is not None:
            return self.failed(record)
        if record.environment_problem:
            self.say(t("after.fix", self.lang), err=True)
            return int(ExitStatus.ENVIRONMENT)
        return 0

    def say_closure_facts(self) -> None:
        """What the profile says about closing on this site, before the first step (and before any browser)."""
        from assistant.cli.facts import closure_facts
        for line in closure_facts(self.profile, self.lang):
            self.say(line, err=True)

    def outcome(self, record, status: int) -> Outcome:
        from assistant.redaction import mask_account
        r = record.result
        number = r.application_number or (None if record.case_error else self._case_number())
        return Outcome(self.profile.id, mask_account(self.account), status, r.outcome, r.state, number,
                       str(record.evidence_dir or "") or None)

    def _case_number(self) -> Optional[str]:
        from assistant.cases.store import CaseStoreError
        try:
            case = self.store.case(self.profile.id, self.account)
        except CaseStoreError:  # locked this moment: the run's own record has said what matters
            return None
        return case.application_number if case else None


def case_lines(case, lang: str, show_deadline: bool) -> list[str]:
    from assistant.messages import t
    if case is None:
        return []
    from assistant.cli.summary import calendar_text
    lines = [t("case.saved", lang, state=t(f"case.{case.state}", lang))]
    if case.reason and f"case.{case.reason}" in _catalogue_keys():
        lines.append(t(f"case.{case.reason}", lang))
    if show_deadline and (case.state in ("pending_review", "overdue") or case.holds_request):
        if case.application_number:
            lines.append(t("case.application", lang, app=case.application_number))
        info = case.deadline_info
        if info is not None and case.submitted_at:
            lines.append(t("case.deadline", lang, submitted=info.submitted_on.isoformat(),
                           deadline=info.date.isoformat(), days=info.working_days) + " " + calendar_text(info, lang))
    return lines


def _catalogue_keys():
    from assistant.messages import CATALOGUE
    return CATALOGUE


# ---------------------------------------------------------------- close, with resume

def close_one(session: SiteSession) -> Outcome:
    from assistant.cases import store as c
    from assistant.messages import t
    from assistant.redaction import mask_account
    profile, account, lang = session.profile, session.account, session.lang
    session.say_closure_facts()  # before any browser starts
    case = session.store.case(profile.id, account)
    # The checklist, asked once, and the documents first; after the site's status when a request may stand.
    before_closing = None if case is not None and case.holds_request else checklist_cli.before_closing(session)
    status_first = profile.status is not None  # ask the site before submitting, whatever the store says
    if case is not None and case.holds_request:
        # Resume: the request may already be with the platform. Read the site before anything else.
        session.say(t("close.resume", lang, site=profile.display_name(lang), account=mask_account(account),
                      state=t(f"case.{case.state}", lang)), err=True)
        refuse_fresh_portal(session, case)
        if profile.status is None:
            if case.state == c.CLOSED:
                session.say(t("result.closed", lang))
                return Outcome(profile.id, mask_account(account), 0, "closed", "closed", case.application_number)
            raise AlreadySubmitted(profile.id, site=profile.display_name(lang), account=mask_account(account))
        record, case = session.run("status")
        if record.result.error is not None or record.environment_problem:
            return session.outcome(record, session.finished(record))
        if record.result.state == "rejected":
            from assistant.messages import describe_error
            rejected = RejectedBySite(record.result.captures.get("reason") or t("case.rejected", lang))
            session.say(describe_error(rejected, lang), err=True)
            return session.outcome(record, int(rejected.exit_status))
        if record.result.state != "active":
            session.say(t("close.closed_already" if record.result.state == "closed" else "close.not_again", lang))
            return session.outcome(record, 0)
        # Only a positive "active" on the site (its own locator matched) lets a fresh closure start.
        session.say(t("close.active_again", lang), err=True)
        status_first = False  # just read
    before_closing = before_closing or checklist_cli.before_closing(session)
    record, case = session.run("close", dry_run=session.args.dry_run, status_first=status_first, **before_closing)
    return session.outcome(record, session.finished(record))


def refuse_fresh_portal(session: SiteSession, case) -> None:
    """A practice portal started by this command never saw the closure the case records (each bundled
    portal keeps its accounts in its own process): its "active" would erase a real finding."""
    from assistant.redaction import mask_account
    if session.fresh_portal and case is not None and case.holds_request:
        raise PracticePortalGone(f"{session.profile.id} / {mask_account(session.account)}")


def _demo_inbox(server, account: str):
    """The bundled portal cannot send a real SMS; its 'phone' is a file the user can open."""
    import tempfile

    from assistant.portals import PortalClient
    client = PortalClient(server.base_url)

    def inbox() -> Path:
        path = Path(tempfile.gettempdir()) / "closure-assistant-demo-sms.txt"
        code = client.latest_code(account)
        path.write_text(f"【示例贷】您的验证码是 {code}，5分钟内有效。\n", "utf-8")
        return path
    return inbox


def wanted_pairs(args) -> list[tuple[str, str]]:
    from assistant.cli.plan import load_plan
    from assistant.messages import say
    pairs: list[tuple[str, str]] = []
    if args.sites:
        if not args.account:
            raise UsageError(say("usage.account_with_site"))
        pairs += [(site, args.account) for site in args.sites]
    if args.plan:
        pairs += [(e.site, e.account) for e in load_plan(args.plan)]
    if not pairs:
        raise UsageError(say("usage.site_or_plan"))
    unique = list(dict.fromkeys(pairs))  # the same pair twice would only be checked twice
    return unique


def print_summary(outcomes: list[Outcome], lang: str) -> None:
    from assistant.messages import CATALOGUE, t
    from assistant.cli.tables import render

    def label(o: Outcome) -> str:
        text = t(f"outcome.{o.outcome}", lang) if f"outcome.{o.outcome}" in CATALOGUE else o.outcome
        if o.outcome == "status_read" and o.site_state:
            text = t("summary.status_read", lang, outcome=text, state=t(f"state.{o.site_state}", lang))
        return text
    header = [t(f"col.{k}", lang) for k in ("site", "account", "outcome", "application", "evidence")]
    rows = [[o.site, o.account, label(o), o.application_number or "-", o.evidence_dir or "-"] for o in outcomes]
    print()
    print(t("close.summary", lang))
    for line in render(header, rows):
        print(line)


def run_each(pairs, args, lang: str, one) -> list[Outcome]:
    """Runs `one(session)` for every (site, account) in turn; one site's failure does not stop the rest."""
    from assistant.messages import describe_error
    from assistant.profiles.registry import load_site
    from assistant.redaction import mask_account
    profiles = {site: load_site(site) for site, _ in pairs}  # every profile is checked before any browser starts
    # One spelling per account (a second spelling must never make a second closure), also checked up front.
    pairs = list(dict.fromkeys((site, profiles[site].account(account)) for site, account in pairs))
    outcomes: list[Outcome] = []
    browser = SharedBrowser(args)
    try:
        with open_store(args) as store:
            for site, account in pairs:
                profile = profiles[site]
                try:
                    session = SiteSession(profile, account, args, lang, store, browser)
                    with session.opened():
                        outcomes.append(one(session))
                except AssistantError as exc:
                    if len(pairs) == 1 or interrupts.requested():  # a Ctrl-C stops every site, not just this one
                        raise
                    print(describe_error(exc, lang), file=sys.stderr)
                    outcomes.append(Outcome(profile.id, mask_account(account), int(exc.exit_status), "failed"))
    finally:
        browser.close()
    return outcomes


def run(args, lang: str) -> int:
    pairs = wanted_pairs(args)
    by_phone, pairs = customer_service.split_pairs(pairs, args)  # closed through customer service: no browser
    outcomes = [customer_service.walk(site, account, args, lang) for site, account in by_phone]
    outcomes += run_each(pairs, args, lang, close_one) if pairs else []
    if len(outcomes) > 1:
        print_summary(outcomes, lang)
    return next((o.status for o in outcomes if o.status), 0)
