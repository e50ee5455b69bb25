"""Client scenarios from TickTick's own behaviour: reminder ids belong to their task."""

from __future__ import annotations

import pytest

from tests.servers import RunningServer
from tests.v2.batch_helpers import V2, oid, task, v2_account


@pytest.fixture
def v2(server: RunningServer) -> V2:
    return v2_account(server)


def test_update_may_give_a_task_the_reminder_id_another_task_uses(v2: V2) -> None:
    # One task's reminders copied onto another, ids included: what a client does when it
    # edits a task after copying settings over from a second one.
    first, second, shared = oid(), oid(), oid()
    reminder = {"id": shared, "trigger": "TRIGGER:P0DT9H0M0S"}
    resp = v2.client.post_task_v2(
        {"add": [task(v2.inbox, "first", id=first), task(v2.inbox, "second", id=second,
                                                            reminders=[reminder])]}
    )  # fmt: skip
    assert resp.id2error == {}

    resp = v2.client.post_task_v2(
        {
            "update": [
                {"id": first, "project_id": v2.inbox, "title": "first, edited",
                 "reminders": [reminder]},
                {"id": second, "project_id": v2.inbox, "title": "second, edited"},
            ]
        }
    )  # fmt: skip

    assert resp.id2error == {}
    assert set(resp.ids) == {first, second}
    tasks = v2.tasks()
    assert tasks[first]["title"] == "first, edited"
    assert [r["trigger"] for r in tasks[first]["reminders"]] == ["TRIGGER:P0DT9H0M0S"]
    assert tasks[second]["reminders"] == [reminder]


def test_new_task_may_reuse_a_reminder_id_of_another_task(v2: V2) -> None:
    first, second, shared = oid(), oid(), oid()
    reminder = {"id": shared, "trigger": "TRIGGER:-PT30M"}
    v2.client.post_task_v2({"add": [task(v2.inbox, "first", id=first, reminders=[reminder])]})

    resp = v2.client.post_task_v2(
        {"add": [task(v2.inbox, "second", id=second, reminders=[reminder])]}
    )

    assert resp.id2error == {}
    assert resp.ids == [second]
    tasks = v2.tasks()
    assert [r["trigger"] for r in tasks[second]["reminders"]] == ["TRIGGER:-PT30M"]
    assert tasks[first]["reminders"] == [reminder]


def test_task_recreated_after_delete_may_keep_its_reminder_ids(v2: V2) -> None:
    # Delete, then add again from the client's local copy (an undo, a replayed backup).
    old, new, rid = oid(), oid(), oid()
    reminder = {"id": rid, "trigger": "TRIGGER:-PT5M"}
    v2.client.post_task_v2({"add": [task(v2.inbox, "gone", id=old, reminders=[reminder])]})
    v2.client.post_task_v2({"delete": [{"task_id": old, "project_id": v2.inbox}]})

    resp = v2.client.post_task_v2({"add": [task(v2.inbox, "back", id=new, reminders=[reminder])]})

    assert resp.id2error == {}
    assert [r["trigger"] for r in v2.tasks()[new]["reminders"]] == ["TRIGGER:-PT5M"]
