"""Tags through pyticktick 0.3.0: ``batch/tag``, ``tag/rename`` and ``DELETE tag``."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.servers import RunningServer
from tests.v2.batch_helpers import V2, oid, task, v2_account
from tests.v2.clients import assert_error

FIXTURE = HealthCheck.function_scoped_fixture


@pytest.fixture
def v2(server: RunningServer) -> V2:
    return v2_account(server)


def test_tag_add_with_parent_and_colour(v2: V2) -> None:
    resp = v2.client.post_tag_v2(
        {
            "add": [
                {"label": "Stuff", "color": "#00FF00"},
                {"label": "Home", "color": "red", "parent": "stuff", "sort_order": 5},
            ]
        }
    )
    assert set(resp.id2etag) == {"stuff", "home"} and resp.id2error == {}
    tags = v2.tags()
    home = tags["home"]
    assert (home["label"], home["rawName"], home["parent"]) == ("Home", "home", "stuff")
    assert (home["color"], home["sortOrder"], home["sortType"], home["type"]) == (
        "#ff0000",
        5,
        "project",
        1,
    )
    assert home["etag"] == resp.id2etag["home"]
    assert tags["stuff"]["color"] == "#00ff00"


def test_update_finds_the_tag_by_raw_name_and_replaces_colour_and_parent(v2: V2) -> None:
    v2.client.post_tag_v2(
        {"add": [{"label": "P"}, {"label": "Work", "color": "#123456", "parent": "p"}]}
    )
    resp = v2.client.post_tag_v2({"update": [{"label": "Work_New", "raw_name": "work"}]})
    assert list(resp.id2etag) == ["work_new"]
    tag = v2.tags()["work_new"]
    assert (tag["label"], tag["rawName"]) == ("Work_New", "work")
    # Replace semantics: colour and parent sent as null are cleared.
    assert tag["color"] is None and tag["parent"] is None


def test_rename_keeps_raw_name_and_tasks_follow(v2: V2) -> None:
    tid = oid()
    v2.client.post_task_v2({"add": [task(v2.inbox, "tagged", id=tid, tags=["home"])]})
    v2.client.put_rename_tag_v2({"name": "home", "new_name": "House"})
    tags = v2.tags()
    assert "home" not in tags
    assert (tags["house"]["label"], tags["house"]["rawName"]) == ("House", "home")
    assert v2.tasks()[tid]["tags"] == ["house"]
    # Delete after rename, by the new name: gone from tags and from the task.
    v2.client.delete_tag_v2({"name": "house"})
    assert "house" not in v2.tags()
    assert v2.tasks()[tid]["tags"] == []


def test_deleting_a_parent_tag_unparents_its_children(v2: V2) -> None:
    v2.client.post_tag_v2({"add": [{"label": "top"}, {"label": "sub", "parent": "top"}]})
    v2.client.delete_tag_v2({"name": "top"})
    assert v2.tags()["sub"]["parent"] is None


@pytest.mark.parametrize(
    "body",
    [
        {"add": [{"label": "ok1"}, {"label": "bad label"}]},
        {"add": [{"label": "ok1"}, {"label": "a/b"}]},
        {"add": [{"label": "ok1"}, {"label": "Dup"}, {"label": "dup"}]},
        {"add": [{"label": "ok1"}], "update": [{"label": "x", "rawName": "nosuchtag"}]},
        {"add": [{"label": "ok1", "color": "not-a-colour"}]},
        {"add": [{"label": None}]},
    ],
)
def test_a_bad_tag_refuses_the_whole_batch(v2: V2, body: dict[str, object]) -> None:
    response = v2.raw("POST", "batch/tag", json=body)
    assert_error(response, 400, "invalid_parameter")
    assert "ok1" not in v2.tags()


def test_existing_name_cannot_be_added_again(v2: V2) -> None:
    v2.client.post_tag_v2({"add": [{"label": "once"}]})
    assert_error(
        v2.raw("POST", "batch/tag", json={"add": [{"label": "Once"}]}), 400, "invalid_parameter"
    )


def test_rename_of_unknown_tag_and_to_a_taken_name(v2: V2) -> None:
    assert_error(
        v2.raw("PUT", "tag/rename", json={"name": "ghost", "newName": "x"}), 404, "not_existed"
    )
    v2.client.post_tag_v2({"add": [{"label": "a1"}, {"label": "b1"}]})
    response = v2.raw("PUT", "tag/rename", json={"name": "a1", "newName": "B1"})
    assert response.status_code == 409
    assert set(v2.tags()) >= {"a1", "b1"}


def test_delete_of_unknown_tag_succeeds_and_needs_a_name(v2: V2) -> None:
    assert v2.raw("DELETE", "tag", params={"name": "never-was"}).status_code == 200
    assert_error(v2.raw("DELETE", "tag"), 400, "invalid_parameter")


LABELS = st.text(
    st.characters(blacklist_categories=("Cs", "Zs", "Cc"), blacklist_characters='\\/"#:*?<>|'),
    min_size=1,
    max_size=30,
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(label=LABELS)
def test_any_valid_label_round_trips(v2: V2, label: str) -> None:
    response = v2.raw("POST", "batch/tag", json={"add": [{"label": label}]})
    if response.status_code == 400:
        # Only a name already taken (label names compare case-insensitively) or one with
        # whitespace outside the excluded categories may be refused.
        taken = any(name.casefold() == label.casefold() for name in v2.tags())
        assert taken or any(ch.isspace() for ch in label)
        return
    assert response.status_code == 200, response.text
    tag = v2.tags()[label.lower()]
    assert tag["label"] == label
