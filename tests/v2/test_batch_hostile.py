"""Hostile and broken input to the V2 batch endpoints: other users' ids, malformed bodies,
bad ids, oversize requests. Never a 500, never a change to someone else's data."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.servers import RunningServer
from tests.v2.batch_helpers import V2, oid, task, v2_account
from tests.v2.clients import assert_error, cookie


@pytest.fixture
def me(server: RunningServer) -> V2:
    return v2_account(server)


@pytest.fixture
def them(server: RunningServer) -> V2:
    """Another account holding one of everything."""
    other = v2_account(server)
    other.ids = {"project": oid(), "group": oid(), "task": oid(), "child": oid()}  # type: ignore[attr-defined]
    ids = other.ids  # type: ignore[attr-defined]
    other.client.post_project_group_v2({"add": [{"id": ids["group"], "name": "theirs"}]})
    other.client.post_project_v2({"add": [{"id": ids["project"], "name": "theirs"}]})
    other.client.post_task_v2(
        {
            "add": [
                task(ids["project"], "theirs", id=ids["task"]),
                task(ids["project"], "their child", id=ids["child"]),
            ]
        }
    )
    other.client.post_tag_v2({"add": [{"label": "theirtag"}]})
    return other


def snapshot(v2: V2) -> dict[str, Any]:
    data = v2.check()
    data.pop("checkPoint")
    return data


def test_someone_elses_ids_read_as_unknown_and_stay_untouched(me: V2, them: V2) -> None:
    ids = them.ids  # type: ignore[attr-defined]
    before = snapshot(them)
    project = me.client.post_project_v2(
        {"update": [{"id": ids["project"], "name": "stolen"}], "delete": [ids["project"]]}
    )
    assert project.id2etag == {} and project.id2error == {ids["project"]: "NOT_EXISTED"}
    group = me.client.post_project_group_v2(
        {"update": [{"id": ids["group"], "name": "stolen"}], "delete": [ids["group"]]}
    )
    assert group.id2error == {ids["group"]: "NOT_EXISTED"}
    tasks = me.client.post_task_v2(
        {
            "update": [{"id": ids["task"], "project_id": ids["project"], "title": "stolen"}],
            "delete": [{"project_id": ids["project"], "task_id": ids["child"]}],
        }
    )
    assert tasks.id2error == {ids["task"]: "NOT_EXISTED", ids["child"]: "NOT_EXISTED"}
    parent = me.client.post_task_parent_v2(
        [{"parent_id": ids["task"], "project_id": ids["project"], "task_id": ids["child"]}]
    )
    assert parent.id2error == {ids["child"]: "NOT_EXISTED"} and parent.id2etag == {}
    me.client.delete_tag_v2({"name": "theirtag"})
    assert_error(
        me.raw("PUT", "tag/rename", json={"name": "theirtag", "newName": "mine"}),
        404,
        "not_existed",
    )
    assert snapshot(them) == before


def test_someone_elses_containers_cannot_be_used(me: V2, them: V2) -> None:
    ids = them.ids  # type: ignore[attr-defined]
    mine = oid()
    resp = me.client.post_project_v2({"add": [{"id": mine, "name": "p", "group_id": ids["group"]}]})
    assert resp.id2error == {mine: "NOT_EXISTED"}
    t1, t2, t3 = oid(), oid(), oid()
    resp = me.client.post_task_v2(
        {
            "add": [
                task(ids["project"], "into their project", id=t1),
                task(them.inbox, "into their inbox", id=t2),
            ]
        }
    )
    assert resp.id2error == {t1: "NOT_EXISTED", t2: "NOT_EXISTED"}
    resp = me.client.post_task_v2({"add": [task(me.inbox, "under theirs", id=t3)]})
    resp = me.post("batch/task", {"add": [{"projectId": me.inbox, "title": "x", "id": oid(),
                                            "parentId": ids["task"]}]})  # fmt: skip
    assert list(resp["id2error"].values()) == ["NOT_EXISTED"]
    assert {t["title"] for t in me.tasks().values()} == {"under theirs"}


def test_taking_someone_elses_id_for_a_new_object_is_refused(me: V2, them: V2) -> None:
    ids = them.ids  # type: ignore[attr-defined]
    before = snapshot(them)
    resp = me.client.post_project_v2({"add": [{"id": ids["project"], "name": "mine"}]})
    assert resp.id2error == {ids["project"]: "INVALID_PARAMETER"}
    resp = me.client.post_task_v2({"add": [task(me.inbox, "mine", id=ids["task"])]})
    assert resp.id2error == {ids["task"]: "INVALID_PARAMETER"}
    resp = me.client.post_project_group_v2({"add": [{"id": ids["group"], "name": "mine"}]})
    assert resp.id2error == {ids["group"]: "INVALID_PARAMETER"}
    assert snapshot(them) == before
    assert me.tasks() == {} and me.projects() == {}


BAD_BODIES: list[tuple[str, Any]] = [
    ("batch/project", []),
    ("batch/project", "text"),
    ("batch/project", {"add": {"name": "not a list"}}),
    ("batch/project", {"add": [{"name": 5}]}),
    ("batch/project", {"add": [{"name": "p", "id": "not-an-objectid"}]}),
    ("batch/project", {"add": [{"name": "p", "id": "inbox1"}]}),
    ("batch/project", {"update": [{"name": "no id"}]}),
    ("batch/project", {"delete": ["65a1b2c3d4e5f6a7b8c9d0"]}),
    ("batch/project", {"delete": [123]}),
    ("batch/project", {"add": [{"name": "p", "viewMode": "grid"}]}),
    ("batch/projectGroup", {"add": [{"name": "g", "listType": "folder"}]}),
    ("batch/task", {"add": [{"projectId": "nope", "title": "t"}]}),
    ("batch/task", {"add": [{"title": "t", "priority": 2}]}),
    ("batch/task", {"add": [{"title": "t", "status": 3}]}),
    ("batch/task", {"add": [{"title": "t", "dueDate": "tomorrow-ish"}]}),
    ("batch/task", {"add": [{"title": "t", "items": [{"id": "xyz"}]}]}),
    ("batch/task", {"add": [{"title": "t", "reminders": [{"id": None}]}]}),
    ("batch/task", {"add": [{"title": "t", "tags": "home"}]}),
    ("batch/task", {"delete": [{"taskId": "short", "projectId": "inbox1"}]}),
    ("batch/task", {"update": [{"title": "no id"}]}),
    ("batch/taskParent", {"taskId": "65a1b2c3d4e5f6a7b8c9d0e1"}),
    ("batch/taskParent", [{"taskId": "65a1b2c3d4e5f6a7b8c9d0e1", "projectId": "inbox1"}]),
    ("batch/taskParent", [{"taskId": "x", "parentId": "65a1b2c3d4e5f6a7b8c9d0e1"}]),
    ("batch/tag", {"add": [{"label": "ok", "sortType": "random"}]}),
    ("batch/tag", {"add": "x"}),
]


@pytest.mark.parametrize(("path", "body"), BAD_BODIES)
def test_malformed_bodies_are_refused_whole(me: V2, path: str, body: Any) -> None:
    before = snapshot(me)
    assert_error(me.raw("POST", path, json=body), 400, "invalid_parameter")
    assert snapshot(me) == before


@pytest.mark.parametrize("path", ["batch/project", "batch/task", "batch/taskParent", "batch/tag"])
@pytest.mark.parametrize("content", [b"", b"{", b"\xff\xfe", b"null", b"[1, 2"])
def test_bodies_that_are_not_json_objects(me: V2, path: str, content: bytes) -> None:
    headers = {**cookie(me.token), "content-type": "application/json"}
    response = httpx.post(me.url(path), content=content, headers=headers)
    assert_error(response, 400, "invalid_parameter")


def test_too_many_objects_in_one_list(me: V2) -> None:
    body = {"add": [{"name": f"p{n}"} for n in range(1001)]}
    assert_error(me.raw("POST", "batch/project", json=body), 400, "invalid_parameter")
    assert me.projects() == {}


def test_oversize_body_is_refused_before_any_work(me: V2) -> None:
    limit = me.server.backend.settings.max_body_bytes
    body = b'{"add": [{"name": "' + b"x" * limit + b'"}]}'
    response = me.raw("POST", "batch/project", content=body)
    assert response.status_code == 413
    assert me.projects() == {}


@pytest.mark.parametrize(
    "path", ["batch/project", "batch/projectGroup", "batch/task", "batch/taskParent", "batch/tag"]
)
def test_writes_need_a_session(server: RunningServer, path: str) -> None:
    response = httpx.post(server.url + "/api/v2/" + path, json={"add": []})
    assert_error(response, 401, "user_not_sign_on")


@pytest.mark.parametrize(
    "params",
    [
        {"status": "Done"},
        {},
        {"status": "Completed", "from_": "yesterday"},
        {"status": "Completed", "to": "2025-13-45 99:00:00"},
        {"status": "Completed", "limit": "0"},
        {"status": "Completed", "limit": "-3"},
        {"status": "Completed", "projectId": "../etc"},
    ],
)
def test_closed_with_bad_parameters(me: V2, params: dict[str, str]) -> None:
    assert_error(me.raw("GET", "project/all/closed", params=params), 400, "invalid_parameter")


def test_closed_with_someone_elses_project(me: V2, them: V2) -> None:
    ids = them.ids  # type: ignore[attr-defined]
    response = me.raw(
        "GET", "project/all/closed", params={"status": "Completed", "projectId": ids["project"]}
    )
    assert_error(response, 404, "not_existed")


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["add", "update", "delete", "id", "name", "title", "projectId", "taskId",
                         "parentId", "label", "tags", "items", "status", "dueDate", "color"])
        | st.text(max_size=8),
        inner,
        max_size=5,
    ),
    max_leaves=20,
)  # fmt: skip
PATHS = st.sampled_from(["batch/project", "batch/projectGroup", "batch/task", "batch/taskParent",
                         "batch/tag", "tag/rename"])  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(path=PATHS, body=JSON)
def test_arbitrary_json_never_breaks_the_server(me: V2, path: str, body: Any) -> None:
    method = "PUT" if path == "tag/rename" else "POST"
    response = me.raw(method, path, json=body)
    assert response.status_code in (200, 400, 404, 409), response.text
    data = response.json()
    if response.status_code == 200 and path != "tag/rename":
        assert set(data) == {"id2etag", "id2error"}
    elif response.status_code != 200:
        assert set(data) == {"errorId", "errorCode", "errorMessage", "data"}
