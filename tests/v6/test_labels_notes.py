"""Labels and notes through the real todoist-python 0.2.26 client (plus raw calls for bad input)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import todoist
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import register
from tests.servers import RunningServer


def client(server: RunningServer, account: dict[str, Any]) -> todoist.TodoistAPI:
    api = todoist.TodoistAPI(account["token"], api_endpoint=server.url)
    api.sync(resource_types=["all"])
    return api


def commit_one(api: todoist.TodoistAPI) -> Any:
    """Commit a queue of one command and return that command's SyncStatus entry."""
    assert len(api.queue) == 1
    key = api.queue[0]["uuid"]
    status = api.commit()
    return status[key]


def commit_all(api: todoist.TodoistAPI) -> None:
    """Commit the queue and insist that every command succeeded."""
    status = api.commit()
    assert all(v == "ok" for v in status.values()), status


def raw_commands(server: RunningServer, token: str, commands: list[dict[str, Any]]) -> Any:
    """Send commands without the client, for arguments the client would never build."""
    for command in commands:
        command.setdefault("uuid", str(uuid.uuid4()))
    response = httpx.post(
        server.url + "/API/v6/sync", data={"token": token, "commands": json.dumps(commands)}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"seq_no", "seq_no_global", "UserId", "SyncStatus", "TempIdMapping"}
    return body


def status_of(body: Any, index: int, commands: list[dict[str, Any]]) -> Any:
    return body["SyncStatus"][commands[index]["uuid"]]


def register_user(server: RunningServer) -> dict[str, Any]:
    """A further user (the other side of "another user's objects")."""
    return register(server, "Other User")


@pytest.fixture
def make_account(server: RunningServer) -> Callable[[], dict[str, Any]]:
    return lambda: register_user(server)


def inbox_id(api: todoist.TodoistAPI) -> int:
    return next(p["id"] for p in api.state["Projects"] if p["name"] == "Inbox")


# ------------------------------------------------------------------------------------ labels


def test_label_add_update_delete(server: RunningServer, account: dict[str, Any]) -> None:
    api = client(server, account)
    label = api.labels.add("Errands", color=3)
    assert commit_one(api) == "ok"
    assert isinstance(label["id"], int)

    other = client(server, account)
    (found,) = [x for x in other.state["Labels"] if x["id"] == label["id"]]
    assert found["name"] == "Errands"
    assert found["color"] == 3
    assert found["uid"] == account["id"]
    assert found["is_deleted"] == 0

    label.update(name="Shopping", color=12)
    assert commit_one(api) == "ok"
    response = other.sync(resource_types=["labels"])
    assert [(x["id"], x["name"], x["color"]) for x in response["Labels"]] == [
        (label["id"], "Shopping", 12)
    ]

    label.delete()
    assert commit_one(api) == "ok"
    response = other.sync(resource_types=["labels"])
    (deleted,) = response["Labels"]
    # A deleted object comes back once, with all its fields (trap 6).
    assert deleted["is_deleted"] == 1 and deleted["name"] == "Shopping"
    assert all(x["id"] != label["id"] for x in other.state["Labels"])
    assert other.sync(resource_types=["labels"])["Labels"] == []


def test_label_register_is_an_alias(server: RunningServer, account: dict[str, Any]) -> None:
    temp = str(uuid.uuid1())
    commands = [{"type": "label_register", "temp_id": temp, "args": {"name": "Old"}}]
    body = raw_commands(server, account["token"], commands)
    assert status_of(body, 0, commands) == "ok"
    assert isinstance(body["TempIdMapping"][temp], int)


def test_label_names_are_unique_ignoring_case(
    server: RunningServer, account: dict[str, Any]
) -> None:
    api = client(server, account)
    api.labels.add("Work")
    assert commit_one(api) == "ok"
    api.labels.add("wORK")
    status = commit_one(api)
    assert status["error_code"] == 16 and "already exists" in status["error"]
    # A deleted label frees its name.
    (work,) = [x for x in api.labels.all() if x["name"] == "Work"]
    work.delete()
    assert commit_one(api) == "ok"
    api.labels.add("WORK")
    assert commit_one(api) == "ok"


def test_duplicate_label_named_like_mail_is_not_an_email_error(
    server: RunningServer, account: dict[str, Any]
) -> None:
    # Regression: a Conflict whose message contained "mail" was mapped to code 32.
    commands = [
        {"type": "label_add", "temp_id": str(uuid.uuid1()), "args": {"name": "Email"}},
        {"type": "label_add", "temp_id": str(uuid.uuid1()), "args": {"name": "email"}},
    ]
    body = raw_commands(server, account["token"], commands)
    assert status_of(body, 0, commands) == "ok"
    assert status_of(body, 1, commands)["error_code"] == 16


def test_label_on_item_goes_away_with_label_delete(
    server: RunningServer, account: dict[str, Any]
) -> None:
    api = client(server, account)
    label = api.labels.add("Phone")
    keep = api.labels.add("Keep")
    item = api.items.add("Call mum", inbox_id(api), labels=[label["id"], keep["id"]])
    status = api.commit()
    assert all(v == "ok" for v in status.values()), status

    other = client(server, account)
    (synced,) = [x for x in other.state["Items"] if x["id"] == item["id"]]
    assert sorted(synced["labels"]) == sorted([label["id"], keep["id"]])

    label.delete()
    assert commit_one(api) == "ok"
    response = other.sync(resource_types=["items", "labels"])
    # The item changed too, so an incremental items sync carries it with the label gone.
    (changed,) = [x for x in response["Items"] if x["id"] == item["id"]]
    assert changed["labels"] == [keep["id"]]
    assert [x["id"] for x in response["Labels"]] == [label["id"]]


def test_label_update_orders_accepts_temp_ids(
    server: RunningServer, account: dict[str, Any]
) -> None:
    api = client(server, account)
    first = api.labels.add("First", item_order=1)
    second = api.labels.add("Second", item_order=2)
    api.labels.update_orders({first["id"]: 20, second["id"]: 10})
    key = api.queue[-1]["uuid"]
    temp_first, temp_second = first["id"], second["id"]
    status = api.commit()
    # The per-id map is keyed by the ids exactly as sent, temp ids included.
    assert status[key] == {temp_first: "ok", temp_second: "ok"}

    other = client(server, account)
    orders = {x["name"]: x["item_order"] for x in other.state["Labels"]}
    assert orders == {"First": 20, "Second": 10}


def test_label_orders_report_each_id(server: RunningServer, account: dict[str, Any]) -> None:
    api = client(server, account)
    label = api.labels.add("Mine")
    assert commit_one(api) == "ok"
    mapping = {str(label["id"]): 5, "999999999": 1, "no-such-temp-id": 2}
    commands = [
        {"type": "label_update_orders", "args": {"id_order_mapping": mapping}},
        {"type": "label_update_orders", "args": {"id_order_mapping": {str(label["id"]): "x"}}},
    ]
    body = raw_commands(server, account["token"], commands)
    result = status_of(body, 0, commands)
    assert result[str(label["id"])] == "ok"
    assert result["999999999"]["error_code"] == 22
    assert result["no-such-temp-id"]["error_code"] == 15
    assert status_of(body, 1, commands)[str(label["id"])]["error_code"] == 16
    (stored,) = client(server, account).state["Labels"]
    assert stored["item_order"] == 5


def test_label_bad_input(server: RunningServer, account: dict[str, Any]) -> None:
    commands = [
        {"type": "label_add", "temp_id": str(uuid.uuid1()), "args": {}},
        {"type": "label_add", "temp_id": str(uuid.uuid1()), "args": {"name": "   "}},
        {"type": "label_add", "temp_id": str(uuid.uuid1()), "args": {"name": "x", "color": 13}},
        {"type": "label_add", "temp_id": str(uuid.uuid1()), "args": {"name": ["x"]}},
        {"type": "label_add", "temp_id": str(uuid.uuid1()), "args": {"name": "a\x00b"}},
        {"type": "label_add", "temp_id": str(uuid.uuid1()), "args": {"name": "x" * 256}},
        {"type": "label_update", "args": {"id": 987654321, "name": "y"}},
        {"type": "label_update", "args": {"name": "y"}},
        {"type": "label_delete", "args": {"id": "not-a-temp-id"}},
        {"type": "label_delete", "args": {"id": True}},
        {"type": "label_update_orders", "args": {"id_order_mapping": [1, 2]}},
        {"type": "label_update_orders", "args": {}},
    ]
    body = raw_commands(server, account["token"], commands)
    codes = [status_of(body, i, commands)["error_code"] for i in range(len(commands))]
    assert codes == [18, 16, 16, 16, 16, 16, 22, 18, 15, 16, 16, 18]
    assert body["TempIdMapping"] == {}


def test_another_users_label_is_not_found(
    server: RunningServer, account: dict[str, Any], make_account: Any
) -> None:
    api = client(server, account)
    label = api.labels.add("Private")
    assert commit_one(api) == "ok"
    intruder = make_account()
    commands = [
        {"type": "label_update", "args": {"id": label["id"], "name": "Mine now"}},
        {"type": "label_delete", "args": {"id": label["id"]}},
        {"type": "label_update_orders", "args": {"id_order_mapping": {str(label["id"]): 1}}},
    ]
    body = raw_commands(server, intruder["token"], commands)
    assert status_of(body, 0, commands)["error_code"] == 22
    assert status_of(body, 1, commands)["error_code"] == 22
    assert status_of(body, 2, commands)[str(label["id"])]["error_code"] == 22
    assert [x["name"] for x in client(server, account).state["Labels"]] == ["Private"]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    name=st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        min_size=1,
        max_size=60,
    ).filter(lambda s: s.strip() != ""),
    color=st.integers(min_value=0, max_value=12),
)
def test_label_names_and_colors_round_trip(
    server: RunningServer, account: dict[str, Any], name: str, color: int
) -> None:
    temp = str(uuid.uuid1())
    # A fresh, unique suffix keeps examples from colliding on the per-user unique name.
    unique = f"{name} {uuid.uuid4().hex[:8]}"
    commands = [{"type": "label_add", "temp_id": temp, "args": {"name": unique, "color": color}}]
    body = raw_commands(server, account["token"], commands)
    assert status_of(body, 0, commands) == "ok"
    api = todoist.TodoistAPI(account["token"], api_endpoint=server.url)
    labels = api.sync(resource_types=["labels"])["Labels"]
    (found,) = [x for x in labels if x["id"] == body["TempIdMapping"][temp]]
    assert found["name"] == unique.strip()
    assert found["color"] == color


# ------------------------------------------------------------------------------------- notes


def test_item_notes_and_project_notes(server: RunningServer, account: dict[str, Any]) -> None:
    api = client(server, account)
    project = api.projects.add("Garden")
    item = api.items.add("Plant tulips", project["id"])
    note = api.notes.add(item["id"], "Buy bulbs first")
    project_note = api.project_notes.add(project["id"], "Whole garden plan")
    status = api.commit()
    assert all(v == "ok" for v in status.values()), status

    other = client(server, account)
    (item_note,) = other.state["Notes"]
    assert item_note["id"] == note["id"]
    assert item_note["item_id"] == item["id"]
    assert item_note["project_id"] == project["id"]
    assert item_note["content"] == "Buy bulbs first"
    assert item_note["posted_uid"] == account["id"]
    assert item_note["posted"].endswith("+0000")
    (proj_note,) = other.state["ProjectNotes"]
    assert proj_note["id"] == project_note["id"]
    assert proj_note["project_id"] == project["id"]
    assert proj_note.data.get("item_id") is None
    assert proj_note["content"] == "Whole garden plan"


def test_note_update_and_delete_reach_a_second_client(
    server: RunningServer, account: dict[str, Any]
) -> None:
    api = client(server, account)
    item = api.items.add("Read book", inbox_id(api))
    note = api.notes.add(item["id"], "Chapter 1", file_attachment=None)
    api.commit()
    other = client(server, account)
    assert [n["content"] for n in other.state["Notes"]] == ["Chapter 1"]

    note.update(content="Chapter 2")
    assert commit_one(api) == "ok"
    response = other.sync(resource_types=["notes"])
    assert [(n["id"], n["content"]) for n in response["Notes"]] == [(note["id"], "Chapter 2")]
    assert response["ProjectNotes"] == []

    note.delete()
    assert commit_one(api) == "ok"
    response = other.sync(resource_types=["notes"])
    (gone,) = response["Notes"]
    assert gone["id"] == note["id"]
    assert gone["is_deleted"] == 1
    assert gone["content"] == "Chapter 2" and gone["item_id"] == item["id"]
    assert other.state["Notes"] == []
    assert other.sync(resource_types=["notes"])["Notes"] == []


def test_note_with_file_attachment_only(server: RunningServer, account: dict[str, Any]) -> None:
    api = client(server, account)
    attachment = {
        "file_name": "plan.png",
        "file_size": 1234,
        "file_type": "image/png",
        "file_url": "https://example.com/plan.png",
        "upload_state": "completed",
        "tn_s": ["https://example.com/plan_s.png", 64, 48],
    }
    note = api.project_notes.add(inbox_id(api), "", file_attachment=attachment)
    assert commit_one(api) == "ok"
    other = client(server, account)
    (stored,) = [n for n in other.state["ProjectNotes"] if n["id"] == note["id"]]
    assert stored["file_attachment"] == attachment
    # Without the file the note would be empty: refused.
    note.update(file_attachment=None)
    assert commit_one(api)["error_code"] == 16


def test_note_bad_input(server: RunningServer, account: dict[str, Any], make_account: Any) -> None:
    api = client(server, account)
    item = api.items.add("Mine", inbox_id(api))
    note = api.notes.add(item["id"], "secret")
    api.commit()
    intruder = make_account()
    ids = {"item": item["id"], "note": note["id"], "inbox": inbox_id(api)}

    def add(args: dict[str, Any]) -> dict[str, Any]:
        return {"type": "note_add", "temp_id": str(uuid.uuid1()), "args": args}

    commands = [
        add({"item_id": ids["item"]}),  # no content
        add({"content": "x"}),  # neither item nor project
        add({"content": "x", "item_id": 987654321}),
        add({"content": "x", "project_id": 987654321}),
        add({"content": 5, "item_id": ids["item"]}),
        add({"content": "x", "item_id": ids["item"], "file_attachment": "nope"}),
        add({"content": "x", "item_id": ids["item"], "uids_to_notify": "nope"}),
        add({"content": "x", "item_id": "unknown-temp"}),
        {"type": "note_update", "args": {"id": 987654321, "content": "y"}},
        {"type": "note_update", "args": {"id": ids["note"], "content": None}},
        {"type": "note_delete", "args": {}},
        {"type": "note_delete", "args": {"id": 987654321}},
    ]
    body = raw_commands(server, account["token"], commands)
    codes = [status_of(body, i, commands)["error_code"] for i in range(len(commands))]
    assert codes == [18, 18, 21, 20, 16, 16, 16, 15, 23, 16, 18, 23]

    foreign = [
        add({"content": "x", "item_id": ids["item"]}),
        add({"content": "x", "project_id": ids["inbox"]}),
        {"type": "note_update", "args": {"id": ids["note"], "content": "mine"}},
        {"type": "note_delete", "args": {"id": ids["note"]}},
    ]
    body = raw_commands(server, intruder["token"], foreign)
    codes = [status_of(body, i, foreign)["error_code"] for i in range(len(foreign))]
    assert codes == [21, 20, 23, 23]
    again = client(server, account)
    assert [n["content"] for n in again.state["Notes"]] == ["secret"]


def test_note_on_deleted_item_is_refused(server: RunningServer, account: dict[str, Any]) -> None:
    api = client(server, account)
    item = api.items.add("Short-lived", inbox_id(api))
    api.commit()
    item.delete()
    api.commit()
    api.notes.add(item["id"], "too late")
    assert commit_one(api)["error_code"] == 21
