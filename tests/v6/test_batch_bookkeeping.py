"""Command batches: idempotency records and temp ids written in bulk, per-unit caches.

A batch reads every uuid once and writes its records just before the commit; a unit
caches projects, the user and each project's highest item order. None of it may change
what a batch does, so the main check runs random command sequences twice, as one batch
and one command per request (a fresh unit each time), and wants the same outcome.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, func, select

from taskhaven.api.todoist.v6.sync import run_commands
from taskhaven.core import items, projects, users
from taskhaven.core.backend import Backend
from taskhaven.store.prepared import PreparedInsert
from taskhaven.store.schema import items as items_table
from tests.conftest import PASSWORD, new_email


@pytest.fixture
def backend(core_backend: Backend) -> Backend:
    return core_backend


def new_user(backend: Backend) -> int:
    row, _token = users.register(backend, email=new_email(), password=PASSWORD)
    return int(row["id"])


@pytest.fixture
def user_id(backend: Backend) -> int:
    return new_user(backend)


def cmd(kind: str, args: dict[str, Any], temp_id: str | None = None) -> dict[str, Any]:
    command: dict[str, Any] = {"type": kind, "uuid": str(uuid.uuid4()), "args": args}
    if temp_id is not None:
        command["temp_id"] = temp_id
    return command


def item_count(backend: Backend, user_id: int) -> int:
    with backend.read() as conn:
        query = select(func.count()).select_from(items_table)
        return int(conn.execute(query.where(items_table.c.user_id == user_id)).scalar_one())


def content_of(backend: Backend, user_id: int, item_id: int) -> str:
    with backend.read() as conn:
        return str(items.get(conn, user_id, item_id)["content"])


# --------------------------------------------------------------------------------------------
# One batch and the same commands one per request agree
# --------------------------------------------------------------------------------------------

# Adds are the point, so they are the likeliest step; the others change what an add must
# see: the highest order (reorder, delete, move), or roll back after an INSERT.
KINDS = ["add"] * 5 + [
    "add_rolled_back",  # fails after its INSERT: a bad inline note
    "add_refused",  # fails before any write: empty content
    "delete",
    "reorder",
    "move_out",
    "move_back",
    "complete",
    "uncomplete",
]
Step = tuple[str, int, int | None, int]
STEP = st.tuples(
    st.sampled_from(KINDS),
    st.integers(0, 40),  # which earlier item a step refers to
    st.none() | st.integers(-3, 60),  # an item_order
    st.sampled_from([1, 1, 1, 2, 3]),  # an indent
)


def commands_for(steps: list[Step], here: int, there: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    made = 0

    def ref(position: int) -> str:
        return f"t{position % made}" if made else "t0"

    for kind, position, order, indent in steps:
        if kind == "add":
            args: dict[str, Any] = {"content": f"task {made}", "project_id": here}
            if order is not None:
                args["item_order"] = order
            if indent > 1:
                args["indent"] = indent
            out.append(cmd("item_add", args, f"t{made}"))
            made += 1
        elif kind == "add_rolled_back":
            args = {"content": "with a bad note", "project_id": here, "note": 123}
            out.append(cmd("item_add", args, f"t{made}"))
            made += 1
        elif kind == "add_refused":
            out.append(cmd("item_add", {"content": "", "project_id": here}, f"t{made}"))
            made += 1
        elif kind == "delete":
            out.append(cmd("item_delete", {"ids": [ref(position)]}))
        elif kind == "reorder":
            wanted = 99 if order is None else order
            out.append(cmd("item_update", {"id": ref(position), "item_order": wanted}))
        elif kind in ("move_out", "move_back"):
            source, target = (here, there) if kind == "move_out" else (there, here)
            args = {"project_items": {str(source): [ref(position)]}, "to_project": target}
            out.append(cmd("item_move", args))
        elif kind == "complete":
            out.append(cmd("item_complete", {"ids": [ref(position)]}))
        else:
            out.append(cmd("item_uncomplete", {"ids": [ref(position)]}))
    return out


def outcome(
    backend: Backend, user_id: int, batches: list[list[dict[str, Any]]], here: int, there: int
) -> tuple[list[Any], dict[str, tuple[Any, ...]]]:
    """Statuses in command order, and every created item by temp id, ids made relative."""
    statuses: list[Any] = []
    mapping: dict[str, int] = {}
    for batch in batches:
        answer, created = run_commands(backend, user_id, batch)
        statuses.extend(answer[command["uuid"]] for command in batch)
        mapping.update(created)
    by_id = {item_id: temp_id for temp_id, item_id in mapping.items()}
    names = {here: "here", there: "there"}
    state: dict[str, tuple[Any, ...]] = {}
    with backend.read() as conn:
        for temp_id, item_id in mapping.items():
            row = items.get(conn, user_id, item_id, live=False)
            state[temp_id] = (
                names.get(row["project_id"]),
                row["item_order"],
                row["indent"],
                by_id.get(row["parent_id"]),
                row["is_deleted"],
                row["in_history"],
                row["status"],
            )
    return statuses, state


def two_projects(backend: Backend, user_id: int) -> tuple[int, int]:
    with backend.write(user_id) as unit:
        here = projects.add(unit, name="here")["id"]
        there = projects.add(unit, name="there")["id"]
    return int(here), int(there)


@pytest.fixture
def pair(backend: Backend) -> tuple[int, int]:
    return new_user(backend), new_user(backend)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, min_size=3, max_size=20), preexisting=st.integers(0, 3))
def test_one_batch_does_what_one_command_per_request_does(
    backend: Backend, pair: tuple[int, int], steps: list[Step], preexisting: int
) -> None:
    runs = []
    for user_id, one_by_one in zip(pair, (False, True), strict=True):
        here, there = two_projects(backend, user_id)
        with backend.write(user_id) as unit:
            for n in range(preexisting):
                items.add(unit, content=f"old {n}", project_id=here, item_order=n * 10)
        commands = commands_for(steps, here, there)
        batches = [[c] for c in commands] if one_by_one else [commands]
        runs.append(outcome(backend, user_id, batches, here, there))
    assert runs[0] == runs[1]


def test_an_add_rolled_back_leaves_no_gap_in_the_order(backend: Backend, user_id: int) -> None:
    here, _there = two_projects(backend, user_id)
    batch = [
        cmd("item_add", {"content": "one", "project_id": here}, "a"),
        cmd("item_add", {"content": "bad note", "project_id": here, "note": 123}, "b"),
        cmd("item_add", {"content": "two", "project_id": here}, "c"),
    ]
    statuses, mapping = run_commands(backend, user_id, batch)
    assert statuses[batch[1]["uuid"]]["error_code"] == 16
    assert set(mapping) == {"a", "c"}
    with backend.read() as conn:
        orders = [items.get(conn, user_id, mapping[t])["item_order"] for t in ("a", "c")]
    assert orders == [1, 2]


def test_an_add_after_a_reorder_in_the_same_batch_goes_last(backend: Backend, user_id: int) -> None:
    here, _there = two_projects(backend, user_id)
    batch = [
        cmd("item_add", {"content": "one", "project_id": here}, "a"),
        cmd("item_update", {"id": "a", "item_order": 50}),
        cmd("item_add", {"content": "two", "project_id": here}, "b"),
        cmd("item_delete", {"ids": ["a", "b"]}),
        cmd("item_add", {"content": "three", "project_id": here}, "c"),
    ]
    _statuses, mapping = run_commands(backend, user_id, batch)
    with backend.read() as conn:
        orders = {t: items.get(conn, user_id, mapping[t], live=False)["item_order"] for t in "abc"}
    assert orders == {"a": 50, "b": 51, "c": 1}


def test_an_add_after_a_zone_change_in_the_same_batch_uses_the_new_zone(
    backend: Backend, user_id: int
) -> None:
    """The user row (its time zone) is cached for date strings, until the user changes."""
    batch = [
        cmd("user_update", {"timezone": "UTC"}),
        cmd("item_add", {"content": "in UTC", "date_string": "tomorrow at 10:00"}, "a"),
        cmd("user_update", {"timezone": "Asia/Kolkata"}),
        cmd("item_add", {"content": "in India", "date_string": "tomorrow at 10:00"}, "b"),
    ]
    statuses, mapping = run_commands(backend, user_id, batch)
    assert set(statuses.values()) == {"ok"}
    due: dict[str, datetime] = {}
    with backend.read() as conn:
        for t in "ab":
            moment = items.get(conn, user_id, mapping[t])["due_at"]
            # SQLite hands moments back naive, in UTC; PostgreSQL in the session's zone.
            due[t] = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
            due[t] = due[t].astimezone(UTC)
    # 10:00 in India is 04:30 UTC; "tomorrow" may be another day there, so compare times.
    assert (due["a"].hour, due["a"].minute) == (10, 0)
    assert (due["b"].hour, due["b"].minute) == (4, 30)


# --------------------------------------------------------------------------------------------
# Idempotency records
# --------------------------------------------------------------------------------------------


def test_a_uuid_repeated_in_one_batch_runs_once(backend: Backend, user_id: int) -> None:
    first = cmd("item_add", {"content": "once"}, "x")
    again = {**first, "temp_id": "y", "args": {"content": "twice"}}
    statuses, mapping = run_commands(backend, user_id, [first, again])
    assert statuses == {first["uuid"]: "ok"}
    assert list(mapping) == ["x"]
    assert item_count(backend, user_id) == 1


def test_a_failed_command_is_remembered_with_its_error(backend: Backend, user_id: int) -> None:
    failing = cmd("item_update", {"id": "later", "content": "changed"})
    statuses, _ = run_commands(backend, user_id, [failing])
    error = statuses[failing["uuid"]]
    assert error["error_code"] == 15  # the temp id is unknown yet
    _, mapping = run_commands(backend, user_id, [cmd("item_add", {"content": "made"}, "later")])
    # The retry reports the first outcome and runs nothing, although it would work now.
    statuses, _ = run_commands(backend, user_id, [failing])
    assert statuses == {failing["uuid"]: error}
    assert content_of(backend, user_id, mapping["later"]) == "made"


def test_a_retried_batch_reports_its_temp_ids_and_runs_nothing(
    backend: Backend, user_id: int
) -> None:
    batch = [cmd("item_add", {"content": f"task {n}"}, f"t{n}") for n in range(5)]
    first = run_commands(backend, user_id, batch)
    assert run_commands(backend, user_id, batch) == first
    assert item_count(backend, user_id) == 5


def test_the_newest_mapping_of_a_reused_temp_id_wins(backend: Backend, user_id: int) -> None:
    batch = [
        cmd("item_add", {"content": "first"}, "x"),
        cmd("item_add", {"content": "second"}, "x"),
        cmd("item_update", {"id": "x", "content": "second, changed"}),
    ]
    _, mapping = run_commands(backend, user_id, batch)
    second = mapping["x"]
    assert content_of(backend, user_id, second) == "second, changed"
    # A later request resolves the temp id from the table: the newest mapping was stored.
    run_commands(backend, user_id, [cmd("item_update", {"id": "x", "content": "later"})])
    assert content_of(backend, user_id, second) == "later"
    # Reused in another request, the stored mapping is replaced.
    _, mapping = run_commands(backend, user_id, [cmd("item_add", {"content": "third"}, "x")])
    run_commands(backend, user_id, [cmd("item_update", {"id": "x", "content": "3rd"})])
    assert content_of(backend, user_id, mapping["x"]) == "3rd"
    assert content_of(backend, user_id, second) == "later"


def test_batches_larger_than_one_lookup_chunk(backend: Backend, user_id: int) -> None:
    """More uuids and temp ids than one ``IN (...)`` list holds (core.commands._CHUNK)."""
    batch = [cmd("item_add", {"content": f"task {n}"}, f"t{n}") for n in range(1100)]
    batch += [cmd("no_such_command", {}) for _ in range(30)]
    first = run_commands(backend, user_id, batch)
    assert len(first[1]) == 1100
    assert run_commands(backend, user_id, batch) == first
    assert item_count(backend, user_id) == 1100


# --------------------------------------------------------------------------------------------
# What keeps a batch fast
# --------------------------------------------------------------------------------------------


@pytest.fixture
def statements(backend: Backend, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """SQL statements run on behalf of this test's thread: SQLAlchemy's, and the prepared
    inserts that go straight to the driver (store/prepared.py)."""
    seen: list[str] = []
    me = threading.get_ident()

    def count(*args: Any) -> None:
        if threading.get_ident() == me:
            seen.append(args[2])

    class Recording:
        def __init__(self, cursor: Any) -> None:
            self._cursor = cursor

        def execute(self, sql: str, params: Any) -> Any:
            if threading.get_ident() == me:
                seen.append(sql)
            return self._cursor.execute(sql, params)

        def fetchone(self) -> Any:
            return self._cursor.fetchone()

    run = PreparedInsert.run

    def recorded(self: PreparedInsert, cursor: Any, dialect: Any, values: Any) -> int:
        return run(self, Recording(cursor), dialect, values)

    monkeypatch.setattr(PreparedInsert, "run", recorded)
    event.listen(backend.engine, "before_cursor_execute", count)
    yield seen
    event.remove(backend.engine, "before_cursor_execute", count)


def test_an_item_add_batch_runs_one_statement_per_command(
    backend: Backend, user_id: int, statements: list[str]
) -> None:
    """Lookups are cached and bookkeeping is written in bulk: a 100-command ``item_add``
    batch takes about one INSERT per command (it took about ten)."""
    with backend.read() as conn:
        inbox = int(projects.inbox(conn, user_id)["id"])
    batch = [
        cmd("item_add", {"content": f"task {n}", "project_id": inbox}, f"t{n}") for n in range(100)
    ]
    statements.clear()
    statuses, _ = run_commands(backend, user_id, batch)
    assert set(statuses.values()) == {"ok"}
    inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT INTO ITEMS")]
    assert len(inserts) == 100
    assert len(statements) <= 100 + 12, statements[:20]
