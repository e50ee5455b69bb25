"""`SyncClient` against a real server: every call, answers validated by the strict models."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from taskhaven.sdk import (
    AsyncSyncClient,
    AuthenticationError,
    BadRequestError,
    Command,
    NotFoundError,
    PermissionDeniedError,
    Settings,
    SyncClient,
    commands,
)
from taskhaven.sdk.models.sync import Error, parse_timestamp
from tests.conftest import PASSWORD, new_email
from tests.servers import RunningServer


def base(server: RunningServer) -> str:
    return server.url + "/API/v6/"


@pytest.fixture
def sync(server: RunningServer) -> SyncClient:
    user = SyncClient.register(new_email(), "Sam Doe", PASSWORD, base_url=base(server))
    return SyncClient(Settings(sync_token=user.token, sync_base_url=base(server)))


def test_register_and_login(server: RunningServer) -> None:
    email = new_email()
    user = SyncClient.register(email, "Sam Doe", PASSWORD, base_url=base(server), timezone="UTC")
    again = SyncClient.login(email, PASSWORD, base_url=base(server))
    assert again.token == user.token == again.api_token
    assert parse_timestamp(user.join_date).tzinfo is not None
    with pytest.raises(AuthenticationError) as caught:
        SyncClient.login(email, "wrong", base_url=base(server))
    assert caught.value.code == 31
    with pytest.raises(AuthenticationError):
        SyncClient.login_with_google(email, "google-token", base_url=base(server))
    with pytest.raises(BadRequestError) as taken:
        SyncClient.register(email, "Sam", PASSWORD, base_url=base(server))
    assert taken.value.code == 32


def test_full_sync_reads_every_resource(sync: SyncClient) -> None:
    answer = sync.sync()
    assert answer.user is not None and answer.user.full_name == "Sam Doe"
    assert [p.name for p in answer.projects or []] == ["Inbox"]
    assert answer.items == [] and answer.settings_notifications
    assert answer.seq_no >= 1 and answer.day_orders_timestamp is not None


def test_commands_with_temp_ids_then_incremental_sync(sync: SyncClient) -> None:
    first = sync.sync()
    project = commands.project_add("Work", color=3)
    label = commands.label_add("urgent")
    item = commands.item_add(
        "Write report", project_id=project.temp_id, date_string="tomorrow", priority=4,
        labels=[label.temp_id],
    )  # fmt: skip
    batch = [
        project, label, item,
        commands.note_add("first note", item_id=item.temp_id),
        commands.note_add("about the project", project_id=project.temp_id),
        commands.filter_add("Urgent", "p1"),
        commands.reminder_add(item.temp_id, type="relative", minute_offset=30),
    ]  # fmt: skip
    result = sync.commit(batch)
    assert result.errors() == {}
    assert set(result.sync_status or {}) == {c.uuid for c in batch}
    mapping = result.temp_id_mapping or {}
    assert {c.temp_id for c in batch} == set(mapping)
    assert result.items is None  # a commit answers with outcomes only

    changed = sync.sync(seq_no=first.seq_no)
    (added,) = changed.items or []
    assert (added.content, added.priority, added.labels) == (
        "Write report",
        4,
        [mapping[label.temp_id or ""]],
    )
    assert [n.content for n in changed.notes or []] == ["first note"]
    assert [n.content for n in changed.project_notes or []] == ["about the project"]
    assert [r.minute_offset for r in changed.reminders or []] == [30]
    assert [f.query for f in changed.filters or []] == ["p1"]

    item_id, project_id = mapping[item.temp_id or ""], mapping[project.temp_id or ""]
    more = sync.commit([
        commands.item_update(item_id, content="Write the report"),
        commands.item_complete([item_id]),
        commands.project_update(project_id, name="Job"),
    ])  # fmt: skip
    assert more.errors() == {}
    assert sync.get_item(item_id).item.checked == 1
    assert sync.get_project(project_id).project.name == "Job"


def test_failed_commands_are_reported_per_uuid(sync: SyncClient) -> None:
    bad = commands.item_add("x", project_id="no-such-temp-id")
    missing = commands.item_delete([999999])
    result = sync.commit([bad, missing, commands.label_add("fine")])
    errors = result.errors()
    assert isinstance(errors[bad.uuid], Error) and errors[bad.uuid].error_code == 15
    per_id = errors[missing.uuid]
    assert isinstance(per_id, dict) and per_id["999999"].error_code == 21


def test_a_commit_is_split_at_the_command_limit(sync: SyncClient) -> None:
    project = commands.project_add("Many")
    batch: list[Command] = [project]
    batch += [commands.item_add(f"item {n}", project_id=project.temp_id) for n in range(150)]
    result = sync.commit(batch)
    assert result.errors() == {}
    assert len(result.temp_id_mapping or {}) == 151
    assert len(sync.sync(["items"]).items or []) == 150
    with pytest.raises(ValueError, match="at most 100"):
        sync.sync(commands=batch)


def test_a_repeated_commit_runs_once(sync: SyncClient) -> None:
    add = commands.item_add("once")
    first = sync.commit([add])
    second = sync.commit([add])
    assert second.sync_status == first.sync_status
    assert second.temp_id_mapping == first.temp_id_mapping
    assert [i.content for i in sync.sync(["items"]).items or []] == ["once"]


def test_the_plain_calls(sync: SyncClient, tmp_path: Path) -> None:
    item = sync.add_item("Call mom", date_string="today", priority=4, note="at noon")
    assert sync.get_item(item.id).notes[0].content == "at noon"
    (today,) = sync.query(["today"])
    assert [i.id for i in today.data if not isinstance(today.data, int)] == [item.id]
    (count,) = sync.query(["p1"], as_count=True)
    assert count.data == 1

    inbox = sync.sync(["user"]).user
    assert inbox is not None
    project_id = inbox.inbox_project
    result = sync.commit([
        label := commands.label_add("home"),
        filter_ := commands.filter_add("Home", "@home"),
        note := commands.note_add("n", item_id=item.id),
        reminder := commands.reminder_add(item.id, type="relative", minute_offset=10),
    ])  # fmt: skip
    ids = result.temp_id_mapping or {}
    assert sync.get_label(ids[label.temp_id or ""]).label.name == "home"
    assert sync.get_filter(ids[filter_.temp_id or ""]).filter.query == "@home"
    assert sync.get_note(ids[note.temp_id or ""]).note.content == "n"
    assert sync.get_reminder(ids[reminder.temp_id or ""]).reminder.minute_offset == 10
    with pytest.raises(NotFoundError):
        sync.get_label(987654)

    sync.commit([commands.item_complete([item.id])])
    assert [i.id for i in sync.get_completed_items(project_id)] == [item.id]
    history = sync.get_all_completed_items(annotate_notes=1)
    assert [e.task_id for e in history.items] == [item.id]
    assert str(project_id) in history.projects
    stats = sync.get_productivity_stats()
    assert stats.completed_count == 1
    assert sync.get_redirect_link("/app").endswith("/app")
    notifications = sync.update_notification_setting("item_completed", "email", True)
    assert notifications["item_completed"].notify_email is False

    upload = tmp_path / "notes.txt"
    upload.write_text("hello")
    stored = sync.upload_file(upload)
    assert stored.file_name == "notes.txt" and stored.file_size == 5
    (listed,) = sync.get_uploads(limit=10)
    assert listed.file_url == stored.file_url
    assert httpx.get(stored.file_url).content == b"hello"
    assert sync.download(stored.file_url) == b"hello"
    sync.delete_upload(stored.file_url)
    assert sync.get_uploads() == []

    sync.add_item("Buy stamps")
    csv_text = sync.export_template_as_file(project_id)
    assert "Buy stamps" in csv_text
    assert sync.export_template_as_url(project_id).file_name.endswith(".csv")
    template = tmp_path / "template.csv"
    template.write_text(csv_text)
    target = sync.commit([p := commands.project_add("Copy")]).temp_id_mapping or {}
    assert sync.import_template(target[p.temp_id or ""], template).status == "ok"
    assert sync.get_backups() == []
    with pytest.raises(PermissionDeniedError):
        sync.business_users_invite(["a@example.com"])
    with pytest.raises(NotFoundError):
        sync.business_users_accept_invitation(1, "secret")
    with pytest.raises(NotFoundError):
        sync.business_users_reject_invitation(1, "secret")


def test_delete_user(server: RunningServer, sync: SyncClient) -> None:
    sync.delete_user(PASSWORD, reason_for_delete="testing")
    with pytest.raises(AuthenticationError):
        sync.sync()


def test_the_async_client(server: RunningServer, tmp_path: Path) -> None:
    user = SyncClient.register(new_email(), "Ann", PASSWORD, base_url=base(server))
    settings = Settings(sync_token=user.token, sync_base_url=base(server))

    async def scenario() -> dict[str, Any]:
        async with AsyncSyncClient(settings) as sync:
            add = commands.item_add("async")
            result = await sync.commit([add])
            item_id = (result.temp_id_mapping or {})[add.temp_id or ""]
            seen: dict[str, Any] = {
                "items": [i.content for i in (await sync.sync(["items"])).items or []],
                "item": (await sync.get_item(item_id)).item.content,
                "query": len(await sync.query(["no date"])),
                "stats": (await sync.get_productivity_stats()).completed_count,
                "link": await sync.get_redirect_link(),
                "added": (await sync.add_item("second")).content,
            }
            return seen

    seen = asyncio.run(scenario())
    assert seen == {"items": ["async"], "item": "async", "query": 1, "stats": 0,
                    "link": seen["link"], "added": "second"}  # fmt: skip


def test_a_client_without_a_token_is_refused_at_once() -> None:
    with pytest.raises(ValueError, match="without `sync_token`"):
        SyncClient(Settings(v2_token="only-v2"))


def test_export_data_needs_the_password(sync: SyncClient) -> None:
    sync.commit([commands.project_add("Kept")])
    data = sync.export_data(PASSWORD)
    assert data["format"] == "taskhaven-user-export"
    assert "Kept" in {p["name"] for p in data["projects"]}
    with pytest.raises(PermissionDeniedError) as caught:
        sync.export_data("not the password")
    assert caught.value.code == 28
