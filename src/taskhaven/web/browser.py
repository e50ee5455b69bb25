"""The browser's side of the web pages: the session cookie, the second-factor step, CSRF.

The session is a core session (the same table as the V2 cookie ``t``), so a user's session
list and "sign out everywhere" cover the browser too. Cookies are ``HttpOnly``,
``SameSite=Lax`` and ``Secure`` when the request came over TLS.

CSRF: every form carries ``csrf_token`` = HMAC(server key, the ``taskhaven_csrf`` cookie).
A forged form has neither the cookie (another site cannot read it) nor the key.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import RowMapping
from starlette.requests import Request
from starlette.responses import Response

from taskhaven.core import security, sessions
from taskhaven.core.backend import Backend
from taskhaven.core.errors import AuthenticationFailed

SESSION_COOKIE = "taskhaven_web"
MFA_COOKIE = "taskhaven_mfa"
CSRF_COOKIE = "taskhaven_csrf"
MAX_COOKIE = 256


def _cookie_flags(request: Request) -> dict[str, Any]:
    return {
        "httponly": True,
        "samesite": "lax",
        "secure": request.url.scheme == "https",
        "path": "/",
    }


def set_cookie(
    response: Response, request: Request, name: str, value: str, max_age: int | None = None
) -> None:
    response.set_cookie(name, value, max_age=max_age, **_cookie_flags(request))


def clear_cookie(response: Response, request: Request, name: str) -> None:
    response.delete_cookie(name, **_cookie_flags(request))


def current(backend: Backend, request: Request) -> tuple[RowMapping, sessions.Session] | None:
    """The signed-in user and session, or None."""
    token = request.cookies.get(SESSION_COOKIE, "")
    if not token or len(token) > MAX_COOKIE:
        return None
    try:
        return sessions.authenticate(backend, token)
    except AuthenticationFailed:
        return None


def csrf_cookie(request: Request) -> str:
    """The browser's CSRF cookie, or a new value (``ensure_csrf`` sets it on the response)."""
    value = request.cookies.get(CSRF_COOKIE, "")
    if value and len(value) <= MAX_COOKIE:
        return value
    existing = getattr(request.state, "csrf_new", None)
    if existing:
        return str(existing)
    value = secrets.token_urlsafe(32)
    request.state.csrf_new = value
    return value


def csrf_token(backend: Backend, request: Request) -> str:
    return backend.box.mac("csrf:" + csrf_cookie(request))


def ensure_csrf(request: Request, response: Response) -> None:
    new = getattr(request.state, "csrf_new", None)
    if new:
        set_cookie(response, request, CSRF_COOKIE, str(new))


def csrf_ok(backend: Backend, request: Request, sent: Any) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not cookie or len(cookie) > MAX_COOKIE or not isinstance(sent, str) or len(sent) > 128:
        return False
    return security.same(sent, backend.box.mac("csrf:" + cookie))
