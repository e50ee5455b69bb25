"""``GET task/{taskId}``: one task of the caller, open, closed or in the trash.

pyticktick's client never calls it, but the web app and pyticktick's own tests read tasks
that left ``batch/check`` (completed, abandoned, deleted) this way. A deleted task answers
with ``deleted: 1``, as TickTick's trash does; someone else's or an unknown id is 404.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.routing import BaseRoute, Route

from taskhaven.api.ticktick.v2 import render
from taskhaven.api.ticktick.v2.auth import current_user
from taskhaven.api.ticktick.v2.errors import V2Error
from taskhaven.api.ticktick.v2.http import endpoint
from taskhaven.core import items
from taskhaven.core.backend import Backend
from taskhaven.core.ids import is_oid


def get_task(backend: Backend, request: Request, _body: Any) -> Any:
    user = current_user(backend, request)
    task_id = request.path_params["task_id"].lower()
    if not is_oid(task_id):
        raise V2Error(400, "invalid_parameter", "taskId must be a 24-hex object id")
    with backend.read() as conn:
        row = items.by_oid(conn, user["id"], task_id, live=False)
        rendered = render.tasks(conn, user, [row])[0]
    wanted = request.query_params.get("projectId", "").strip()
    if wanted and wanted.lower() != rendered["projectId"].lower():
        raise V2Error(404, "not_existed", "Task not found in that project")
    return rendered


def routes(prefix: str) -> list[BaseRoute]:
    return [Route(prefix + "/task/{task_id}", endpoint(get_task), methods=["GET"])]
