"""closure-assistant witness URL | SITE: you close the account by hand; the tool keeps the proof."""
from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Optional

from assistant.cli.commands import add_command
from assistant.cli.commands.cases import db_option, open_store
from assistant.errors import AssistantError, ExitStatus

DESCRIPTION = """Close your account by hand, for a lender that has no profile yet (or any site), and let
the tool keep the proof.

A visible browser opens on URL (a phone layout with --mobile), or on a known SITE's start page with
its device settings. You do everything yourself: log in, click through to the closure, submit. The tool
never clicks, types or opens a page for you, and sends no request of its own. It records every page you
reach, every click, the site's dialogs, new tabs and downloads: a full-page screenshot and the page's
HTML once the page has settled, with the URL and the time. Passwords, verification codes and anything
you hide from the toolbar are blacked out; what you type is never recorded, only that a field was filled.

The toolbar on the page (top right on a phone layout, bottom right otherwise; ⇅ moves it):
  Next click is the final submit   press it, then the final button: the request that click sends
                                   (method, address, the site's answer, times) is recorded
  Mark this screen                 a retention screen, agreement, notice or the result, kept in full
  Hide                             click something sensitive: later screenshots black it out
  Note                             a sentence of yours in the evidence
  Finish                           then answer in the terminal how it ended

Afterwards the tool asks how it ended (submitted and pending, closed, refused, gave up) and the
application number (offering the numbers on the last page), writes the evidence report, records the
case with its deadline (see closure-assistant cases), and writes a site profile draft from your walk,
so that the next borrower of this lender can use closure-assistant close.

--headless is for the tool's own tests only: no window opens, and a test script plays the person.

exit statuses: 0 submitted or closed, 3 the platform refused, 4 not finished (gave up), 2 bad usage,
9 the site could not be opened, 15 this computer (evidence folder, case store, browser), 130 Ctrl-C.

examples:
  closure-assistant witness https://m.acme-loan.example/login --mobile --site-name 某某贷 --account 13800000001
  closure-assistant witness demo-lender --account 13800000001
"""


def add_parser(sub):
    p = add_command(sub, "witness", "close an account by hand in a visible browser; the tool keeps the proof", run,
                    DESCRIPTION)
    p.add_argument("target", metavar="URL|SITE", help="the lender's page to start from (https://…), or a known site id")
    p.add_argument("--account", help="the account you close (phone number, e-mail): keys the case; never typed for you")
    p.add_argument("--site-name", metavar="NAME", help="the lender's name, for the report and the draft (e.g. 某某贷)")
    p.add_argument("--id", dest="site_id", metavar="ID",
                   help="the id for the case and the draft profile: lower-case letters, digits, dashes "
                        "(default: from the address)")
    p.add_argument("--mobile", action="store_true", help="a phone layout (H5 sites); a known SITE uses its own")
    p.add_argument("--output", type=Path, metavar="PATH",
                   help="where the draft profile goes: a folder or ID.yaml (default: your profile folder)")
    p.add_argument("--force", action="store_true", help="replace an existing draft file")
    p.add_argument("--evidence-dir", metavar="DIR", type=Path,
                   help="where run folders go (default: your data directory/evidence)")
    p.add_argument("--base-url", metavar="URL", help="a known SITE runs here (bundled practice portals)")
    p.add_argument("--browser-path", metavar="PATH", help="Chromium/Chrome executable")
    p.add_argument("--headless", action="store_true", help="for the tool's tests only: no window; a test plays the person")
    db_option(p)


class UsageProblem(AssistantError):
    exit_status = ExitStatus.USAGE
    message_key = "error.usage"


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def resolve_site(args, lang: str):
    """("url", WitnessSite) for a web address, ("profile", Profile) for a known site."""
    from assistant.errors import ProfileNotFound
    from assistant.messages import say
    from assistant.profiles.scaffold import ScaffoldProblem, check_id, site_origin
    from assistant.witness.site import from_url
    if args.site_id:
        try:
            check_id(args.site_id)
        except ScaffoldProblem as problem:
            raise UsageProblem(say(problem.key, **problem.params)) from None
    if "://" in args.target:
        if args.base_url:
            raise UsageProblem(say("witness.base_url_with_url"))
        try:
            site_origin(args.target)
        except ScaffoldProblem:
            raise UsageProblem(say("witness.bad_url", url=args.target)) from None
        return "url", from_url(args.target, site_id=args.site_id, name=args.site_name, mobile=args.mobile)
    from assistant.profiles.registry import load_site
    try:
        profile = load_site(args.target)
    except ProfileNotFound:
        raise UsageProblem(say("witness.bad_target", target=args.target)) from None
    return "profile", profile


class TerminalQuestions:
    """The questions at the end, in the terminal. Without an answer (end of input), Enter's choice."""

    def __init__(self, lang: str):
        self.lang = lang

    def _input(self, prompt: str) -> Optional[str]:
        try:
            return input(prompt)
        except EOFError:
            print(file=sys.stdout)
            return None

    def verdict(self, ending):
        from assistant.messages import t
        from assistant.witness.outcome import OUTCOMES, Verdict
        lang = self.lang
        _say(t(f"witness.ended.{ending.ended}", lang))
        if not ending.marked_submit:
            _say(t("witness.no_submit_marked", lang))
        elif not ending.submit.sent:
            _say(t("witness.no_request_seen", lang))
        default = OUTCOMES.index(ending.default) + 1
        outcome = ending.default
        for _attempt in range(3):
            answer = self._input(t("witness.ask_outcome", lang, default=default))
            if answer is None or not answer.strip():
                break
            if answer.strip() in ("1", "2", "3", "4"):
                outcome = OUTCOMES[int(answer.strip()) - 1]
                break
            _say(t("witness.not_a_choice", lang))
        verdict = Verdict(outcome)
        if outcome == "refused":
            verdict.reason = (self._input(t("witness.ask_reason", lang)) or "").strip()
        elif outcome == "gave_up":
            verdict.reason = (self._input(t("witness.ask_why_stopped", lang)) or "").strip()
        else:
            verdict.application_number = self._number(ending.numbers)
        return verdict

    def _number(self, numbers: list) -> Optional[str]:
        from assistant.messages import t
        if not numbers:
            answer = self._input(t("witness.ask_number_free", self.lang))
            return (answer or "").strip() or None
        _say(t("witness.numbers", self.lang))
        for i, number in enumerate(numbers, 1):
            _say(f"  {i} {number}")
        answer = (self._input(t("witness.ask_number", self.lang)) or "").strip()
        if not answer:
            return numbers[0]
        if answer == "0":
            return None
        if answer.isdigit() and 1 <= int(answer) <= len(numbers):
            return numbers[int(answer) - 1]
        return answer[:80]

    def account(self) -> Optional[str]:
        from assistant.messages import t
        return (self._input(t("witness.ask_account", self.lang)) or "").strip() or None


def run(args, lang: str) -> int:
    from assistant.engine.runner import site_base_url
    from assistant.driving.executor import rebase
    from assistant.witness.site import from_profile
    kind, found = resolve_site(args, lang)
    if kind == "url":
        return _witness(args, lang, found)
    profile = found
    with site_base_url(profile, args.base_url) as (base_url, _server):
        site = from_profile(profile, rebase(profile.start_url, base_url), name=args.site_name)
        return _witness(args, lang, site)


def _witness(args, lang: str, site) -> int:
    from assistant.cases.store import SUBMITTED_STATES
    from assistant.cli.commands.close import case_lines
    from assistant.messages import t
    from assistant.redaction import mask_account
    from assistant.settings import evidence_root
    from assistant.witness.run import witness
    account = site.account(args.account) if args.account else None
    _check_output(args, site)
    with open_store(args) as store:
        if account:
            earlier = store.case(site.id, account)
            if earlier is not None and earlier.state in SUBMITTED_STATES:
                _say(t("witness.already_submitted", lang, site=site.display_name(lang), account=mask_account(account),
                       state=t(f"case.{earlier.state}", lang)))
        _say(t("witness.intro", lang, site=site.start_url))

        def on_step(index: int, names: dict) -> None:
            _say(t("witness.step", lang, i=index, name=names.get(lang) or names["en"]))
        record = witness(site, account=account, questions=TerminalQuestions(lang),
                         evidence_root=args.evidence_dir or evidence_root(), store=store, lang=lang,
                         headed=not args.headless, browser_path=args.browser_path, draft_output=args.output,
                         draft_id=args.site_id, force=args.force, on_step=on_step)
        for line in summary_lines(record, lang):
            print(line, flush=True)
        if record.account is None:
            _say(t("witness.no_case", lang))
        elif record.case_error:
            _say(t("witness.case_failed", lang, detail=record.case_error))
        for line in case_lines(record.case, lang, show_deadline=True):
            print(line, flush=True)
        for line in draft_lines(record, lang):
            print(line, flush=True)
    return exit_status(record)


def _check_output(args, site) -> None:
    """--output FILE.yaml must be named after the draft's id: said now, not after the person's walk."""
    from assistant.messages import say
    from assistant.profiles.scaffold import ScaffoldProblem, output_path
    from assistant.witness.draft import draft_id
    try:
        output_path(draft_id(site, args.site_id), args.output)
    except ScaffoldProblem as problem:
        raise UsageProblem(say(problem.key, **problem.params)) from None


def summary_lines(record, lang: str) -> list[str]:
    """The same words as at the end of `close`, and for a walk without an outcome, where it stopped."""
    from assistant.cli.summary import after_submit_lines, outcome_lines
    from assistant.messages import t
    verdict = record.verdict
    lines: list[str] = []
    if record.result is not None:
        lines += outcome_lines(record, record.site, lang, record.result.deadline)
        if verdict.outcome == "refused":
            lines.append(t("witness.refused", lang, reason=verdict.reason or "-"))
        lines += after_submit_lines(dataclasses.replace(record, case_error=""), lang)  # the case is said below
        return lines
    lines.append(t("witness.gave_up", lang, url=record.last_url or record.site.start_url))
    if record.evidence_dir:
        lines.append(t("result.evidence", lang, path=record.evidence_dir))
    if record.final_hash:
        lines.append(t("result.final_hash", lang, hash=record.final_hash))
    return lines


def draft_lines(record, lang: str) -> list[str]:
    from assistant.messages import t
    draft = record.draft
    if draft.path is None:
        return [t("witness.no_draft", lang)]
    if not draft.valid:
        return [t("witness.draft_rejected", lang, path=draft.path, detail=draft.problem)]
    return [t("witness.draft", lang, path=draft.path, todos=draft.todos, id=draft.id)]


def exit_status(record) -> int:
    outcome = record.verdict.outcome
    if outcome == "refused":
        return int(ExitStatus.BLOCKED_BY_SITE)
    if outcome == "gave_up":
        return int(ExitStatus.NEEDS_USER)
    if record.environment_problem:
        return int(ExitStatus.ENVIRONMENT)
    return 0
