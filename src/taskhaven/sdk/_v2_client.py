"""`V2Client` and `AsyncV2Client`: the V2 API (TickTick's web-app API), fully typed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from taskhaven.sdk._call import Call
from taskhaven.sdk._client_base import AwaitingClient, BlockingClient
from taskhaven.sdk._http import validate
from taskhaven.sdk._settings import Settings
from taskhaven.sdk.models.user import UserProfileV2, UserStatisticsV2, UserStatusV2
from taskhaven.sdk.models.v2 import (
    BatchCheckV2,
    BatchRespV2,
    BatchTaskParentRespV2,
    ClosedStatus,
    PostBatchProjectGroupV2,
    PostBatchProjectV2,
    PostBatchTagV2,
    PostBatchTaskV2,
    SessionV2,
    SetTaskParentV2,
    TaskV2,
    UnsetTaskParentV2,
)

T = TypeVar("T")
CLOSED_FORMAT = "%Y-%m-%d %H:%M:%S"


class _V2Calls:
    """Every V2 endpoint as a `Call`; the clients run them."""

    @staticmethod
    def profile() -> Call[UserProfileV2]:
        return Call("GET", "user/profile", UserProfileV2)

    @staticmethod
    def status() -> Call[UserStatusV2]:
        return Call("GET", "user/status", UserStatusV2)

    @staticmethod
    def statistics() -> Call[UserStatisticsV2]:
        return Call("GET", "statistics/general", UserStatisticsV2)

    @staticmethod
    def sessions() -> Call[list[SessionV2]]:
        return Call("GET", "user/sessions", list[SessionV2])

    @staticmethod
    def revoke_session(session_id: str) -> Call[None]:
        return Call("DELETE", f"user/sessions/{session_id}")

    @staticmethod
    def sign_out() -> Call[None]:
        return Call("POST", "user/signout")

    @staticmethod
    def batch_check(check_point: int) -> Call[BatchCheckV2]:
        return Call("GET", f"batch/check/{check_point}", BatchCheckV2)

    @staticmethod
    def closed(
        status: ClosedStatus,
        from_: datetime | None,
        to: datetime | None,
        limit: int | None,
        project_id: str | None,
    ) -> Call[list[TaskV2]]:
        params: dict[str, Any] = {
            "from": from_.strftime(CLOSED_FORMAT) if from_ else "",
            "to": to.strftime(CLOSED_FORMAT) if to else "",
            "status": status,
        }
        if limit is not None:
            params["limit"] = limit
        if project_id is not None:
            params["projectId"] = project_id
        return Call("GET", "project/all/closed", list[TaskV2], params=params)

    @staticmethod
    def task(task_id: str, project_id: str | None) -> Call[TaskV2]:
        params = {"projectId": project_id} if project_id else None
        return Call("GET", f"task/{task_id}", TaskV2, params=params)

    @staticmethod
    def batch_task(body: PostBatchTaskV2) -> Call[BatchRespV2]:
        return Call("POST", "batch/task", BatchRespV2, json=body.wire())

    @staticmethod
    def batch_project(body: PostBatchProjectV2) -> Call[BatchRespV2]:
        return Call("POST", "batch/project", BatchRespV2, json=body.wire())

    @staticmethod
    def batch_group(body: PostBatchProjectGroupV2) -> Call[BatchRespV2]:
        return Call("POST", "batch/projectGroup", BatchRespV2, json=body.wire())

    @staticmethod
    def batch_task_parent(
        moves: Sequence[SetTaskParentV2 | UnsetTaskParentV2],
    ) -> Call[BatchTaskParentRespV2]:
        body = [move.wire() for move in moves]
        return Call("POST", "batch/taskParent", BatchTaskParentRespV2, json=body)

    @staticmethod
    def batch_tag(body: PostBatchTagV2) -> Call[BatchRespV2]:
        return Call("POST", "batch/tag", BatchRespV2, json=body.wire())

    @staticmethod
    def rename_tag(name: str, new_name: str) -> Call[None]:
        # Not repeated on failure: a rename that landed makes its repeat fail.
        return Call("PUT", "tag/rename", json={"name": name, "newName": new_name}, safe=False)

    @staticmethod
    def delete_tag(name: str) -> Call[None]:
        return Call("DELETE", "tag", params={"name": name})


class _V2Config:
    @staticmethod
    def _base_url(settings: Settings) -> str:
        return str(settings.v2_base_url)

    @staticmethod
    def _options(settings: Settings) -> dict[str, Any]:
        return {"headers": settings.v2_headers, "cookies": settings.v2_cookies}


class V2Client(_V2Config, BlockingClient):
    """The V2 API with the session of `settings` (`v2_token`); blocking.

    Every answer is validated against the SDK's models: strictly (unknown keys are an error)
    unless `settings.override_forbid_extra`.
    """

    def _run(self, call: Call[T]) -> T:
        response = self._http.request(
            call.method, call.path, params=call.params, json=call.json, safe=call.safe
        )
        if call.shape is None:
            return None  # type: ignore[return-value]
        result: T = validate(call.shape, response, lenient=self._http.lenient)
        return result

    def get_profile(self) -> UserProfileV2:
        return self._run(_V2Calls.profile())

    def get_status(self) -> UserStatusV2:
        return self._run(_V2Calls.status())

    def get_statistics(self) -> UserStatisticsV2:
        return self._run(_V2Calls.statistics())

    def get_sessions(self) -> list[SessionV2]:
        return self._run(_V2Calls.sessions())

    def revoke_session(self, session_id: str) -> None:
        self._run(_V2Calls.revoke_session(session_id))

    def sign_out(self) -> None:
        self._run(_V2Calls.sign_out())

    def get_batch(self, check_point: int = 0) -> BatchCheckV2:
        """Everything (0), or what changed since `check_point` (the last answer's)."""
        return self._run(_V2Calls.batch_check(check_point))

    def get_closed(
        self,
        status: ClosedStatus = "Completed",
        from_: datetime | None = None,
        to: datetime | None = None,
        *,
        limit: int | None = None,
        project_id: str | None = None,
    ) -> list[TaskV2]:
        """Completed or abandoned tasks, newest first (dates as wall-clock UTC)."""
        return self._run(_V2Calls.closed(status, from_, to, limit, project_id))

    def get_task(self, task_id: str, project_id: str | None = None) -> TaskV2:
        return self._run(_V2Calls.task(task_id, project_id))

    def post_task(self, body: PostBatchTaskV2) -> BatchRespV2:
        return self._run(_V2Calls.batch_task(body))

    def post_project(self, body: PostBatchProjectV2) -> BatchRespV2:
        return self._run(_V2Calls.batch_project(body))

    def post_project_group(self, body: PostBatchProjectGroupV2) -> BatchRespV2:
        return self._run(_V2Calls.batch_group(body))

    def post_task_parent(
        self, moves: Sequence[SetTaskParentV2 | UnsetTaskParentV2]
    ) -> BatchTaskParentRespV2:
        return self._run(_V2Calls.batch_task_parent(moves))

    def post_tag(self, body: PostBatchTagV2) -> BatchRespV2:
        return self._run(_V2Calls.batch_tag(body))

    def rename_tag(self, name: str, new_name: str) -> None:
        self._run(_V2Calls.rename_tag(name, new_name))

    def delete_tag(self, name: str) -> None:
        self._run(_V2Calls.delete_tag(name))


class AsyncV2Client(_V2Config, AwaitingClient):
    """`V2Client` for asyncio: the same methods, awaited."""

    async def _run(self, call: Call[T]) -> T:
        response = await self._http.request(
            call.method, call.path, params=call.params, json=call.json, safe=call.safe
        )
        if call.shape is None:
            return None  # type: ignore[return-value]
        result: T = validate(call.shape, response, lenient=self._http.lenient)
        return result

    async def get_profile(self) -> UserProfileV2:
        return await self._run(_V2Calls.profile())

    async def get_status(self) -> UserStatusV2:
        return await self._run(_V2Calls.status())

    async def get_statistics(self) -> UserStatisticsV2:
        return await self._run(_V2Calls.statistics())

    async def get_sessions(self) -> list[SessionV2]:
        return await self._run(_V2Calls.sessions())

    async def revoke_session(self, session_id: str) -> None:
        await self._run(_V2Calls.revoke_session(session_id))

    async def sign_out(self) -> None:
        await self._run(_V2Calls.sign_out())

    async def get_batch(self, check_point: int = 0) -> BatchCheckV2:
        return await self._run(_V2Calls.batch_check(check_point))

    async def get_closed(
        self,
        status: ClosedStatus = "Completed",
        from_: datetime | None = None,
        to: datetime | None = None,
        *,
        limit: int | None = None,
        project_id: str | None = None,
    ) -> list[TaskV2]:
        return await self._run(_V2Calls.closed(status, from_, to, limit, project_id))

    async def get_task(self, task_id: str, project_id: str | None = None) -> TaskV2:
        return await self._run(_V2Calls.task(task_id, project_id))

    async def post_task(self, body: PostBatchTaskV2) -> BatchRespV2:
        return await self._run(_V2Calls.batch_task(body))

    async def post_project(self, body: PostBatchProjectV2) -> BatchRespV2:
        return await self._run(_V2Calls.batch_project(body))

    async def post_project_group(self, body: PostBatchProjectGroupV2) -> BatchRespV2:
        return await self._run(_V2Calls.batch_group(body))

    async def post_task_parent(
        self, moves: Sequence[SetTaskParentV2 | UnsetTaskParentV2]
    ) -> BatchTaskParentRespV2:
        return await self._run(_V2Calls.batch_task_parent(moves))

    async def post_tag(self, body: PostBatchTagV2) -> BatchRespV2:
        return await self._run(_V2Calls.batch_tag(body))

    async def rename_tag(self, name: str, new_name: str) -> None:
        await self._run(_V2Calls.rename_tag(name, new_name))

    async def delete_tag(self, name: str) -> None:
        await self._run(_V2Calls.delete_tag(name))
