"""``quick/add`` and ``taskhaven task add``: one line of text made into an item, with the
project and labels the user already has, read in the user's zone."""

from __future__ import annotations

import json
from typing import Any

import httpx
import todoist
from typer.testing import CliRunner

from taskhaven.cli import app
from tests.servers import RunningServer


def quick(server: RunningServer, token: str, **params: str) -> httpx.Response:
    return httpx.post(server.url + "/API/v6/quick/add", data={"token": token, **params})


def synced(server: RunningServer, account: dict[str, Any]) -> todoist.TodoistAPI:
    api = todoist.TodoistAPI(account["token"], api_endpoint=server.url)
    api.sync(resource_types=["all"])
    return api


def local_item(api: todoist.TodoistAPI, item_id: int) -> Any:
    return next((i for i in api.state["Items"] if i["id"] == item_id), None)


def setup_names(api: todoist.TodoistAPI) -> tuple[int, int]:
    home = api.projects.add("Home")
    bills = api.labels.add("bills")
    api.commit()
    return int(home["id"]), int(bills["id"])


def test_a_whole_line_becomes_an_item(server: RunningServer, account: dict[str, Any]) -> None:
    api = synced(server, account)
    home, bills = setup_names(api)
    response = quick(
        server, account["token"], text="Pay rent every 1st at 9am p1 #home @Bills //by transfer"
    )
    assert response.status_code == 200, response.text
    item = response.json()
    assert item["content"] == "Pay rent"
    assert item["date_string"] == "every 1st at 9am"
    assert item["priority"] == 4
    assert item["project_id"] == home
    assert item["labels"] == [bills]
    assert item["due_date_utc"] is not None
    # An incremental sync shows the same item, with its note.
    api.sync(resource_types=["all"])
    seen = local_item(api, item["id"])
    assert seen is not None and seen["content"] == "Pay rent"
    assert seen["date_string"] == "every 1st at 9am"
    assert [n["content"] for n in api.notes.all() if n["item_id"] == item["id"]] == ["by transfer"]


def test_unknown_names_create_nothing_and_stay_in_the_text(
    server: RunningServer, account: dict[str, Any]
) -> None:
    api = synced(server, account)
    home, _bills = setup_names(api)
    response = quick(server, account["token"], text="Call Bob #Nowhere @bills @urgent tomorrow")
    assert response.status_code == 200, response.text
    item = response.json()
    assert item["content"] == "Call Bob #Nowhere @urgent"
    assert item["date_string"] == "tomorrow"
    inbox = next(p for p in api.state["Projects"] if p.data.get("inbox_project"))
    assert item["project_id"] == inbox["id"] != home
    assert len(item["labels"]) == 1
    api.sync(resource_types=["all"])
    assert sorted(p["name"] for p in api.state["Projects"]) == ["Home", "Inbox"]
    assert [label["name"] for label in api.state["Labels"]] == ["bills"]


def test_note_and_reminder_parameters(server: RunningServer, account: dict[str, Any]) -> None:
    response = quick(
        server,
        account["token"],
        text="Dentist tomorrow at 10am",
        note="bring the card",
        reminder="tomorrow at 9am",
    )
    assert response.status_code == 200, response.text
    item = response.json()
    api = synced(server, account)
    assert [n["content"] for n in api.notes.all() if n["item_id"] == item["id"]] == [
        "bring the card"
    ]
    found = [r for r in api.state["Reminders"] if r["item_id"] == item["id"]]
    assert len(found) == 1 and found[0]["type"] == "absolute"


def test_a_line_without_a_date_or_names(server: RunningServer, account: dict[str, Any]) -> None:
    item = quick(server, account["token"], text="Buy milk").json()
    assert item["content"] == "Buy milk"
    assert not item["date_string"]
    assert item["priority"] == 1


def test_missing_or_empty_text_is_refused(server: RunningServer, account: dict[str, Any]) -> None:
    assert quick(server, account["token"]).status_code == 400
    assert quick(server, account["token"], text="   ").status_code == 400


def test_an_unreadable_reminder_creates_nothing(
    server: RunningServer, account: dict[str, Any]
) -> None:
    response = quick(server, account["token"], text="Thing tomorrow", reminder="zzz qqq")
    assert response.status_code == 400
    api = synced(server, account)
    assert [i["content"] for i in api.state["Items"]] == []


def test_the_command_line_adds_the_same_way(server: RunningServer, account: dict[str, Any]) -> None:
    api = synced(server, account)
    home, bills = setup_names(api)
    result = CliRunner().invoke(
        app,
        [
            "task",
            "add",
            account["email"],
            "Water plants every other monday p2 #Home @bills",
            "--database",
            server.backend.settings.database_url,
        ],
    )
    assert result.exit_code == 0, result.output
    item = json.loads(result.output)
    assert item["content"] == "Water plants"
    assert item["date_string"] == "every other monday"
    assert (item["priority"], item["project_id"], item["labels"]) == (3, home, [bills])
    api.sync(resource_types=["all"])
    assert local_item(api, item["id"])["content"] == "Water plants"


def test_the_command_line_refuses_an_unknown_user(server: RunningServer) -> None:
    result = CliRunner().invoke(
        app,
        [
            "task",
            "add",
            "nobody@example.com",
            "x",
            "--database",
            server.backend.settings.database_url,
        ],
    )
    assert result.exit_code == 1
