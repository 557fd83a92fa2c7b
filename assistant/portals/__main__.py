"""Run one local portal in the foreground: python -m assistant.portals NAME

Each code the portal "sends" is printed here, as the person's phone or mailbox would show it.
"""

from __future__ import annotations

import argparse
import sys

from .faults import DOWNLOAD_ORIGINS, MAX_SUBMIT_HOLD_S, POPUP_MODES, SUBMIT_ANSWERS, VARIANTS, Faults
from .registry import PORTALS
from .server import PortalServer, print_code


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m assistant.portals", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("name", choices=sorted(PORTALS), help="portal id")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free port)")
    parser.add_argument("--test-mode", action="store_true", help="enable the /__test__/ hooks")
    faults = parser.add_argument_group("faults (see assistant/portals/faults.py)")
    faults.add_argument("--latency-ms", type=int, default=0)
    faults.add_argument("--error-rate", type=float, default=0.0)
    faults.add_argument("--session-expiry-after", type=int, default=None)
    faults.add_argument("--redesign", action="store_true", help="serve the 'after a site update' variant")
    faults.add_argument("--seed", type=int, default=None)
    faults.add_argument("--popups", choices=POPUP_MODES, default=None,
                        help="when the pop-up shows (default: never with --test-mode, else as the site does)")
    faults.add_argument("--allow-repeat-submit", action="store_true",
                        help="accept a second closure request while one is pending (real sites refuse it)")
    faults.add_argument("--submit-answer", choices=SUBMIT_ANSWERS, default=None,
                        help="how the irreversible submit answers (default: as the site decides)")
    faults.add_argument("--submit-hold-s", type=float, default=10.0,
                        help=f"how long --submit-answer timeout holds the answer (at most {MAX_SUBMIT_HOLD_S:g})")
    faults.add_argument("--resend-cooldown-s", type=int, default=None,
                        help="seconds before another code may be sent (default: the site's own)")
    faults.add_argument("--download-size-mb", type=int, default=None,
                        help="pad the documents the site offers to this many MB (default: their real size)")
    faults.add_argument("--download-origin", choices=DOWNLOAD_ORIGINS, default="same",
                        help="where document links lead: the site, another origin, or a redirect to it")
    variants = parser.add_argument_group("variants (only the portal named has each)")
    variants.add_argument("--code-check", choices=VARIANTS["code_check"], default="confirm",
                          help="demo-lender: 'submit' = the final submit checks the code")
    variants.add_argument("--code-send", choices=VARIANTS["code_send"], default="button",
                          help="demo-lender: 'auto' = arriving on the page sends the code")
    variants.add_argument("--lock-notice", action="store_true",
                          help="demo-lender: show a code lock on the page before anything is typed")
    variants.add_argument("--second-factor", choices=VARIANTS["second_factor"], default="email",
                          help="desktop-lender: 'totp' = an authenticator app's code at sign-in")
    variants.add_argument("--closed-login", choices=VARIANTS["closed_login"], default="says_closed",
                          help="demo-lender: 'like_wrong_password' = a closed account's login answers as a wrong password")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        faults = Faults(
            latency_ms=args.latency_ms,
            error_rate=args.error_rate,
            session_expiry_after=args.session_expiry_after,
            redesign=args.redesign,
            seed=args.seed,
            popups=args.popups,
            refuse_while_pending=not args.allow_repeat_submit,
            submit_answer=args.submit_answer,
            submit_hold_s=args.submit_hold_s,
            resend_cooldown_s=args.resend_cooldown_s,
            download_size_mb=args.download_size_mb,
            download_origin=args.download_origin,
            code_check=args.code_check,
            code_send=args.code_send,
            lock_notice=args.lock_notice,
            second_factor=args.second_factor,
            closed_login=args.closed_login,
        )
        server = PortalServer(args.name, test_mode=args.test_mode, faults=faults, port=args.port,
                              code_sink=print_code).start()
    except ValueError as exc:
        print(f"python -m assistant.portals: {exc}", file=sys.stderr)
        return 2
    info = PORTALS[args.name]
    print(f"{info.title_zh} ({info.name}) running at {server.base_url}", flush=True)
    for role, account in info.accounts.items():
        print(f"  {role:<9} {account} / {info.passwords.get(account, '?')}", flush=True)
    print("Codes it sends are printed below. Press Ctrl+C to stop.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
