"""``taskhaven user export`` / ``import``: an account exported and imported into a fresh
server syncs exactly as the original did (ids aside), for any account contents."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from taskhaven.cli import app
from taskhaven.core import export, uploads, users
from taskhaven.core.errors import InvalidArgument
from tests.backups.helpers import Local, local_server, local_server_on, register, sync
from tests.invariants import check_database
from tests.servers import fresh_database
from tests.servers import test_settings as settings_for

KINDS = ("Projects", "Items", "Labels", "Notes", "ProjectNotes", "Filters", "Reminders")
# Per kind: fields holding an id of another kind ("U" the user's own id).
REFERENCES: dict[str, dict[str, str]] = {
    "Projects": {"user_id": "U"},
    "Items": {"user_id": "U", "project_id": "Projects", "assigned_by_uid": "U",
              "responsible_uid": "U"},
    "Labels": {"uid": "U"},
    "Notes": {"posted_uid": "U", "project_id": "Projects", "item_id": "Items"},
    "ProjectNotes": {"posted_uid": "U", "project_id": "Projects"},
    "Filters": {"user_id": "U"},
    "Reminders": {"notify_uid": "U", "item_id": "Items"},
}  # fmt: skip
# What only says where the data lives: cursors, the token, the read mark of notifications.
PLACE = ("seq_no", "seq_no_global", "UserId", "DayOrdersTimestamp", "LiveNotificationsLastRead")

names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
                max_size=20).filter(str.strip)  # fmt: skip
pick = st.integers(0, 30)
ops = st.one_of(
    st.tuples(st.just("project_add"), names, st.integers(0, 12)),
    st.tuples(st.just("label_add"), names),
    st.tuples(st.just("filter_add"), names, st.sampled_from(["today", "p1", "overdue | #Inbox"])),
    st.tuples(
        st.just("item_add"),
        pick,
        names,
        st.integers(1, 4),
        st.lists(pick, max_size=3),
        st.sampled_from([None, "tomorrow", "every monday", "2031-02-03 10:00"]),
        st.integers(1, 3),
    ),
    st.tuples(st.just("item_complete"), pick, st.booleans()),
    st.tuples(st.just("item_delete"), pick),
    st.tuples(st.just("note_add"), pick, names, st.booleans()),
    st.tuples(st.just("reminder_add"), pick, st.integers(0, 600)),
    st.tuples(st.just("project_archive"), pick),
    st.tuples(st.just("user_update"), names, st.sampled_from(["UTC", "Europe/Rome", "Asia/Tokyo"])),
    # An uploaded file, attached to a note on an item (or on nothing when none exists).
    st.tuples(
        st.just("upload"),
        pick,
        st.from_regex(r"[A-Za-z0-9 _-]{1,12}\.(txt|png|bin)", fullmatch=True),
        st.binary(max_size=2000),
    ),
)


class Plan:
    """Turns generated operations into one batch of commands linked by temp ids."""

    def __init__(self, files: list[dict[str, Any]] | None = None) -> None:
        self.made: dict[str, list[str]] = {"project": ["inbox"], "item": [], "label": []}
        self.commands: list[dict[str, Any]] = []
        self.files = list(files or [])  # uploaded already, in the order of the upload ops

    def ref(self, kind: str, index: int) -> Any:
        made = self.made[kind]
        return made[index % len(made)] if made else None

    def add(self, kind: str, args: dict[str, Any], made: str | None = None) -> None:
        number = len(self.commands)
        cmd: dict[str, Any] = {"type": kind, "uuid": f"c{number}", "args": args}
        if made:
            cmd["temp_id"] = f"{made}{number}"
            self.made[made].append(cmd["temp_id"])
        self.commands.append(cmd)

    def op(self, op: tuple[Any, ...], inbox: int) -> None:
        kind = op[0]
        project = self.ref("project", op[1]) if kind in ("item_add", "project_archive") else None
        project = inbox if project == "inbox" else project
        if kind == "project_add":
            self.add(kind, {"name": op[1], "color": op[2]}, "project")
        elif kind == "label_add":
            self.add(kind, {"name": op[1]}, "label")
        elif kind == "filter_add":
            self.add(kind, {"name": op[1], "query": op[2]})
        elif kind == "item_add":
            labels = [self.ref("label", i) for i in op[4] if self.made["label"]]
            args = {"project_id": project, "content": op[2], "priority": op[3],
                    "labels": labels, "indent": op[6]}  # fmt: skip
            if op[5]:
                args["date_string"] = op[5]
            self.add(kind, args, "item")
        elif kind == "project_archive":
            if project != inbox:
                self.add(kind, {"id": project})
        elif kind == "user_update":
            self.add(kind, {"full_name": op[1], "timezone": op[2]})
        elif kind == "upload":
            attachment = self.files.pop(0)
            if (item := self.ref("item", op[1])) is not None:
                self.add("note_add", {"item_id": item, "content": op[2],
                                      "file_attachment": attachment})  # fmt: skip
        elif (item := self.ref("item", op[1])) is None:
            return
        elif kind == "item_complete":
            self.add(kind, {"ids": [item], "force_history": int(op[2])})
        elif kind == "item_delete":
            self.add(kind, {"ids": [item]})
        elif kind == "note_add":
            self.add(kind, {"item_id": item, "content": op[2]})
        elif kind == "reminder_add":
            due = f"2031-01-01T{op[2] // 60 % 24:02d}:{op[2] % 60:02d}"
            self.add(kind, {"item_id": item, "type": "absolute", "due_date_utc": due})


def normal(body: dict[str, Any]) -> dict[str, Any]:
    """The full sync with every id replaced by its rank among the ids of its kind.

    An import keeps the exported order of ids, so ranks are the same on both servers.
    """
    user_id = body["User"]["id"]
    ids = {kind: sorted(obj["id"] for obj in body[kind]) for kind in KINDS}
    ids["Notes"] = sorted(ids["Notes"] + ids["ProjectNotes"])
    ranks = {kind: {old: n for n, old in enumerate(found)} for kind, found in ids.items()}

    def rank(kind: str, value: Any) -> Any:
        if value is None:
            return None
        if kind == "U":
            return "me" if value == user_id else ("other", value)
        return ranks[kind].get(value, "hidden")

    out: dict[str, Any] = {k: v for k, v in body.items() if k not in PLACE and k not in KINDS}
    for kind in KINDS:
        objs = []
        for obj in body[kind]:
            copy = dict(obj, id=rank("Notes" if kind == "ProjectNotes" else kind, obj["id"]))
            for field, target in REFERENCES[kind].items():
                if field in copy:
                    copy[field] = rank(target, copy[field])
            if "labels" in copy:
                copy["labels"] = sorted(rank("Labels", label) for label in copy["labels"])
            objs.append(copy)
        out[kind] = sorted(objs, key=lambda o: o["id"])
    out["DayOrders"] = {str(rank("Items", int(k))): v for k, v in body.get("DayOrders", {}).items()}
    user = dict(body["User"])
    user.pop("token")
    user.update(id="me", inbox_project=rank("Projects", user["inbox_project"]))
    out["User"] = user
    return out


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[tuple[Local, Local]]:
    with local_server(tmp_path / "a") as source, local_server(tmp_path / "b") as target:
        yield source, target


def full_sync(client: Any, token: str) -> dict[str, Any]:
    return sync(client, token, seq_no=0, resource_types=["all"])


@settings(
    max_examples=12,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=st.lists(ops, max_size=25))
def test_export_then_import_into_a_fresh_server_syncs_the_same(
    servers: tuple[Local, Local], plan: list[tuple[Any, ...]]
) -> None:
    source, target = servers
    email, token = register(source.client)
    inbox = full_sync(source.client, token)["User"]["inbox_project"]
    files = [upload(source.client, token, op[2], op[3]) for op in plan if op[0] == "upload"]
    batch = Plan(files)
    for op in plan:
        batch.op(op, inbox)
    if batch.commands:
        sync(source.client, token, commands=batch.commands)
    original = full_sync(source.client, token)

    with source.backend.read() as conn:
        user = users.by_email(conn, email)
        assert user is not None
        data = json.loads(json.dumps(export.export_user(source.backend, conn, int(user["id"]))))
    imported = export.import_user(target.backend, email, data)
    assert imported.token is not None
    assert normal(full_sync(target.client, imported.token)) == normal(original)
    # Every uploaded file, its bytes included, and the notes' attachments lead to them.
    assert stored_files(target.client, imported.token) == stored_files(source.client, token)
    with target.backend.read() as conn:
        check_database(conn)


def upload(client: Any, token: str, name: str, content: bytes) -> dict[str, Any]:
    answer = client.post(
        "/API/v6/uploads/add", data={"token": token}, files={"file": (name, content)}
    )
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def stored_files(client: Any, token: str) -> list[tuple[Any, ...]]:
    """The account's uploads as listed, ids aside, each with the bytes behind its URL."""
    listed = client.post("/API/v6/uploads/get", data={"token": token, "limit": 50}).json()
    found = []
    for entry in listed:
        path = entry["file_url"].split("/API/v6/", 1)[1]
        content = client.get("/API/v6/" + path)
        assert content.status_code == 200, content.text
        found.append((entry["file_name"], entry["file_size"], entry["file_type"], entry["ip"],
                      entry["uploaded"], entry["file_url"], content.content))  # fmt: skip
    return sorted(found)


def test_the_cli_exports_and_imports_into_an_existing_account(
    servers: tuple[Local, Local], tmp_path: Path
) -> None:
    source, target = servers
    email, token = register(source.client)
    cmds = [
        {"type": "project_add", "uuid": "p", "temp_id": "P", "args": {"name": "Work"}},
        {"type": "item_add", "uuid": "i", "temp_id": "I", "args": {"project_id": "P",
                                                                    "content": "Ship"}},
        {"type": "note_add", "uuid": "n", "args": {"item_id": "I", "content": "soon"}},
    ]  # fmt: skip
    sync(source.client, token, commands=cmds)
    runner = CliRunner()

    def run(local: Local, *args: str) -> str:
        key = local.backend.settings.secret_key
        assert key is not None
        env = {"TASKHAVEN_SECRET_KEY": key.get_secret_value()}
        result = runner.invoke(app, [*args, "--database", local.url], env=env)
        assert result.exit_code == 0, result.output
        return result.output

    dump = tmp_path / "export.json"
    run(source, "user", "export", email, "--output", str(dump))
    # The account exists on the target already, with an item of its own.
    existing, there = register(target.client)
    other = {"type": "item_add", "uuid": "o", "args": {"content": "Mine"}}
    sync(target.client, there, commands=[other])
    output = run(target, "user", "import", existing, str(dump))
    assert "imported" in output and "API token" not in output
    body = full_sync(target.client, there)
    assert sorted(p["name"] for p in body["Projects"]) == ["Inbox", "Work"]
    assert sorted(i["content"] for i in body["Items"]) == ["Mine", "Ship"]
    assert [n["content"] for n in body["Notes"]] == ["soon"]


def test_an_import_that_does_not_fit_changes_nothing(servers: tuple[Local, Local]) -> None:
    source, target = servers
    email, _token = register(source.client)
    with source.backend.read() as conn:
        user = users.by_email(conn, email)
        assert user is not None
        data = json.loads(json.dumps(export.export_user(source.backend, conn, int(user["id"]))))
    data["items"] = [{"id": 1, "project_id": data["projects"][0]["id"], "priority": "high"}]
    with pytest.raises(InvalidArgument):
        export.import_user(target.backend, email, data)
    with target.backend.read() as conn:
        assert users.by_email(conn, email) is None
    with pytest.raises(InvalidArgument, match="not a taskhaven user export"):
        export.import_user(target.backend, email, {"format": "something else"})


def _export(local: Local, email: str) -> dict[str, Any]:
    with local.backend.read() as conn:
        user = users.by_email(conn, email)
        assert user is not None
        data: dict[str, Any] = json.loads(
            json.dumps(export.export_user(local.backend, conn, int(user["id"])))
        )
    return data


def _attached(local: Local, token: str) -> list[str]:
    notes = full_sync(local.client, token)["Notes"]
    return [n["file_attachment"]["file_url"] for n in notes if n["file_attachment"]]


def test_uploads_follow_to_another_name_and_another_server(tmp_path: Path) -> None:
    with local_server(tmp_path / "a") as source:
        email, token = register(source.client)
        sent = upload(source.client, token, "scan.pdf", b"%PDF- the bytes")
        cmds = [
            {"type": "item_add", "uuid": "i", "temp_id": "I", "args": {"content": "Tax"}},
            {"type": "note_add", "uuid": "n",
             "args": {"item_id": "I", "content": "see", "file_attachment": sent}},
        ]  # fmt: skip
        sync(source.client, token, commands=cmds)
        data = _export(source, email)
        assert [u["file_name"] for u in data["uploads"]] == ["scan.pdf"]
        assert "api_token" not in json.dumps(data) and "totp" not in json.dumps(data)

        # Back into the same server, another account: the stored name is taken, so the
        # file gets a new one and the note's attachment follows it.
        again = export.import_user(source.backend, "copy@example.com", data)
        assert again.token is not None and again.counts["uploads"] == 1
        base = source.backend.settings.base_url
        [url] = _attached(source, again.token)
        assert url != sent["file_url"] and url.startswith(base)
        assert source.client.get(url.removeprefix(base)).content == b"%PDF- the bytes"
        # The original still has its own.
        assert _attached(source, token) == [sent["file_url"]]

        # Into a server with another public URL: the attachment names that server.
        with fresh_database(tmp_path / "b") as url_b:
            settings = settings_for(url_b, tmp_path / "b" / "data", public_url="https://b.example")
            with local_server_on(settings) as target:
                moved = export.import_user(target.backend, email, data)
                assert moved.token is not None
                [there] = _attached(target, moved.token)
                assert there == "https://b.example" + sent["file_url"].removeprefix(base)
                path = there.removeprefix("https://b.example")
                assert target.client.get(path).content == b"%PDF- the bytes"


def test_a_failed_import_leaves_no_file_behind(servers: tuple[Local, Local]) -> None:
    source, target = servers
    email, token = register(source.client)
    upload(source.client, token, "a.txt", b"a")
    data = _export(source, email)
    data["items"] = [{"id": 1, "project_id": data["projects"][0]["id"], "priority": "high"}]
    with pytest.raises(InvalidArgument):
        export.import_user(target.backend, email, data)
    folder = uploads.directory(target.backend)
    assert not folder.exists() or list(folder.iterdir()) == []
    data = _export(source, email)
    data["uploads"][0]["content"] = "not base64!"
    with pytest.raises(InvalidArgument, match="base64"):
        export.import_user(target.backend, email, data)
    assert not folder.exists() or list(folder.iterdir()) == []
