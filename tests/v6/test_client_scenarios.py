"""Longer client scenarios through the real todoist-python 0.2.26 client.

Each test walks the client through a sequence of commits and incremental syncs and checks
what the v6 server answered at every step.
"""

from __future__ import annotations

from typing import Any

import todoist

from tests.servers import RunningServer


def client(server: RunningServer, account: dict[str, Any]) -> todoist.TodoistAPI:
    api = todoist.TodoistAPI(account["token"], api_endpoint=server.url)
    api.sync(resource_types=["all"])
    return api


def only_status(status: dict[str, Any]) -> Any:
    """The single SyncStatus entry of a commit that queued one command."""
    assert len(status) == 1, status
    return next(iter(status.values()))


def test_deleting_a_project_leaves_the_projects_indented_under_it_live(
    server: RunningServer, account: dict[str, Any]
) -> None:
    api = client(server, account)
    outer = api.projects.add("Outer")
    api.commit()
    inner = api.projects.add("Inner")
    api.commit()
    api.projects.sync()
    # Inner comes right after Outer, one level deeper: it is indented under Outer.
    api.projects.update_orders_indents({outer["id"]: [5, 1], inner["id"]: [6, 2]})
    api.commit()
    api.projects.sync()

    outer.delete()
    api.commit()
    got = api.projects.sync()
    # The incremental sync reports the deleted project, and only it.
    assert [(p["name"], p["is_deleted"]) for p in got["Projects"]] == [("Outer", 1)]
    assert api.projects.get_by_id(inner["id"], only_local=True) is not None

    api.projects.archive(inner["id"])
    assert only_status(api.commit()) == "ok"
    got = api.projects.sync()
    first = got["Projects"][0]
    assert (first["name"], first["is_archived"], first["is_deleted"]) == ("Inner", 1, 0)

    api.projects.unarchive(inner["id"])
    assert only_status(api.commit()) == "ok"
    api.projects.update(inner["id"], name="Inner renamed")
    assert only_status(api.commit()) == "ok"
    got = api.projects.sync()
    first = got["Projects"][0]
    assert (first["name"], first["is_archived"], first["is_deleted"]) == ("Inner renamed", 0, 0)

    api.projects.delete([inner["id"]])
    assert only_status(api.commit()) == {str(inner["id"]): "ok"}
    got = api.projects.sync()
    assert [(p["name"], p["is_deleted"]) for p in got["Projects"]] == [("Inner renamed", 1)]
