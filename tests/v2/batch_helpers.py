"""Driving the V2 batch endpoints: a signed-on pyticktick client plus raw calls with its cookie."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from pyticktick import Client
from pyticktick.models.v2 import GetBatchV2, ProjectV2, TagV2, TaskV2

from tests.servers import RunningServer
from tests.v2.clients import client_for, cookie, register, settings_for


def oid() -> str:
    """A fresh client-chosen id, as pyticktick users make them (24 hex)."""
    return uuid.uuid4().hex[:24]


@dataclass
class V2:
    server: RunningServer
    user: dict[str, Any]  # the Sync API User object (with ``token``)
    client: Client

    @property
    def token(self) -> str:
        return str(self.client.v2_token)

    @property
    def inbox(self) -> str:
        return f"inbox{self.user['id']}"

    def url(self, path: str) -> str:
        return self.server.url + "/api/v2/" + path

    def raw(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return httpx.request(method, self.url(path), headers=cookie(self.token), **kwargs)

    def post(self, path: str, body: Any) -> dict[str, Any]:
        response = self.raw("POST", path, json=body)
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        return data

    def check(self, check_point: int = 0) -> dict[str, Any]:
        """``batch/check`` as raw JSON, every object validated by the client's models."""
        response = self.raw("GET", f"batch/check/{check_point}")
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        if check_point == 0:
            GetBatchV2.model_validate(data)
        for task in data["syncTaskBean"]["update"]:
            TaskV2.model_validate(task)
        for profile in data["projectProfiles"] or []:
            ProjectV2.model_validate(profile)
        for tag in data["tags"] or []:
            TagV2.model_validate(tag)
        return data

    def tasks(self) -> dict[str, dict[str, Any]]:
        return {t["id"]: t for t in self.check()["syncTaskBean"]["update"]}

    def projects(self) -> dict[str, dict[str, Any]]:
        return {p["id"]: p for p in self.check()["projectProfiles"]}

    def tags(self) -> dict[str, dict[str, Any]]:
        return {t["name"]: t for t in self.check()["tags"]}


def v2_account(server: RunningServer) -> V2:
    """A new account made through the Sync API, signed on to V2 exactly as pyticktick does."""
    user = register(server)
    client = client_for(settings_for(server, user["email"]))
    return V2(server=server, user=user, client=client)


def task(project_id: str, title: str, **fields: Any) -> dict[str, Any]:
    """A CreateTaskV2 as pyticktick users write it (snake_case keys)."""
    return {"project_id": project_id, "title": title, **fields}
