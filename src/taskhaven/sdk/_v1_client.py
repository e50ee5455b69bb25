"""`V1Client` and `AsyncV1Client`: the V1 API (TickTick's Open API) with an OAuth2 token."""

from __future__ import annotations

from typing import Any, TypeVar

from taskhaven.sdk._call import Call
from taskhaven.sdk._client_base import AwaitingClient, BlockingClient
from taskhaven.sdk._http import validate
from taskhaven.sdk._settings import Settings
from taskhaven.sdk.models.v1 import (
    CreateProjectV1,
    CreateTaskV1,
    ProjectDataV1,
    ProjectV1,
    TaskV1,
    UpdateProjectV1,
    UpdateTaskV1,
)

T = TypeVar("T")


class _V1Calls:
    """Every V1 endpoint as a `Call`."""

    @staticmethod
    def projects() -> Call[list[ProjectV1]]:
        return Call("GET", "project", list[ProjectV1])

    @staticmethod
    def project(project_id: str) -> Call[ProjectV1]:
        return Call("GET", f"project/{project_id}", ProjectV1)

    @staticmethod
    def project_data(project_id: str) -> Call[ProjectDataV1]:
        return Call("GET", f"project/{project_id}/data", ProjectDataV1)

    @staticmethod
    def create_project(body: CreateProjectV1) -> Call[ProjectV1]:
        return Call("POST", "project", ProjectV1, json=body.wire())

    @staticmethod
    def update_project(project_id: str, body: UpdateProjectV1) -> Call[ProjectV1]:
        # Safe to repeat: an update sets the same values again.
        return Call("POST", f"project/{project_id}", ProjectV1, json=body.wire(), safe=True)

    @staticmethod
    def delete_project(project_id: str) -> Call[None]:
        return Call("DELETE", f"project/{project_id}")

    @staticmethod
    def task(project_id: str, task_id: str) -> Call[TaskV1]:
        return Call("GET", f"project/{project_id}/task/{task_id}", TaskV1)

    @staticmethod
    def create_task(body: CreateTaskV1) -> Call[TaskV1]:
        return Call("POST", "task", TaskV1, json=body.wire())

    @staticmethod
    def update_task(task_id: str, body: UpdateTaskV1) -> Call[TaskV1]:
        return Call("POST", f"task/{task_id}", TaskV1, json=body.wire(), safe=True)

    @staticmethod
    def complete_task(project_id: str, task_id: str) -> Call[None]:
        path = f"project/{project_id}/task/{task_id}/complete"
        return Call("POST", path, json={}, safe=True)  # completing twice changes nothing

    @staticmethod
    def delete_task(project_id: str, task_id: str) -> Call[None]:
        return Call("DELETE", f"project/{project_id}/task/{task_id}")


class _V1Config:
    @staticmethod
    def _base_url(settings: Settings) -> str:
        return str(settings.v1_base_url)

    @staticmethod
    def _options(settings: Settings) -> dict[str, Any]:
        return {"headers": settings.v1_headers}  # no token: ValueError now


class V1Client(_V1Config, BlockingClient):
    """The V1 API with `settings.v1_token` (`Authorization: Bearer`); blocking."""

    def _run(self, call: Call[T]) -> T:
        response = self._http.request(call.method, call.path, json=call.json, safe=call.safe)
        if call.shape is None:
            return None  # type: ignore[return-value]
        result: T = validate(call.shape, response, lenient=self._http.lenient)
        return result

    def get_projects(self) -> list[ProjectV1]:
        """The user's projects (the inbox is not one: use its id ``inbox…`` in task calls)."""
        return self._run(_V1Calls.projects())

    def get_project(self, project_id: str) -> ProjectV1:
        return self._run(_V1Calls.project(project_id))

    def get_project_data(self, project_id: str) -> ProjectDataV1:
        return self._run(_V1Calls.project_data(project_id))

    def create_project(self, body: CreateProjectV1) -> ProjectV1:
        return self._run(_V1Calls.create_project(body))

    def update_project(self, project_id: str, body: UpdateProjectV1) -> ProjectV1:
        return self._run(_V1Calls.update_project(project_id, body))

    def delete_project(self, project_id: str) -> None:
        self._run(_V1Calls.delete_project(project_id))

    def get_task(self, project_id: str, task_id: str) -> TaskV1:
        return self._run(_V1Calls.task(project_id, task_id))

    def create_task(self, body: CreateTaskV1) -> TaskV1:
        return self._run(_V1Calls.create_task(body))

    def update_task(self, task_id: str, body: UpdateTaskV1) -> TaskV1:
        return self._run(_V1Calls.update_task(task_id, body))

    def complete_task(self, project_id: str, task_id: str) -> None:
        self._run(_V1Calls.complete_task(project_id, task_id))

    def delete_task(self, project_id: str, task_id: str) -> None:
        self._run(_V1Calls.delete_task(project_id, task_id))


class AsyncV1Client(_V1Config, AwaitingClient):
    """`V1Client` for asyncio: the same methods, awaited."""

    async def _run(self, call: Call[T]) -> T:
        response = await self._http.request(call.method, call.path, json=call.json, safe=call.safe)
        if call.shape is None:
            return None  # type: ignore[return-value]
        result: T = validate(call.shape, response, lenient=self._http.lenient)
        return result

    async def get_projects(self) -> list[ProjectV1]:
        return await self._run(_V1Calls.projects())

    async def get_project(self, project_id: str) -> ProjectV1:
        return await self._run(_V1Calls.project(project_id))

    async def get_project_data(self, project_id: str) -> ProjectDataV1:
        return await self._run(_V1Calls.project_data(project_id))

    async def create_project(self, body: CreateProjectV1) -> ProjectV1:
        return await self._run(_V1Calls.create_project(body))

    async def update_project(self, project_id: str, body: UpdateProjectV1) -> ProjectV1:
        return await self._run(_V1Calls.update_project(project_id, body))

    async def delete_project(self, project_id: str) -> None:
        await self._run(_V1Calls.delete_project(project_id))

    async def get_task(self, project_id: str, task_id: str) -> TaskV1:
        return await self._run(_V1Calls.task(project_id, task_id))

    async def create_task(self, body: CreateTaskV1) -> TaskV1:
        return await self._run(_V1Calls.create_task(body))

    async def update_task(self, task_id: str, body: UpdateTaskV1) -> TaskV1:
        return await self._run(_V1Calls.update_task(task_id, body))

    async def complete_task(self, project_id: str, task_id: str) -> None:
        await self._run(_V1Calls.complete_task(project_id, task_id))

    async def delete_task(self, project_id: str, task_id: str) -> None:
        await self._run(_V1Calls.delete_task(project_id, task_id))
