"""A minimal Sync API client for invariant tests: raw commands, merge-by-id local state."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import orjson

MERGED = ("Projects", "Items", "Labels", "Notes", "ProjectNotes", "Filters", "Reminders")
READ_TYPES = ["projects", "items", "labels", "notes", "filters", "reminders"]


def command(kind: str, args: dict[str, Any], temp_id: str | None = None) -> dict[str, Any]:
    cmd: dict[str, Any] = {"type": kind, "uuid": str(uuid.uuid4()), "args": args}
    if temp_id:
        cmd["temp_id"] = temp_id
    return cmd


class RawClient:
    """Keeps a local copy the way todoist-python does: merge by id, drop deleted."""

    def __init__(self, http: httpx.Client, token: str) -> None:
        self.http = http
        self.token = token
        self.seq_no = 0
        self.state: dict[str, dict[int, dict[str, Any]]] = {key: {} for key in MERGED}

    def post(self, **params: Any) -> dict[str, Any]:
        data = {"token": self.token}
        for key, value in params.items():
            data[key] = value if isinstance(value, str) else orjson.dumps(value).decode()
        response = self.http.post("/API/v6/sync", data=data)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def commit(self, commands: list[dict[str, Any]]) -> dict[str, Any]:
        return self.post(commands=commands)

    def sync(self) -> dict[str, Any]:
        body = self.post(seq_no=str(self.seq_no), seq_no_global=str(self.seq_no),
                         resource_types=READ_TYPES)  # fmt: skip
        assert isinstance(body["seq_no"], int)
        assert body["seq_no"] >= self.seq_no, "seq_no went down"
        merge(self.state, body)
        self.seq_no = body["seq_no"]
        return body


def merge(state: dict[str, dict[int, dict[str, Any]]], body: dict[str, Any]) -> None:
    for key in MERGED:
        for obj in body.get(key, []):
            if obj.get("is_deleted", 0):
                state[key].pop(obj["id"], None)
            else:
                state[key][obj["id"]] = obj


def comparable(state: dict[str, dict[int, dict[str, Any]]]) -> dict[str, dict[int, Any]]:
    """What a full sync would hold: items already in history are left out of full syncs."""
    result = {key: dict(objs) for key, objs in state.items()}
    result["Items"] = {i: o for i, o in result["Items"].items() if not o.get("in_history")}
    return result


def full_state(http: httpx.Client, token: str) -> dict[str, dict[int, Any]]:
    fresh = RawClient(http, token)
    fresh.sync()
    return comparable(fresh.state)
