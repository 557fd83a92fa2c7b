"""Plain request/response values shared by the portal server and portal apps.

Portal apps never see the socket: they get a `Request` and return a
`Response`, which keeps them testable and free of http.server details.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    # Filled in by the server from the session cookie; None when logged out.
    session: Any = None
    # True when this request's session was just dropped by the expiry fault.
    session_expired: bool = False
    # "After a site update" variant, decided by the live fault knobs.
    redesign: bool = False

    @property
    def is_api(self) -> bool:
        """Requests made by page scripts; they get JSON instead of HTML."""
        return self.path.startswith("/api/")


@dataclass
class Response:
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""


SESSION_COOKIE = "sid"


def set_session_cookie(response: Response, sid: str) -> Response:
    response.headers.append(("Set-Cookie", f"{SESSION_COOKIE}={sid}; Path=/; HttpOnly; SameSite=Lax"))
    return response


def clear_session_cookie(response: Response) -> Response:
    response.headers.append(("Set-Cookie", f"{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"))
    return response


def html_response(markup: str, status: int = 200) -> Response:
    return Response(
        status,
        [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")],
        markup.encode("utf-8"),
    )


def json_response(data: Any, status: int = 200) -> Response:
    return Response(
        status,
        [("Content-Type", "application/json; charset=utf-8"), ("Cache-Control", "no-store")],
        json.dumps(data, ensure_ascii=False).encode("utf-8"),
    )


def redirect(location: str) -> Response:
    return Response(302, [("Location", location), ("Cache-Control", "no-store")])


def not_found(request: Request) -> Response:
    if request.is_api or request.path.startswith("/__test__/"):
        return json_response({"ok": False, "message": "not found"}, 404)
    return html_response(
        "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\">"
        "<title>404</title><p>页面不存在 (404 Not Found)</p></html>",
        404,
    )
