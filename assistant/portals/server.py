"""Serves one local portal on 127.0.0.1 from a background thread.

The server owns the cross-cutting behaviour (fault knobs, session lookup,
test hooks); the portal app only answers requests.
"""

from __future__ import annotations

import json
import sys
import threading
import time
import traceback
from http.cookies import CookieError, SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from .faults import Chance, Faults, server_busy
from .lender_state import Session
from .registry import portal_info
from .test_hooks import PREFIX as TEST_PREFIX
from .test_hooks import TestHooks
from .web import SESSION_COOKIE, Request, Response, html_response, not_found

HOST = "127.0.0.1"  # never 0.0.0.0: these portals hold canary secrets


class PortalServer:
    def __init__(
        self,
        portal_name: str,
        *,
        test_mode: bool = False,
        faults: Faults | None = None,
        port: int = 0,
    ) -> None:
        self.info = portal_info(portal_name)
        self.name = portal_name
        self.test_mode = test_mode
        self.faults = faults if faults is not None else Faults()
        self.port = port
        self.chance = Chance(self.faults.seed)
        self.app = self.info.app_factory(self.chance)
        # What the fault knobs did, so a test can tell a knob actually bit.
        self.stats = {"requests": 0, "errors_injected": 0}
        self._stats_lock = threading.Lock()
        self.hooks = TestHooks(self.app.state, self.faults, self.chance, self.app, self.stats, self._stats_lock)
        self._httpd: _QuietHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("portal server is not running; call start() first")
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> PortalServer:
        if self._httpd is not None:
            return self
        httpd = _QuietHTTPServer((HOST, self.port), _Handler)
        httpd.portal = self
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, name=f"portal-{self.name}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
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

    # -- request pipeline ------------------------------------------------------

    def dispatch(self, request: Request) -> Response:
        if request.path.startswith(TEST_PREFIX):
            return self.hooks.handle(request) if self.test_mode else not_found(request)
        faults = self.faults
        if faults.latency_ms > 0:
            time.sleep(faults.latency_ms / 1000)
        request.redesign = faults.redesign
        request.session, request.session_expired = self._session_for(request)
        fail = (
            faults.error_rate > 0
            and not self.app.is_irreversible(request)
            and self.chance.random() < faults.error_rate
        )
        with self._stats_lock:
            self.stats["requests"] += 1
            self.stats["errors_injected"] += int(fail)
        return server_busy(request) if fail else self.app.handle(request)

    def _session_for(self, request: Request) -> tuple[Session | None, bool]:
        """Look up the login session, counting requests for the expiry fault."""
        state = self.app.state
        with state.lock:
            session = state.session(request.cookies.get(SESSION_COOKIE))
            if session is None:
                return None, False
            session.requests += 1
            limit = self.faults.session_expiry_after
            if limit is not None and session.requests > limit:
                state.drop_session(session.sid)
                # One expiry per setting, like a real timeout: the next login gets a normal session.
                self.faults.session_expiry_after = None
                return None, True
            return session, False


class _QuietHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    portal: PortalServer

    def handle_error(self, request, client_address) -> None:
        # Browsers drop keep-alive sockets all the time; that is not an error.
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _QuietHTTPServer
    server_version = "nginx"
    sys_version = ""

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: tests and the demo would drown in access logs

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def _serve(self, send_body: bool = True) -> None:
        request = self._parse_request()
        try:
            response = self.server.portal.dispatch(request)
        except Exception:  # a portal bug must show up, not hang the browser
            traceback.print_exc()
            response = html_response("<h1>500 Internal Server Error</h1>", 500)
        try:
            self.send_response(response.status)
            for name, value in response.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if send_body:
                self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _parse_request(self) -> Request:
        url = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        return Request(
            method="GET" if self.command == "HEAD" else self.command,
            path=url.path,
            query=query,
            body=self._read_body(),
            cookies=self._read_cookies(),
        )

    def _read_body(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        if length <= 0:
            return {}
        raw = self.rfile.read(length)
        content_type = self.headers.get("Content-Type", "")
        if "json" in content_type:
            try:
                data = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                return {}
            return data if isinstance(data, dict) else {}
        if "x-www-form-urlencoded" in content_type:
            return {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
        return {}

    def _read_cookies(self) -> dict[str, str]:
        jar = SimpleCookie()
        try:
            jar.load(self.headers.get("Cookie", ""))
        except CookieError:
            return {}
        return {name: morsel.value for name, morsel in jar.items()}
