"""closure-assistant profiles list | validate | new | check | record"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.cli.commands import add_command, common_options


def add_parser(sub):
    p = add_command(sub, "profiles", "list, validate, create, record and check site profiles", lambda a, l: _no_action(p), 
                    "Site profiles describe each platform's closure path. See docs/writing-profiles.md.")
    psub = p.add_subparsers(dest="profiles_command", metavar="ACTION")
    plist = psub.add_parser("list", help="the sites this tool knows")
    plist.set_defaults(handler=run_list)
    common_options(plist)
    pshow = psub.add_parser("show", help="what a profile says about its site: closure routes, fees, what to do first")
    pshow.add_argument("site", metavar="SITE", help="profile id (see profiles list) or a .yaml path")
    pshow.set_defaults(handler=run_show)
    common_options(pshow)
    pval = psub.add_parser("validate", help="check profiles; prints file:line:column and a sentence per problem",
                           description=VALIDATE_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    pval.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                      help="profile files or folders (default: every known profile)")
    pval.set_defaults(handler=run_validate)
    common_options(pval)
    add_authoring_actions(psub)


def _no_action(parser) -> int:
    parser.print_help()
    return 2


def run_list(args, lang: str) -> int:
    from assistant.errors import AssistantError
    from assistant.messages import t
    from assistant.profiles.loader import load_profile
    from assistant.profiles.registry import profile_paths
    for site, path in profile_paths().items():
        try:
            p = load_profile(path)
            routes = ",".join(p.closure.routes)
            modes = ",".join(p.closure.modes) or "-"  # what a user needs before starting: how, and how current
            verified = (p.verified or {}).get("date", "-")
            names = f"{p.names['zh']} / {p.names['en']}"
            if p.is_practice:  # a bundled practice portal on this computer, not a lender
                names += ("" if lang == "zh" else " ") + t("profiles.practice_mark", lang)
            print(f"{site}\t{names}\t{routes}\t{modes}\t{verified}\t{path}")
        except AssistantError:
            print(f"{site}\t{t('profiles.invalid_mark', lang, path=path)}\t-\t-\t-\t{path}")
    return 0


def run_show(args, lang: str) -> int:
    from assistant.cli.facts import profile_facts
    from assistant.profiles.registry import load_site
    for line in profile_facts(load_site(args.site), lang):
        print(line)
    return 0


VALIDATE_HELP = """Check site profiles without a browser: the YAML, the schema and the safety rules.
Prints one line per problem, file:line:column and a sentence, then a count of the files.
A folder stands for every *.yaml and *.yml file under it (sub-folders too, hidden ones skipped).

exit statuses: 0 every file valid, 5 a problem was found.

examples:
  closure-assistant profiles validate
  closure-assistant profiles validate my-profiles/
  closure-assistant profiles validate acme-loan.yaml other/ more.yml
"""


def run_validate(args, lang: str) -> int:
    from assistant.messages import problem_line, t
    from assistant.profiles.loader import validate_paths
    from assistant.profiles.registry import profile_files, profile_paths
    files, empty = profile_files(list(args.paths)) if args.paths else (list(profile_paths().values()), [])
    problems = [(str(folder), 1, 1, t("validate.empty_folder", lang)) for folder in empty]
    problems += validate_paths(files)
    for problem in problems:
        print(problem_line(problem, lang))
    bad = {p[0] for p in problems} - {str(folder) for folder in empty}
    print(t("validate.summary", lang, files=len(files), valid=len(files) - len(bad), invalid=len(bad),
            problems=len(problems), file_noun=t("validate.file_one" if len(files) == 1 else "validate.file_many", lang),
            noun=t("profiles.problem_one" if len(problems) == 1 else "profiles.problem_many", lang)),
          file=sys.stderr)
    return 5 if problems else 0


# ---------------------------------------------------------------- new, check, record (adding a site)

NEW_HELP = """Write a commented profile skeleton that validates, into your profile folder (or --output).
Every site-specific value is a "TODO …" to replace with the site's real words.

examples:
  closure-assistant profiles new
  closure-assistant profiles new --id acme-loan --name-zh 某某贷 --name-en "Acme Loan" \\
      --url https://m.acme.example/login --route online
"""

CHECK_HELP = """Walk SITE's profile without submitting: log in and follow every step up to the final
submit, whose button is looked for but never clicked. Prints each step with the locator that found
it (and which fallback), or exactly which step and locator broke when the site has changed, and the
folder holding a screenshot of every step. Safe to run at any time.

For a bundled demo profile the demo portal is started for you (--redesign: its redesigned variant).

exit statuses: 0 every step found, 6 a step broke (the site changed), others as for close.

examples:
  closure-assistant profiles check demo-lender
  closure-assistant profiles check demo-lender --redesign
  closure-assistant profiles check acme-loan --account 13800000000 --code-command my-sms-reader
"""

RECORD_HELP = """Open a visible browser at URL and record a profile draft while you log in and click your way
to the closure. Every click, entry and choice is recorded with the most robust locator (role and
name, label, placeholder, text; CSS last). Passwords, codes and your account are recorded as
references (secret: password / account), never their values.

The final button: clicking it really submits. Use the toolbar's "Mark as final submit (don't click)"
and then click the button: it is recorded, not clicked. After recording, the steps are listed and
you say which is the final submit and which entry was the code (or give --submit-step/--code-step).

examples:
  closure-assistant profiles record acme-loan --url https://m.acme.example/login --mobile
  closure-assistant profiles record acme-loan --url https://m.acme.example/login --submit-step 17 --code-step 15
"""


def add_authoring_actions(psub) -> None:
    import argparse

    from assistant.cli.commands import browser_options
    fmt = argparse.RawDescriptionHelpFormatter
    pnew = psub.add_parser("new", help="write a commented profile skeleton for a new site", description=NEW_HELP,
                           formatter_class=fmt)
    pnew.add_argument("--id", help="profile id and file name: lower-case letters, digits, dashes")
    pnew.add_argument("--name-zh", help="the site's Chinese name")
    pnew.add_argument("--name-en", help="the site's English name")
    pnew.add_argument("--url", help="the login page (https://…; http only on 127.0.0.1/localhost)")
    pnew.add_argument("--route", choices=["online", "in_app", "customer_service", "email"],
                      help="how closure is requested (default online)")
    pnew.add_argument("--output", type=Path, metavar="PATH",
                      help="a folder or ID.yaml file (default: your profile folder)")
    pnew.add_argument("--force", action="store_true", help="replace an existing file")
    pnew.set_defaults(handler=run_new)
    common_options(pnew)

    pcheck = psub.add_parser("check", help="walk a profile up to (never including) the final submit",
                             description=CHECK_HELP, formatter_class=fmt)
    pcheck.add_argument("site", metavar="SITE", help="profile id or .yaml path")
    pcheck.add_argument("--account", help="the login to check with (default for demo profiles: the demo account)")
    pcheck.add_argument("--redesign", action="store_true", help="bundled demo portals: start the redesigned variant")
    pcheck.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    pcheck.add_argument("--code-command", metavar="CMD", help="run CMD to get the verification code (as for close)")
    browser_options(pcheck)
    pcheck.set_defaults(handler=run_check)
    common_options(pcheck)

    prec = psub.add_parser("record", help="record a profile draft in a visible browser", description=RECORD_HELP,
                           formatter_class=fmt)
    prec.add_argument("name", metavar="NAME", help="the new profile's id (also its file name)")
    prec.add_argument("--url", required=True, help="where to start: the site's login page")
    prec.add_argument("--name-zh", help="the site's Chinese name (default: NAME)")
    prec.add_argument("--name-en", help="the site's English name (default: NAME)")
    prec.add_argument("--account", help="the login you will type; recorded as `secret: account`, never its value")
    prec.add_argument("--mobile", action="store_true", help="record as a phone (H5 sites)")
    prec.add_argument("--submit-step", type=int, metavar="N", help="step N (as listed) is the irreversible submit")
    prec.add_argument("--code-step", type=int, metavar="N", help="entry N (as listed) was the verification code")
    prec.add_argument("--outcome-text", action="append", default=[], metavar="TEXT",
                      help="what the site says after a successful submit (repeatable)")
    prec.add_argument("--output", type=Path, metavar="PATH", help="a folder or NAME.yaml file (default: your profile folder)")
    prec.add_argument("--force", action="store_true", help="replace an existing file")
    prec.add_argument("--browser-path", metavar="PATH", help="Chromium/Chrome executable")
    prec.set_defaults(handler=run_record)
    common_options(prec)


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- new

def new_answers(args, lang: str, ask) -> dict:
    """The values for a skeleton from the options, asking (via `ask`) for what is missing."""
    from assistant.messages import t
    from assistant.profiles.scaffold import ROUTES, ScaffoldProblem, check_id, site_origin, suggest_id
    values = {"id": args.id, "name_zh": args.name_zh, "name_en": args.name_en, "url": args.url, "route": args.route}
    if not values["id"] and args.output is not None and args.output.suffix in (".yaml", ".yml"):
        values["id"] = args.output.stem
    if ask is None:
        missing = [flag for key, flag in (("name_zh", "--name-zh"), ("name_en", "--name-en"), ("url", "--url"))
                   if not values[key]]
        if not missing and not values["id"]:
            values["id"] = suggest_id(values["name_en"]) or ""
            if not values["id"]:
                missing.append("--id")
        if missing:
            raise ScaffoldProblem("new.missing", flags=", ".join(missing))
        values["route"] = values["route"] or "online"
        return values

    def prompt(key: str, message: str, valid, default: str = "") -> str:
        for _attempt in range(3):
            answer = ask(message).strip() or default
            try:
                if answer and valid(answer) is not False:
                    return answer
            except ScaffoldProblem as problem:
                _say(t(problem.key, lang, **problem.params))
        raise ScaffoldProblem("new.missing", flags=f"--{key.replace('_', '-')}")

    if not values["name_zh"]:
        values["name_zh"] = prompt("name_zh", t("new.prompt_name_zh", lang), lambda v: True)
    if not values["name_en"]:
        values["name_en"] = prompt("name_en", t("new.prompt_name_en", lang), lambda v: True, values["name_zh"])
    if not values["url"]:
        values["url"] = prompt("url", t("new.prompt_url", lang), site_origin)
    if not values["id"]:
        from urllib.parse import urlsplit
        host = (urlsplit(values["url"]).hostname or "").split(".")
        default = suggest_id(values["name_en"]) or suggest_id(host[-2] if len(host) >= 2 else host[0]) or "my-site"
        values["id"] = prompt("id", t("new.prompt_id", lang, default=default), check_id, default)
    if not values["route"]:
        def route_ok(v):
            if v not in ROUTES:
                raise ScaffoldProblem("new.bad_route", route=v, routes=", ".join(ROUTES))
        values["route"] = prompt("route", t("new.prompt_route", lang, routes=", ".join(ROUTES)), route_ok, "online")
    return values


def run_new(args, lang: str, ask=None) -> int:
    from assistant.messages import t
    from assistant.profiles.scaffold import ScaffoldProblem, output_path, skeleton, write_profile
    if ask is None and _interactive():
        ask = input
    try:
        values = new_answers(args, lang, ask)
        dest = output_path(values["id"], args.output)
        text = skeleton(profile_id=values["id"], name_zh=values["name_zh"], name_en=values["name_en"],
                        url=values["url"], route=values["route"], dest=dest)
        write_profile(text, dest, force=args.force)
    except ScaffoldProblem as problem:
        _say(t(problem.key, lang, **problem.params))
        return 2
    except FileExistsError as exc:
        _say(t("new.exists", lang, path=exc.args[0]))
        return 2
    print(t("new.written", lang, path=dest, id=values["id"], url=values["url"]))
    return 0


# ---------------------------------------------------------------- check

def _check_secrets(profile, account: str, args) -> dict:
    from assistant import credentials
    if args.password_stdin:
        line = sys.stdin.readline()
        return {"password": line.rstrip("\r\n")} if line else {}
    stored = credentials.get_password(profile.id, account)
    return {"password": stored} if stored is not None else {}


def run_check(args, lang: str) -> int:
    from assistant.cli.commands.demo import hook_codes, hook_manual
    from assistant.driving.interaction import ScriptedInputs
    from assistant.messages import t
    from assistant.portals import PORTALS, Faults, PortalClient
    from assistant.engine.check import check_profile
    from assistant.profiles.registry import load_site
    from assistant.cli.progress import ProgressPrinter
    from assistant.redaction import Redactor
    from assistant.engine.runner import bundled_portal_name, site_base_url
    from assistant.settings import evidence_root
    from assistant.cli.terminal import TerminalInputs

    profile = load_site(args.site)
    bundled = bundled_portal_name(profile)
    if args.redesign and (bundled is None or args.base_url):
        _say(t("check.redesign_only_bundled", lang))
        return 2
    if not args.account and (bundled is None or args.base_url):
        _say(t("check.needs_account", lang))
        return 2
    redactor = Redactor()
    faults = Faults(redesign=True) if args.redesign else None
    with site_base_url(profile, args.base_url, faults=faults) as (base_url, server):
        account = profile.account(args.account or PORTALS[bundled].demo_account)
        # A demo portal the tool started itself: its demo password and its "SMS" test hook.
        demo_password = PORTALS[bundled].passwords.get(account) if server is not None else None
        if demo_password is not None:
            client = PortalClient(base_url)
            inputs = ScriptedInputs(secrets={"password": demo_password}, codes=hook_codes(client, account),
                                    manual=hook_manual(client, account))
            redactor.add(demo_password)
        else:
            from assistant.cli.terminal import ask_secrets_up_front
            secrets = ask_secrets_up_front(profile, account, _check_secrets(profile, account, args), lang)
            for value in secrets.values():
                redactor.add(value)
            inputs = TerminalInputs(lang, profile.display_name(lang), account, code_command=args.code_command,
                                    secrets=secrets, base_url=base_url)
        print(t("check.header", lang, site=profile.display_name(lang), id=profile.id))
        if server is not None:
            variant = t("check.redesign", lang) if args.redesign else ""
            print(t("check.portal", lang, variant=variant, url=base_url))
        report = check_profile(profile, account, inputs, base_url=base_url,
                               evidence_root=args.evidence_dir or evidence_root(), timeout_ms=args.timeout_ms,
                               headed=args.headed, browser_path=args.browser_path,
                               listeners=(ProgressPrinter(lang, redactor),), redactor=redactor)
    for line in check_report_lines(report, profile, lang):
        print(redactor.scrub(line))
    return report.exit_status


MARKS = {"ok": "✓", "drift": "~", "found_not_clicked": "✓", "skipped": "-", "warning": "!", "broken": "✗",
         "stopped": "■", "not_reached": "·", "after_submit": "·"}


def check_report_lines(report, profile, lang: str) -> list[str]:
    from assistant.messages import describe_error, render, t
    lines = []
    for s in report.steps:
        status = t(f"check.status.{s.status}", lang)
        line = f"{MARKS.get(s.status, '?')} {s.index:>3}  {render(s.name, lang)} — {status}"
        if s.status in ("ok", "found_not_clicked", "drift") and s.matched:
            line += f": {s.matched}"
        if s.fallback:
            line += "\n        " + t("check.fallback", lang, k=s.fallback, matched=s.matched, first=s.first_choice)
        if s.status in ("broken", "stopped", "warning") and s.detail:
            line += f"\n        {render(s.detail, lang)}"
        lines.append(line)
    if report.evidence_dir:
        lines.append(t("check.evidence", lang, path=report.evidence_dir / "steps"))
    broken = report.broken
    if broken is not None and broken.locator:
        lines.append(t("check.broken", lang, index=broken.index, name=broken.name,
                       locator=broken.locator, path=profile.path, shot=broken.screenshot or "-"))
    elif broken is not None:
        # Found but not actionable in time: usually something covers it (a pop-up the profile does not know).
        key = "check.broken_action" if broken.first_choice else "check.broken_no_locator"
        lines.append(t(key, lang, index=broken.index, name=broken.name, locator=broken.first_choice or "",
                       detail=broken.detail, path=profile.path, shot=broken.screenshot or "-"))
    elif report.error is not None:
        stopped = next((s for s in report.steps if s.status not in ("ok", "drift", "skipped", "warning")), None)
        if stopped is not None:
            lines.append(t("check.stopped", lang, index=stopped.index, name=stopped.name))
        lines.append(describe_error(report.error, lang, stopped.index if stopped else None,
                                    stopped.name if stopped else None))
    elif report.outcome == "already_closed":
        lines.append(t("check.already_closed", lang))
    elif report.drifted:
        lines.append(t("check.ok_drift", lang, n=len(report.drifted)))
    else:
        found = [s for s in report.steps if s.status in ("ok", "found_not_clicked", "skipped")]
        lines.append(t("check.ok", lang, count=len(found)))
    return lines


# ---------------------------------------------------------------- record

def _terminal_dialog(lang: str):
    from assistant.messages import t

    def answer(kind: str, message: str) -> str:
        if kind in ("alert", "beforeunload"):
            return "accept"
        reply = input(t("record.dialog", lang, message=message[:300]))
        return "accept" if reply.strip().lower() in ("y", "yes", "是", "确定") else "dismiss"
    return answer


def _ask_number(lang: str, key: str, default_text: str, count: int):
    from assistant.messages import t
    for _attempt in range(3):
        reply = input(t(key, lang, default=default_text)).strip()
        if not reply:
            return None
        if reply.isdigit() and 1 <= int(reply) <= count:
            return int(reply)
        _say(t("record.not_a_number", lang))
    return None


def run_record(args, lang: str) -> int:
    from assistant.errors import ProfileError
    from assistant.messages import t
    from assistant.profiles.model import Device
    from assistant.profiles.scaffold import ScaffoldProblem, check_id, modeline, output_path, site_origin, write_profile
    from assistant.recording.recorder import Recorder, record_session
    from assistant.recording.draft import (MOBILE_VIEWPORT, DraftSpec, StepChoiceError, build_draft, draft_text, listing,
                                           personal_words)

    try:
        check_id(args.name)
        origin = site_origin(args.url)
        dest = output_path(args.name, args.output)
    except ScaffoldProblem as problem:
        _say(t(problem.key, lang, **problem.params))
        return 2
    if dest.exists() and not args.force:
        _say(t("new.exists", lang, path=dest))
        return 2
    interactive = _interactive()
    _say(t("record.intro", lang))
    recorder = Recorder(account=args.account, answer_dialog=_terminal_dialog(lang) if interactive else None,
                        on_action=lambda n, a: _say(f"  {n:>3}. {a.describe()}"))
    device = Device(viewport=dict(MOBILE_VIEWPORT) if args.mobile else None, mobile=args.mobile,
                    locale="zh-CN", timezone="Asia/Shanghai")
    ended = record_session(args.url, device, recorder, browser_path=args.browser_path,
                           on_open=lambda: _say(t("record.started", lang)))
    _say(t(f"record.ended.{ended}", lang))
    actions = recorder.actions
    if not actions:
        _say(t("record.nothing", lang))
        return 4
    _say(t("record.listing", lang))
    for line in listing(actions):
        _say(line)
    if recorder.overlays:
        _say(t("record.overlays", lang, labels="、".join(o.label for o in recorder.overlays)))
    submit_step, code_step, outcome = args.submit_step, args.code_step, list(args.outcome_text)
    if interactive:
        marked = next((i for i, a in enumerate(actions, 1) if a.kind == "submit"), None)
        code = next((i for i, a in reversed(list(enumerate(actions, 1))) if a.code), None)
        if submit_step is None:
            default = t("record.default_marked", lang, n=marked) if marked else t("record.default_none", lang)
            submit_step = _ask_number(lang, "record.ask_submit", default, len(actions))
        if code_step is None:
            default = t("record.default_recognised", lang, n=code) if code else t("record.default_no_code", lang)
            code_step = _ask_number(lang, "record.ask_code", default, len(actions))
        if not outcome:
            reply = input(t("record.ask_outcome", lang)).strip()
            outcome = [reply] if reply else []
    spec = DraftSpec(id=args.name, names={"zh": args.name_zh or args.name, "en": args.name_en or args.name},
                     start_url=args.url, mobile=args.mobile, submit_step=submit_step, code_step=code_step,
                     outcome_texts=tuple(outcome), personal=tuple(personal_words(args.account)))
    try:
        draft = build_draft(actions, recorder.overlays, spec)
    except StepChoiceError as problem:
        _say(t(problem.key, lang, **problem.params))
        return 2
    text = draft_text(draft, modeline(dest), origin)
    try:
        write_profile(text, dest, force=args.force)
    except ProfileError as exc:
        rejected = dest.with_name(dest.name + ".rejected")
        rejected.parent.mkdir(parents=True, exist_ok=True)
        rejected.write_text(text, "utf-8")
        _say(t("record.rejected", lang, path=rejected, detail=exc.detail))
        return int(exc.exit_status)
    if draft.notes:
        _say(t("record.notes", lang))
        for key, params in draft.notes:
            _say(t(key, lang, **params))
    print(t("record.written", lang, path=dest, id=args.name))
    return 0
