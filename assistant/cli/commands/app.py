"""closure-assistant app [--port N] [--no-browser]: the local web app."""
from __future__ import annotations

import argparse
import sys

from assistant.cli.commands import add_command, browser_options
from assistant.cli.commands.cases import db_option
from assistant.errors import EnvironmentProblem

DESCRIPTION = """Start the closure assistant as a web page on this computer, for everyone who would
rather not use a terminal: choose the lender, practise with a dry run, watch each step with its
screenshot, type the SMS code when the site sends it, confirm, and follow every case and its deadline.

It listens on 127.0.0.1 only and opens http://127.0.0.1:PORT/?token=… in your browser (the first
line printed is that address; only a browser holding its token can use it). It stops when you press
Quit on the page, press Ctrl-C here, or after an hour without use.

examples:
  closure-assistant app
  closure-assistant app --port 8765 --no-browser
"""


class PortInUse(EnvironmentProblem):
    message_key = "error.port_in_use"


def add_parser(sub):
    p = add_command(sub, "app", "the local web app (pages instead of the terminal)", run, DESCRIPTION)
    p.add_argument("--port", type=int, default=0, metavar="N", help="the port on 127.0.0.1 (default: a free one)")
    p.add_argument("--no-browser", action="store_true", help="print the address but do not open a browser")
    p.add_argument("--idle-minutes", type=float, default=60, metavar="M", help=argparse.SUPPRESS)  # tests: shorter
    db_option(p)
    browser_options(p, base_url=False)  # the app runs many sites: each at its own address


def run(args, lang: str) -> int:
    import webbrowser

    from assistant.errors import ExitStatus
    from assistant.webapp.server import App, AppConfig, serve
    from assistant.webapp.words import w as t
    config = AppConfig(db=args.db, evidence_dir=args.evidence_dir, headed=args.headed, browser_path=args.browser_path,
                       timeout_ms=args.timeout_ms, idle_minutes=args.idle_minutes)
    app = App(config)

    def ready(url: str) -> None:
        print(url, flush=True)  # the first line: the address with its token
        print(t("app.cli.url", lang), file=sys.stderr, flush=True)
        if not args.no_browser:
            webbrowser.open(url)
    try:
        serve(app, args.port, on_ready=ready)
    except OSError as exc:
        if app.guard.port == 0:  # the port could not be bound
            raise PortInUse(str(exc.strerror or exc), port=args.port) from None
        raise
    except KeyboardInterrupt:
        app.quit()  # the runs stop and keep their evidence; Ctrl-C is the user's stop (130)
        print(t("app.cli.stopped", lang), file=sys.stderr)
        return int(ExitStatus.INTERRUPTED)
    app.board.stop_all()
    print(t("app.cli.idle" if app.idle_stop else "app.cli.stopped", lang, minutes=f"{args.idle_minutes:g}"),
          file=sys.stderr)
    return 0
