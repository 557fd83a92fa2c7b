"""Run one local portal in the foreground: python -m assistant.portals NAME"""

from __future__ import annotations

import argparse
import sys

from .faults import Faults
from .registry import PORTALS
from .server import PortalServer


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m assistant.portals", description=__doc__)
    parser.add_argument("name", choices=sorted(PORTALS), help="portal id")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free port)")
    parser.add_argument("--test-mode", action="store_true", help="enable the /__test__/ hooks")
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--error-rate", type=float, default=0.0)
    parser.add_argument("--session-expiry-after", type=int, default=None)
    parser.add_argument("--redesign", action="store_true", help="serve the 'after a site update' variant")
    parser.add_argument("--seed", type=int, default=None)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    faults = Faults(
        latency_ms=args.latency_ms,
        error_rate=args.error_rate,
        session_expiry_after=args.session_expiry_after,
        redesign=args.redesign,
        seed=args.seed,
    )
    server = PortalServer(args.name, test_mode=args.test_mode, faults=faults, port=args.port).start()
    info = PORTALS[args.name]
    print(f"{info.title_zh} ({info.name}) running at {server.base_url}", flush=True)
    for role, account in info.accounts.items():
        print(f"  {role:<9} {account} / {info.passwords.get(account, '?')}", flush=True)
    print("Press Ctrl+C to stop.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
