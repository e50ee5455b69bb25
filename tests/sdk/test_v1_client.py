"""`V1Client` against a V1 API that follows the spec (§1.4), as an `httpx.MockTransport`.

The answers are the spec's Appendix B samples, so retries and errors can be scripted; the
server's own V1 API is driven end to end in test_v1_live.py.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

import httpx
import pytest

from taskhaven.sdk import (
    AsyncV1Client,
    AuthenticationError,
    NotFoundError,
    RateLimitError,
    RetryPolicy,
    Settings,
    V1Client,
)
from taskhaven.sdk.models.v1 import (
    CreateProjectV1,
    CreateTaskV1,
    ItemInV1,
    UpdateProjectV1,
    UpdateTaskV1,
)

TOKEN = str(uuid.uuid4())
PROJECT = {"id": "65a1b2c3d4e5f6a7b8c9d0e1", "name": "Work", "color": "#F18181", "sortOrder": 0,
           "closed": False, "groupId": None, "viewMode": "list", "permission": "write",
           "kind": "TASK"}  # fmt: skip
TASK = {"id": "65a1b2c3d4e5f6a7b8c9d0e3", "projectId": PROJECT["id"], "title": "Buy milk",
        "isAllDay": False, "content": "c", "startDate": "2019-11-13T03:00:00+0000",
        "dueDate": "2019-11-14T03:00:00+0000", "timeZone": "America/Los_Angeles",
        "reminders": ["TRIGGER:PT0S"], "repeatFlag": "RRULE:FREQ=DAILY;INTERVAL=1",
        "priority": 1, "status": 0, "sortOrder": 12345,
        "items": [{"id": "65a1b2c3d4e5f6a7b8c9d0e4", "status": 0, "title": "step",
                   "sortOrder": 1, "isAllDay": False,
                   "timeZone": "America/Los_Angeles"}]}  # fmt: skip


class FakeV1:
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.limited = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return httpx.Response(401)
        assert request.headers["content-type"] == "application/json"
        if self.limited:
            self.limited -= 1
            body = {"errorId": "x", "errorCode": "exceed_query_limit",
                    "errorMessage": "exceed_query_limit", "data": None}  # fmt: skip
            return httpx.Response(429, json=body, headers={"Retry-After": "0"})
        path, method = request.url.path.removeprefix("/open/v1/"), request.method
        sent = json.loads(request.content) if request.content else None
        if (method, path) == ("GET", "project"):
            return httpx.Response(200, json=[PROJECT])
        if path == f"project/{PROJECT['id']}" and method in ("GET", "POST"):
            return httpx.Response(200, json={**PROJECT, **(sent or {})})
        if (method, path) == ("POST", "project"):
            new_id = "65a1b2c3d4e5f6a7b8c9d0f0"
            return httpx.Response(200, json={**PROJECT, **sent, "id": new_id})
        if path == f"project/{PROJECT['id']}/data":
            return httpx.Response(200, json={"project": PROJECT, "tasks": [TASK], "columns": []})
        if path == f"project/{PROJECT['id']}/task/{TASK['id']}" and method == "GET":
            return httpx.Response(200, json={**TASK, "etag": "abcd1234", "kind": "TEXT"})
        if (method, path) == ("POST", "task") or path == f"task/{TASK['id']}":
            changed = {k: v for k, v in sent.items() if v and k != "items"}
            return httpx.Response(200, json={**TASK, **changed})
        if path.endswith("/complete"):
            assert sent == {}
            return httpx.Response(200)
        if method == "DELETE" and path.startswith("project/" + PROJECT["id"]):
            return httpx.Response(200)
        return httpx.Response(404)


def client(fake: FakeV1, **options: Any) -> V1Client:
    settings = Settings(v1_token={"value": TOKEN, "expiration": int(time.time()) + 10**7},
                        v1_base_url="http://tasks.test/open/v1/")  # fmt: skip
    return V1Client(settings, transport=httpx.MockTransport(fake), **options)


def test_every_endpoint_round_trips() -> None:
    fake = FakeV1()
    v1 = client(fake)
    assert [p.name for p in v1.get_projects()] == ["Work"]
    assert v1.get_project(PROJECT["id"]).view_mode == "list"
    data = v1.get_project_data(PROJECT["id"])
    assert data.tasks[0].items and data.tasks[0].items[0].title == "step"
    created = v1.create_project(CreateProjectV1(name="New", view_mode="kanban"))
    assert created.name == "New"
    assert json.loads(fake.requests[-1].content) == {"name": "New", "viewMode": "kanban"}
    assert v1.update_project(PROJECT["id"], UpdateProjectV1(name="Job")).name == "Job"
    task = v1.get_task(PROJECT["id"], TASK["id"])
    assert (task.status, task.etag) == (0, "abcd1234")
    body = CreateTaskV1(title="T", project_id=PROJECT["id"], priority=5,
                        items=[ItemInV1(title="x", status=1)])  # fmt: skip
    assert v1.create_task(body).priority == 5
    assert json.loads(fake.requests[-1].content) == {
        "title": "T", "projectId": PROJECT["id"], "priority": 5,
        "items": [{"title": "x", "status": 1}],
    }  # fmt: skip
    update = UpdateTaskV1(id=TASK["id"], project_id=PROJECT["id"], title="T2")
    assert v1.update_task(TASK["id"], update).title == "T2"
    v1.complete_task(PROJECT["id"], TASK["id"])
    v1.delete_task(PROJECT["id"], TASK["id"])
    v1.delete_project(PROJECT["id"])
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in fake.requests)


def test_errors_and_the_rate_limit() -> None:
    fake = FakeV1()
    with pytest.raises(NotFoundError):
        client(fake).get_project("nope")
    fake.limited = 1
    slept: list[float] = []
    v1 = client(fake)
    v1._http.sleep = slept.append
    assert v1.get_projects()
    assert slept == [0.0]
    fake.limited = 1
    with pytest.raises(RateLimitError) as caught:
        client(fake).create_task(CreateTaskV1(title="T", project_id="p"))
    assert caught.value.code == "exceed_query_limit"
    fake.limited = 5
    with pytest.raises(RateLimitError):
        client(fake, retry=RetryPolicy(attempts=2)).get_projects()


def test_an_unknown_token_is_an_authentication_error() -> None:
    settings = Settings(v1_token={"value": str(uuid.uuid4()), "expiration": 2 * 10**9})
    with pytest.raises(AuthenticationError):
        V1Client(settings, transport=httpx.MockTransport(FakeV1())).get_projects()


def test_a_client_without_a_token_is_refused_at_once() -> None:
    with pytest.raises(ValueError, match="without `v1_token`"):
        V1Client(Settings(v2_token="only-v2"))


def test_the_async_client() -> None:
    fake = FakeV1()
    settings = Settings(v1_token={"value": TOKEN, "expiration": int(time.time()) + 10**7},
                        v1_base_url="http://tasks.test/open/v1/")  # fmt: skip

    async def scenario() -> list[str]:
        async with AsyncV1Client(settings, transport=httpx.MockTransport(fake)) as v1:
            names = [p.name for p in await v1.get_projects()]
            names.append((await v1.get_project(PROJECT["id"])).name)
            names.append((await v1.get_project_data(PROJECT["id"])).project.name)
            names.append((await v1.create_project(CreateProjectV1(name="A"))).name)
            names.append((await v1.update_project(PROJECT["id"], UpdateProjectV1(name="B"))).name)
            names.append((await v1.get_task(PROJECT["id"], TASK["id"])).title)
            body = CreateTaskV1(title="C", project_id=PROJECT["id"])
            names.append((await v1.create_task(body)).title)
            update = UpdateTaskV1(id=TASK["id"], project_id=PROJECT["id"], title="D")
            names.append((await v1.update_task(TASK["id"], update)).title)
            await v1.complete_task(PROJECT["id"], TASK["id"])
            await v1.delete_task(PROJECT["id"], TASK["id"])
            await v1.delete_project(PROJECT["id"])
            return names

    assert asyncio.run(scenario()) == ["Work", "Work", "Work", "A", "B", "Buy milk", "C", "D"]
