"""Who is calling: the session cookie ``t`` every authenticated V2 call carries."""

from __future__ import annotations

from sqlalchemy import RowMapping
from starlette.requests import Request

from taskhaven.core import sessions
from taskhaven.core.backend import Backend

COOKIE = "t"


def session_token(request: Request) -> str:
    return request.cookies.get(COOKIE, "")


def current_session(backend: Backend, request: Request) -> tuple[RowMapping, sessions.Session]:
    """The user and session behind the cookie; AuthenticationFailed (401) otherwise."""
    return sessions.authenticate(backend, session_token(request))


def current_user(backend: Backend, request: Request) -> RowMapping:
    """The signed-on user; raises AuthenticationFailed, which maps to 401 ``user_not_sign_on``."""
    user, _session = current_session(backend, request)
    return user
