"""Runs a typed profile in a real browser, step by step, and reports through events.

One complete dispatch over step types. Waiting is by explicit conditions (Playwright's
auto-waiting, element/URL states), never by fixed sleeps. The irreversible submit happens at most
once, only after every earlier step succeeded and the user confirmed.
"""
from __future__ import annotations

import re
import secrets as _secrets
from dataclasses import dataclass, field
from typing import Optional
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from assistant import events as ev
from assistant import locators
from assistant import profile_model as m
from assistant.errors import (AssistantError, BlockedBySite, NeedsUser, SiteChanged, SiteError,
                              UnsafeAction, WrongCode)
from assistant.interaction import Inputs, clean_code
from assistant.origins import url_problem
from assistant.redaction import Redactor, mask_account

DEFAULT_TIMEOUT_MS = 15_000


@dataclass
class RunOptions:
    flow: str = "close"              # close | status
    dry_run: bool = False
    headed: bool = False
    base_url: Optional[str] = None   # bundled portals: where the portal actually runs
    timeout_ms: int = DEFAULT_TIMEOUT_MS


@dataclass
class RunResult:
    run_id: str
    site: str
    account_masked: str
    flow: str
    outcome: str = "failed"          # submitted | already_closed | dry_run_ok | status_read | blocked | needs_user | failed
    state: Optional[str] = None      # what the site says: pending | closed | active | rejected
    captures: dict = field(default_factory=dict)
    submitted: bool = False
    submit_request: Optional[dict] = None
    error: Optional[AssistantError] = None
    failed_step: Optional[str] = None
    failed_index: Optional[int] = None
    drift: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    overlays_dismissed: int = 0

    @property
    def application_number(self) -> Optional[str]:
        return self.captures.get("application_number")


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
        m.OutcomeStep: "_outcome", m.SwitchTabStep: "_switch_tab",
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
        self.submit_responses: list = []
        self.result = RunResult(run_id=_secrets.token_hex(4), site=profile.id,
                                account_masked=mask_account(account), flow=options.flow)

    # ------------------------------------------------------------ plumbing

    def emit(self, event: ev.Event) -> None:
        for listener in self.listeners:
            listener.handle(event)

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
            raise UnsafeAction(f"{what}: {problem}", url=url)

    def _attach(self, page) -> None:
        """Everything a page needs before the run uses it: dialogs, overlays."""
        page.on("dialog", self._on_dialog)
        page.set_default_timeout(self.options.timeout_ms)
        for overlay in self.profile.overlays:
            def dismiss(_loc=None, overlay=overlay, page=page):
                target = locators.resolve(page, overlay.dismiss, 5_000)
                target.element.click()
                self.result.overlays_dismissed += 1
                self.emit(ev.OverlayDismissed(name=overlay.name, url=page.url))
            page.add_locator_handler(locators.union(page, overlay.appears), dismiss)

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
            if request.frame.parent_frame is None:
                self.blocked_navigation = request.url
            route.abort("blockedbyclient")
            return
        route.fallback()

    # ------------------------------------------------------------ the run

    def run(self, context) -> RunResult:
        """Drive `context` (a fresh Playwright BrowserContext) through the chosen flow."""
        profile = self.profile
        steps_by_flow = [("login", profile.login.steps)]
        if self.options.flow == "close":
            steps_by_flow.append(("close", profile.close_steps))
        elif self.options.flow == "status":
            steps_by_flow.append(("status", profile.status.steps if profile.status else []))
        self.total = sum(len(s) for _, s in steps_by_flow) + 1  # +1: opening the start page
        context.route("**/*", self._route)
        self.page = context.new_page()
        self._attach(self.page)
        browser_version = context.browser.version if context.browser else ""
        self.emit(ev.RunStarted(run_id=self.result.run_id, flow=self.options.flow, profile=profile,
                                account_masked=self.result.account_masked, total_steps=self.total,
                                browser=browser_version, dry_run=self.options.dry_run))
        try:
            self._open_start()
            self._run_steps("login", profile.login.steps)
            if self._after_login():
                if self.options.flow == "close":
                    self._run_steps("close", profile.close_steps)
                    if self.result.outcome == "failed" and self.result.submitted:
                        self.result.outcome = "submitted"
                else:
                    self._run_steps("status", profile.status.steps if profile.status else [])
                    self._read_status()
        except _DryRunStop:
            self.result.outcome = "dry_run_ok"
        except AssistantError as exc:
            self._fail(exc)
        except PlaywrightError as exc:
            self._fail(SiteChanged(self._plain_playwright(exc), reason="browser"))
        self.emit(ev.RunFinished(result=self.result))
        return self.result

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
        opening = m.GotoStep(url=url, name="open", action="goto")
        self._current_step = opening
        self.emit(ev.StepStarted(index=self.index, total=self.total, flow="login", step=opening))
        self._navigate(url)
        self.emit(ev.StepFinished(index=self.index, total=self.total, flow="login", step=opening,
                                  status="ok", url=self.page.url, page=self.page, masks=self._masks()))

    def _navigate(self, url: str) -> None:
        self._guard_origin(url, "goto")
        response = self.page.goto(url, wait_until="domcontentloaded")
        if self.blocked_navigation:
            raise UnsafeAction(f"navigation to {self.blocked_navigation} was blocked",
                               url=self.blocked_navigation)
        if response is not None and response.status >= 500:
            raise SiteError(f"{url} answered HTTP {response.status}", url=url)

    def _run_steps(self, flow: str, steps: list[m.Step]) -> None:
        self.flow = flow
        for step in steps:
            self.index += 1
            self._current_step = step
            self.emit(ev.StepStarted(index=self.index, total=self.total, flow=flow, step=step))
            if step.if_visible is not None and not locators.is_visible_now(self.page, step.if_visible):
                self._finished(step, "skipped", note="condition not visible")
                continue
            self.expected_dialog = step.dialog
            try:
                matched = self._perform(step)
            except SiteChanged as exc:
                if not step.optional:
                    raise
                self.result.warnings.append(f"{step.title}: {exc.detail}")
                self._finished(step, "warning", note=exc.detail)
                continue
            finally:
                self.expected_dialog = None
            if self.blocked_navigation:
                raise UnsafeAction(f"navigation to {self.blocked_navigation} was blocked",
                                   url=self.blocked_navigation)
            self._finished(step, "ok", matched=matched)

    def _finished(self, step, status, matched=None, note=""):
        self.emit(ev.StepFinished(index=self.index, total=self.total, flow=self.flow, step=step,
                                  status=status, url=self.page.url, page=self.page, masks=self._masks(),
                                  matched=matched, note=note))

    def _perform(self, step: m.Step) -> Optional[str]:
        handler = getattr(self, self.DISPATCH[type(step)])
        try:
            if step.opens_tab:
                with self.page.context.expect_page(timeout=self.timeout(step)) as new_page:
                    matched = handler(step)
                self.page = new_page.value
                self._attach(self.page)
                self.page.wait_for_load_state("domcontentloaded")
                self._guard_origin(self.page.url, "new tab")
                return matched
            return handler(step)
        except PlaywrightTimeout as exc:
            raise SiteChanged(f"{step.title}: {self._plain_playwright(exc)}", reason="timeout") from None

    def _resolve(self, step: m.Step, locator: m.Locator) -> locators.Resolved:
        found = locators.resolve(self.page, locator, self.timeout(step))
        if found.drifted:
            desc = found.candidate.describe()
            self.result.drift.append({"step": step.title, "candidate": desc, "index": found.index})
            self.emit(ev.Drift(step=step, candidate_index=found.index, candidate=desc))
        return found

    # ------------------------------------------------------------ login and status

    def _after_login(self) -> bool:
        """True when logged in; False when the site says the account is already closed."""
        login = self.profile.login
        named = {"logged_in": login.logged_in}
        if login.account_closed:
            named["account_closed"] = login.account_closed
        if login.failed:
            named["failed"] = login.failed
        which, found = locators.first_visible(self.page, named, self.options.timeout_ms)
        if which == "account_closed":
            self.result.state = "closed"
            self.result.outcome = "already_closed" if self.options.flow == "close" else "status_read"
            self.emit(ev.TextRecorded(label="account_closed", text=found.element.inner_text(), url=self.page.url))
            return False
        if which == "failed":
            message = found.element.inner_text().strip()
            raise NeedsUser(message, reason="login_failed", site_message=message)
        return True

    def _read_status(self) -> None:
        status = self.profile.status
        which, found = locators.first_visible(self.page, status.states, self.options.timeout_ms)
        self.result.state = which
        self.result.outcome = "status_read"
        self.emit(ev.TextRecorded(label=f"status_{which}", text=self.redactor.scrub(found.element.inner_text()),
                                  url=self.page.url))
        for cap in status.captures:
            self._do_capture(m.CaptureStep(capture=cap, action="capture"), cap)

    # ------------------------------------------------------------ the step types

    def _goto(self, step: m.GotoStep):
        url = step.url
        if url.startswith("/"):
            url = urljoin(self.page.url or self.start_url(), url)
        self._navigate(rebase(url, self.options.base_url) if not step.url.startswith("/") else url)

    def _click(self, step: m.ClickStep):
        found = self._resolve(step, step.target)
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
        frame_url = element.evaluate("el => el.ownerDocument.location.href")
        self._guard_origin(frame_url, what)

    def _fill(self, step: m.FillStep):
        found = self._resolve(step, step.target)
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
        for option in step.options:
            labels = found.element.locator("option").all_inner_texts()
            if any(option == label.strip() for label in labels):
                found.element.select_option(label=option, timeout=self.timeout(step))
                return found.candidate.describe()
        raise SiteChanged(f"{step.title}: none of the options {list(step.options)} exist", reason="not_found")

    def _check(self, step: m.CheckStep):
        found = self._resolve(step, step.target)
        found.element.check(timeout=self.timeout(step))
        return found.candidate.describe()

    def _press(self, step: m.PressStep):
        if step.target:
            found = self._resolve(step, step.target)
            found.element.press(step.key, timeout=self.timeout(step))
            return found.candidate.describe()
        self.page.keyboard.press(step.key)
        return None

    def _scroll(self, step: m.ScrollStep):
        if step.target is None:
            self.page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
            return None
        found = self._resolve(step, step.target)
        if step.to == "element":
            found.element.scroll_into_view_if_needed()
        else:
            found.element.evaluate("el => { el.scrollTop = el.scrollHeight; }")
            # Scrolling fires the site's scroll listener; wait until the box really is at its end.
            found.element.page.wait_for_function(
                "el => el.scrollTop + el.clientHeight >= el.scrollHeight - 2", arg=found.element.element_handle(),
                timeout=self.timeout(step))
        if step.screen == "agreement":
            self.emit(ev.TextRecorded(label=step.title, text=found.element.inner_text(), url=self.page.url))
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
                                              self.timeout(step))
        if which == "ok":
            return found.candidate.describe()
        source = found.element
        if step.message is not None:
            source = locators.resolve(self.page, step.message, self.timeout(step)).element
        message = self.redactor.scrub(source.inner_text().strip())
        self.emit(ev.TextRecorded(label="blocked_by_site", text=message, url=self.page.url))
        raise BlockedBySite(message, site_message=message, step=step.title)

    def _verification_code(self, step: m.VerificationCodeStep):
        need_send = step.send is not None
        outcomes = {"accepted": step.accepted}
        for key in ("wrong_code", "expired", "locked"):
            if getattr(step, key) is not None:
                outcomes[key] = getattr(step, key)
        for attempt in range(1, step.attempts + 1):
            if need_send:
                self._resolve(step, step.send).element.click(timeout=self.timeout(step))
                need_send = False
                if step.sent is not None:
                    self._resolve(step, step.sent)
            destination = ""
            if step.destination is not None:
                destination = self._resolve(step, step.destination).element.inner_text().strip()
            self.emit(ev.CodeRequested(destination=destination, channel=step.channel, attempt=attempt))
            code = clean_code(self.inputs.code(destination, step.channel, attempt))
            if code is None:
                raise NeedsUser("no verification code was given", reason="no_code")
            self.redactor.add(code)
            field_ = self._resolve(step, step.input)
            self._typing_guard(field_.element, "verification code")
            self.secret_fields.append(field_.element)
            field_.element.fill(code)
            self._finished(step, "progress", note="code entered (masked)")
            self._resolve(step, step.confirm).element.click(timeout=self.timeout(step))
            which, found = locators.first_visible(self.page, outcomes, self.timeout(step))
            if which == "accepted":
                return None
            message = self.redactor.scrub(found.element.inner_text().strip())
            self.emit(ev.TextRecorded(label=which, text=message, url=self.page.url))
            if which == "locked":
                raise BlockedBySite(message, site_message=message, reason="code_locked")
            if which == "expired":
                need_send = True
            self.emit(ev.Retried(step=step, attempt=attempt, reason=message))
            self._finished(step, "warning", note=message)
        raise WrongCode("the site did not accept the code", attempts=step.attempts)

    def _manual(self, step: m.ManualStep):
        if not self.options.headed:
            raise NeedsUser("this step needs a person in a visible browser; run again with --headed",
                            reason="manual", instructions=step.instructions)
        self.inputs.manual(step.instructions)
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
                raise SiteChanged(f"{step.title}: '{cap.name}' not found in the text", reason="capture")
            value = match.group(1) if match.groups() else match.group(0)
        if cap.sensitive:
            self.redactor.add(value)
        self.result.captures[cap.name] = value if not cap.sensitive else mask_account(value)
        self.emit(ev.Captured(name=cap.name, value=self.result.captures[cap.name], sensitive=cap.sensitive))
        return found.candidate.describe()

    def _submit(self, step: m.SubmitStep):
        found = self._resolve(step, step.target)
        if self.options.dry_run:
            self._finished(step, "skipped", note="dry run: the irreversible submit was not made")
            raise _DryRunStop()
        if self.result.submitted:
            raise UnsafeAction("the closure was already submitted in this run", reason="double_submit")
        self._guard_origin(self.page.url, "submit")
        summary = {"site": self.profile.names, "account": self.result.account_masked, "url": self.page.url}
        if not self.inputs.confirm_submit(summary):
            raise NeedsUser("you did not confirm the irreversible submit", reason="declined")
        pattern = re.compile(step.request_url) if step.request_url else None
        responses = self.submit_responses

        def on_response(response):
            if pattern and pattern.search(response.url):
                responses.append({"url": response.url, "method": response.request.method,
                                  "status": response.status})
        self.page.on("response", on_response)
        self.emit(ev.SubmitStarting(url=self.page.url))
        self.result.submitted = True  # from here on, never again in this run, whatever happens
        found.element.click(timeout=self.timeout(step), no_wait_after=False)
        return found.candidate.describe()

    def _outcome(self, step: m.OutcomeStep):
        which, found = locators.first_visible(self.page, step.states, self.timeout(step))
        text = self.redactor.scrub(found.element.inner_text().strip())
        self.emit(ev.TextRecorded(label=f"outcome_{which}", text=text, url=self.page.url))
        if self.submit_responses:
            self.result.submit_request = self.submit_responses[-1]
            self.emit(ev.SubmitDone(url=self.page.url, request_url=self.submit_responses[-1]["url"],
                                    response_status=self.submit_responses[-1]["status"]))
        if which == "failed":
            raise SiteError(text, site_message=text, reason="submit_failed")
        self.result.state = which
        self.result.outcome = "submitted" if which == "pending" else "closed"
        return found.candidate.describe()

    def _switch_tab(self, step: m.SwitchTabStep):
        pages = self.page.context.pages
        self.page = pages[0] if step.which == "first" else pages[-1]
        self.page.bring_to_front()
        self._guard_origin(self.page.url, "switch_tab")
        return None
