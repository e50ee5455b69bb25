"""Property: the per-user marks (core/marks.py) never hide a change.

Three users share projects and write to them in any order (owners and members), add labels,
filters and reminders, rename themselves, set day orders and read their notifications.
After every few steps, for every user and every number N handed out so far:

* an incremental sync from N, merged into that user's state at N, equals a full sync now;
* for every kind whose mark says "nothing since N", a read that ignores the marks finds
  nothing since N either (and nothing after the mark itself), the user row did not change,
  and the complete collaborator lists are what they were at N.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from taskhaven.core import changes, marks, notifications, sharing
from taskhaven.store import counter
from taskhaven.store.schema import users
from tests.servers import RunningServer
from tests.sync.helpers import merge
from tests.sync.test_sharing_property import World, apply
from tests.sync.test_sharing_property import ops as sharing_ops

USERS = 3
who = st.integers(0, USERS - 1)
pick = st.integers(0, 20)
ops = st.one_of(
    sharing_ops,
    st.tuples(st.just("label_add"), who),
    st.tuples(st.just("filter_add"), who),
    st.tuples(st.just("reminder_add"), who, pick),
    st.tuples(st.just("rename"), who),
    st.tuples(st.just("day_order"), who, pick),
    st.tuples(st.just("mark_read"), who),
)
KINDS: tuple[changes.Kind, ...] = ("projects", "items", "notes", "labels", "filters", "reminders")


@dataclass
class Seen:
    """What one user had at number N: their merged state and what core said then."""

    number: int
    state: dict[str, dict[int, dict[str, Any]]]
    collaborators: Any
    user_seq: int


def _more(world: World, op: tuple[Any, ...]) -> None:
    kind, n = op[0], op[1]
    if kind == "label_add":
        world.run(n, "label_add", {"name": f"l{n}"}, temp=True)
    elif kind == "filter_add":
        world.run(n, "filter_add", {"name": f"f{n}", "query": "today"}, temp=True)
    elif kind == "rename":
        world.run(n, "user_update", {"full_name": f"User {n} {len(world.owner)}"})
    elif kind == "mark_read":
        world.run(n, "live_notifications_mark_read_all", {})
    else:
        world.clients[n].sync()
        items = [i for i in world.items_of(n) if not i["in_history"]]
        if not items:
            return
        item = items[op[2] % len(items)]
        if kind == "day_order":
            world.run(n, "item_update_day_orders", {"ids_to_orders": {str(item["id"]): op[2]}})
        else:
            world.run(n, "item_update", {"id": item["id"], "date_string": "tomorrow"})
            world.run(n, "reminder_add", {"item_id": item["id"], "minute_offset": 30}, temp=True)


def _record(world: World, server: RunningServer, history: list[list[Seen]]) -> None:
    with server.backend.read() as conn:
        number = counter.current(conn)
        for n, uid in enumerate(world.ids):
            world.clients[n].sync()
            state = copy.deepcopy(world.clients[n].state)
            user_seq = conn.execute(select(users.c.seq).where(users.c.id == uid)).scalar_one()
            history[n].append(Seen(number, state, _collaborators(conn, uid), int(user_seq)))


def _collaborators(conn: Any, uid: int) -> Any:
    return (
        [dict(row) for row in sharing.collaborators(conn, uid)],
        sharing.collaborator_states(conn, uid),
    )


def _check(world: World, server: RunningServer, history: list[list[Seen]]) -> None:
    for n, uid in enumerate(world.ids):
        client = world.clients[n]
        for seen in history[n]:
            body = client.post(seq_no=str(seen.number), resource_types=["all"])
            state = copy.deepcopy(seen.state)
            merge(state, body)
            full = client.post(seq_no="0", resource_types=["all"])
            now: dict[str, dict[int, dict[str, Any]]] = {key: {} for key in state}
            merge(now, full)
            assert _live(state) == _live(now), f"user {n}: sync from {seen.number} differs"
        with server.backend.read() as conn:
            found = marks.read(conn, uid)
            assert found is not None
            for kind in KINDS:
                # The invariant itself: nothing of the kind after the mark.
                assert changes.rows_since(conn, kind, uid, found[kind]) == [], (n, kind)
            assert notifications.rows_since(conn, uid, found["live_notifications"]) == []
            user_seq = conn.execute(select(users.c.seq).where(users.c.id == uid)).scalar_one()
            assert user_seq <= found["account"]
            collaborators = _collaborators(conn, uid)
            for seen in history[n]:
                since = seen.number
                for kind in KINDS:
                    if marks.skip(found, kind, since):
                        assert changes.rows_since(conn, kind, uid, since) == [], (n, kind, since)
                if marks.skip(found, "live_notifications", since):
                    assert notifications.rows_since(conn, uid, since) == [], (n, since)
                if marks.skip(found, "account", since):
                    assert user_seq == seen.user_seq, (n, since)
                if marks.skip(found, "projects", since) and marks.skip(
                    found, "collaborators", since
                ):
                    assert collaborators == seen.collaborators, (n, since)


def _live(state: dict[str, dict[int, dict[str, Any]]]) -> dict[str, dict[int, dict[str, Any]]]:
    return {
        key: {i: o for i, o in objs.items() if key != "Items" or not o.get("in_history")}
        for key, objs in state.items()
    }


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=st.lists(ops, min_size=4, max_size=20))
def test_marks_never_hide_a_change(server: RunningServer, plan: list[tuple[Any, ...]]) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as http:
        world = World(http)
        history: list[list[Seen]] = [[] for _ in range(USERS)]
        for client in world.clients:
            client.sync()
        apply(world, ("project_add", 0))
        apply(world, ("share", 0, 0, 1))
        apply(world, ("accept", 1))
        _record(world, server, history)
        for position, op in enumerate(plan):
            if op[0] in (
                "label_add",
                "filter_add",
                "reminder_add",
                "rename",
                "day_order",
                "mark_read",
            ):
                _more(world, op)
            else:
                apply(world, op)
            _record(world, server, history)
            if position % 4 == 3:
                _check(world, server, history)
        _check(world, server, history)
