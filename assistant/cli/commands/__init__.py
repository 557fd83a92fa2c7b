"""One module per command: each has add_parser(subparsers) and run(args, lang) -> exit status.

Parsers import nothing heavy (Playwright, jsonschema) so that --help stays fast.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from assistant.messages import CATALOGUE

EXIT_HELP = CATALOGUE["help.exit_statuses"]["en"]  # subcommands' --help (the top level speaks zh too)

TIMEOUT_MS_RANGE = (100, 900_000)  # 0.1 s .. 15 min: below, nothing loads; above, a stuck page is never noticed


PARSING_LANG = {"lang": "en"}  # set by build_parser: a value's error is said in the user's language


def timeout_ms(text: str) -> int:
    """--timeout-ms: whole milliseconds within TIMEOUT_MS_RANGE (argparse turns the error into exit 2)."""
    from assistant.messages import t
    low, high = TIMEOUT_MS_RANGE
    lang = PARSING_LANG["lang"]
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t("usage.timeout_not_number", lang, value=text)) from None
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(t("usage.timeout_range", lang, value=value, low=low, high=high))
    return value


def common_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", choices=["zh", "en"], default=argparse.SUPPRESS,
                   help="language of messages (default: from the locale)")
    p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                   help="show tracebacks for unexpected errors")


def browser_options(p: argparse.ArgumentParser, base_url: bool = True) -> None:
    p.add_argument("--headed", action="store_true", help="show the browser window (needed for face/captcha checks)")
    p.add_argument("--browser-path", metavar="PATH",
                   help="Chromium/Chrome executable (default: Playwright's, else a system Chromium; "
                        "env CLOSURE_ASSISTANT_BROWSER)")
    p.add_argument("--evidence-dir", metavar="DIR", type=Path,
                   help="where run folders go (default: your data directory/evidence)")
    if base_url:
        p.add_argument("--base-url", metavar="URL",
                       help="where the site runs, for local portals (must lie inside the profile's origins)")
    p.add_argument("--timeout-ms", type=timeout_ms, default=15_000, metavar="MS",
                   help="how long to wait for each element, 100 to 900000 (default 15000)")


def tsa_options(p: argparse.ArgumentParser) -> None:
    """The commands that run closures ask an RFC 3161 authority for a trusted timestamp after the run."""
    p.add_argument("--tsa", metavar="URL", action="append",
                   help="time-stamping authority (RFC 3161) that certifies the evidence fingerprint after the run; "
                        "repeatable, tried in order (default: env CLOSURE_ASSISTANT_TSA, else the settings file; "
                        "none set: no trusted timestamp)")
    p.add_argument("--no-tsa", action="store_true", help="no trusted timestamp this time, whatever is set")


def timestamp_authorities(args) -> list[str]:
    from assistant.settings import timestamp_authorities as configured
    if getattr(args, "no_tsa", False):
        return []
    return configured(getattr(args, "tsa", None))


def add_command(sub, name: str, help_text: str, handler, description: str | None = None):
    p = sub.add_parser(name, help=help_text, description=description or help_text, epilog=EXIT_HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.set_defaults(handler=handler)
    common_options(p)
    return p
