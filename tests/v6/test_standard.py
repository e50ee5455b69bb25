"""The Sync API's standard calls through todoist-python 0.2.26, plus raw calls for bad input."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import todoist
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.conftest import PASSWORD, new_email, register
from tests.servers import RunningServer

# Every call that needs a token, with enough other parameters to get past their checks.
AUTHENTICATED: dict[str, dict[str, str]] = {
    "upload_file": {},
    "uploads/add": {},
    "uploads/get": {},
    "uploads/delete": {"file_url": "http://x/API/v6/uploads/files/abc"},
    "query": {"queries": '["p1"]'},
    "get_redirect_link": {},
    "get_productivity_stats": {},
    "update_notification_setting": {
        "notification_type": "item_completed",
        "service": "email",
        "dont_notify": "1",
    },
    "update_notification_settings": {
        "notification_type": "item_completed",
        "service": "email",
        "dont_notify": "1",
    },
    "get_all_completed_items": {},
    "get_completed_items": {"project_id": "1"},
    "add_item": {"content": "x"},
    "quick/add": {"text": "x"},
    "get_item": {"item_id": "1"},
    "get_project": {"project_id": "1"},
    "get_label": {"label_id": "1"},
    "get_note": {"note_id": "1"},
    "get_filter": {"filter_id": "1"},
    "get_reminder": {"reminder_id": "1"},
    "templates/import_into_project": {"project_id": "1"},
    "templates/export_as_file": {"project_id": "1"},
    "templates/export_as_url": {"project_id": "1"},
    "business/users/invite": {"email_list": '["a@example.com"]'},
    "business/users/accept_invitation": {"id": "1", "secret": "s"},
    "backups/get": {},
}


def client(server: RunningServer, account: dict[str, Any]) -> todoist.TodoistAPI:
    api = todoist.TodoistAPI(account["token"], api_endpoint=server.url)
    api.sync(resource_types=["all"])
    return api


def inbox_of(api: todoist.TodoistAPI) -> int:
    return int(next(p["id"] for p in api.state["Projects"] if p["name"] == "Inbox"))


def commit_ok(api: todoist.TodoistAPI) -> None:
    status = api.commit()

    def ok(value: Any) -> bool:
        return value == "ok" or (isinstance(value, dict) and all(ok(v) for v in value.values()))

    assert all(ok(v) for v in status.values()), status


def call(
    server: RunningServer, endpoint: str, method: str = "GET", /, **params: Any
) -> httpx.Response:
    url = f"{server.url}/API/v6/{endpoint}"
    if method == "GET":
        return httpx.get(url, params=params)
    return httpx.post(url, data=params)


def assert_error(response: httpx.Response, status: int, code: int | None = None) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["error"], str) and body["error"]
    if code is not None:
        assert body["error_code"] == code, body


@pytest.fixture
def other(server: RunningServer) -> dict[str, Any]:
    """A second account: the owner of "someone else's" objects."""
    return register(server, "Other User")


# -- transport and authentication ------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(AUTHENTICATED))
def test_missing_token_is_401(server: RunningServer, path: str) -> None:
    assert_error(call(server, path, **AUTHENTICATED[path]), 401, 401)


@pytest.mark.parametrize("path", sorted(AUTHENTICATED))
def test_wrong_token_is_401(server: RunningServer, path: str) -> None:
    response = call(server, path, "POST", token="0" * 40, **AUTHENTICATED[path])
    assert_error(response, 401, 401)


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("prefix", ["/API/v6/", "/api/v6/"])
@pytest.mark.parametrize("path", ["backups/get", "get_redirect_link", "query", "uploads/get"])
def test_every_path_takes_get_and_post_under_both_prefixes(
    server: RunningServer, account: dict[str, Any], method: str, prefix: str, path: str
) -> None:
    params = {"token": account["token"], **AUTHENTICATED[path]}
    url = server.url + prefix + path
    response = httpx.get(url, params=params) if method == "GET" else httpx.post(url, data=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")


def test_backups_get_is_an_empty_list(server: RunningServer, account: dict[str, Any]) -> None:
    response = call(server, "backups/get", "POST", token=account["token"])
    assert response.status_code == 200
    assert response.json() == []


# -- login_with_google -----------------------------------------------------------------------


def test_login_with_google_is_refused_for_unknown_and_known_emails(
    server: RunningServer, account: dict[str, Any]
) -> None:
    api = todoist.TodoistAPI(api_endpoint=server.url)
    for email in (new_email(), account["email"]):
        body = api.login_with_google(email, "any-oauth2-token", auto_signup=1)
        assert body == {"error_code": 31, "error": "Login error"}
        assert api.token == ""
    response = call(server, "login_with_google", "POST", email=account["email"], oauth2_token="t")
    assert_error(response, 401, 31)
    # auto_signup created nothing: registering the unknown address still works.
    fresh = new_email()
    call(server, "login_with_google", "POST", email=fresh, oauth2_token="t", auto_signup="1")
    registered = call(server, "register", "POST", email=fresh, full_name="F", password=PASSWORD)
    assert registered.status_code == 200, registered.text


def test_login_with_google_requires_its_parameters(server: RunningServer) -> None:
    assert_error(call(server, "login_with_google", "POST", email=new_email()), 400, 18)
    assert_error(call(server, "login_with_google", "POST", oauth2_token="t"), 400, 18)


# -- uploads ---------------------------------------------------------------------------------


def test_upload_file_stores_and_serves_the_bytes(
    server: RunningServer, account: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "notes.txt"
    data = b"hello, upload\n" * 1000 + bytes(range(256))
    path.write_bytes(data)
    api = todoist.TodoistAPI(account["token"], api_endpoint=server.url)
    upload = api.upload_file(str(path))
    assert upload["file_name"] == "notes.txt"
    assert upload["file_size"] == len(data)
    assert upload["file_type"] == "text/plain"
    assert upload["upload_state"] == "completed"
    assert upload["file_url"].startswith(server.url + "/API/v6/uploads/files/")
    download = httpx.get(upload["file_url"])
    assert download.status_code == 200
    assert download.content == data
    assert download.headers["x-content-type-options"] == "nosniff"
    assert "notes.txt" in download.headers["content-disposition"]
    listed = api.get_uploads()
    assert listed[0]["file_url"] == upload["file_url"]
    assert listed[0]["filename"] == listed[0]["file_name"] == "notes.txt"
    assert listed[0]["user_id"] == account["id"]
    assert listed[0]["ip"] == "127.0.0.1"


def test_html_uploads_download_instead_of_rendering(
    server: RunningServer, account: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "page.html"
    path.write_text("<script>alert(1)</script>")
    api = todoist.TodoistAPI(account["token"], api_endpoint=server.url)
    upload = api.upload_file(str(path))
    download = httpx.get(upload["file_url"])
    assert download.headers["content-disposition"].startswith("attachment")
    assert "sandbox" in download.headers["content-security-policy"]


def test_uploads_add_takes_a_file_name(server: RunningServer, account: dict[str, Any]) -> None:
    response = httpx.post(
        server.url + "/API/v6/uploads/add",
        data={"token": account["token"], "file_name": "../../report.csv"},
        files={"file": ("ignored.bin", b"a,b\n1,2\n", "application/octet-stream")},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["file_name"] == "report.csv"
    assert body["file_type"] == "text/csv"
    assert httpx.get(body["file_url"]).content == b"a,b\n1,2\n"


def test_upload_needs_a_file_part(server: RunningServer, account: dict[str, Any]) -> None:
    assert_error(call(server, "upload_file", "POST", token=account["token"]), 400, 18)
    response = call(server, "upload_file", "POST", token=account["token"], file="text")
    assert_error(response, 400, 16)


def test_uploads_get_pages_newest_first(server: RunningServer, account: dict[str, Any]) -> None:
    urls = []
    for n in range(4):
        response = httpx.post(
            server.url + "/API/v6/upload_file",
            data={"token": account["token"]},
            files={"file": (f"f{n}.txt", f"file {n}".encode(), "text/plain")},
        )
        urls.append(response.json()["file_url"])
    api = todoist.TodoistAPI(account["token"], api_endpoint=server.url)
    everything = api.get_uploads()
    assert [u["file_url"] for u in everything] == urls[::-1]
    ids = [u["id"] for u in everything]
    assert ids == sorted(ids, reverse=True)
    first = api.get_uploads(limit=2)
    assert [u["id"] for u in first] == ids[:2]
    rest = api.get_uploads(limit=2, last_id=first[-1]["id"])
    assert [u["id"] for u in rest] == ids[2:4]
    assert len(api.get_uploads(limit=500)) == 4  # clamped to 50, not refused
    assert_error(call(server, "uploads/get", token=account["token"], limit="0"), 400, 16)
    assert_error(call(server, "uploads/get", token=account["token"], limit="x"), 400, 16)


def test_uploads_are_scoped_to_their_owner(
    server: RunningServer, account: dict[str, Any], other: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "mine.txt"
    path.write_text("mine")
    mine = todoist.TodoistAPI(account["token"], api_endpoint=server.url)
    theirs = todoist.TodoistAPI(other["token"], api_endpoint=server.url)
    url = mine.upload_file(str(path))["file_url"]
    assert theirs.get_uploads() == []
    refused = call(server, "uploads/delete", token=other["token"], file_url=url)
    assert_error(refused, 404, 38)
    assert httpx.get(url).status_code == 200
    on_disk = server.backend.settings.data_dir / "uploads" / url.rsplit("/", 1)[1]
    assert on_disk.read_text() == "mine"
    assert mine.delete_upload(url) == "ok"
    assert not on_disk.exists()
    gone = httpx.get(url)
    assert_error(gone, 404, 38)
    assert mine.get_uploads() == []
    # Deleting twice, or a URL that is no upload at all, is "not found".
    assert_error(call(server, "uploads/delete", token=account["token"], file_url=url), 404)
    bad = call(server, "uploads/delete", token=account["token"], file_url="http://x/y")
    assert_error(bad, 404, 38)
    assert_error(call(server, "uploads/delete", token=account["token"]), 400, 18)


def test_unknown_file_names_are_404(server: RunningServer) -> None:
    for name in ("nope", "a" * 32, "..%2F..%2Fsecret.key"):
        assert_error(httpx.get(f"{server.url}/API/v6/uploads/files/{name}"), 404)


# -- query -----------------------------------------------------------------------------------


def test_query_by_date_and_priority(server: RunningServer, account: dict[str, Any]) -> None:
    api = client(server, account)
    inbox = inbox_of(api)
    api.items.add("Item1", inbox, date_string="tomorrow")
    api.items.add("Item2", inbox, priority=4)
    commit_ok(api)
    response = api.query(["tomorrow", "p1"])
    assert [(r["query"], r["type"]) for r in response] == [("tomorrow", "date"), ("p1", "priority")]
    by_query = {r["query"]: [i["content"] for i in r["data"]] for r in response}
    assert by_query == {"tomorrow": ["Item1"], "p1": ["Item2"]}
    assert response[1]["data"][0]["priority"] == 4


def test_query_overdue_labels_projects_and_counts(
    server: RunningServer, account: dict[str, Any]
) -> None:
    api = client(server, account)
    inbox = inbox_of(api)
    label = api.labels.add("Urgent")
    work = api.projects.add("Work")
    commit_ok(api)
    api.items.add("late", inbox, date_string="yesterday", labels=[label["id"]])
    api.items.add("work item", work["id"], date_string="in 3 days")
    done = api.items.add("done item", work["id"], date_string="yesterday")
    gone = api.items.add("gone item", inbox, date_string="yesterday")
    commit_ok(api)
    api.items.complete([done["id"]], force_history=1)
    api.items.delete([gone["id"]])
    commit_ok(api)
    queries = ["overdue", "@urgent", "#work", "##Work", "p4", "@nobody", "#nowhere", "zzz"]
    response = api.query(queries)
    assert [r["query"] for r in response] == queries
    kinds = [r["type"] for r in response]
    assert kinds == [
        *("overdue", "label", "project", "project"),
        *("priority", "label", "project", "unknown"),
    ]
    contents = [[i["content"] for i in r["data"]] for r in response]
    assert contents[0] == ["late"]
    assert contents[1] == ["late"]
    assert contents[2] == contents[3] == ["work item"]
    assert sorted(contents[4]) == ["late", "work item"]
    assert contents[5] == contents[6] == contents[7] == []
    counted = api.query(queries, as_count=1)
    assert [r["data"] for r in counted] == [len(c) for c in contents]


def test_query_sees_only_the_callers_items(
    server: RunningServer, account: dict[str, Any], other: dict[str, Any]
) -> None:
    api = client(server, account)
    api.items.add("secret", inbox_of(api), priority=4)
    commit_ok(api)
    theirs = todoist.TodoistAPI(other["token"], api_endpoint=server.url)
    assert theirs.query(["p1", "#Inbox"]) == [
        {"query": "p1", "type": "priority", "data": []},
        {"query": "#Inbox", "type": "project", "data": []},
    ]


def test_query_rejects_bad_queries(server: RunningServer, account: dict[str, Any]) -> None:
    token = account["token"]
    assert_error(call(server, "query", token=token, queries="[p1"), 400, 37)
    assert_error(call(server, "query", token=token, queries='"p1"'), 400, 16)
    assert_error(call(server, "query", token=token, queries="[1, 2]"), 400, 16)
    assert_error(call(server, "query", token=token, queries=json.dumps(["x"] * 51)), 400, 16)
    assert_error(call(server, "query", token=token), 400, 18)
    ok = call(server, "query", token=token, queries="[]")
    assert ok.status_code == 200 and ok.json() == []


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=60))
@example(text="\x00")
@example(text="@\x00")
@example(text="#\x00 ")
@example(text="every 31st @ 25:99")
def test_query_never_fails_on_any_string(
    server: RunningServer, account: dict[str, Any], text: str
) -> None:
    response = call(server, "query", "POST", token=account["token"], queries=json.dumps([text]))
    if "\x00" in text:
        # NUL is refused at the boundary, whatever the call.
        assert_error(response, 400, 16)
        return
    assert response.status_code == 200, response.text
    [entry] = response.json()
    assert entry["query"] == text
    assert entry["type"] in ("date", "overdue", "priority", "label", "project", "unknown")
    assert isinstance(entry["data"], list)


# -- get_redirect_link -----------------------------------------------------------------------


def test_get_redirect_link(server: RunningServer, account: dict[str, Any]) -> None:
    api = todoist.TodoistAPI(account["token"], api_endpoint=server.url)
    assert api.get_redirect_link() == {"link": server.url + "/app"}
    assert api.get_redirect_link(path="/app/project", hash="#project/12") == {
        "link": server.url + "/app/project#project/12"
    }
    for path in ("//evil.example/", "https://evil.example/", "app", "/a\\b"):
        response = call(server, "get_redirect_link", token=account["token"], path=path)
        assert_error(response, 400, 16)


# -- productivity stats ----------------------------------------------------------------------


def test_productivity_stats_count_completions(
    server: RunningServer, account: dict[str, Any]
) -> None:
    api = client(server, account)
    inbox = inbox_of(api)
    first = api.items.add("one", inbox)
    second = api.items.add("two", inbox)
    api.items.add("open", inbox)
    commit_ok(api)
    api.items.complete([first["id"], second["id"]], force_history=1)
    api.user.update_goals(daily_goal=2, weekly_goal=2)
    commit_ok(api)
    stats = api.get_productivity_stats()
    today = datetime.now(UTC).date()
    assert len(stats["days_items"]) == 7
    assert stats["days_items"][0] == {
        "date": today.isoformat(),
        "items": [{"completed": 2, "id": inbox}],
        "total_completed": 2,
    }
    assert stats["days_items"][1]["date"] == (today - timedelta(days=1)).isoformat()
    assert all(d["total_completed"] == 0 for d in stats["days_items"][1:])
    assert len(stats["week_items"]) == 4
    start, end = stats["week_items"][0]["date"].split("/")
    assert start <= today.isoformat() <= end
    assert stats["week_items"][0]["total_completed"] == 2
    assert stats["completed_count"] == 2
    assert isinstance(stats["karma_last_update"], float)
    assert stats["karma_trend"] == "-"
    assert isinstance(stats["karma_update_reasons"], list)
    assert isinstance(stats["karma_graph"], str)
    assert stats["project_colors"][str(inbox)].startswith("#")
    goals = stats["goals"]
    assert goals["daily_goal"] == 2 and goals["user_id"] == account["id"]
    streak = {"count": 1, "start": today.isoformat(), "end": today.isoformat()}
    assert goals["current_daily_streak"] == goals["max_daily_streak"] == streak
    assert goals["current_weekly_streak"]["count"] == 1


def test_productivity_stats_of_a_new_account(
    server: RunningServer, account: dict[str, Any]
) -> None:
    stats = todoist.TodoistAPI(account["token"], api_endpoint=server.url).get_productivity_stats()
    assert stats["completed_count"] == 0
    empty = {"count": 0, "start": "", "end": ""}
    for key in ("current_daily_streak", "current_weekly_streak", "max_daily_streak"):
        assert stats["goals"][key] == empty
    assert stats["goals"]["ignore_days"] == [6, 7]


# -- notification settings -------------------------------------------------------------------


def test_update_notification_setting(server: RunningServer, account: dict[str, Any]) -> None:
    api = todoist.TodoistAPI(account["token"], api_endpoint=server.url)
    settings_ = api.update_notification_setting("item_completed", "email", 1)
    assert settings_["item_completed"] == {"notify_email": False, "notify_push": True}
    assert settings_["note_added"] == {"notify_email": True, "notify_push": True}
    synced = api.sync(resource_types=["notification_settings"])
    assert synced["SettingsNotifications"] == settings_
    again = call(
        server,
        "update_notification_settings",
        "POST",
        token=account["token"],
        notification_type="item_completed",
        service="email",
        dont_notify="0",
    )
    assert again.json()["item_completed"]["notify_email"] is True


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"notification_type": "nonsense"}, 16),
        ({"service": "sms"}, 16),
        ({"dont_notify": "maybe"}, 16),
        ({"dont_notify": ""}, 18),
    ],
)
def test_update_notification_setting_rejects_bad_values(
    server: RunningServer, account: dict[str, Any], changes: dict[str, str], code: int
) -> None:
    params = {"notification_type": "item_completed", "service": "push", "dont_notify": "1"}
    params.update(changes)
    response = call(server, "update_notification_setting", "POST", token=account["token"], **params)
    assert_error(response, 400, code)


# -- completed items -------------------------------------------------------------------------


def test_get_all_completed_items(server: RunningServer, account: dict[str, Any]) -> None:
    api = client(server, account)
    inbox = inbox_of(api)
    work = api.projects.add("Work")
    commit_ok(api)
    first = api.items.add("first", inbox)
    second = api.items.add("second", work["id"])
    third = api.items.add("third", work["id"])
    api.items.add("still open", inbox)
    commit_ok(api)
    for item in (first, second, third):
        api.items.complete([item["id"]], force_history=1)
        commit_ok(api)
    api.notes.add(third["id"], "a note")
    commit_ok(api)

    everything = api.get_all_completed_items()
    assert [i["content"] for i in everything["items"]] == ["third", "second", "first"]
    newest = everything["items"][0]
    assert newest["task_id"] == third["id"] and newest["project_id"] == work["id"]
    assert newest["note_count"] == 1 and "notes" not in newest
    assert newest["completed_date"].endswith("+0000")
    assert set(everything["projects"]) == {str(inbox), str(work["id"])}
    assert everything["projects"][str(work["id"])]["name"] == "Work"

    paged = api.get_all_completed_items(limit=1, offset=1)
    assert [i["content"] for i in paged["items"]] == ["second"]
    in_work = api.get_all_completed_items(project_id=work["id"], annotate_notes=1)
    assert [i["content"] for i in in_work["items"]] == ["third", "second"]
    assert [n["content"] for n in in_work["items"][0]["notes"]] == ["a note"]
    assert in_work["items"][1]["notes"] == []
    later = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    assert api.get_all_completed_items(since=later) == {"items": [], "projects": {}}
    assert len(api.get_all_completed_items(until=later)["items"]) == 3
    assert api.get_all_completed_items(from_date=later)["items"] == []
    assert len(api.get_all_completed_items(to_date="2000-1-1")["items"]) == 0


def test_get_all_completed_items_rejects_bad_input(
    server: RunningServer, account: dict[str, Any], other: dict[str, Any]
) -> None:
    token = account["token"]
    assert_error(call(server, "get_all_completed_items", token=token, since="soon"), 400, 19)
    assert_error(call(server, "get_all_completed_items", token=token, limit="-1"), 400, 16)
    assert_error(call(server, "get_all_completed_items", token=token, offset="-1"), 400, 16)
    foreign = other["inbox_project"]
    response = call(server, "get_all_completed_items", token=token, project_id=str(foreign))
    assert_error(response, 404, 20)


def test_get_completed_items(server: RunningServer, account: dict[str, Any]) -> None:
    api = client(server, account)
    inbox = inbox_of(api)
    done = api.items.add("done", inbox)
    api.items.add("open", inbox)
    commit_ok(api)
    api.items.complete([done["id"]])
    commit_ok(api)
    result = api.get_completed_items(inbox)
    assert [(i["content"], i["checked"]) for i in result] == [("done", 1)]
    assert_error(call(server, "get_completed_items", token=account["token"]), 400, 18)
    missing = call(server, "get_completed_items", token=account["token"], project_id="999999999")
    assert_error(missing, 404, 20)


# -- add_item and the getters ----------------------------------------------------------------


def test_add_item_with_labels_and_a_note(server: RunningServer, account: dict[str, Any]) -> None:
    api = client(server, account)
    first = api.labels.add("one")
    second = api.labels.add("two")
    commit_ok(api)
    item = api.add_item(
        "Buy milk",
        labels=[first["id"], second["id"]],
        priority=4,
        date_string="tomorrow",
        note="semi-skimmed",
    )
    assert item["content"] == "Buy milk"
    assert item["project_id"] == inbox_of(api)
    assert sorted(item["labels"]) == sorted([first["id"], second["id"]])
    assert item["priority"] == 4 and item["date_string"] == "tomorrow"
    assert item["due_date_utc"].endswith("+0000")
    fetched = api.get_item(item["id"])
    assert fetched["item"]["id"] == item["id"]
    assert fetched["project"]["id"] == item["project_id"]
    assert [n["content"] for n in fetched["notes"]] == ["semi-skimmed"]
    # The client merged the answer into its local state.
    assert any(i["id"] == item["id"] for i in api.state["Items"])
    as_json = call(
        server, "add_item", token=account["token"], content="x", labels=json.dumps([first["id"]])
    )
    assert as_json.json()["labels"] == [first["id"]]


def test_add_item_rejects_bad_input(
    server: RunningServer, account: dict[str, Any], other: dict[str, Any]
) -> None:
    token = account["token"]
    assert_error(call(server, "add_item", token=token), 400, 18)
    assert_error(call(server, "add_item", token=token, content="x", priority="5"), 400, 16)
    assert_error(call(server, "add_item", token=token, content="x", priority="high"), 400, 16)
    assert_error(call(server, "add_item", token=token, content="x", labels="[1"), 400, 37)
    assert_error(call(server, "add_item", token=token, content="x", labels="one"), 400, 16)
    assert_error(call(server, "add_item", token=token, content="x", date_string="when?"), 400, 19)
    foreign = str(other["inbox_project"])
    assert_error(call(server, "add_item", token=token, content="x", project_id=foreign), 404, 20)


def test_getters_answer_with_their_object(server: RunningServer, account: dict[str, Any]) -> None:
    api = client(server, account)
    inbox = inbox_of(api)
    label = api.labels.add("home")
    flt = api.filters.add("Soon", "7 days")
    item = api.items.add("task", inbox, date_string="tomorrow @ 10")
    commit_ok(api)
    note = api.notes.add(item["id"], "item note")
    project_note = api.project_notes.add(inbox, "project note")
    reminder = api.reminders.add(item["id"], service="email", type="relative", minute_offset=30)
    commit_ok(api)
    assert api.get_label(label["id"])["label"]["name"] == "home"
    assert api.get_filter(flt["id"])["filter"]["query"] == "7 days"
    assert api.get_note(note["id"])["note"]["content"] == "item note"
    fetched_note = api.get_note(project_note["id"])["note"]
    assert fetched_note["content"] == "project note" and fetched_note.get("item_id") is None
    assert api.get_reminder(reminder["id"])["reminder"]["item_id"] == item["id"]
    project = api.get_project(inbox)
    assert project["project"]["name"] == "Inbox"
    assert [n["content"] for n in project["notes"]] == ["project note"]
    fetched = api.get_item(item["id"])
    assert [n["content"] for n in fetched["notes"]] == ["item note"]


GETTERS = [
    ("get_item", "item_id", 21),
    ("get_project", "project_id", 20),
    ("get_label", "label_id", 22),
    ("get_note", "note_id", 23),
    ("get_filter", "filter_id", 24),
    ("get_reminder", "reminder_id", 25),
]


@pytest.mark.parametrize(("path", "name", "code"), GETTERS)
def test_getters_of_missing_objects(
    server: RunningServer, account: dict[str, Any], path: str, name: str, code: int
) -> None:
    token = account["token"]
    assert_error(call(server, path, token=token, **{name: "999999999"}), 404, code)
    assert_error(call(server, path, token=token, **{name: "0"}), 404, code)
    assert_error(call(server, path, token=token, **{name: "abc"}), 400, 16)
    assert_error(call(server, path, token=token, **{name: str(2**70)}), 400, 16)
    assert_error(call(server, path, token=token), 400, 18)
    assert_error(call(server, path, "POST", token=token, **{name: " "}), 400, 18)
    api = todoist.TodoistAPI(token, api_endpoint=server.url)
    assert getattr(api, path)(999999999) is None


def test_getters_do_not_reveal_someone_elses_objects(
    server: RunningServer, account: dict[str, Any], other: dict[str, Any]
) -> None:
    theirs = client(server, other)
    inbox = inbox_of(theirs)
    label = theirs.labels.add("theirs")
    item = theirs.items.add("theirs", inbox)
    commit_ok(theirs)
    note = theirs.notes.add(item["id"], "theirs")
    commit_ok(theirs)
    mine = todoist.TodoistAPI(account["token"], api_endpoint=server.url)
    assert mine.get_project(inbox) is None
    assert mine.get_item(item["id"]) is None
    assert mine.get_label(label["id"]) is None
    assert mine.get_note(note["id"]) is None
    response = call(server, "get_item", token=account["token"], item_id=str(item["id"]))
    assert_error(response, 404, 21)


# -- templates -------------------------------------------------------------------------------


def test_templates_export_and_import(
    server: RunningServer, account: dict[str, Any], tmp_path: Path
) -> None:
    api = client(server, account)
    project1 = api.projects.add("Project1")
    project2 = api.projects.add("Project2")
    commit_ok(api)
    item = api.items.add("Item1", project1["id"])
    api.items.add(
        'Item2, with "quotes"', project1["id"], priority=4, indent=2, date_string="every day"
    )
    commit_ok(api)
    api.notes.add(item["id"], "remember")
    commit_ok(api)
    template = api.export_template_as_file(project1["id"])
    assert isinstance(template, str)
    assert "task,Item1,4,1" in template
    rows = list(csv.reader(io.StringIO(template)))
    assert rows[0] == [
        "TYPE",
        "CONTENT",
        "PRIORITY",
        "INDENT",
        "AUTHOR",
        "RESPONSIBLE",
        "DATE",
        "DATE_LANG",
    ]
    assert rows[1][:5] == ["task", "Item1", "4", "1", f"Test User ({account['id']})"]
    assert rows[2][:2] == ["note", "remember"]
    assert rows[3][:4] == ["task", 'Item2, with "quotes"', "1", "2"]
    assert rows[3][6:] == ["every day", "en"]
    assert rows[-1] == [""] * 8
    path = tmp_path / "example.csv"
    path.write_text(template)
    assert api.import_template_into_project(project2["id"], str(path)) == {"status": "ok"}
    state = api.sync(resource_types=["items", "notes"])
    imported = [i for i in state["Items"] if i["project_id"] == project2["id"]]
    assert sorted((i["content"], i["priority"], i["indent"]) for i in imported) == [
        ("Item1", 1, 1),
        ('Item2, with "quotes"', 4, 2),
    ]
    repeated = next(i for i in imported if i["indent"] == 2)
    assert repeated["date_string"] == "every day"
    item1 = next(i for i in imported if i["content"] == "Item1")
    assert [n["content"] for n in state["Notes"] if n.get("item_id") == item1["id"]] == ["remember"]


def test_template_export_as_url(server: RunningServer, account: dict[str, Any]) -> None:
    api = client(server, account)
    inbox = inbox_of(api)
    api.items.add("Exported", inbox)
    commit_ok(api)
    result = api.export_template_as_url(inbox)
    assert result["file_name"].endswith("_Inbox.csv")
    download = httpx.get(result["file_url"])
    assert download.status_code == 200
    assert "task,Exported,4,1" in download.text
    assert download.text == api.export_template_as_file(inbox)
    assert api.get_uploads() == []  # exports are not listed as uploads


def test_template_import_is_all_or_nothing(server: RunningServer, account: dict[str, Any]) -> None:
    api = client(server, account)
    inbox = inbox_of(api)

    def send(data: bytes, project: int = inbox) -> httpx.Response:
        return httpx.post(
            server.url + "/API/v6/templates/import_into_project",
            data={"token": account["token"], "project_id": str(project)},
            files={"file": ("t.csv", data, "text/csv")},
        )

    assert_error(send(b"TYPE,CONTENT,PRIORITY\ntask,fine,1\ntask,bad,9\n"), 400, 16)
    assert_error(send(b"task,fine,1,1\nsection,x\nwhat,x\n"), 400, 16)
    assert_error(send(b"task,,1,1\n"), 400, 16)
    assert_error(send(b"task,bad date,1,1,,,someday maybe,en\n"), 400, 16)
    assert_error(send("task,caf\xe9".encode("latin-1")), 400, 16)
    assert_error(send(b"task,x,1,1\n", project=999999999), 404, 20)
    blank = call(
        server, "templates/import_into_project", "POST", token=account["token"], project_id=" "
    )
    assert_error(blank, 400, 18)
    no_file = call(
        server, "templates/import_into_project", "POST", token=account["token"], project_id=inbox
    )
    assert_error(no_file, 400, 18)
    state = api.sync(resource_types=["items"])
    assert state["Items"] == []
    # Without a header the standard column order applies; meta rows are skipped.
    assert send(b"meta,view_style,list\ntask,plain,2,1\n").json() == {"status": "ok"}
    state = api.sync(resource_types=["items"])
    assert [(i["content"], i["priority"]) for i in state["Items"]] == [("plain", 3)]


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    contents=st.lists(
        st.text(
            alphabet=st.characters(blacklist_categories=("Cs", "Cc")),
            min_size=1,
            max_size=40,
        ).filter(lambda s: s.strip() == s and s != ""),
        min_size=1,
        max_size=5,
    )
)
def test_templates_round_trip_any_content(
    server: RunningServer, account: dict[str, Any], contents: list[str]
) -> None:
    token = account["token"]
    source_project = _new_project(server, token, "Source")
    target_project = _new_project(server, token, "Target")
    for content in contents:
        added = call(server, "add_item", token=token, content=content, project_id=source_project)
        assert added.status_code == 200, added.text
    template = call(
        server, "templates/export_as_file", "POST", token=token, project_id=source_project
    )
    assert template.headers["content-type"].startswith("text/csv")
    response = httpx.post(
        server.url + "/API/v6/templates/import_into_project",
        data={"token": token, "project_id": str(target_project)},
        files={"file": ("t.csv", template.content, "text/csv")},
    )
    assert response.json() == {"status": "ok"}
    again = call(server, "templates/export_as_file", token=token, project_id=target_project)
    assert again.text == template.text


def _new_project(server: RunningServer, token: str, name: str) -> int:
    command = {"type": "project_add", "uuid": new_email(), "temp_id": "$p", "args": {"name": name}}
    response = call(server, "sync", "POST", token=token, commands=json.dumps([command]))
    return int(response.json()["TempIdMapping"]["$p"])


def test_template_export_of_unknown_project(server: RunningServer, account: dict[str, Any]) -> None:
    for path in ("templates/export_as_file", "templates/export_as_url"):
        response = call(server, path, "POST", token=account["token"], project_id="999999999")
        assert_error(response, 404, 20)
        assert_error(call(server, path, "POST", token=account["token"]), 400, 18)


# -- business --------------------------------------------------------------------------------


def test_business_calls_explain_there_are_no_business_accounts(
    server: RunningServer, account: dict[str, Any]
) -> None:
    api = todoist.TodoistAPI(account["token"], api_endpoint=server.url)
    invited = api.business_users_invite(["someone@example.com"])
    assert invited["error_code"] == 28
    assert "business" in invited["error"].lower()
    assert_error(
        call(
            server, "business/users/invite", token=account["token"], email_list='["a@example.com"]'
        ),
        403,
        28,
    )
    assert api.business_users_accept_invitation(1, "secret")["error_code"] == 26
    assert api.business_users_reject_invitation(1, "secret")["error_code"] == 26
    token = account["token"]
    assert_error(call(server, "business/users/invite", token=token, email_list="[x"), 400, 37)
    assert_error(call(server, "business/users/invite", token=token, email_list='"a"'), 400, 16)
    assert_error(call(server, "business/users/invite", token=token, email_list='["x"]'), 400, 16)
    assert_error(call(server, "business/users/invite", token=token), 400, 18)
    assert_error(call(server, "business/users/accept_invitation", token=token, id="1"), 400, 18)
    assert_error(
        call(server, "business/users/accept_invitation", token=token, id="x", secret="s"), 400, 16
    )
    # reject needs no token; a wrong one is still refused.
    assert_error(call(server, "business/users/reject_invitation", id="1", secret="s"), 404, 26)
    wrong = call(server, "business/users/reject_invitation", token="0" * 40, id="1", secret="s")
    assert_error(wrong, 401, 401)
