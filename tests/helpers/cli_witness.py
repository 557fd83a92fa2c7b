"""The real CLI (`python -m assistant ...`) with one test-only change: the Chromium it launches also takes
a second Playwright connection on 127.0.0.1:PORT, through which a test plays the person of
`closure-assistant witness --headless` (tests/helpers/witness_person.py). The product never opens it.

    python tests/helpers/cli_witness.py PORT witness URL --headless --account ...
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from assistant.driving import browser  # noqa: E402


def main(argv: list[str]) -> int:
    port, *cli_args = argv
    own_args = browser.launch_args
    browser.launch_args = lambda: [*own_args(), f"--remote-debugging-port={port}"]
    from assistant.cli.main import main as cli_main
    return cli_main(cli_args)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
