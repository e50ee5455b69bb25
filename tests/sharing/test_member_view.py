"""A shared project's place in a member's project list, its depth there and its folding
are the member's own; its name and colour are everyone's. Through todoist-python 0.2.26
and pyticktick 0.3.0."""

from __future__ import annotations

from typing import Any

import todoist

from tests.servers import RunningServer
from tests.sharing.test_share_todoist import commit, read
from tests.sharing.test_shared_labels import accept_v2, shared_pair
from tests.v2.batch_helpers import v2_account


def project_of(api: todoist.TodoistAPI, project_id: int) -> dict[str, Any]:
    found = next(p for p in api.state["Projects"] if p["id"] == project_id)
    return dict(found.data)


def full(api: todoist.TodoistAPI, project_id: int) -> dict[str, Any]:
    """The project as a fresh full sync of the same account shows it."""
    fresh = todoist.TodoistAPI(api.token, api_endpoint=api.api_endpoint)
    fresh.sync(resource_types=["all"])
    return project_of(fresh, project_id)


def test_place_depth_and_folding_are_each_members_own(server: RunningServer) -> None:
    api, api2, project = shared_pair(server, "Garden")
    owner_view = project_of(api, project["id"])
    joined = project_of(api2, project["id"])
    # The member's list gains it at the end, unfolded, at the top level.
    member_orders = [p["item_order"] for p in api2.state["Projects"] if p["id"] != project["id"]]
    assert joined["item_order"] > max(member_orders)
    assert (joined["indent"], joined["collapsed"]) == (1, 0)

    api2.projects.get_by_id(project["id"]).update(collapsed=1, item_order=-5, indent=2)
    changed = commit(api2)
    mine = next(p for p in changed["Projects"] if p["id"] == project["id"])
    assert (mine["collapsed"], mine["item_order"], mine["indent"]) == (1, -5, 2)
    assert full(api2, project["id"])["collapsed"] == 1

    # The owner's incremental read carries the project (it was stamped), unchanged for them.
    theirs = next(p for p in read(api)["Projects"] if p["id"] == project["id"])
    for key in ("collapsed", "item_order", "indent"):
        assert theirs[key] == owner_view[key]

    # Orders through project_update_orders_indents are the member's too.
    api2.projects.update_orders_indents({project["id"]: [7, 1]})
    commit(api2)
    assert (project_of(api2, project["id"])["item_order"], full(api2, project["id"])["indent"]) == (
        7,
        1,
    )
    assert full(api, project["id"])["item_order"] == owner_view["item_order"]

    # A name is the project's: everyone sees a member's rename.
    api2.projects.get_by_id(project["id"]).update(name="Yard")
    commit(api2)
    assert full(api, project["id"])["name"] == "Yard"
    assert full(api2, project["id"])["collapsed"] == 1


def test_ownership_swaps_the_views(server: RunningServer) -> None:
    api, api2, project = shared_pair(server, "Cellar")
    api.projects.get_by_id(project["id"]).update(collapsed=1)
    commit(api)
    api2.projects.get_by_id(project["id"]).update(item_order=99)
    commit(api2)
    api2.take_ownership(project["id"])
    commit(api2)
    # The old owner keeps their folding; the new owner keeps their place.
    assert full(api, project["id"])["collapsed"] == 1
    assert full(api2, project["id"])["item_order"] == 99
    assert full(api2, project["id"])["collapsed"] == 0


def test_v2_sort_order_is_the_members_own(server: RunningServer) -> None:
    owner, member = v2_account(server), v2_account(server)
    api = todoist.TodoistAPI(owner.user["token"], api_endpoint=server.url)
    api.sync(resource_types=["all"])
    project = api.projects.add("Attic")
    commit(api)
    accept_v2(owner, member, project["id"])
    oid = next(p["id"] for p in owner.check()["projectProfiles"] if p["name"] == "Attic")
    before = owner.projects()[oid]["sortOrder"]
    answer = member.post("batch/project", {"update": [{"id": oid, "sortOrder": 12345}]})
    assert answer["id2error"] == {}
    assert member.projects()[oid]["sortOrder"] == 12345
    assert owner.projects()[oid]["sortOrder"] == before
