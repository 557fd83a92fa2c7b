"""closure-assistant demo: start a bundled portal and close a demo account end to end, unattended."""
from __future__ import annotations

import sys

from assistant.cli.commands import add_command, browser_options, timestamp_authorities, tsa_options

DESCRIPTION = """Start a bundled local lender portal and close one of its demo accounts end to end,
without asking anything (the demo reads the simulated SMS or e-mail code itself and does a person's
part, such as a slider captcha, through the portal's test hook). Prints the outcome and the
evidence folder. Nothing leaves this computer: the portal listens on 127.0.0.1 only.

examples:
  closure-assistant demo
  closure-assistant demo --list
  closure-assistant demo --site demo-lender --headed
"""


def add_parser(sub):
    p = add_command(sub, "demo", "close a demo account on a bundled local portal", run, DESCRIPTION)
    p.add_argument("--site", default="demo-lender", help="which bundled portal (see --list)")
    p.add_argument("--list", action="store_true", help="list the bundled portals, one per line")
    p.add_argument("--account", help="which demo account (default: the portal's clean demo account)")
    browser_options(p)
    tsa_options(p)


def hook_codes(client, account: str):
    """Reads the code the portal just 'sent' through its test hook (demo and tests only)."""
    def code(destination, channel, attempt):
        return client.latest_code(account)
    return code


def hook_manual(client, account: str):
    """Does a person's part (a slider captcha) through the portal's test hook (demo only)."""
    def solve(instructions):
        client.solve_captcha(account)
    return solve


def run(args, lang: str) -> int:
    from assistant.portals import PORTALS
    if args.list:
        for name, info in PORTALS.items():
            print(f"{name}\t{info.title_zh} / {info.title_en}\t{info.description}")
        return 0
    from assistant.messages import describe_error, t
    if args.site not in PORTALS:
        print(t("demo.unknown_site", lang, site=args.site, sites=", ".join(PORTALS)), file=sys.stderr)
        return 2
    from assistant.driving.executor import RunOptions
    from assistant.driving.interaction import ScriptedInputs
    from assistant.portals import Faults, PortalClient, start_portal
    from assistant.profiles.registry import load_site
    from assistant.cli.progress import ProgressPrinter
    from assistant.redaction import Redactor
    from assistant.engine.runner import run_profile
    from assistant.settings import evidence_root
    from assistant.cli.summary import after_run_lines, after_submit_lines, outcome_lines

    info = PORTALS[args.site]
    authorities = timestamp_authorities(args)  # a bad settings file stops here, before any portal starts
    profile = load_site(args.site)
    account = profile.account(args.account or info.demo_account)
    # Every pop-up the site has shows at once, so the demo shows the tool getting past each one; every
    # code the portal "sends" is printed as a phone would show it.
    server = start_portal(args.site, test_mode=True, faults=Faults(popups="always"), show_codes=True)
    try:
        client = PortalClient(server.base_url)
        redactor = Redactor()
        inputs = ScriptedInputs(secrets={"password": info.passwords[account]}, codes=hook_codes(client, account),
                                yes=True, manual=hook_manual(client, account))
        print(f"{profile.display_name(lang)} → {server.base_url}", file=sys.stderr)
        options = RunOptions(flow="close", headed=args.headed, base_url=server.base_url, timeout_ms=args.timeout_ms,
                             prepare=True)  # the documents first (a settlement certificate), as close does
        record = run_profile(profile, account, inputs, options, evidence_root=args.evidence_dir or evidence_root(),
                             listeners=(ProgressPrinter(lang, redactor),), redactor=redactor,
                             browser_path=args.browser_path, timestamp_authorities=authorities, defer_report=True,
                             report_lang=getattr(args, "lang", None))
        state = client.state(account)
    finally:
        server.stop()
    for line in outcome_lines(record, profile, lang) + after_submit_lines(record, lang):
        print(line, flush=True)
    print(t("demo.portal_state", lang, status=state.get("status"), submissions=state.get("submissions")), flush=True)
    # The outcome is on screen; now the trusted timestamp and the report (the PDF takes a second or two).
    for line in after_run_lines(record.finish(), lang):
        print(line)
    if record.result.error is not None:
        r = record.result
        print(describe_error(r.error, lang, r.failed_index, r.failed_step), file=sys.stderr)
        return int(r.error.exit_status)
    return 0
