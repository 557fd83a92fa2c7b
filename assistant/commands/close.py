"""closure-assistant close SITE [SITE...] --account A"""
from __future__ import annotations

import sys
from pathlib import Path

from assistant.commands import add_command, browser_options

DESCRIPTION = """Close your account on SITE (注销账号).

The password comes from the OS keyring (save it once with `closure-assistant credentials set SITE
ACCOUNT`) or from a hidden prompt; it is never accepted as an argument. When the site sends the
verification code, the tool says where it went and asks for it. Just before the one irreversible
submit it shows the site and the masked account and asks for a yes.

examples:
  closure-assistant close demo-lender --account 13800000001 --dry-run
  closure-assistant close demo-lender --account 13800000001
  closure-assistant close demo-lender --account 13800000001 --yes --code-command "my-sms-reader"
"""


def add_parser(sub):
    p = add_command(sub, "close", "close an account (several sites: one after another)", run, DESCRIPTION)
    p.add_argument("sites", nargs="+", metavar="SITE", help="profile id (see profiles list) or a .yaml path")
    p.add_argument("--account", required=True, help="your login on the site (phone number, e-mail)")
    p.add_argument("--dry-run", action="store_true", help="do everything except the irreversible submit")
    p.add_argument("--yes", action="store_true", help="answer yes to the final confirmation (automation)")
    p.add_argument("--code-command", metavar="CMD",
                   help="run CMD to get the verification code (first line of its output); it sees "
                        "CLOSURE_ASSISTANT_SITE, _ACCOUNT, _DESTINATION, _ATTEMPT, _BASE_URL")
    p.add_argument("--password-stdin", action="store_true",
                   help="read the password from standard input, one line per site (scripts)")
    browser_options(p)


def _password(profile, account: str, args, lang: str) -> dict:
    from assistant import credentials
    if args.password_stdin:
        line = sys.stdin.readline()
        return {"password": line.rstrip("\r\n")} if line else {}
    stored = credentials.get_password(profile.id, account)
    return {"password": stored} if stored is not None else {}


def close_one(site: str, args, lang: str) -> int:
    from assistant.cli import describe_error
    from assistant.executor import RunOptions
    from assistant.profile_registry import load_site
    from assistant.progress import ProgressPrinter
    from assistant.redaction import Redactor
    from assistant.runner import run_profile, site_base_url
    from assistant.settings import evidence_root
    from assistant.summary import outcome_lines
    from assistant.terminal import TerminalInputs

    profile = load_site(site)
    secrets = _password(profile, args.account, args, lang)
    redactor = Redactor()
    for value in secrets.values():
        redactor.add(value)
    with site_base_url(profile, args.base_url) as (base_url, server):
        sms_inbox = _demo_inbox(server, args.account) if server else None
        inputs = TerminalInputs(lang, profile.display_name(lang), args.account, code_command=args.code_command,
                                yes=args.yes, secrets=secrets, base_url=base_url, sms_inbox=sms_inbox)
        options = RunOptions(flow="close", dry_run=args.dry_run, headed=args.headed, base_url=base_url,
                             timeout_ms=args.timeout_ms)
        record = run_profile(profile, args.account, inputs, options,
                             evidence_root=args.evidence_dir or evidence_root(),
                             listeners=(ProgressPrinter(lang, redactor),), redactor=redactor,
                             browser_path=args.browser_path)
    result = record.result
    for line in outcome_lines(record, profile, lang):
        print(redactor.scrub(line))
    if result.error is not None:
        print(redactor.scrub(describe_error(result.error, lang, result.failed_index, result.failed_step)),
              file=sys.stderr)
        return int(result.error.exit_status)
    return 0


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


def run(args, lang: str) -> int:
    statuses = [close_one(site, args, lang) for site in args.sites]
    return next((s for s in statuses if s), 0)
