"""`V2Client` against a real server: every endpoint, answers validated by the strict models."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from taskhaven.sdk import (
    AsyncV2Client,
    AuthenticationError,
    NotFoundError,
    Settings,
    V2Client,
)
from taskhaven.sdk._objectid import object_id
from taskhaven.sdk.models.v2 import (
    CreateProjectGroupV2,
    CreateProjectV2,
    CreateTagV2,
    CreateTaskV2,
    DeleteTaskV2,
    ItemInV2,
    PostBatchProjectGroupV2,
    PostBatchProjectV2,
    PostBatchTagV2,
    PostBatchTaskV2,
    SetTaskParentV2,
    TaskReminderInV2,
    UnsetTaskParentV2,
    UpdateProjectGroupV2,
    UpdateProjectV2,
    UpdateTagV2,
    UpdateTaskV2,
)
from tests.conftest import PASSWORD, register
from tests.servers import RunningServer


def settings_for(server: RunningServer, user: dict[str, Any]) -> Settings:
    return Settings(
        v2_username=user["email"], v2_password=PASSWORD, v2_base_url=server.url + "/api/v2/"
    )


@pytest.fixture
def v2(server: RunningServer) -> V2Client:
    return V2Client(settings_for(server, register(server)))


def test_user_endpoints(v2: V2Client) -> None:
    profile = v2.get_profile()
    status = v2.get_status()
    assert profile.username == status.username == v2.settings.v2_username
    assert status.inbox_id == "inbox" + status.user_id
    statistics = v2.get_statistics()
    assert statistics.total_completed == 0
    sessions = v2.get_sessions()
    assert [s.current for s in sessions] == [True]


def test_projects_groups_and_the_snapshot(v2: V2Client) -> None:
    group_id, project_id = object_id(), object_id()
    answer = v2.post_project_group(
        PostBatchProjectGroupV2(add=[CreateProjectGroupV2(id=group_id, name="Folder")])
    )
    assert set(answer.id2etag) == {group_id} and answer.id2error == {}
    answer = v2.post_project(
        PostBatchProjectV2(
            add=[CreateProjectV2(id=project_id, name="Work", color="#ff0000", group_id=group_id)]
        )
    )
    assert set(answer.id2etag) == {project_id}
    snapshot = v2.get_batch()
    assert [p.name for p in snapshot.project_profiles or []] == ["Work"]
    assert [g.name for g in snapshot.project_groups or []] == ["Folder"]
    assert snapshot.sync_task_bean.empty

    v2.post_project_group(
        PostBatchProjectGroupV2(update=[UpdateProjectGroupV2(id=group_id, name="Renamed")])
    )
    v2.post_project(
        PostBatchProjectV2(update=[UpdateProjectV2(id=project_id, name="Job", group_id="NONE")])
    )
    later = v2.get_batch(snapshot.check_point)
    assert later.check_point > snapshot.check_point
    (project,) = later.project_profiles or []
    assert (project.name, project.group_id) == ("Job", None)
    assert [g.name for g in later.project_groups or []] == ["Renamed"]

    assert v2.post_project(PostBatchProjectV2(delete=[project_id])).id2etag == {}
    assert v2.post_project_group(PostBatchProjectGroupV2(delete=[group_id])).id2etag == {}
    assert v2.get_batch().project_profiles == []


def test_tasks_from_add_to_closed_and_deleted(v2: V2Client) -> None:
    inbox = v2.get_status().inbox_id
    parent_id, child_id = object_id(), object_id()
    due = datetime(2030, 1, 2, 9, 30, tzinfo=UTC)
    add = PostBatchTaskV2(
        add=[
            CreateTaskV2(
                id=parent_id, project_id=inbox, title="Parent", priority=5, due_date=due,
                time_zone="Europe/Paris", tags=["home"],
                items=[ItemInV2(title="step one"), ItemInV2(title="step two", status=1)],
                reminders=[TaskReminderInV2(trigger="TRIGGER:-PT30M")],
            ),
            CreateTaskV2(id=child_id, project_id=inbox, title="Child"),
        ]
    )  # fmt: skip
    assert set(v2.post_task(add).id2etag) == {parent_id, child_id}
    tasks = {t.id: t for t in v2.get_batch().sync_task_bean.update}
    parent = tasks[parent_id]
    assert (parent.title, parent.priority, parent.tags) == ("Parent", 5, ["home"])
    assert parent.due_date == due
    assert [i.title for i in parent.items] == ["step one", "step two"]
    assert parent.reminders and parent.reminders[0].trigger == "TRIGGER:-PT30M"
    assert [t.name for t in v2.get_batch().tags or []] == ["home"]

    moved = v2.post_task_parent(
        [SetTaskParentV2(task_id=child_id, project_id=inbox, parent_id=parent_id)]
    )
    assert moved.id2etag[child_id].parent_id == parent_id
    assert moved.id2etag[parent_id].child_ids == [child_id]
    moved = v2.post_task_parent(
        [UnsetTaskParentV2(task_id=child_id, project_id=inbox, old_parent_id=parent_id)]
    )
    assert moved.id2etag[child_id].parent_id is None

    update = UpdateTaskV2(id=parent_id, project_id=inbox, title="Done parent", status=2)
    assert set(v2.post_task(PostBatchTaskV2(update=[update])).id2etag) == {parent_id}
    closed = v2.get_closed("Completed", datetime.now(UTC) - timedelta(days=1), None)
    assert [t.id for t in closed] == [parent_id]
    assert closed[0].completed_time is not None
    assert v2.get_task(parent_id).status == 2
    assert v2.get_task(parent_id, inbox).title == "Done parent"

    check = v2.get_batch().check_point
    delete = PostBatchTaskV2(delete=[DeleteTaskV2(project_id=inbox, task_id=child_id)])
    assert v2.post_task(delete).id2etag == {}
    changes = v2.get_batch(check)
    assert [d.task_id for d in changes.sync_task_bean.delete] == [child_id]
    assert v2.get_closed("Abandoned") == []


def test_tags(v2: V2Client) -> None:
    answer = v2.post_tag(PostBatchTagV2(add=[CreateTagV2(label="Errands", color="#00ff00")]))
    assert set(answer.id2etag) == {"errands"}
    v2.post_tag(
        PostBatchTagV2(update=[UpdateTagV2(label="Chores", raw_name="errands", color="#0000ff")])
    )
    (tag,) = v2.get_batch().tags or []
    assert (tag.name, tag.label, tag.color) == ("chores", "Chores", "#0000ff")
    v2.rename_tag("chores", "Housework")
    (tag,) = v2.get_batch().tags or []
    assert tag.label == "Housework"
    v2.delete_tag("housework")
    assert v2.get_batch().tags == []


def test_errors_map_to_the_exception_tree(server: RunningServer, v2: V2Client) -> None:
    with pytest.raises(NotFoundError) as caught:
        v2.get_task(object_id())
    assert caught.value.status_code == 404 and caught.value.error_id is not None
    stranger = Settings(v2_token="no-such-session", v2_base_url=server.url + "/api/v2/")
    with pytest.raises(AuthenticationError) as denied:
        V2Client(stranger).get_profile()
    assert denied.value.code == "user_not_sign_on"


def test_sessions_revoke_and_sign_out(server: RunningServer) -> None:
    user = register(server)
    first, second = V2Client(settings_for(server, user)), V2Client(settings_for(server, user))
    sessions = first.get_sessions()
    assert len(sessions) == 2
    other = next(s for s in sessions if not s.current)
    first.revoke_session(other.id)
    with pytest.raises(AuthenticationError):
        second.get_profile()
    first.sign_out()
    with pytest.raises(AuthenticationError):
        first.get_profile()


def test_the_async_client_does_the_same(server: RunningServer) -> None:
    settings = settings_for(server, register(server))

    async def scenario() -> None:
        async with AsyncV2Client(settings) as v2:
            status = await v2.get_status()
            task_id = object_id()
            add = PostBatchTaskV2(
                add=[CreateTaskV2(id=task_id, project_id=status.inbox_id, title="Async")]
            )
            assert set((await v2.post_task(add)).id2etag) == {task_id}
            snapshot = await v2.get_batch()
            assert [t.title for t in snapshot.sync_task_bean.update] == ["Async"]
            assert (await v2.get_task(task_id)).title == "Async"
            assert (await v2.get_profile()).username == settings.v2_username
            await v2.get_statistics()
            assert await v2.get_closed() == []
            await v2.post_tag(PostBatchTagV2(add=[CreateTagV2(label="x")]))
            await v2.rename_tag("x", "y")
            await v2.delete_tag("y")
            await v2.post_project(PostBatchProjectV2(add=[CreateProjectV2(name="P")]))
            await v2.post_project_group(
                PostBatchProjectGroupV2(add=[CreateProjectGroupV2(name="G")])
            )
            await v2.post_task_parent([])
            assert len(await v2.get_sessions()) == 1
            await v2.sign_out()

    asyncio.run(scenario())
