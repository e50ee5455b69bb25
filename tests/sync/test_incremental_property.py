"""Property: incremental sync from ANY earlier seq_no reproduces the full-sync state."""

from __future__ import annotations

import copy
import uuid
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import PASSWORD, new_email
from tests.servers import RunningServer
from tests.sync.helpers import RawClient, command, comparable, full_state, merge

# An operation names what it acts on by position in the list of live objects, so any
# generated sequence is meaningful whatever ids the server hands out.
ops = st.one_of(
    st.tuples(st.just("project_add"), st.text(min_size=1, max_size=12)),
    st.tuples(st.just("project_update"), st.integers(0, 20), st.text(min_size=1, max_size=12)),
    st.tuples(st.just("project_delete"), st.integers(0, 20)),
    st.tuples(st.just("project_archive"), st.integers(0, 20)),
    st.tuples(st.just("item_add"), st.integers(0, 20), st.text(min_size=1, max_size=12)),
    st.tuples(st.just("item_update"), st.integers(0, 40), st.integers(1, 4)),
    st.tuples(st.just("item_complete"), st.integers(0, 40), st.booleans()),
    st.tuples(st.just("item_uncomplete"), st.integers(0, 40)),
    st.tuples(st.just("item_delete"), st.integers(0, 40)),
    st.tuples(st.just("item_move"), st.integers(0, 40), st.integers(0, 20)),
)
batches = st.lists(st.lists(ops, min_size=1, max_size=6), min_size=1, max_size=6)


def _pick(objs: dict[int, dict[str, Any]], index: int) -> dict[str, Any] | None:
    if not objs:
        return None
    ordered = sorted(objs)
    return objs[ordered[index % len(ordered)]]


def _to_command(op: tuple[Any, ...], state: dict[str, dict[int, dict[str, Any]]]) -> Any:
    kind = op[0]
    projects = state["Projects"]
    items = state["Items"]
    if kind == "project_add":
        return command(kind, {"name": op[1]}, "$" + str(uuid.uuid4()))
    if kind == "item_add":
        project = _pick(projects, op[1])
        args: dict[str, Any] = {"content": op[2]}
        if project:
            args["project_id"] = project["id"]
        return command(kind, args, str(uuid.uuid4()))
    if kind.startswith("project_"):
        project = _pick(projects, op[1])
        if project is None:
            return None
        if kind == "project_update":
            return command(kind, {"id": project["id"], "name": op[2]})
        if kind == "project_archive":
            return command(kind, {"id": project["id"]})
        return command(kind, {"ids": [project["id"]]})
    item = _pick(items, op[1])
    if item is None:
        return None
    if kind == "item_update":
        return command(kind, {"id": item["id"], "priority": op[2]})
    if kind == "item_complete":
        return command(kind, {"ids": [item["id"]], "force_history": int(op[2])})
    if kind == "item_move":
        target = _pick(projects, op[2])
        if target is None:
            return None
        moves = {str(item["project_id"]): [item["id"]]}
        return command(kind, {"project_items": moves, "to_project": target["id"]})
    return command(kind, {"ids": [item["id"]]})


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=batches)
def test_incremental_from_any_point_equals_full(server: RunningServer, plan: Any) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as http:
        email = new_email()
        token = http.post("/API/v6/register", data={"email": email, "password": PASSWORD}).json()[
            "token"
        ]
        writer = RawClient(http, token)
        writer.sync()
        snapshots = [(writer.seq_no, copy.deepcopy(writer.state))]
        for batch in plan:
            cmds = [c for c in (_to_command(op, writer.state) for op in batch) if c]
            if cmds:
                body = writer.commit(cmds)
                assert set(body["SyncStatus"]) == {c["uuid"] for c in cmds}
            writer.sync()
            snapshots.append((writer.seq_no, copy.deepcopy(writer.state)))
        final = full_state(http, token)
        for seq_no, state in snapshots:
            reader = RawClient(http, token)
            reader.seq_no = seq_no
            reader.state = copy.deepcopy(state)
            body = reader.sync()
            merged = copy.deepcopy(state)
            merge(merged, body)
            assert comparable(merged) == final
