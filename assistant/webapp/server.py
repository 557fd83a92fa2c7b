"""The app's pages and its server: Flask (already the tool's dependency for the practice portals, with
Jinja2 templates), served by Werkzeug's threaded server on 127.0.0.1 only.

Every request passes `guard` first (the loopback Host, the session token, and for a change the CSRF
token with the app's own Origin). A closure runs on its own thread (`runs`); a page follows it through
server-sent events and answers its questions with small POSTs.
"""
from __future__ import annotations

import json
import os
import socket
import stat
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from flask import Flask, Response, abort, g, redirect, render_template, request, send_file

from assistant.webapp.guard import (COOKIE, CSRF_FIELD, CSRF_HEADER, EVIDENCE_CSP, HEADERS, LANG_COOKIE, PAGE_CSP,
                                    SAFE_METHODS, Guard)
from assistant.webapp.words import LANGS, pick_lang, w

HERE = Path(__file__).resolve().parent
SSE_HEARTBEAT_S = 15.0
QUIT_ANSWER_WAIT_S = 5.0  # longest a quit waits for its own page to be written out
IDLE_MINUTES = 60
# What an evidence folder may hand to the browser, and as what.
EVIDENCE_TYPES = {".png": "image/png", ".html": "text/html; charset=utf-8", ".pdf": "application/pdf",
                  ".txt": "text/plain; charset=utf-8", ".json": "application/json", ".yaml": "text/plain; charset=utf-8",
                  ".sha256": "text/plain; charset=utf-8"}


@dataclass
class AppConfig:
    db: Optional[Path] = None
    evidence_dir: Optional[Path] = None
    headed: bool = False
    browser_path: Optional[str] = None
    timeout_ms: int = 15_000
    answer_wait_s: float = 15 * 60
    idle_minutes: float = IDLE_MINUTES
    base_urls: dict = field(default_factory=dict)   # site id -> where it runs (tests point a site at their portal)


class App:
    """The Flask app with what its routes share: the guard, the runs, the idle clock, the way to stop."""

    def __init__(self, config: AppConfig, guard: Optional[Guard] = None):
        from assistant.webapp.runs import RunBoard
        self.config = config
        self.guard = guard or Guard()
        self.board = RunBoard()
        self.last_request = time.monotonic()
        self.stopped = threading.Event()
        self.idle_stop = False          # the idle timeout ended it (the CLI says so)
        self.shutdown = lambda: None    # set by serve()
        self.practice_portals: dict = {}  # site id -> its bundled portal, started on first use, kept till quit
        self.portals_lock = threading.Lock()
        self.flask = create_flask(self)

    def evidence_root(self) -> Path:
        from assistant.settings import evidence_root
        return Path(self.config.evidence_dir or evidence_root())

    def settings(self):
        from assistant.engine.closing import CloseSettings
        c = self.config
        return CloseSettings(headed=c.headed, browser_path=c.browser_path, evidence_dir=c.evidence_dir,
                             timeout_ms=c.timeout_ms, db=c.db)

    def practice_portal(self, profile):
        """The practice site of a bundled profile, one for the app's whole life: a status check after the
        closure reads the portal that took it (one started per run would know nothing of it)."""
        from assistant.engine.closing import start_practice_portal
        with self.portals_lock:
            if profile.id not in self.practice_portals:
                self.practice_portals[profile.id] = start_practice_portal(profile)
            return self.practice_portals[profile.id]

    def practice_knows(self, portal, site_id: str, account: str) -> bool:
        """Whether a run of this account already went to this practice portal (a closure recorded by an
        earlier start of the app went to a portal that is gone: this one would read "active")."""
        return any(r.site.id == site_id and r.account == account and r.finished and r.outcome is not None
                   and r.outcome.evidence_dir and r.settings.practice_portal is portal
                   for r in list(self.board.runs.values()))

    def quit(self) -> None:
        """Stops the runs (their evidence is kept as a partial bundle), the practice sites and the server."""
        if self.stopped.is_set():
            return
        self.stopped.set()
        self.board.stop_all()
        with self.portals_lock:
            for portal in self.practice_portals.values():
                if portal is not None:
                    portal.stop()
            self.practice_portals.clear()
        self.shutdown()

    def idle(self) -> bool:
        return (not self.board.running()
                and time.monotonic() - self.last_request > self.config.idle_minutes * 60)


def create_flask(app: App) -> Flask:
    flask = Flask(__name__, template_folder=str(HERE / "templates"), static_folder=str(HERE / "static"),
                  static_url_path="/static")
    flask.config.update(MAX_CONTENT_LENGTH=64 * 1024, TEMPLATES_AUTO_RELOAD=False)
    flask.url_map.merge_slashes = False  # a path is served as it is asked for, or not at all (no redirects)
    guard = app.guard

    @flask.before_request
    def check_request():
        g.lang = pick_lang(request.args.get("lang") or request.cookies.get(LANG_COOKIE), request.accept_languages)
        if not guard.host_ok(request.host):
            return refuse("app.error.host")
        given = request.args.get("token")
        if given is not None:
            if not guard.token_ok(given):
                return refuse("app.error.forbidden")
            # The token leaves the address bar (and history) at once; the cookie carries it from here on.
            response = redirect(request.path, code=303)
            response.set_cookie(COOKIE, guard.token, httponly=True, samesite="Strict", path="/")
            return response
        if not guard.token_ok(request.cookies.get(COOKIE)):
            return refuse("app.error.forbidden")
        if request.method not in SAFE_METHODS:
            if not guard.same_origin(request.headers.get("Origin"), request.headers.get("Sec-Fetch-Site")):
                return refuse("app.error.origin")
            if not guard.csrf_ok(request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)):
                return refuse("app.error.origin")
        app.last_request = time.monotonic()
        return None

    @flask.after_request
    def headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        response.headers.setdefault("Content-Security-Policy", PAGE_CSP)
        chosen = request.args.get("lang")
        if chosen in LANGS:
            response.set_cookie(LANG_COOKIE, chosen, httponly=True, samesite="Strict", path="/")
        return response

    def refuse(key: str):
        return Response(w(key, g.get("lang", "zh")), status=403, mimetype="text/plain")

    @flask.context_processor
    def words_for_templates():
        lang = g.get("lang", "zh")
        return {"_": lambda key, **params: w(key, lang, **params), "lang": lang, "other_lang": "en" if lang == "zh" else "zh",
                "csrf": guard.csrf, "csrf_field": CSRF_FIELD}

    @flask.errorhandler(404)
    def not_found(_error):
        return page("error.html", message=w("app.error.not_found", g.get("lang", "zh"))), 404

    def page(template: str, **context):
        return render_template(template, **context)

    # -------------------------------------------------------- sites and starting a run

    @flask.get("/")
    def sites():
        from assistant.webapp.sites import known_sites, search
        query = request.args.get("q", "")
        return page("sites.html", sites=search(known_sites(), query), query=query)

    def site_or_404(site_id: str):
        from assistant.webapp.sites import known_sites
        site = next((s for s in known_sites() if s.id == site_id), None)
        if site is None or site.problem:
            abort(404)
        from assistant.profiles.registry import load_site
        return site, load_site(site_id)

    @flask.get("/sites/<site_id>")
    def start(site_id: str, problem: str = "", account: str = "", flow: str = "close", case_id: str = "",
              status_code: int = 200):
        site, profile = site_or_404(site_id)
        previous = app.board.get(request.args.get("from", ""))
        if previous is not None and previous.site.id == site.id:
            account = account or previous.account
        if request.args.get("case"):
            from assistant.webapp.casebook import case_account
            found = case_account(app.config.db, _int(request.args["case"]))
            if found and found[0] == site.id:
                account, flow, case_id = found[1], "status", request.args["case"]
        return page("start.html", site=site, profile=profile, facts=facts(profile, g.lang), problem=problem,
                    account=account, flow=flow, case_id=case_id, secrets=secret_fields(profile, g.lang),
                    dry_default=previous is None), status_code

    @flask.post("/sites/<site_id>/start")
    def start_run(site_id: str):
        from assistant.accounts import BadAccount
        from assistant.engine.closing import saved_password
        from assistant.webapp.runs import Run
        site, profile = site_or_404(site_id)
        lang = g.lang
        form = request.form
        flow = "status" if form.get("flow") == "status" else "close"
        account = form.get("account", "").strip()
        if form.get("case"):
            from assistant.webapp.casebook import case_account
            found = case_account(app.config.db, _int(form["case"]))
            account = found[1] if found and found[0] == site.id else account

        def again(key: str, **params):
            return start(site_id, problem=w(key, lang, **params), account=account, flow=flow,
                         case_id=form.get("case", ""), status_code=400)
        if not account:
            return again("app.start.no_account")
        try:
            account = profile.account(account)
        except BadAccount as exc:
            from assistant.messages import describe_error
            return again("error.generic", detail=describe_error(exc, lang))
        secrets, source = {}, "page"
        for name, label in secret_fields(profile, lang):
            if name == "password" and form.get("use_saved"):
                stored = saved_password(profile, account)
                if stored is None:
                    return again("app.start.none_saved")
                secrets[name], source = stored, "keyring"
                continue
            value = form.get(f"secret_{name}", "")
            if not value:
                return again("app.start.no_password", label=label)
            secrets[name] = value
        notice = ""
        if form.get("save") and secrets.get("password") and source == "page":
            from assistant import credentials
            from assistant.errors import AssistantError
            from assistant.messages import describe_error
            try:
                credentials.set_password(profile.id, account, secrets["password"])
                notice = w("app.start.saved", lang, backend=credentials.current_backend().name)
            except AssistantError as exc:  # no safe keyring: the password is still used, once
                notice = describe_error(exc, lang)
        settings = app.settings()
        settings.base_url = app.config.base_urls.get(site.id)
        if settings.base_url is None and profile.is_practice:
            settings.practice_portal = app.practice_portal(profile)
            settings.practice_portal_knows = app.practice_knows(settings.practice_portal, site.id, account)
        run = Run(site=site, profile=profile, account=account, flow=flow,
                  dry_run=flow == "close" and bool(form.get("dry_run")), secrets=secrets,
                  password_source=source, settings=settings, answer_wait_s=app.config.answer_wait_s)
        if notice:
            run.emit("say", err=False, text={lang_: notice for lang_ in LANGS})
        if not app.board.add(run):
            return again("app.start.busy", site=site.name(lang))
        return redirect(f"/runs/{run.id}", code=303)

    # -------------------------------------------------------- the live run

    def run_or_404(run_id: str):
        run = app.board.get(run_id)
        if run is None:
            abort(404)
        return run

    @flask.get("/runs/<run_id>")
    def run_page(run_id: str):
        run = run_or_404(run_id)
        key = "app.run.heading_status" if run.flow == "status" else (
            "app.run.heading_dry" if run.dry_run else "app.run.heading_close")
        return page("run.html", run=run, heading=w(key, g.lang, site=run.site.name(g.lang),
                                                   account=run.account_masked))

    @flask.get("/runs/<run_id>/events")
    def run_events(run_id: str):
        run = run_or_404(run_id)
        lang = g.lang
        start_at = _int(request.headers.get("Last-Event-ID") or request.args.get("from") or "-1") + 1

        def stream():
            n = start_at
            while not app.stopped.is_set():
                batch = run.events_after(n, SSE_HEARTBEAT_S)
                if not batch:
                    yield ": still here\n\n"
                    continue
                for event in batch:
                    yield f"id: {event['n']}\ndata: {json.dumps(in_lang(event, lang), ensure_ascii=False)}\n\n"
                    n = event["n"] + 1
                    if event["kind"] == "done":
                        return
        return Response(stream(), mimetype="text/event-stream", headers={"X-Accel-Buffering": "no"})

    @flask.post("/runs/<run_id>/answer")
    def run_answer(run_id: str):
        from assistant.driving.interaction import clean_code
        run = run_or_404(run_id)
        value = request.form.get("value", "")
        if request.form.get("what") == "code" and value.strip() and not clean_code(value):
            return Response(w("app.code.bad", g.lang), status=400, mimetype="text/plain")
        if not run.answer(_int(request.form.get("seq", "")), value):
            return Response(w("app.error.question_gone", g.lang), status=409, mimetype="text/plain")
        return Response(status=204)

    @flask.post("/runs/<run_id>/stop")
    def run_stop(run_id: str):
        run_or_404(run_id).stop()
        return Response(status=204)

    # -------------------------------------------------------- cases and evidence

    @flask.get("/cases")
    def cases():
        from assistant.webapp import casebook
        from assistant.webapp.sites import known_sites
        sites_by_id = {s.id: s for s in known_sites()}
        rows, path, today = casebook.rows(app.config.db, g.lang, app.evidence_root(), sites_by_id)
        return page("cases.html", rows=rows, db_path=path, today=today)

    @flask.get("/evidence/<folder>/")
    def evidence(folder: str):
        from assistant.evidence.verify import verify_bundle
        bundle = bundle_or_404(folder)
        verification = verify_bundle(bundle)
        return page("evidence.html", folder=folder, verification=verification,
                    findings=verification_lines(verification, g.lang),
                    has_html=(bundle / "report.html").is_file(), has_pdf=(bundle / "report.pdf").is_file(),
                    shots=sorted(p.name for p in (bundle / "steps").glob("*.png")) if (bundle / "steps").is_dir() else [])

    @flask.get("/evidence/<folder>/<path:name>")
    def evidence_file(folder: str, name: str):
        from assistant.evidence.bundle import MAX_IMAGE_BYTES, NotInBundle, open_member
        bundle = bundle_or_404(folder)
        kind = EVIDENCE_TYPES.get(Path(name).suffix.lower())
        if kind is None:
            abort(404)
        try:
            handle = open_member(bundle, name, MAX_IMAGE_BYTES * 2)
        except (NotInBundle, OSError):
            abort(404)
        response = send_file(handle, mimetype=kind.split(";")[0], download_name=Path(name).name,
                             as_attachment=kind == "application/pdf" and request.args.get("download") == "1")
        response.headers["Content-Type"] = kind
        response.headers["Content-Security-Policy"] = EVIDENCE_CSP
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        return response

    def bundle_or_404(folder: str) -> Path:
        """A run folder directly inside the evidence root: a plain name, a real directory, no link."""
        root = app.evidence_root()
        if not folder or folder in (".", "..") or "/" in folder or "\\" in folder or "\x00" in folder:
            abort(404)
        path = root / folder
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            abort(404)
        if not stat.S_ISDIR(mode):  # a symbolic link is not a directory to lstat: refused
            abort(404)
        return path

    # -------------------------------------------------------- quitting

    @flask.post("/quit")
    def quit_app():
        # Stopped once this page has been written out (a server stopped sooner drops the answer mid-way): the
        # thread answering this request ends after writing it. Bounded, so that a client that never reads
        # cannot keep the app running.
        answering = threading.current_thread()

        def quit_after_the_answer():
            if answering is not threading.main_thread():
                answering.join(timeout=QUIT_ANSWER_WAIT_S)
            app.quit()
        threading.Thread(target=quit_after_the_answer, name="quit", daemon=True).start()
        # A browser would keep the connection (and so the answering thread) for its next request.
        return page("error.html", message=w("app.quit.done", g.lang), quitting=True), 200, {"Connection": "close"}

    return flask


def _int(text: str) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return -1


def in_lang(value, lang: str):
    """An event as one language sees it: every {zh:…, en:…} pair becomes its `lang` text."""
    if isinstance(value, dict):
        if set(value) == set(LANGS):
            return value[lang]
        return {k: in_lang(v, lang) for k, v in value.items()}
    if isinstance(value, list):
        return [in_lang(v, lang) for v in value]
    return value


def secret_fields(profile, lang: str) -> list[tuple[str, str]]:
    """Every credential the run types (other than the account), with its label: all asked on the form."""
    from assistant.engine.closing import secrets_needed
    fields = []
    for name in secrets_needed(profile):
        label = profile.credentials.get(name, {}).get("label") or {"zh": name, "en": name}
        fields.append((name, label.get(lang) or label.get("en", name)))
    return fields


def facts(profile, lang: str) -> dict:
    """What the profile says a person should know before closing: shown on the start page."""
    from assistant.messages import t
    c = profile.closure
    fees = None
    if c.fees:
        fees = t("facts.fees_none", lang) if c.fees.strip().lower() in ("none", "无", "免费") else c.fees
    account_label = profile.credentials.get("account", {}).get("label") or {}
    return {
        "practice": t("facts.practice", lang) if profile.is_practice else None,
        "prerequisites": list(c.prerequisites or ()),
        "fees": t("facts.fees", lang, fees=fees) if fees else None,
        "review": t("facts.review_days", lang, days=c.review_working_days),
        "customer_service": t("facts.customer_service", lang, text=c.customer_service) if c.customer_service else None,
        "notes": t("facts.notes", lang, text=c.notes) if c.notes else None,
        "account_label": account_label.get(lang) or account_label.get("en") or "",
    }


def verification_lines(v, lang: str) -> list[str]:
    """`evidence verify`'s words for a bundle, for the evidence page."""
    from assistant.messages import t
    if v.findings:
        lines = [t("evidence.tampered", lang, count=len(v.findings))]
        for f in v.findings:
            where = t("verify.where", lang, seq=f.seq) if f.seq is not None and f.path != "manifest.json" else ""
            why = t(f"why.{f.why}", lang) if f.why else ""
            lines.append(t(f"verify.{f.reason}", lang, path=f.path, seq=f.seq, other=f.other, where=where, why=why))
        return lines
    lines = [t("evidence.intact" if v.complete else "evidence.partial", lang, entries=v.entries, files=v.files,
               hash=v.final_hash)]
    lines += [t("evidence.leftover_report" if v.complete else "evidence.leftover", lang, path=name) for name in v.leftovers]
    if v.report_checked:
        lines.append(t("evidence.report_ok", lang))
    return lines


def serve(app: App, port: int = 0, on_ready=None) -> None:
    """Serves until quit, the idle timeout, or Ctrl-C (KeyboardInterrupt reaches the caller). `on_ready(url)`
    is called once the port is bound."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    class QuietRequests(WSGIRequestHandler):
        def log_request(self, code="-", size="-"):  # nothing of a request (its token, a run's id) is logged
            pass
    # The socket is bound here, so that a port in use is an OSError for the caller to word (Werkzeug's own
    # bind would print its English advice and exit).
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.bind(("127.0.0.1", port))
        listener.listen(64)
        server = make_server("127.0.0.1", listener.getsockname()[1], app.flask, threaded=True,
                             request_handler=QuietRequests, fd=listener.fileno())
    finally:
        listener.close()  # the server holds its own duplicate of the socket
    app.guard.port = server.socket.getsockname()[1]
    app.shutdown = server.shutdown

    # Looked at often enough that the app stops within a quarter of its idle time after it (30 s at most).
    look_every_s = min(30.0, max(0.1, app.config.idle_minutes * 60 / 4))

    def watch_idle():
        while not app.stopped.wait(look_every_s):
            if app.idle():
                app.idle_stop = True
                app.quit()
    threading.Thread(target=watch_idle, name="idle", daemon=True).start()
    if on_ready is not None:
        on_ready(f"http://127.0.0.1:{server.socket.getsockname()[1]}/?token={app.guard.token}")
    try:
        server.serve_forever()
    finally:
        server.server_close()
