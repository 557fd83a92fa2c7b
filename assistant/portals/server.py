"""Serves one local portal on 127.0.0.1 from a background thread, with Werkzeug's threaded server.

The portal itself (pages, rules, fault knobs, test hooks) is a Flask app built by `base.create_app`;
this module only starts, serves and stops it.
"""

from __future__ import annotations

import sys
import threading
from typing import Callable

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from .base import PortalRuntime, create_app
from .faults import Chance, Faults
from .registry import portal_info

HOST = "127.0.0.1"  # never 0.0.0.0: these portals hold canary secrets


class _QuietHandler(WSGIRequestHandler):
    # One request per connection, as before: a stopped portal must stop answering at once, and
    # keep-alive sockets held open by a browser would outlive stop().
    protocol_version = "HTTP/1.0"
    server_version = "nginx"  # what a lender's front end says; tests never see "Werkzeug"
    sys_version = ""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass  # quiet: tests and the demo would drown in access logs


def print_code(message: str) -> None:
    """A sent code, shown in the portal's own terminal as a phone would show the SMS."""
    print(message, file=sys.stderr, flush=True)


class PortalServer:
    """One running portal. `test_mode` serves the /__test__/ hooks (and shows no pop-up unless a
    test asks); `code_sink` receives each code the portal "sends", as the person would read it
    (`print_code` writes it to stderr); `ssl_context` (an ssl.SSLContext with a certificate loaded)
    serves it over https, as a real lender is."""

    def __init__(
        self,
        portal_name: str,
        *,
        test_mode: bool = False,
        faults: Faults | None = None,
        port: int = 0,
        code_sink: Callable[[str], None] | None = None,
        ssl_context=None,
    ) -> None:
        self.info = portal_info(portal_name)
        self.name = portal_name
        self.test_mode = test_mode
        self.faults = faults if faults is not None else Faults()
        self.port = port
        self.ssl_context = ssl_context
        self.chance = Chance(self.faults.seed)
        self.runtime = PortalRuntime(self.info.lender, self.chance, self.faults, test_mode=test_mode,
                                     code_sink=code_sink)
        self.app = create_app(self.runtime)
        # What the fault knobs did, so a test can tell a knob actually bit.
        self.stats = self.runtime.stats
        self.hooks = self.runtime  # what the /__test__/ hooks act on (state, knobs, statistics)
        self._httpd: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("portal server is not running; call start() first")
        host, port = self._httpd.server_address[:2]
        return f"{'https' if self.ssl_context is not None else 'http'}://{host}:{port}"

    def start(self) -> PortalServer:
        if self._httpd is not None:
            return self
        httpd = make_server(HOST, self.port, self.app, threaded=True, request_handler=_QuietHandler,
                            ssl_context=self.ssl_context)
        self._httpd = httpd
        self.runtime.stopping.clear()
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, name=f"portal-{self.name}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self.runtime.stopping.set()  # a held submit answer ends now
        httpd.shutdown()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> PortalServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def serve_forever(self) -> None:
        """Block until interrupted (used by `python -m assistant.portals`)."""
        self.start()
        try:
            while self._thread is not None and self._thread.is_alive():
                self._thread.join(timeout=0.5)
        finally:
            self.stop()
