"""The strict models accept whatever the server answers, over wide ranges of objects
(hypothesis): each SDK call validates, so a key or a type the server adds fails here."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taskhaven.sdk import Settings, SyncClient, V2Client, commands
from taskhaven.sdk._objectid import object_id
from taskhaven.sdk.models.v2 import (
    CreateTaskV2,
    ItemInV2,
    PostBatchTaskV2,
    TaskReminderInV2,
    UpdateTaskV2,
)
from tests.conftest import PASSWORD, new_email
from tests.servers import RunningServer

TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)
DATES = st.sampled_from([None, "today", "tomorrow", "every day", "every monday @ 10",
                         "in 3 days", "2031-05-06", "next week", "every 2 weeks"])  # fmt: skip
PROFILE = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def sync_client(server: RunningServer) -> SyncClient:
    base = server.url + "/API/v6/"
    user = SyncClient.register(new_email(), "Wide", PASSWORD, base_url=base)
    return SyncClient(Settings(sync_token=user.token, sync_base_url=base))


@PROFILE
@given(
    items=st.lists(
        st.fixed_dictionaries(
            {
                "content": TEXT,
                "date_string": DATES,
                "priority": st.integers(1, 4),
                "indent": st.integers(1, 4),
                "note": st.booleans(),
                "reminder": st.sampled_from([None, "relative", "absolute", "location"]),
                "complete": st.booleans(),
            }
        ),
        min_size=1,
        max_size=6,
    ),
    label=TEXT,
)
def test_sync_api_answers(server: RunningServer, items: list[dict[str, Any]], label: str) -> None:
    sync = sync_client(server)
    start = sync.sync().seq_no
    tag = commands.label_add(label.replace(" ", "_")[:20] or "x")
    batch = [tag, commands.filter_add("f", "today | overdue")]
    for spec in items:
        fields = {"priority": spec["priority"], "indent": spec["indent"], "labels": [tag.temp_id]}
        if spec["date_string"]:
            fields["date_string"] = spec["date_string"]
        item = commands.item_add(spec["content"], **fields)
        batch.append(item)
        if spec["note"]:
            batch.append(commands.note_add(spec["content"], item_id=item.temp_id))
        kind = spec["reminder"]
        if kind == "relative" and spec["date_string"]:
            batch.append(commands.reminder_add(item.temp_id, type=kind, minute_offset=15))
        elif kind == "absolute":
            batch.append(commands.reminder_add(item.temp_id, type=kind,
                                               due_date_utc="2031-01-02T10:15"))  # fmt: skip
        elif kind == "location":
            batch.append(commands.reminder_add(
                item.temp_id, type=kind, name="Home", loc_lat="52.1", loc_long="4.3",
                loc_trigger="on_enter", radius=100,
            ))  # fmt: skip
        if spec["complete"]:
            batch.append(commands.item_complete([item.temp_id or ""]))
    result = sync.commit(batch)
    sync.sync()  # the full read validates
    sync.sync(seq_no=start)  # and the incremental one
    mapping = result.temp_id_mapping or {}
    for command in batch:
        if command.type == "item_add" and command.temp_id in mapping:
            sync.get_item(mapping[command.temp_id or ""])
    sync.get_all_completed_items(annotate_notes=1)
    sync.get_productivity_stats()
    sync.query(["today", "overdue", "p1", "no date"])


@PROFILE
@given(
    tasks=st.lists(
        st.fixed_dictionaries(
            {
                "title": TEXT,
                "kind": st.sampled_from(["TEXT", "NOTE", "CHECKLIST"]),
                "priority": st.sampled_from([0, 1, 3, 5]),
                "zone": st.sampled_from([None, "UTC", "Europe/Paris", "America/Chicago"]),
                "repeat": st.sampled_from(
                    [None, "RRULE:FREQ=DAILY;INTERVAL=1", "RRULE:FREQ=WEEKLY;BYDAY=MO"]
                ),
                "items": st.integers(0, 3),
                "reminder": st.booleans(),
                "all_day": st.booleans(),
                "status": st.sampled_from([0, 2, -1]),
            }
        ),
        min_size=1,
        max_size=5,
    )
)
def test_v2_answers(server: RunningServer, tasks: list[dict[str, Any]]) -> None:
    sync = sync_client(server)
    email = sync.sync(["user"]).user
    assert email is not None
    v2 = V2Client(Settings(v2_username=email.email, v2_password=PASSWORD,
                           v2_base_url=server.url + "/api/v2/"))  # fmt: skip
    inbox = v2.get_status().inbox_id
    start = v2.get_batch().check_point
    adds, updates = [], []
    for spec in tasks:
        task_id = object_id()
        adds.append(CreateTaskV2(
            id=task_id, project_id=inbox, title=spec["title"], kind=spec["kind"],
            priority=spec["priority"], time_zone=spec["zone"], repeat_flag=spec["repeat"],
            is_all_day=spec["all_day"], due_date="2031-03-04T05:06:07Z",
            items=[ItemInV2(title=f"step {n}") for n in range(spec["items"])] or None,
            reminders=[TaskReminderInV2(trigger="TRIGGER:-PT5M")] if spec["reminder"] else None,
        ))  # fmt: skip
        if spec["status"]:
            updates.append(UpdateTaskV2(id=task_id, project_id=inbox, status=spec["status"]))
    v2.post_task(PostBatchTaskV2(add=adds))
    v2.post_task(PostBatchTaskV2(update=updates))
    v2.get_batch()
    v2.get_batch(start)
    v2.get_closed("Completed")
    v2.get_closed("Abandoned")
    for add in adds:
        v2.get_task(add.id or "")
    v2.get_statistics()
    sync.sync()  # the Sync API's view of what V2 wrote validates too
