"""Runs a typed profile in a real browser, step by step, and reports through events.

One complete dispatch over step types. Waiting is by explicit conditions (Playwright's
auto-waiting, element/URL states), never by fixed sleeps. The irreversible submit happens at most
once, only after every earlier step succeeded and the user confirmed.
"""
from __future__ import annotations

import os
import re
import secrets as _secrets
import time
from dataclasses import dataclass, field
from typing import Optional
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from assistant import deadlines
from assistant import interrupts
from assistant.driving import events as ev
from assistant.driving.browser import BROWSER_GONE
from assistant.driving import locators
from assistant.driving import submit as sub
from assistant.driving.site_identity import SiteWatcher, environment
from assistant.profiles import model as m
from assistant.errors import (AssistantError, BlockedBySite, BrowserCrashed, CodeExpired, CodeLocked,
                              EnvironmentProblem, NeedsUser, SessionExpired, SiteChanged, SiteError,
                              SiteUnreachable, SubmitEndpointReached, SubmitNotTaken, SubmitRejected,
                              SubmitUnconfirmed, TransientSiteError, UnsafeAction, WrongCode, WrongPassword)
from assistant.driving.interaction import Inputs, clean_code
from assistant.messages import say
from assistant.profiles.origins import outside_pattern, url_problem
from assistant.redaction import Redactor, mask_account

DEFAULT_TIMEOUT_MS = 15_000
SEGMENT_RETRIES = 4        # reloads of one page after server errors, before giving up
RUN_RECOVERIES = 15        # all reloads and re-logins in one run (the status check after an unclear submit gets its own)
BACKOFF_MS = (300, 800, 1500, 2500)
IGNORED_FAILURES = ("net::ERR_ABORTED", "net::ERR_BLOCKED_BY_CLIENT")  # our own blocks, cancelled loads
# Chromium's network errors for a site that cannot be reached at all (as opposed to one that answers wrongly).
UNREACHABLE = re.compile(r"net::ERR_(?:CONNECTION_(?:REFUSED|RESET|CLOSED|FAILED|TIMED_OUT)|NAME_NOT_RESOLVED|"
                         r"NAME_RESOLUTION_FAILED|ADDRESS_UNREACHABLE|INTERNET_DISCONNECTED|NETWORK_CHANGED|"
                         r"TIMED_OUT|EMPTY_RESPONSE|PROXY_CONNECTION_FAILED|TUNNEL_CONNECTION_FAILED|"
                         r"SSL_[A-Z_]+|CERT_[A-Z_]+|BAD_SSL_CLIENT_AUTH_CERT)")


@dataclass
class RunOptions:
    flow: str = "close"              # close | status
    dry_run: bool = False
    headed: bool = False
    base_url: Optional[str] = None   # bundled portals: where the portal actually runs
    timeout_ms: int = DEFAULT_TIMEOUT_MS
    status_first: bool = False       # close: read the site's status after login and stop if a request stands
    closure_recorded: Optional[str] = None   # when the site accepted this account's closure earlier (the case)
    ignore_certificate_errors: bool = False  # tests only (a throwaway certificate); recorded in the manifest
    prepare: bool = False            # close: run the profile's prepare steps (documents) before the close steps
    checklist: Optional[list] = None  # the person's checklist answers, for the evidence: [{id, zh, en, required, checked}]


@dataclass
class RunResult:
    run_id: str
    site: str
    account_masked: str
    flow: str
    outcome: str = "failed"          # submitted | closed | already_closed | already_pending | dry_run_ok | status_read | prepared | blocked | needs_user | failed
    state: Optional[str] = None      # what the site says: pending | closed | active | rejected
    captures: dict = field(default_factory=dict)
    submit: sub.SubmitRecord = field(default_factory=sub.SubmitRecord)
    deadline: Optional[deadlines.Deadline] = None   # only once the site accepted the request
    error: Optional[AssistantError] = None
    failed_step: Optional[str] = None
    failed_index: Optional[int] = None
    drift: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    overlays_dismissed: int = 0
    closed_by: Optional[str] = None  # "login_refused": closed on the evidence of a refused login (closed_when_refused)
    closure_recorded: Optional[str] = None  # then: when the site had accepted the closure (from the case)
    network: dict = field(default_factory=dict)  # origins reached, outside the profile, blocked (site_identity.py)
    prepared: bool = False           # the profile's prepare steps all ran (a prepare run, or close before its steps)

    @property
    def application_number(self) -> Optional[str]:
        return self.captures.get("application_number")

    @property
    def submitted(self) -> bool:
        """True only once the closure request left the browser (seen by the submit guard)."""
        return self.submit.sent

    @property
    def submit_request(self) -> Optional[dict]:
        r = self.submit
        return {"url": r.url, "method": r.method, "status": r.status} if r.sent else None


# Screens whose whole text the evidence keeps: what the person agreed to, was told, or was shown as the result.
TEXT_SCREENS = ("agreement", "notice", "retention", "result")
MAX_SCREEN_TEXT = 1_000_000   # characters; a region larger than this is cut (the screenshot and HTML stay whole)
# The dialog, the scrolled box (an agreement read to its end), or the page region around an element: its text
# as rendered (display:none left out, text scrolled out of view kept).
_REGION_TEXT_JS = """els => els.map(el => {
  let region = el.closest('dialog,[role=dialog],[role=alertdialog],[aria-modal=true]');
  for (let n = el; !region && n && n !== document.body && n !== document.documentElement; n = n.parentElement) {
    const style = getComputedStyle(n);
    if (/(auto|scroll)/.test(style.overflowY) && n.scrollHeight > n.clientHeight + 2) { region = n; }
  }
  region = region || el.closest('[role=region],article,section,main,form') || document.body;
  return region.innerText || '';
})"""
SCROLL_POLLING = "raf"   # check every animation frame: growth that a scroll event triggers shows next frame
SCROLL_QUIET_MS = 150    # at the end, with the height unchanged this long: the end is real
_SCROLL_TO_END_JS = """box => {
  const el = box || document.scrollingElement || document.documentElement;
  if (box) { el.scrollTop = el.scrollHeight; } else { window.scrollTo(0, el.scrollHeight); }
  const top = box ? el.scrollTop : window.scrollY, seen = box ? el.clientHeight : window.innerHeight;
  const atEnd = top + seen >= el.scrollHeight - 2, now = performance.now();
  if (!atEnd || el.__closureHeight !== el.scrollHeight) { el.__closureSince = now; }
  el.__closureHeight = el.scrollHeight;
  return now - el.__closureSince >= __QUIET__;
}""".replace("__QUIET__", str(SCROLL_QUIET_MS))


def _in_main_frame(request) -> bool:
    try:
        return request.frame.parent_frame is None
    except PlaywrightError:  # a new tab's first navigation is issued before its frame exists
        return True


class _DryRunStop(Exception):
    """Raised at the submit step of a dry run: everything before it was done, nothing after."""


def rebase(url: str, base_url: Optional[str]) -> str:
    if not base_url:
        return url
    parts, base = urlsplit(url), urlsplit(base_url)
    return parts._replace(scheme=base.scheme, netloc=base.netloc).geturl()


class Executor:
    # One complete dispatch: every step type of the profile language has exactly one handler.
    DISPATCH: dict[type, str] = {
        m.GotoStep: "_goto", m.ClickStep: "_click", m.FillStep: "_fill", m.SelectStep: "_select",
        m.CheckStep: "_check", m.PressStep: "_press", m.ScrollStep: "_scroll", m.WaitStep: "_wait",
        m.PreconditionStep: "_precondition", m.VerificationCodeStep: "_verification_code",
        m.ManualStep: "_manual", m.CaptureStep: "_capture", m.SubmitStep: "_submit",
        m.OutcomeStep: "_outcome", m.SwitchTabStep: "_switch_tab", m.DownloadStep: "_download",
    }

    def __init__(self, profile: m.Profile, account: str, inputs: Inputs, listeners: list,
                 options: RunOptions, redactor: Redactor | None = None):
        self.profile = profile
        self.account = account
        self.inputs = inputs
        self.listeners = listeners
        self.options = options
        self.redactor = redactor or Redactor()
        self.page = None
        self.index = 0
        self.total = 0
        self.flow = ""
        self.secret_fields: list = []
        self.expected_dialog: Optional[str] = None
        self.blocked_navigation: Optional[str] = None
        self.server_errors: list[tuple[str, str]] = []   # (url, status or failure) as they happen
        self.error_mark = 0                              # server_errors seen before the current page
        self.recoveries = 0
        self.relogged = False
        self.checking_status = False                     # reading the status after an unclear submit
        self.expecting_tab = False
        self.expecting_download = False                  # a download step waits for the file it asked for
        self.crashed = False                             # a page's renderer crashed, or the browser went away
        self.subscriber_failures: list[str] = []         # after the submit a subscriber's failure is kept, not raised
        self.result = RunResult(run_id=_secrets.token_hex(4), site=profile.id,
                                account_masked=mask_account(account), flow=options.flow)
        self._current_step: Optional[m.Step] = None
        self.submit_step = next((s for s in profile.close_steps if isinstance(s, m.SubmitStep)), None)
        self.guard: Optional[sub.SubmitGuard] = None
        if self.submit_step is not None and self.submit_step.request_url:
            self.guard = sub.SubmitGuard(self.submit_step.request_url, self._running_step_title, self._on_blocked)
            self.result.submit = self.guard.record
        self.code_at_submit: Optional[m.VerificationCodeStep] = None  # a code the final submit checks
        self.last_status_text = ""
        self.home_url: Optional[str] = None                              # where the login ended
        self.watcher = SiteWatcher(profile.origins)                      # who the browser talked to
        self.screen_text_kept = False                                    # this step's labelled screen is kept

    # ------------------------------------------------------------ plumbing

    def emit(self, event: ev.Event) -> None:
        for listener in self.listeners:
            if not self.result.submitted:
                listener.handle(event)  # a subscriber that raises before the submit stops the run: no click
                continue
            try:
                listener.handle(event)
            except Exception as exc:  # noqa: BLE001 - after the submit nothing may hide its outcome
                self.subscriber_failures.append(f"{type(listener).__name__}: {type(exc).__name__}: {exc}")

    def timeout(self, step: m.Step) -> int:
        return step.timeout_ms or self.options.timeout_ms

    def start_url(self) -> str:
        return rebase(self.profile.start_url, self.options.base_url)

    def _masks(self):
        page = self.page
        if page is None:
            return []
        masks = [page.locator("input[type=password]")] + list(self.secret_fields)
        masks += [locators.union(page, loc) for loc in self.profile.sensitive]
        return masks

    def _guard_origin(self, url: str, what: str) -> None:
        problem = url_problem(url, self.profile.origins)
        if problem:
            raise UnsafeAction(say("unsafe.outside", what=what, problem=problem), url=url)

    def _attach(self, page) -> None:
        """Everything a page needs before the run uses it: dialogs, overlays, fault watching."""
        self.watcher.watch_page(page)
        page.on("dialog", self._on_dialog)
        page.on("download", self._on_download)
        page.on("crash", self._on_crash)
        page.set_default_timeout(self.options.timeout_ms)
        for overlay in self.profile.overlays:
            def dismiss(_loc=None, overlay=overlay, page=page):
                target = locators.resolve(page, overlay.dismiss, 5_000)
                target.element.click()
                self.result.overlays_dismissed += 1
                self.emit(ev.OverlayDismissed(name=overlay.name, url=page.url))
            page.add_locator_handler(locators.union(page, overlay.appears), dismiss)

    def _on_response(self, response) -> None:
        if response.status >= 500:
            self.server_errors.append((response.url, str(response.status)))
        self.watcher.on_response(response, _in_main_frame)

    def _identify_sites(self, final: bool = False) -> None:
        for identity in self.watcher.ready(final):
            self.emit(ev.SiteIdentified(identity=identity))

    def _on_request_failed(self, request) -> None:
        failure = request.failure or ""
        if not any(f in failure for f in IGNORED_FAILURES):
            self.server_errors.append((request.url, failure))

    def _on_crash(self, _page) -> None:
        self.crashed = True

    def _browser_gone(self) -> bool:
        if self.crashed:
            return True
        if self.page is None:
            return False
        try:
            browser = self.page.context.browser  # None for a persistent context
            return self.page.is_closed() or (browser is not None and not browser.is_connected())
        except Exception:  # noqa: BLE001 - a dead driver cannot even answer this
            return True

    def _browser_failure(self, exc: Exception) -> AssistantError:
        """A crashed renderer, a browser or driver that went away: this computer's problem, not a changed site.
        (A wait on a crashed page can also end as "not found": hence the check of the browser itself.)"""
        if isinstance(exc, AssistantError):
            if isinstance(exc, (SiteChanged, SiteError)) and self._browser_gone():
                return BrowserCrashed(exc.detail, reason="browser_crashed")
            return exc
        gone = self._browser_gone() or BROWSER_GONE.search(str(exc))
        text = self._plain_playwright(exc)
        return BrowserCrashed(text, reason="browser_crashed") if gone else SiteChanged(text, reason="browser")

    def _on_download(self, download) -> None:
        if self.expecting_download:
            return  # the download step's own file: it checks and keeps it (or refuses it) itself
        self.emit(ev.TextRecorded(label="download_refused", text=download.suggested_filename, url=download.url))
        download.cancel()

    def _on_new_page(self, page) -> None:
        """A pop-up the profile did not ask for: recorded and closed, never used."""
        if self.expecting_tab:
            return
        self.emit(ev.TextRecorded(label="unexpected_popup", text=page.url, url=page.url))
        page.close()

    def _site_failed_meanwhile(self) -> bool:
        """Asked between wait slices: stop waiting early when the site failed or logged us out, or when
        something tried to send the closure request."""
        if self.guard is not None and self.guard.violation is not None:
            return True
        if not self._may_recover():
            return False
        if len(self.server_errors) > self.error_mark:
            return True
        # The login page in place of the page we wait for: the session expired (even after the one
        # re-login a run allows: waiting out the full timeout would only delay the same answer).
        return self.flow != "login" and self._login_page_shows()

    def _running_step_title(self) -> str:
        step = self._current_step
        return f"{self.index}. {step.title}" if step is not None else "-"

    def _on_blocked(self, blocked: dict) -> None:
        self.emit(ev.SubmitBlocked(step=blocked["step"], method=blocked["method"], url=blocked["url"],
                                   after_submit=blocked["after_submit"]))
        if blocked["after_submit"]:  # a double click or a page script's retry: the first request stands
            self.result.warnings.append(f"a second request to the closure endpoint was stopped "
                                        f"({blocked['method']} {blocked['url']}, during step {blocked['step']})")

    def _check_guard(self) -> None:
        """Something other than the submit step reached the closure endpoint: stop, whatever else happened."""
        violation = self.guard.violation if self.guard is not None else None
        if violation is not None:
            raise SubmitEndpointReached(
                say("guard.stopped", step=violation["step"], method=violation["method"], url=violation["url"]),
                reason="submit_endpoint_reached", where=violation["step"], url=violation["url"])
    def _on_dialog(self, dialog) -> None:
        expected = self.expected_dialog is not None
        action = self.expected_dialog or "dismiss"
        self.emit(ev.DialogHandled(kind=dialog.type, message=self.redactor.scrub(dialog.message),
                                   action=action, expected=expected, url=self.page.url if self.page else ""))
        if action == "accept":
            dialog.accept()
        else:
            dialog.dismiss()

    def _route(self, route) -> None:
        request = route.request
        if request.is_navigation_request() and url_problem(request.url, self.profile.origins):
            if _in_main_frame(request):
                self.blocked_navigation = request.url
            self.watcher.on_blocked(request.method, request.url, "navigation outside the profile's origins")
            route.abort("blockedbyclient")
            return
        route.fallback()

    def _on_request(self, request) -> None:
        # Redirects bypass routing: a main-frame hop out of the origins is caught here and stops the run.
        if request.is_navigation_request() and _in_main_frame(request) and \
                url_problem(request.url, self.profile.origins):
            self.blocked_navigation = self.blocked_navigation or request.url

    def _check_navigation(self) -> None:
        if self.blocked_navigation:
            raise UnsafeAction(say("unsafe.navigation", url=self.blocked_navigation), url=self.blocked_navigation)

    # ------------------------------------------------------------ the run

    def run(self, context) -> RunResult:
        """Drive `context` (a fresh Playwright BrowserContext) through the chosen flow."""
        profile = self.profile
        self.total = len(profile.login.steps) + 1  # +1: opening the start page
        prepare_steps = profile.prepare.steps if profile.prepare else []
        if self.options.flow == "close":
            self.total += len(profile.close_steps)
            if self.options.status_first and profile.status:
                self.total += len(profile.status.steps)
            if self.options.prepare:
                self.total += len(prepare_steps)
        elif self.options.flow == "prepare":
            self.total += len(prepare_steps)
        elif profile.status:
            self.total += len(profile.status.steps)
        context.route(outside_pattern(profile.origins), self._route)  # requests to the site go unrouted
        if self.guard is not None:
            self.guard.install(context)  # routes only the closure endpoint; registered last, so asked first
        context.on("request", self._on_request)
        # Server errors are watched on the context: a new tab's own first load counts too (a page-level
        # listener is attached only after the tab exists and would miss it).
        context.on("response", self._on_response)
        context.on("requestfailed", self._on_request_failed)
        self.page = context.new_page()
        self._attach(self.page)
        context.on("page", self._on_new_page)  # only pages the site opens from here on
        browser_version = context.browser.version if context.browser else ""
        try:
            user_agent = self.page.evaluate("navigator.userAgent")
        except PlaywrightError:
            user_agent = ""
        self.emit(ev.RunStarted(run_id=self.result.run_id, flow=self.options.flow, profile=profile,
                                account_masked=self.result.account_masked, total_steps=self.total,
                                browser=browser_version, dry_run=self.options.dry_run,
                                environment=environment(browser_version, headless=not self.options.headed,
                                                        ignore_certificate_errors=self.options.ignore_certificate_errors,
                                                        user_agent=user_agent)))
        if self.options.checklist is not None:
            self.emit(ev.ChecklistAnswered(items=list(self.options.checklist)))
        try:
            self._run_flows()
        except KeyboardInterrupt:
            self._interrupted()
            raise
        self._end_of_run_network()
        self.emit(ev.RunFinished(result=self.result))
        return self.result

    def _end_of_run_network(self) -> None:
        """Every site identity still pending, and what the run reached, before the result is written."""
        try:
            self._identify_sites(final=True)
        except Exception:  # noqa: BLE001 - after the submit a subscriber's failure is kept by emit(); before, the
            if not self.result.submitted:  # run already ended: what it recorded stands
                raise
        self.result.network = self.watcher.summary()

    def _run_flows(self) -> None:
        profile = self.profile
        try:
            self._open_start()
            if self._run_flow("login", profile.login.steps, finisher=self._after_login):
                self.home_url = self.page.url
                if self.options.flow == "close":
                    if self._site_has_no_request():
                        self._prepare_before_close()
                        self._run_flow("close", profile.close_steps)
                elif self.options.flow == "prepare":
                    self._run_flow("prepare", profile.prepare.steps if profile.prepare else [])
                    self.result.outcome, self.result.prepared = "prepared", True
                else:
                    self._run_flow("status", profile.status.steps if profile.status else [],
                                   finisher=self._read_status)
            self._check_guard()
        except _DryRunStop:
            self.result.outcome = "dry_run_ok"
        except AssistantError as exc:
            self._unless_interrupted()
            self._settle(self._guard_error() or self._browser_failure(exc))
        except PlaywrightError as exc:
            self._unless_interrupted()
            self._settle(self._guard_error() or self._browser_failure(exc))
        if self.result.submit.clicked:
            self.emit(ev.SubmitDone(url=self._page_url(), record=self.result.submit.as_dict()))

    def _prepare_before_close(self) -> None:
        """close with options.prepare: the documents first (while the account still exists), then back to
        where the login ended, where the close steps begin."""
        steps = self.profile.prepare.steps if self.profile.prepare else []
        if not (self.options.prepare and steps):
            return
        self._run_flow("prepare", steps)
        self.result.prepared = True
        self._navigate_with_backoff(self.home_url, self._current_step)

    def _unless_interrupted(self) -> None:
        """After Ctrl-C the browser dies under us (the driver closes it): its errors are the user's stop."""
        if interrupts.requested():
            raise KeyboardInterrupt

    def _interrupted(self) -> None:
        try:  # the evidence notes where the user stopped; a failure to note it must not hide the stop
            self.emit(ev.RunInterrupted(index=self.index, step=getattr(self, "_current_step", None),
                                        submitted=self.result.submitted))
        except Exception:  # noqa: BLE001
            pass

    def _page_url(self) -> str:
        try:
            return self.page.url if self.page else ""
        except PlaywrightError:
            return ""

    def _guard_error(self) -> Optional[AssistantError]:
        try:
            self._check_guard()
        except SubmitEndpointReached as exc:
            return exc
        return None

    def _site_has_no_request(self) -> bool:
        """Before a closure: ask the site, read-only, whether a request already stands (issue 20.1). The
        local case store may not know of it (another computer, a reinstall, a deleted data folder)."""
        status = self.profile.status
        if not (self.options.status_first and status):
            return True
        self._run_flow("status", status.steps, finisher=self._read_status)
        seen = self.result.state
        if seen in ("pending", "closed"):
            self.result.outcome = "already_pending" if seen == "pending" else "already_closed"
            return False
        # Active (or an earlier request rejected): back to where the login ended, where the close steps begin.
        self.result.state, self.result.outcome = None, "failed"
        self._navigate_with_backoff(self.home_url, self._current_step)
        return True

    def _settle(self, exc: AssistantError) -> None:
        """After the request left, an error is not the end of the story until the site's status says so."""
        record = self.result.submit
        if (not record.sent or isinstance(exc, UnsafeAction) or record.state in (sub.ACCEPTED, sub.REJECTED)
                or isinstance(exc, (WrongCode, CodeLocked, EnvironmentProblem))):
            self._fail(exc)  # nothing left the browser, or the site already gave its verdict
            return
        cause = self._unclear_cause(record)
        what = self._unclear_words(record, cause, exc)
        if not self.profile.status:
            self._fail(SubmitUnconfirmed(say("unclear.no_status_flow", what=what), reason="outcome_unclear",
                                         cause=cause))
            return
        self.emit(ev.CheckingAfterSubmit(step=self._current_step, attempt=1, what=what,
                                         reason=say("unclear.checking", what=what)))
        try:
            self._status_after_submit()
        except AssistantError as second:
            self._fail(SubmitUnconfirmed(say("unclear.status_failed", what=what, detail=second.detail),
                                         reason="outcome_unclear", cause=cause))
            return
        state, words = self.result.state, self.last_status_text
        if state in ("pending", "closed"):
            self._accept(words, by="status_page")
            self.result.outcome = "submitted" if state == "pending" else "closed"
            self.result.warnings.append(say("unclear.status_says", what=what, state=say(f"state.{state}")))
        elif state == "rejected":
            record.settle(sub.REJECTED, words, by="status_page", cause="site_refused")
            self._fail(SubmitRejected(words, site_message=words, reason="rejected"))
        else:
            record.settle(record.network_state(), words, by="status_page", cause=cause)
            self._fail(SubmitNotTaken(say("unclear.no_request", what=what, words=words), reason="not_taken",
                                      cause=cause))

    def _unclear_cause(self, record: sub.SubmitRecord) -> str:
        login = self.profile.login
        if record.status is not None and record.status >= 500:
            return "server_error"
        if record.status in (401, 403, 419, 440) or (
                login.login_page is not None and locators.is_visible_now(self.page, login.login_page)):
            return "session_expired"
        if record.status is None:
            return "no_answer"
        return "unrecognised"

    @staticmethod
    def _unclear_words(record: sub.SubmitRecord, cause: str, exc: AssistantError) -> str:
        request = f"{record.method} {record.url}"
        if cause == "no_answer":
            return say("unclear.no_answer", request=request, failure=f" ({record.failure})" if record.failure else "")
        if cause in ("server_error", "session_expired"):
            return say(f"unclear.{cause}", request=request, status=record.status)
        return say("unclear.unrecognised", request=request, status=record.status, detail=exc.detail)

    def _accept(self, words: str, by: str) -> None:
        """The site took the request: settle the record and compute the one deadline, at the site's date."""
        record = self.result.submit
        record.settle(sub.ACCEPTED, words, by=by)
        device = self.profile.device
        self.result.deadline = deadlines.review_deadline(
            record.sent_at or ev.now(), self.profile.closure.review_working_days,
            timezone=device.timezone, locale=device.locale)

    def _status_after_submit(self) -> None:
        # Read-only from here (sign in, open the status page): it may reload and retry with a fresh budget.
        self.checking_status, self.recoveries = True, 0
        try:
            self._read_status_after_submit()
        finally:
            self.checking_status = False

    def _read_status_after_submit(self) -> None:
        self._navigate_with_backoff(self.start_url(), self._current_step)
        login = self.profile.login
        if not locators.is_visible_now(self.page, login.logged_in):
            if not self._run_flow("login", login.steps, finisher=self._after_login):
                return  # the login page itself says the account is closed
        else:
            self._navigate_with_backoff(self.page.url, self._current_step)
        self._run_flow("status", self.profile.status.steps, finisher=self._read_status)

    def _fail(self, exc: AssistantError) -> None:
        self.result.error = exc
        if isinstance(exc, BlockedBySite):
            self.result.outcome = "blocked"
        elif isinstance(exc, NeedsUser):
            self.result.outcome = "needs_user"
        else:
            self.result.outcome = "failed"
        step = getattr(self, "_current_step", None)
        self.result.failed_step = step.title if step else None
        self.result.failed_index = self.index
        url = ""
        try:
            url = self.page.url if self.page else ""
        except PlaywrightError:
            pass
        self.emit(ev.StepFailed(index=self.index, total=self.total, flow=self.flow, step=step,
                                error=exc, url=url, page=self.page, masks=self._masks()))

    def _plain_playwright(self, exc: PlaywrightError) -> str:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return self.redactor.scrub(first)

    def _open_start(self) -> None:
        url = self.start_url()
        self._guard_origin(url, "start_url")
        self.flow = "login"
        self.index += 1
        opening = m.GotoStep(url=url, name=say("step.open"), action="goto")
        self._current_step = opening
        self.emit(ev.StepStarted(index=self.index, total=self.total, flow="login", step=opening))
        self._navigate_with_backoff(url, opening)
        self._identify_sites()
        self.emit(ev.StepFinished(index=self.index, total=self.total, flow="login", step=opening,
                                  status="ok", url=self.page.url, page=self.page, masks=self._masks()))

    def _navigate_with_backoff(self, url: str, step: m.Step) -> None:
        """Open `url`; an HTTP 5xx answer is retried after a growing pause, a bounded number of times."""
        for attempt, backoff in enumerate(BACKOFF_MS + (None,), start=1):
            try:
                self._navigate(url)
                return
            except SiteError as exc:
                if backoff is None:
                    raise
                self.emit(ev.Retried(step=step, attempt=attempt, reason=exc.detail))
                self.page.wait_for_timeout(backoff)

    def _navigate(self, url: str) -> None:
        self._guard_origin(url, "goto")
        try:
            response = self.page.goto(url, wait_until="domcontentloaded")
        except PlaywrightError as exc:
            network = UNREACHABLE.search(str(exc))
            if network is None:
                raise
            # Nothing answered (refused, no such host, TLS): the network or the site is down, not the profile.
            raise SiteUnreachable(network.group(0), url=url, reason="unreachable") from None
        self._check_navigation()
        if response is not None and response.status >= 500:
            raise SiteError(say("site.http_status", url=url, status=response.status), url=url)

    def _run_flow(self, flow: str, steps: list[m.Step], finisher=None) -> bool:
        """Run steps; `finisher` (a check after the last step) may return False to end the run early.

        Recovery before the submit: the steps since the page last changed are the unit of retry.
        Server errors seen → reload that page and redo them (bounded, with backoff). The login page
        showing up mid-flow → log in again once and restart this flow from its first step.
        """
        self.flow = flow
        units: list = list(steps) + ([None] if finisher else [])
        i, seg_start, seg_url, seg_tries = 0, 0, self.page.url, 0
        left_start = False  # login: the site has moved us on from the page the flow started on
        self.error_mark = before_step = len(self.server_errors)
        while i < len(units):
            if self.page.url != seg_url:
                left_start = True
                # A new page: errors count from before the step that navigated here (its own load).
                seg_start, seg_url, seg_tries = i, self.page.url, 0
                self.error_mark = before_step
            before_step = len(self.server_errors)
            overlays_before = self.result.overlays_dismissed
            try:
                if units[i] is None:
                    if finisher() is False:
                        return False
                else:
                    self._run_step(flow, units[i])
            except (SiteChanged, SiteError) as exc:
                if not self._may_recover() or self.recoveries >= RUN_RECOVERIES:
                    raise
                # The login page again: the session expired mid-flow, or half way through signing in (e.g.
                # at the code). Sign in again once, then restart this flow from its first step.
                if self._session_expired(flow) or (flow == "login" and left_start and self._login_page_back()):
                    self._login_again(exc, units[i] or self._current_step, flow)
                    self.total += i
                    return self._run_flow(flow, steps, finisher)
                if self.relogged and flow != "login" and self._login_page_shows():
                    raise SessionExpired(say("changed.session_again"), reason="session_expired")
                # A pop-up closed during the step may have reset the page under it (an open menu closes
                # when the banner's button is clicked): that, like server errors, is worth one more go.
                overlay_reset = self.result.overlays_dismissed > overlays_before
                failed = self._site_failed_meanwhile()
                if not (failed or overlay_reset) or seg_tries >= SEGMENT_RETRIES:
                    raise
                self.recoveries += 1
                reason = (say("retry.server_errors", errors=self._last_errors()) if failed else
                          say("retry.overlay_reset"))
                self.emit(ev.Retried(step=units[i] or self._current_step, attempt=seg_tries + 1, reason=reason))
                self.page.wait_for_timeout(BACKOFF_MS[seg_tries])
                seg_tries += 1
                self.total += i - seg_start
                self.error_mark = before_step = len(self.server_errors)
                self._reload(seg_url)  # its own errors count against the redone steps
                i = seg_start
                continue
            i += 1
        return True

    def _last_errors(self) -> str:
        return ", ".join(f"{status} {urlsplit(url).path}" for url, status in self.server_errors[self.error_mark:][-3:])

    def _reload(self, url: str) -> None:
        try:
            self._navigate(url)
        except SiteError:
            pass  # still failing: the redone steps will notice and the bounded retry decides

    def _may_recover(self) -> bool:
        """Reloads and re-logins are for before the submit, and for the read-only status check after it."""
        return not self.result.submit.clicked or self.checking_status

    def _login_page_shows(self) -> bool:
        login = self.profile.login
        return login.login_page is not None and locators.is_visible_now(self.page, login.login_page)

    def _login_page_back(self) -> bool:
        """The site shows its login page again, and the run's one re-login is still unused."""
        return not self.relogged and self._login_page_shows()

    def _session_expired(self, flow: str) -> bool:
        return flow != "login" and self._login_page_back()

    def _login_again(self, exc: AssistantError, step: m.Step, flow: str) -> None:
        """Counts the one re-login; outside the login flow also signs in (the login flow restarts itself)."""
        self.relogged = True
        self.recoveries += 1
        if flow == "login":
            self.emit(ev.Retried(step=step, attempt=1, reason=say("retry.sign_in_again", detail=exc.detail)))
            return
        self.emit(ev.Retried(step=step, attempt=1, reason=say("retry.logged_out", detail=exc.detail)))
        self.total += len(self.profile.login.steps)
        if not self._run_flow("login", self.profile.login.steps, finisher=self._after_login):
            raise SiteChanged(say("changed.closed_after_relogin"), reason="relogin")
        self.flow = flow

    def _run_step(self, flow: str, step: m.Step) -> None:
        self.index += 1
        self._current_step = step
        self.screen_text_kept = False
        self.emit(ev.StepStarted(index=self.index, total=self.total, flow=flow, step=step))
        if step.if_visible is not None and not locators.is_visible_now(self.page, step.if_visible):
            self._finished(step, "skipped", note=say("note.condition_not_visible"))
            return
        self.expected_dialog = step.dialog
        try:
            matched = self._perform(step)
        except SiteChanged as exc:
            self._check_guard()  # a stopped closure request explains whatever failed after it
            if not step.optional or isinstance(exc, TransientSiteError):
                raise
            self.result.warnings.append(f"{step.title}: {exc.detail}")
            self._finished(step, "warning", note=exc.detail)
            return
        except (SiteError, PlaywrightError):
            self._check_guard()
            raise
        finally:
            self.expected_dialog = None
        self._check_navigation()
        self._check_guard()
        if step.screen in TEXT_SCREENS and not self.screen_text_kept:
            self._keep_screen_text(step, None)  # a step without a target (goto, wait, ...): the page it ends on
        self._finished(step, "ok", matched=matched)
    def _finished(self, step, status, matched=None, note=""):
        self._identify_sites()
        self.emit(ev.StepFinished(index=self.index, total=self.total, flow=self.flow, step=step,
                                  status=status, url=self.page.url, page=self.page, masks=self._masks(),
                                  matched=matched, note=note))

    def _perform(self, step: m.Step) -> Optional[str]:
        handler = getattr(self, self.DISPATCH[type(step)])
        try:
            if step.opens_tab:
                self.expecting_tab = True
                try:
                    with self.page.context.expect_page(timeout=self.timeout(step)) as new_page:
                        matched = handler(step)
                finally:
                    self.expecting_tab = False
                self.page = new_page.value
                self._attach(self.page)
                self.page.wait_for_load_state("domcontentloaded")
                self._guard_origin(self.page.url, "new tab")
                return matched
            return handler(step)
        except PlaywrightTimeout as exc:
            raise SiteChanged(say("changed.timeout", step=step.title, detail=self._plain_playwright(exc)),
                              reason="timeout") from None

    def _keep_screen_text(self, step: m.Step, element, label: Optional[str] = None) -> None:
        """The whole visible text of the dialog or page region around `element` (the page's body when None),
        for a screen the profile labels agreement/notice/retention/result, or a precondition's page. Kept
        before the step acts (a click may leave the screen), after a scroll (more text may have loaded)."""
        if label is None:
            if step.screen not in TEXT_SCREENS or self.screen_text_kept:
                return
            label = f"{step.screen}_text"
        try:
            if element is not None:
                texts = element.evaluate_all(_REGION_TEXT_JS)
                text = texts[0] if texts else ""
            else:
                text = self.page.locator("body").inner_text(timeout=self.timeout(step))
        except PlaywrightError:
            return  # the screen went away under us: its screenshot and HTML still show it
        text = (text or "").strip()[:MAX_SCREEN_TEXT]
        if text:
            self.screen_text_kept = self.screen_text_kept or label == f"{step.screen}_text"
            self.emit(ev.TextRecorded(label=label, text=self.redactor.scrub(text), url=self.page.url))

    def _resolve(self, step: m.Step, locator: m.Locator) -> locators.Resolved:
        found = locators.resolve(self.page, locator, self.timeout(step), abort=self._site_failed_meanwhile)
        self._note_drift(step, found)
        return found

    def _note_drift(self, step: m.Step, found: locators.Resolved) -> None:
        if found.drifted:
            desc = found.candidate.describe()
            self.result.drift.append({"step": step.title, "candidate": desc, "index": found.index})
            self.emit(ev.Drift(step=step, candidate_index=found.index, candidate=desc))

    # ------------------------------------------------------------ login and status

    def _after_login(self) -> bool:
        """True when logged in; False when the site says the account is already closed."""
        login = self.profile.login
        named = {"logged_in": login.logged_in}
        if login.account_closed:
            named["account_closed"] = login.account_closed
        if login.failed:
            named["failed"] = login.failed
        which, found = locators.first_visible(self.page, named, self.options.timeout_ms,
                                              abort=self._site_failed_meanwhile)
        if which == "account_closed":
            self.result.state = "closed"
            self.result.outcome = "already_closed" if self.options.flow in ("close", "prepare") else "status_read"
            self.emit(ev.TextRecorded(label="account_closed", text=found.element.inner_text(), url=self.page.url))
            return False
        if which == "failed":
            message = self.redactor.scrub(found.element.inner_text().strip())
            if login.closed_when_refused and self.options.closure_recorded:
                return self._refused_after_closure(message)
            self.emit(ev.TextRecorded(label="login_failed", text=message, url=self.page.url))
            raise WrongPassword(message, reason="wrong_password", site_message=message, account=self.account,
                                keyring=getattr(self.inputs, "password_from_keyring", False))
        return True

    def _refused_after_closure(self, message: str) -> bool:
        """login.closed_when_refused: this site answers a closed account exactly like a wrong password, and the
        site accepted this account's closure earlier (the case says when). The refusal is then the evidence
        that the account is gone: recorded as its own step, with its screenshot, the site's words and why."""
        self.result.state = "closed"
        self.result.closed_by = "login_refused"
        self.result.closure_recorded = self.options.closure_recorded
        self.result.outcome = "already_closed" if self.options.flow == "close" else "status_read"
        self.index += 1
        self.total += 1
        step = m.WaitStep(visible=self.profile.login.failed, name=say("step.login_refused"), action="wait",
                          screen="result")
        self._current_step = step
        self.emit(ev.StepStarted(index=self.index, total=self.total, flow=self.flow, step=step))
        self.emit(ev.TextRecorded(label="login_refused_after_closure", text=message, url=self.page.url))
        self._keep_screen_text(step, None)
        self._finished(step, "ok", note=say("note.login_refused_after_closure",
                                            since=(self.options.closure_recorded or "")[:10]))
        return False

    def _read_status(self) -> None:
        status = self.profile.status
        which, found = locators.first_visible(self.page, status.states, self.options.timeout_ms,
                                              abort=self._site_failed_meanwhile)
        self.result.state = which
        self.result.outcome = "status_read"
        self.last_status_text = self.redactor.scrub(found.element.inner_text().strip())
        self.emit(ev.TextRecorded(label=f"status_{which}", text=self.last_status_text, url=self.page.url))
        for cap in status.captures:
            if locators.is_visible_now(self.page, cap.source):  # a state may show none (active: no number)
                self._do_capture(m.CaptureStep(capture=cap, action="capture"), cap)

    # ------------------------------------------------------------ the step types

    def _goto(self, step: m.GotoStep):
        url = step.url
        if url.startswith("/"):
            url = urljoin(self.page.url or self.start_url(), url)
        self._navigate(rebase(url, self.options.base_url) if not step.url.startswith("/") else url)

    def _click(self, step: m.ClickStep):
        found = self._resolve(step, step.target)
        self._keep_screen_text(step, found.element)
        found.element.click(timeout=self.timeout(step))
        return found.candidate.describe()

    def _secret_value(self, name: str) -> str:
        label = self.profile.credentials.get(name, {}).get("label", {"zh": name, "en": name})
        value = self.account if name == "account" else self.inputs.secret(name, label)
        if name != "account":
            self.redactor.add(value)
        return value

    def _typing_guard(self, element, what: str) -> None:
        """Never type a secret into a page or frame outside the profile's origins."""
        self._guard_origin(self.page.url, what)
        # The document's own origin: srcdoc frames inherit the page's; data: and sandboxed frames have none.
        origins = element.evaluate_all(  # one round trip (Locator.evaluate takes three)
            "els => els.map(el => el.ownerDocument.defaultView ? el.ownerDocument.defaultView.origin : 'null')")
        if not origins:
            raise SiteChanged(say("changed.field_gone", what=what), reason="not_found")
        origin = origins[0]
        if origin == "null":
            raise UnsafeAction(say("unsafe.opaque_frame", what=what),
                               reason="opaque_frame")
        self._guard_origin(origin + "/", what)

    def _guard_frames(self, locator: m.Locator, what: str) -> None:
        """A field in an iframe from an undeclared origin is refused before anything is looked up or typed."""
        for cand in locator.candidates:
            if cand.frame:
                sources = self.page.locator(cand.frame).evaluate_all("els => els.map(e => e.src || '')")
                for src in sources:
                    if src and not src.startswith("about:"):
                        self._guard_origin(src, what)

    def _fill(self, step: m.FillStep):
        if step.secret:
            self._guard_frames(step.target, f"credential '{step.secret}'")
        found = self._resolve(step, step.target)
        self._keep_screen_text(step, found.element)
        if step.secret:
            self._typing_guard(found.element, f"credential '{step.secret}'")
            value = self._secret_value(step.secret)
            if step.secret != "account":
                self.secret_fields.append(found.element)
        else:
            value = step.value
        found.element.fill(value, timeout=self.timeout(step))
        return found.candidate.describe()

    def _select(self, step: m.SelectStep):
        found = self._resolve(step, step.target)
        self._keep_screen_text(step, found.element)
        for option in step.options:
            labels = found.element.locator("option").all_inner_texts()
            if any(option == label.strip() for label in labels):
                found.element.select_option(label=option, timeout=self.timeout(step))
                return found.candidate.describe()
        raise SiteChanged(say("changed.no_option", step=step.title, options=", ".join(step.options)),
                          reason="not_found")

    def _check(self, step: m.CheckStep):
        found = self._resolve(step, step.target)
        self._keep_screen_text(step, found.element)
        found.element.check(timeout=self.timeout(step))
        if step.screen == "agreement":  # the evidence keeps the words the user agreed to, as text
            labels = found.element.evaluate_all(
                "els => els.map(el => (el.labels && el.labels.length ? Array.from(el.labels).map(l => l.innerText)"
                ".join(' ') : (el.closest('label') || el).innerText) || el.getAttribute('aria-label') || '')")
            label = labels[0] if labels else ""
            self.emit(ev.TextRecorded(label=step.title, text=self.redactor.scrub(label.strip()), url=self.page.url))
        return found.candidate.describe()

    def _press(self, step: m.PressStep):
        if step.target:
            found = self._resolve(step, step.target)
            self._keep_screen_text(step, found.element)
            found.element.press(step.key, timeout=self.timeout(step))
            return found.candidate.describe()
        self.page.keyboard.press(step.key)
        return None

    def _scroll(self, step: m.ScrollStep):
        # Each check scrolls again, and the end counts only once the height held still for a few checks:
        # agreements often load more text as the reader nears the end.
        if step.target is None:
            self.page.wait_for_function(_SCROLL_TO_END_JS, arg=None, polling=SCROLL_POLLING, timeout=self.timeout(step))
            return None
        found = self._resolve(step, step.target)
        if step.to == "element":
            found.element.scroll_into_view_if_needed(timeout=self.timeout(step))
        else:
            handle = found.element.element_handle(timeout=self.timeout(step))
            handle.owner_frame().wait_for_function(  # the box's own frame: it may sit in an iframe
                _SCROLL_TO_END_JS, arg=handle, polling=SCROLL_POLLING, timeout=self.timeout(step))
        self._keep_screen_text(step, found.element)  # after the scroll: the whole text, loaded to its end
        return found.candidate.describe()

    def _wait(self, step: m.WaitStep):
        if step.visible is not None:
            return self._resolve(step, step.visible).candidate.describe()
        if step.hidden is not None:
            locators.union(self.page, step.hidden).first.wait_for(state="hidden", timeout=self.timeout(step))
            return None
        self.page.wait_for_url(re.compile(step.url), timeout=self.timeout(step))
        return None

    def _precondition(self, step: m.PreconditionStep):
        which, found = locators.first_visible(self.page, {"ok": step.ok_if, "blocked": step.blocked_if},
                                              self.timeout(step), abort=self._site_failed_meanwhile)
        self._note_drift(step, found)
        # The conditions the site checked, as it showed them (passed or not): the whole region, not one line.
        self._keep_screen_text(step, found.element, label="precondition_ok" if which == "ok" else "precondition")
        if which == "ok":
            return found.candidate.describe()
        source = found.element
        if step.message is not None:
            source = locators.resolve(self.page, step.message, self.timeout(step)).element
        message = self.redactor.scrub(source.inner_text().strip())
        self.emit(ev.TextRecorded(label="blocked_by_site", text=message, url=self.page.url))
        raise BlockedBySite(message, site_message=message, step=step.title)

    def _verification_code(self, step: m.VerificationCodeStep):
        """One step for the whole exchange; the patterns (who sends, who checks) are in the profile."""
        self._stop_if_locked(step)
        totp = step.channel == "authenticator"
        by_submit = step.checked_by == "submit"
        outcomes = {"accepted": step.accepted}
        for key in ("locked", "expired", "wrong_code"):  # the lock's message often holds the wrong-code words
            if getattr(step, key) is not None:
                outcomes[key] = getattr(step, key)
        need_send = step.send is not None and not step.auto_send and not totp
        last_refusal = "wrong_code"
        for attempt in range(1, step.attempts + 1):
            if need_send:
                need_send = False
                self._send_code(step, first=attempt == 1)
            elif step.auto_send and attempt == 1 and step.sent is not None:
                # The site sent it when the page opened (or earlier, still in its countdown): that code is the
                # one to ask for. A resend button already usable means the countdown is over: still no new send.
                signs = {"sent": step.sent, **({"send": step.send} if step.send is not None else {})}
                _which, sign = locators.first_visible(self.page, signs, self.timeout(step),
                                                      abort=self._site_failed_meanwhile)
                self.emit(ev.TextRecorded(label="code_sent_by_site", text=sign.element.inner_text(),
                                          url=self.page.url))
            if totp and attempt > 1:
                self._wait_for_next_time_step(step)  # the last code may be single-use: never type it twice
            destination = ""
            if step.destination is not None and not totp:
                destination = self._resolve(step, step.destination).element.inner_text().strip()
            self.emit(ev.CodeRequested(destination=destination, channel=step.channel, attempt=attempt,
                                       resend_in_s=None if totp else self._resend_countdown(step)))
            code = clean_code(self.inputs.code(destination, step.channel, attempt))
            if code is None:
                raise NeedsUser("no verification code was given", reason="no_code")
            self.redactor.add(code)
            self._guard_frames(step.input, "verification code")
            field_ = self._resolve(step, step.input)
            self._typing_guard(field_.element, "verification code")
            self.secret_fields.append(field_.element)
            field_.element.fill(code)
            self._finished(step, "progress", note=say("note.code_entered"))
            if by_submit:
                self.code_at_submit = step  # the final submit sends it; its answer is read by the outcome
                return None
            stale = self._mark_stale({k: v for k, v in outcomes.items() if k != "accepted"})
            self._resolve(step, step.confirm).element.click(timeout=self.timeout(step))
            self._check_guard()  # a confirm that is really the final button was stopped: say so now
            self._await_fresh_answer(step.accepted, stale, self.timeout(step))
            which, found = locators.first_visible(self.page, outcomes, self.timeout(step),
                                                  abort=self._site_failed_meanwhile)
            if which == "accepted":
                return None
            message = self.redactor.scrub(found.element.inner_text().strip())
            self.emit(ev.TextRecorded(label=which, text=message, url=self.page.url))
            if which == "locked":
                raise CodeLocked(message, site_message=message, reason="code_locked")
            last_refusal = which
            if which == "expired":
                need_send = step.send is not None and not totp
            self.emit(ev.Retried(step=step, attempt=attempt, reason=message))
            self._finished(step, "warning", note=message)
        if last_refusal == "expired":
            raise CodeExpired(say("changed.code_expired_last"), attempts=step.attempts, reason="code_expired")
        raise WrongCode(say("changed.code_not_accepted"), attempts=step.attempts, reason="wrong_code")

    def _stop_if_locked(self, step: m.VerificationCodeStep) -> None:
        """A lock already on the page (too many wrong codes earlier): stop before anything is sent or typed."""
        if step.locked is None:
            return
        which, found = locators.first_visible(self.page, {"locked": step.locked, "input": step.input},
                                              self.timeout(step), abort=self._site_failed_meanwhile)
        if which == "locked":
            message = self.redactor.scrub(found.element.inner_text().strip())
            self.emit(ev.TextRecorded(label="locked", text=message, url=self.page.url))
            raise CodeLocked(message, site_message=message, reason="code_locked", before_typing=True)

    def _send_code(self, step: m.VerificationCodeStep, first: bool) -> None:
        waiting = self._countdown_running(step) if first and not step.auto_send else None
        send = None if waiting is not None else self._resolve(step, step.send).element
        if send is None or (first and not step.auto_send and not send.is_enabled()):
            # A countdown from a send before a page reload: that code is valid, do not ask twice.
            text = waiting.inner_text() if send is None else send.inner_text()
            self.emit(ev.TextRecorded(label="code_already_sent", text=text, url=self.page.url))
            return
        if not send.is_enabled():
            send = self._wait_out_countdown(step)
        # A sign left from the last send ("验证码已发送") is not the answer to this one: the person is asked for
        # the code only once the page has shown the new send (or the wait is over), never the old code's sign.
        stale = self._mark_stale({"sent": step.sent}) if step.sent is not None and not first else []
        send.click(timeout=self.timeout(step))
        if step.sent is not None:
            self._await_fresh_answer(None, stale, self.timeout(step))
            self._resolve(step, step.sent)

    def _wait_out_countdown(self, step: m.VerificationCodeStep):
        """A new code is allowed only after the page's countdown: wait it out (bounded), saying how long."""
        shown = ""
        for loc in (step.sent, step.send):
            if loc is not None and locators.is_visible_now(self.page, loc):
                shown = locators.union(self.page, loc).first.inner_text()
                break
        digits = re.search(r"\d+", shown)
        seconds = min(int(digits.group(0)), step.resend_wait_s) if digits else step.resend_wait_s
        self.emit(ev.Waiting(seconds=seconds, reason="the site allows a new code after its countdown"))
        send = locators.resolve(self.page, step.send, step.resend_wait_s * 1000).element
        deadline = time.monotonic() + step.resend_wait_s
        while not send.is_enabled():  # the countdown runs in the page; look again each poll
            if time.monotonic() > deadline:
                raise SiteChanged(say("changed.resend_unusable", step=step.title, seconds=step.resend_wait_s),
                                  reason="timeout")
            self.page.wait_for_timeout(locators.SLICE_MS)
        return send

    def _resend_countdown(self, step: m.VerificationCodeStep) -> Optional[int]:
        """The seconds the page's `sent` sign counts down before a new code may be asked for (重新发送(58s)),
        for the person waiting for the code; None when the page shows no countdown now."""
        if step.sent is None or not locators.is_visible_now(self.page, step.sent):
            return None
        try:
            shown = locators.union(self.page, step.sent).first.inner_text(timeout=locators.SLICE_MS)
        except PlaywrightError:
            return None
        digits = re.search(r"\d+", shown)
        return min(int(digits.group(0)), step.resend_wait_s) if digits else None

    def _wait_for_next_time_step(self, step: m.VerificationCodeStep) -> None:
        """Authenticator codes change every period_s seconds and may be single-use: wait for the next one."""
        now = time.time()
        seconds = step.period_s - (now % step.period_s) + 0.5
        self.emit(ev.Waiting(seconds=int(seconds + 0.5), reason="waiting for the authenticator app's next code"))
        self.page.wait_for_timeout(seconds * 1000)  # a wait for the clock itself: nothing on the page changes

    def _countdown_running(self, step: m.VerificationCodeStep):
        """The `sent` sign (a countdown) when it shows before anything was sent in this visit: many sites
        replace the send button's label with the countdown, so `send` itself cannot be found then."""
        if step.sent is None:
            return None
        which, found = locators.first_visible(self.page, {"send": step.send, "sent": step.sent}, self.timeout(step),
                                              abort=self._site_failed_meanwhile)
        return found.element if which == "sent" else None

    # The previous attempt's message may still be on screen when the next code is confirmed: mark it, and
    # read the answer only once it changed, went away, or the code was accepted (bounded by the timeout).
    _MARK_STALE_JS = ("el => { el.__closureStale = true; new MutationObserver(() => { el.__closureStale = false; })"
                      ".observe(el, {childList: true, characterData: true, subtree: true}); }")
    _STILL_STALE_JS = "el => el.isConnected && el.__closureStale === true && el.checkVisibility()"

    def _mark_stale(self, named: dict) -> list:
        handles = []
        for loc in named.values():
            for cand in loc.candidates:
                for handle in locators.build(self.page, cand).element_handles():
                    handle.evaluate(self._MARK_STALE_JS)
                    handles.append(handle)
        return handles

    def _await_fresh_answer(self, accepted: Optional[m.Locator], stale: list, timeout_ms: int) -> None:
        deadline = time.monotonic() + timeout_ms / 1000
        while stale and time.monotonic() < deadline:
            if accepted is not None and locators.is_visible_now(self.page, accepted):
                return
            for handle in stale:
                try:
                    if not handle.evaluate(self._STILL_STALE_JS):
                        return
                except PlaywrightError:  # the page moved on (navigation): the answer is on the new page
                    return
            self.page.wait_for_timeout(locators.POLL_MS)

    def _manual(self, step: m.ManualStep):
        # Headless, only an Inputs that can do the check itself (tests via a portal hook) may go on.
        handled = self.inputs.manual(step.instructions, headed=self.options.headed)
        if not self.options.headed and not handled:
            raise NeedsUser("this step needs a person in a visible browser; run again with --headed",
                            reason="manual", instructions=step.instructions)
        return locators.resolve(self.page, step.done_when, step.timeout_s * 1000).candidate.describe()

    def _capture(self, step: m.CaptureStep):
        return self._do_capture(step, step.capture)

    def _do_capture(self, step, cap: m.Capture):
        found = self._resolve(step, cap.source)
        text = found.element.inner_text().strip()
        value = text
        if cap.pattern:
            match = re.search(cap.pattern, text)
            if not match:
                raise SiteChanged(say("changed.capture", step=step.title, name=cap.name), reason="capture")
            value = match.group(1) if match.groups() else match.group(0)
        if cap.sensitive:
            self.redactor.add(value)
        self.result.captures[cap.name] = value if not cap.sensitive else mask_account(value)
        self.emit(ev.Captured(name=cap.name, value=self.result.captures[cap.name], sensitive=cap.sensitive))
        return found.candidate.describe()

    def _submit(self, step: m.SubmitStep):
        found = self._resolve(step, step.target)
        if self.options.dry_run:
            self._finished(step, "skipped", note=say("note.dry_run"))
            raise _DryRunStop()
        record = self.result.submit
        if record.clicked:
            raise UnsafeAction(say("unsafe.double_submit"), reason="double_submit")
        self._guard_origin(self.page.url, "submit")
        summary = {"site": self.profile.names, "account": self.result.account_masked, "url": self.page.url}
        if (step.request_url or "").startswith("TODO"):
            raise UnsafeAction(say("unsafe.request_url_todo"), reason="request_url_todo")
        if not self.inputs.confirm_submit(summary):
            raise NeedsUser("you did not confirm the irreversible submit", reason="declined")
        self._keep_screen_text(step, found.element)
        # Subscribers check they can record what follows (preflight), then record the attempt durably;
        # one that raises stops the click (nothing is armed yet).
        self.emit(ev.SubmitPreflight(url=self.page.url))
        self.emit(ev.SubmitStarting(url=self.page.url))
        if self.guard is not None:
            self.guard.arm()  # the first request to the endpoint from now on goes out; no other
        record.clicked = True  # from here on, never again in this run, whatever happens
        found.element.click(timeout=self.timeout(step), no_wait_after=False)
        return found.candidate.describe()

    def _submit_answer_failed(self) -> bool:
        """While waiting for the result page: the request failed, got a server error, or we were logged out."""
        record = self.result.submit
        if self.guard is not None and self.guard.violation is not None:
            return True
        if record.failure or (record.status is not None and record.status >= 500):
            return True
        return self._login_page_shows()

    def _outcome(self, step: m.OutcomeStep):
        named = dict(step.states)
        code = self.code_at_submit
        if code is not None:  # the final submit checked the code: its verdict shows here
            # The lock first: its message often contains the wrong-code words ("验证码错误次数过多").
            named.update({f"code_{k}": getattr(code, k) for k in ("locked", "expired", "wrong_code")
                          if getattr(code, k) is not None})
        which, found = locators.first_visible(self.page, named, self.timeout(step), abort=self._submit_answer_failed)
        self._note_drift(step, found)
        text = self.redactor.scrub(found.element.inner_text().strip())
        self.emit(ev.TextRecorded(label=f"outcome_{which}", text=text, url=self.page.url))
        self._keep_screen_text(step, found.element, label="result_text")  # the result page around the words
        record = self.result.submit
        if which.startswith("code_"):
            kind = which[len("code_"):]
            record.settle(sub.REJECTED, text, by="result_page", cause=kind)
            if kind == "locked":
                raise CodeLocked(text, site_message=text, reason="code_locked", at_submit=True)
            error = CodeExpired if kind == "expired" else WrongCode
            raise error(text, site_message=text, reason=kind, at_submit=True, attempts=1)
        if which == "failed":
            if record.status is not None and record.status >= 500:
                raise SiteError(text, site_message=text, reason="submit_server_error")  # only the status can tell
            record.settle(sub.REJECTED, text, by="result_page", cause="site_refused")
            raise SubmitRejected(text, site_message=text, reason="rejected")
        if not record.sent:
            self.result.warnings.append(
                f"the site shows the request taken, but no request matching submit.request_url "
                f"({self.submit_step.request_url if self.submit_step else '-'}) was seen: the profile's "
                f"request_url is probably wrong, so the guard did not cover the real request")
        self._accept(text, by="result_page")
        self.result.state = which
        self.result.outcome = "submitted" if which == "pending" else "closed"
        return found.candidate.describe()

    def _download(self, step: m.DownloadStep):
        """Click what makes the site offer a file, and hand the file to the subscribers (the evidence keeps it).
        Refused, and nothing kept: a file from outside the profile's origins (a link, a redirect), and one
        larger than the step's cap (by its declared length at once, else by its size once it arrived)."""
        found = self._resolve(step, step.target)
        what = step.title  # the profile's own words for the step, in the person's language as the profile has it
        cap = step.max_mb * 1024 * 1024
        links = found.element.evaluate_all("els => els.map(el => { const a = el.closest('a'); return a ? a.href : ''; })")
        link = links[0] if links else ""
        if link and link.startswith(("http:", "https:")):
            problem = url_problem(link, self.profile.origins)
            if problem:  # an off-site link is never followed, let alone its file kept
                raise UnsafeAction(say("unsafe.download_outside", what=what, url=link, problem=problem),
                                   reason="download_outside", url=link)
        got, declared = [], {}

        def on_download(download):
            got.append(download)

        def on_response(response):
            try:
                if response.request.is_navigation_request():
                    declared[response.url] = response.headers.get("content-length") or ""
            except PlaywrightError:
                pass
        page = self.page
        page.on("download", on_download)
        page.on("response", on_response)
        self.expecting_download = True
        try:
            found.element.click(timeout=self.timeout(step))
            deadline = time.monotonic() + self.timeout(step) / 1000
            while not got:
                if self.blocked_navigation:  # the click led off the site: the route stopped it
                    url = self.blocked_navigation
                    self.blocked_navigation = None
                    raise UnsafeAction(say("unsafe.download_outside", what=what, url=url,
                                           problem=url_problem(url, self.profile.origins) or url),
                                       reason="download_outside", url=url)
                if time.monotonic() > deadline:
                    raise SiteChanged(say("changed.no_download", step=step.title, seconds=self.timeout(step) // 1000),
                                      reason="timeout")
                page.wait_for_timeout(locators.POLL_MS)
        finally:
            self.expecting_download = False
            page.remove_listener("download", on_download)
            page.remove_listener("response", on_response)
        download = got[0]
        for extra in got[1:]:  # only the one file the step asked for
            extra.cancel()
        problem = url_problem(download.url, self.profile.origins)
        if problem:  # a redirect took it elsewhere
            download.cancel()
            self.blocked_navigation = None  # said here, in the download's own words
            raise UnsafeAction(say("unsafe.download_outside", what=what, url=download.url, problem=problem),
                               reason="download_outside", url=download.url)
        length = declared.get(download.url, "")
        if length.isdigit() and int(length) > cap:
            download.cancel()
            raise UnsafeAction(say("unsafe.download_too_large", what=what, mb=f"{int(length) / 2**20:.1f}",
                                   cap=step.max_mb), reason="download_too_large")
        path = download.path()  # waits until the whole file arrived
        failure = download.failure()
        if failure or path is None:
            raise SiteChanged(say("changed.download_failed", step=step.title, failure=failure or "-"),
                              reason="download_failed")
        size = os.path.getsize(path)
        if size > cap:
            download.delete()
            raise UnsafeAction(say("unsafe.download_too_large", what=what, mb=f"{size / 2**20:.1f}", cap=step.max_mb),
                               reason="download_too_large")
        try:
            self.emit(ev.Downloaded(step=step, name=step.save_as, path=path, suggested=download.suggested_filename,
                                    url=download.url, size=size, what=step.what))
        finally:
            download.delete()  # the browser's temporary copy; the evidence has its own
        return found.candidate.describe()

    def _switch_tab(self, step: m.SwitchTabStep):
        pages = self.page.context.pages
        self.page = pages[0] if step.which == "first" else pages[-1]
        self.page.bring_to_front()
        self._guard_origin(self.page.url, "switch_tab")
        return None
