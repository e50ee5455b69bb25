"""``GET task/{taskId}``: open, closed and deleted tasks read back one by one."""

from __future__ import annotations

import httpx
import pytest
from pyticktick.models.v2 import TaskV2

from tests.servers import RunningServer
from tests.v2.batch_helpers import V2, oid, task, v2_account


@pytest.fixture
def v2(server: RunningServer) -> V2:
    return v2_account(server)


def test_open_completed_and_deleted_tasks_read_back(v2: V2) -> None:
    open_id, done_id, gone_id = oid(), oid(), oid()
    v2.client.post_task_v2(
        {"add": [task(v2.inbox, "open", id=open_id), task(v2.inbox, "done", id=done_id),
                 task(v2.inbox, "gone", id=gone_id)]}
    )  # fmt: skip
    v2.client.post_task_v2({"update": [{"id": done_id, "project_id": v2.inbox, "status": 2}]})
    v2.client.post_task_v2({"delete": [{"task_id": gone_id, "project_id": v2.inbox}]})

    opened = v2.raw("GET", f"task/{open_id}", params={"projectId": v2.inbox})
    assert opened.status_code == 200
    assert TaskV2.model_validate(opened.json()).title == "open"

    done = v2.raw("GET", f"task/{done_id}").json()
    assert done["status"] == 2 and done["completedTime"] is not None
    TaskV2.model_validate(done)
    assert done_id not in v2.tasks()

    gone = v2.raw("GET", f"task/{gone_id}").json()
    assert gone["deleted"] == 1 and gone["title"] == "gone"


def test_unknown_foreign_and_malformed_ids(v2: V2, server: RunningServer) -> None:
    mine = oid()
    v2.client.post_task_v2({"add": [task(v2.inbox, "mine", id=mine)]})
    other = v2_account(server)
    foreign = other.raw("GET", f"task/{mine}")
    assert foreign.status_code == 404 and foreign.json()["errorCode"] == "not_existed"
    assert v2.raw("GET", f"task/{oid()}").status_code == 404
    bad = v2.raw("GET", "task/not-an-id")
    assert bad.status_code == 400 and bad.json()["errorCode"] == "invalid_parameter"
    wrong_project = v2.raw("GET", f"task/{mine}", params={"projectId": oid()})
    assert wrong_project.status_code == 404
    no_cookie = httpx.get(v2.url(f"task/{mine}"))
    assert no_cookie.status_code == 401 and no_cookie.json()["errorCode"] == "user_not_sign_on"
