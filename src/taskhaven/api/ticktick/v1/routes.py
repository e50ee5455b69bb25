"""The V1 API as its own sub-app, mounted at ``/open/v1``, with its own error format."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from taskhaven.api.ticktick.codes.errors import error_response
from taskhaven.api.ticktick.v1 import projects, tasks
from taskhaven.api.ticktick.v1.http import endpoint
from taskhaven.core.backend import Backend
from taskhaven.middleware.protocol import ProtocolApp, protocol_app

# TickTick's errorCode for the HTTP-level errors this server renders itself.
_CODES = {404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}


def routes() -> list[Route]:
    read, write = {"write": False}, {"write": True}
    return [
        Route("/project", endpoint(projects.list_projects, **read), methods=["GET"]),
        Route("/project", endpoint(projects.create_project, **write), methods=["POST"]),
        Route("/project/{project_id}", endpoint(projects.get_project, **read), methods=["GET"]),
        Route(
            "/project/{project_id}", endpoint(projects.update_project, **write), methods=["POST"]
        ),
        Route(
            "/project/{project_id}", endpoint(projects.delete_project, **write), methods=["DELETE"]
        ),
        Route(
            "/project/{project_id}/data", endpoint(projects.project_data, **read), methods=["GET"]
        ),
        Route(
            "/project/{project_id}/task/{task_id}",
            endpoint(tasks.get_task, **read),
            methods=["GET"],
        ),
        Route(
            "/project/{project_id}/task/{task_id}",
            endpoint(tasks.delete_task, **write),
            methods=["DELETE"],
        ),
        Route(
            "/project/{project_id}/task/{task_id}/complete",
            endpoint(tasks.complete_task, **write),
            methods=["POST"],
        ),
        Route("/task", endpoint(tasks.create_task, **write), methods=["POST"]),
        Route("/task/{task_id}", endpoint(tasks.update_task, **write), methods=["POST"]),
    ]


def render_error(status: int, message: str) -> Response:
    return error_response(status, _CODES.get(status, "server_error"), message)


def create_app(backend: Backend) -> ProtocolApp:
    """The V1 API as its own app: its routes and TickTick's error envelope."""
    return protocol_app(routes(), render_error, backend)
