"""``GET project/all/closed``: completed or abandoned tasks, newest first.

Query: ``from_`` (pyticktick's spelling) or ``from``, and ``to``, each ``YYYY-MM-DD HH:MM:SS``
read as UTC (any ISO form is accepted too) and empty for unbounded; ``status`` is
``Completed`` (status 1 or 2) or ``Abandoned`` (-1); optional ``limit`` and ``projectId``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.routing import BaseRoute, Route

from taskhaven.api.ticktick.v2 import render
from taskhaven.api.ticktick.v2.auth import current_user
from taskhaven.api.ticktick.v2.errors import V2Error
from taskhaven.api.ticktick.v2.http import endpoint
from taskhaven.core import projects, snapshot
from taskhaven.core.backend import Backend
from taskhaven.core.dates import InvalidDate, parse_iso
from taskhaven.core.ids import inbox_oid, is_oid
from taskhaven.core.status import DONE, Status

STATUSES = {"Completed": DONE, "Abandoned": (Status.WONT_DO,)}
MAX_LIMIT = 10_000


def _bad(message: str) -> V2Error:
    return V2Error(400, "invalid_parameter", message)


def _moment(request: Request, *names: str) -> datetime | None:
    value = next((request.query_params[n] for n in names if n in request.query_params), "")
    if not value.strip():
        return None
    try:
        moment = parse_iso(value.strip())
    except (InvalidDate, OverflowError) as exc:
        raise _bad(f"Invalid date: {names[0]} ({value!r})") from exc
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _limit(request: Request) -> int | None:
    raw = request.query_params.get("limit", "").strip()
    if not raw:
        return None
    if not re.fullmatch(r"[0-9]{1,9}", raw) or not 1 <= int(raw) <= MAX_LIMIT:
        raise _bad(f"Invalid limit (1 to {MAX_LIMIT})")
    return int(raw)


def closed(backend: Backend, request: Request, _body: Any) -> Any:
    user = current_user(backend, request)
    status = request.query_params.get("status", "")
    if status not in STATUSES:
        raise _bad("status must be Completed or Abandoned")
    since = _moment(request, "from_", "from")
    until = _moment(request, "to")
    limit = _limit(request)
    project_ref = request.query_params.get("projectId", "").strip()
    with backend.read() as conn:
        project_id = None
        if project_ref:
            if project_ref == inbox_oid(user["id"]):
                project_id = projects.inbox(conn, user["id"])["id"]
            elif is_oid(project_ref.lower()):
                project_id = projects.by_oid(conn, user["id"], project_ref.lower())["id"]
            else:
                raise _bad("projectId must be a 24-hex object id or the inbox id")
        rows = snapshot.closed_tasks(
            conn,
            user["id"],
            statuses=STATUSES[status],
            since=since,
            until=until,
            project_id=project_id,
            limit=limit,
        )
        return render.tasks(conn, user, rows)


def routes(prefix: str) -> list[BaseRoute]:
    return [Route(prefix + "/project/all/closed", endpoint(closed), methods=["GET"])]
