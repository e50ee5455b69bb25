"""``batch/task`` and ``project/all/closed`` through pyticktick 0.3.0, read back via batch/check."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyticktick.models.v2 import GetClosedV2

from tests.servers import RunningServer
from tests.v2.batch_helpers import V2, oid, task, v2_account

FIXTURE = HealthCheck.function_scoped_fixture


@pytest.fixture
def v2(server: RunningServer) -> V2:
    return v2_account(server)


def full_task(v2: V2, tid: str) -> dict[str, Any]:
    """The example of the spec's Appendix A, with a chosen id."""
    return task(
        v2.inbox,
        "T",
        id=tid,
        due_date="2025-01-01T11:00:00",
        start_date="2025-01-01T10:00:00Z",
        time_zone="America/Chicago",
        items=[{"title": "i1"}, {"title": "i2", "sort_order": 7}],
        reminders=[{"trigger": "TRIGGER:-PT5M"}],
        repeat_flag="RRULE:FREQ=DAILY;INTERVAL=1",
        priority=3,
        tags=["home"],
        content="some text",
        is_floating=True,
    )


def test_created_task_keeps_every_field(v2: V2) -> None:
    tid = oid()
    resp = v2.client.post_task_v2({"add": [full_task(v2, tid)]})
    assert resp.ids == [tid] and resp.id2error == {}
    t = v2.tasks()[tid]
    assert t["etag"] == resp.id2etag[tid]
    assert (t["title"], t["projectId"], t["content"], t["desc"]) == (
        "T",
        v2.inbox,
        "some text",
        None,
    )
    assert (t["timeZone"], t["isFloating"], t["isAllDay"]) == ("America/Chicago", True, False)
    assert (t["priority"], t["status"], t["kind"], t["tags"]) == (3, 0, "TEXT", ["home"])
    assert t["repeatFlag"] == "RRULE:FREQ=DAILY;INTERVAL=1"
    # A naive time is wall-clock time in the task's zone: 11:00 in Chicago is 17:00 UTC.
    assert t["dueDate"] == "2025-01-01T17:00:00.000+0000"
    assert t["startDate"] == "2025-01-01T10:00:00.000+0000"
    assert [(i["title"], i["sortOrder"], i["status"]) for i in t["items"]] == [
        ("i1", 0, 0),
        ("i2", 7, 0),
    ]
    assert all(len(i["id"]) == 24 for i in t["items"])
    (reminder,) = t["reminders"]
    assert reminder["trigger"] == "TRIGGER:-PT5M" and len(reminder["id"]) == 24
    assert t["creator"] == v2.user["id"] and t["deleted"] == 0
    # The tag the task named now exists.
    assert v2.tags()["home"]["label"] == "home"


def test_checklist_task_keeps_its_text_in_desc(v2: V2) -> None:
    tid = oid()
    v2.client.post_task_v2(
        {"add": [task(v2.inbox, "List", id=tid, kind="CHECKLIST", desc="notes", items=[])]}
    )
    t = v2.tasks()[tid]
    assert (t["kind"], t["desc"], t["content"]) == ("CHECKLIST", "notes", None)


def test_whole_day_task_is_named_by_its_local_midnight(v2: V2) -> None:
    tid = oid()
    v2.client.post_task_v2(
        {
            "add": [
                task(
                    v2.inbox,
                    "All day",
                    id=tid,
                    due_date="2025-03-10T00:00:00",
                    is_all_day=True,
                    time_zone="Europe/Berlin",
                )
            ]
        }
    )
    t = v2.tasks()[tid]
    assert t["isAllDay"] is True
    assert t["dueDate"] == "2025-03-09T23:00:00.000+0000"


def test_update_merges_null_fields_and_replaces_lists(v2: V2) -> None:
    tid = oid()
    v2.client.post_task_v2({"add": [full_task(v2, tid)]})
    before = v2.tasks()[tid]
    item_id = before["items"][0]["id"]
    reminder_id = before["reminders"][0]["id"]
    new_item = oid()
    resp = v2.client.post_task_v2(
        {
            "update": [
                {
                    "id": tid,
                    "project_id": v2.inbox,
                    "title": "T2",
                    "tags": ["work"],
                    "items": [{"id": item_id, "status": 2}, {"id": new_item, "title": "new"}],
                    "reminders": [{"id": reminder_id, "trigger": "TRIGGER:-PT30M"}],
                }
            ]
        }
    )
    assert resp.ids == [tid] and resp.id2etag[tid] != before["etag"]
    after = v2.tasks()[tid]
    assert after["title"] == "T2"
    # Null fields kept their values.
    for key in ("content", "timeZone", "priority", "repeatFlag", "dueDate", "isFloating"):
        assert after[key] == before[key], key
    assert after["tags"] == ["work"]
    assert [i["title"] for i in after["items"]] == ["i1", "new"]
    assert [i["id"] for i in after["items"]] == [item_id, new_item]
    assert after["items"][0]["status"] == 2
    assert after["items"][0]["completedTime"] is not None
    assert after["reminders"] == [{"id": reminder_id, "trigger": "TRIGGER:-PT30M"}]
    # pyticktick's defaults (tags [], kind TEXT) replace; reminders [] clears.
    v2.client.post_task_v2(
        {"update": [{"id": tid, "project_id": v2.inbox, "reminders": [], "items": []}]}
    )
    cleared = v2.tasks()[tid]
    assert (cleared["tags"], cleared["reminders"], cleared["items"]) == ([], [], [])
    assert cleared["title"] == "T2"


def test_update_moves_a_task_to_another_project(v2: V2) -> None:
    pid, tid = oid(), oid()
    v2.client.post_project_v2({"add": [{"id": pid, "name": "Elsewhere"}]})
    v2.client.post_task_v2({"add": [task(v2.inbox, "mover", id=tid)]})
    v2.client.post_task_v2({"update": [{"id": tid, "project_id": pid}]})
    assert v2.tasks()[tid]["projectId"] == pid


def _closed(v2: V2, status: str, **bounds: Any) -> dict[str, dict[str, Any]]:
    found = v2.client.get_project_all_closed_v2(GetClosedV2(status=status, **bounds))  # type: ignore[arg-type]
    return {t.id: t.model_dump() for t in found.root}


@pytest.mark.parametrize(
    ("status", "listed"), [(2, "Completed"), (1, "Completed"), (-1, "Abandoned")]
)
def test_closing_moves_a_task_from_check_to_closed(v2: V2, status: int, listed: str) -> None:
    tid = oid()
    v2.client.post_task_v2({"add": [task(v2.inbox, "close me", id=tid)]})
    v2.client.post_task_v2({"update": [{"id": tid, "project_id": v2.inbox, "status": status}]})
    assert tid not in v2.tasks()
    closed = _closed(v2, listed)
    assert closed[tid]["status"] == status
    assert closed[tid]["completed_time"] is not None
    other = "Abandoned" if listed == "Completed" else "Completed"
    assert tid not in _closed(v2, other)
    # Reopening brings it back and clears the completion.
    v2.client.post_task_v2({"update": [{"id": tid, "project_id": v2.inbox, "status": 0}]})
    assert tid in v2.tasks() and tid not in _closed(v2, listed)


def test_closed_honours_its_time_bounds(v2: V2) -> None:
    tid = oid()
    done_at = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
    v2.client.post_task_v2(
        {"add": [task(v2.inbox, "old", id=tid, status=2, completed_time=done_at.isoformat())]}
    )
    day = timedelta(days=1)
    assert tid in _closed(v2, "Completed", from_=done_at - day, to=done_at + day)
    assert tid not in _closed(v2, "Completed", from_=done_at + day)
    assert tid not in _closed(v2, "Completed", to=done_at - day)
    # "from" (other clients' spelling) and limit work on the raw endpoint too.
    response = v2.raw(
        "GET", "project/all/closed", params={"from": "2024-06-01 11:00:00", "status": "Completed"}
    )
    assert response.status_code == 200 and tid in [t["id"] for t in response.json()]
    response = v2.raw("GET", "project/all/closed", params={"status": "Completed", "limit": "1"})
    assert len(response.json()) == 1


def test_delete_removes_a_task_and_reports_no_ids(v2: V2) -> None:
    tid = oid()
    v2.client.post_task_v2({"add": [task(v2.inbox, "gone", id=tid)]})
    resp = v2.client.post_task_v2({"delete": [{"project_id": v2.inbox, "task_id": tid}]})
    assert resp.ids == [] and resp.id2error == {}
    assert tid not in v2.tasks()
    again = v2.client.post_task_v2({"delete": [{"project_id": v2.inbox, "task_id": tid}]})
    assert again.id2error == {tid: "NOT_EXISTED"}


def test_add_with_parent_makes_a_subtask(v2: V2) -> None:
    parent, child = oid(), oid()
    v2.post(
        "batch/task",
        {
            "add": [
                {"projectId": v2.inbox, "title": "parent", "id": parent},
                {"projectId": v2.inbox, "title": "child", "id": child, "parentId": parent},
            ]
        },
    )
    tasks = v2.tasks()
    assert tasks[child]["parentId"] == parent and tasks[parent]["childIds"] == [child]


def test_reminders_wait_for_a_due_date(v2: V2) -> None:
    tid, rid = oid(), oid()
    reminder = {"id": rid, "trigger": "TRIGGER:-PT15M"}
    resp = v2.client.post_task_v2(
        {"add": [task(v2.inbox, "no date", id=tid, reminders=[reminder])]}
    )
    assert resp.id2error == {}
    assert v2.tasks()[tid]["reminders"] == [reminder]


@pytest.mark.parametrize(
    "fields",
    [
        {"time_zone": "Mars/Olympus_Mons"},
        {"repeat_flag": "RRULE:FREQ=SOMETIMES"},
        {"tags": ["has space"]},
        {"title": "x" * 100_001},
        {"project_id": "65a1b2c3d4e5f6a7b8c9d0e1"},
        {"due_date": "0001-01-01T00:00:00", "time_zone": "Asia/Tokyo"},
    ],
)
def test_bad_values_fail_only_their_own_task(v2: V2, fields: dict[str, Any]) -> None:
    bad, good = oid(), oid()
    body = {
        "add": [
            {"projectId": v2.inbox, "title": "bad", "id": bad} | {k: v for k, v in fields.items()},
            {"projectId": v2.inbox, "title": "good", "id": good},
        ]
    }
    body["add"][0] = {_camel(k): v for k, v in body["add"][0].items()}
    resp = v2.post("batch/task", body)
    assert set(resp["id2error"]) == {bad}
    assert resp["id2error"][bad] in ("INVALID_PARAMETER", "NOT_EXISTED")
    assert list(resp["id2etag"]) == [good]
    tasks = v2.tasks()
    assert good in tasks and bad not in tasks


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=TEXT, content=TEXT)
def test_any_text_round_trips(v2: V2, title: str, content: str) -> None:
    tid = oid()
    resp = v2.client.post_task_v2(
        {"add": [task(v2.inbox, title or "t", id=tid, content=content or None)]}
    )
    assert resp.id2error == {}
    t = v2.tasks()[tid]
    assert t["title"] == (title or "t")
    assert t["content"] == (content or None)
