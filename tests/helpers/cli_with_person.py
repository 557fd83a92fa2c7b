"""The real CLI (`python -m assistant ...`), with one test-only stand-in: the person who does a
slider captcha in the visible browser is played by the portal's test hook.

    python tests/helpers/cli_with_person.py BASE_URL ACCOUNT close wallet-lender --account ...

Used by the reliability suite's kill-and-resume runs, so a portal with a manual step can be killed
and resumed through the same command line a user runs; the product has no such hook.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from assistant.cli import terminal  # noqa: E402
from assistant.cli.commands.demo import hook_manual  # noqa: E402
from assistant.portals import PortalClient  # noqa: E402


def main(argv: list[str]) -> int:
    base_url, account, *cli_args = argv
    solve = hook_manual(PortalClient(base_url), account)

    def manual(self, instructions, headed):
        solve(instructions)
        return True
    terminal.TerminalInputs.manual = manual
    from assistant.cli.main import main as cli_main
    return cli_main(cli_args)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
