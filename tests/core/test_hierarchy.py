"""Sub-task links and the Sync API's flat tree describe the same tree after every change."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select

from taskhaven.core import hierarchy, users
from taskhaven.core.backend import Backend
from taskhaven.core.errors import InvalidArgument, NotFound
from taskhaven.core.ids import new_oid
from taskhaven.store.schema import items, projects
from tests.conftest import PASSWORD, new_email


def _user(backend: Backend) -> tuple[int, int]:
    row, _token = users.register(backend, email=new_email(), password=PASSWORD)
    return row["id"], row["inbox_project_id"]


def _add(backend: Backend, user_id: int, project_id: int, count: int) -> list[int]:
    ids = []
    with backend.write(user_id) as unit:
        for n in range(count):
            ids.append(
                unit.conn.execute(
                    insert(items)
                    .values(
                        oid=new_oid(),
                        user_id=user_id,
                        project_id=project_id,
                        content=f"t{n}",
                        item_order=n + 1,
                        created_at=unit.now,
                        modified_at=unit.now,
                        seq=unit.stamp(),
                    )
                    .returning(items.c.id)
                ).scalar_one()
            )
    return ids


def _rows(backend: Backend, project_id: int) -> list[Any]:
    with backend.read() as conn:
        return list(
            conn.execute(
                select(
                    items.c.id, items.c.parent_id, items.c.indent, items.c.item_order, items.c.seq
                )
                .where(items.c.project_id == project_id)
                .order_by(items.c.item_order, items.c.id)
            )
        )


def flat_tree_parents(rows: list[Any]) -> dict[int, int | None]:
    """The parent of each entry as a Sync API client reads it from indent and order."""
    stack: list[tuple[int, int]] = []
    parents: dict[int, int | None] = {}
    for row in rows:
        while stack and stack[-1][1] >= row.indent:
            stack.pop()
        parents[row.id] = stack[-1][0] if stack else None
        stack.append((row.id, row.indent))
    return parents


def assert_consistent(rows: list[Any]) -> None:
    by_id = {row.id: row for row in rows}
    orders = [row.item_order for row in rows]
    assert len(set(orders)) == len(orders), "item_order must stay unique"
    for row in rows:
        expected = 1 if row.parent_id is None else by_id[row.parent_id].indent + 1
        assert row.indent == expected
        assert 1 <= row.indent <= hierarchy.MAX_INDENT
    assert flat_tree_parents(rows) == {row.id: row.parent_id for row in rows}


def test_set_parent_places_the_child_after_the_parents_subtree(backend: Backend) -> None:
    user_id, inbox = _user(backend)
    a, b, c, d = _add(backend, user_id, inbox, 4)
    with backend.write(user_id) as unit:
        hierarchy.set_parent(unit, c, a)
        hierarchy.set_parent(unit, d, a)
    rows = _rows(backend, inbox)
    assert [r.id for r in rows] == [a, c, d, b]
    assert_consistent(rows)
    with backend.read() as conn:
        assert hierarchy.child_oids(conn, user_id, [a]) == {
            a: [
                conn.execute(select(items.c.oid).where(items.c.id == x)).scalar_one()
                for x in (c, d)
            ]
        }
        assert [r["id"] for r in hierarchy.children(conn, user_id, a)] == [c, d]
        assert hierarchy.descendants(conn, user_id, a) == [c, d]


def test_parent_is_stamped_when_its_children_change(backend: Backend) -> None:
    user_id, inbox = _user(backend)
    a, b = _add(backend, user_id, inbox, 2)
    before = {r.id: r.seq for r in _rows(backend, inbox)}
    with backend.write(user_id) as unit:
        hierarchy.set_parent(unit, b, a)
    middle = {r.id: r.seq for r in _rows(backend, inbox)}
    assert middle[a] > before[a] and middle[b] > before[b]
    with backend.write(user_id) as unit:
        assert hierarchy.unset_parent(unit, b) == a
        assert hierarchy.unset_parent(unit, b) is None  # already top level: nothing to do
    after = {r.id: r.seq for r in _rows(backend, inbox)}
    assert after[a] > middle[a] and after[b] > middle[b]
    assert_consistent(_rows(backend, inbox))


def test_cycles_depth_and_projects_are_refused(backend: Backend) -> None:
    user_id, inbox = _user(backend)
    chain = _add(backend, user_id, inbox, 5)
    with backend.write(user_id) as unit:
        for parent, child in itertools.pairwise(chain[:4]):
            hierarchy.set_parent(unit, child, parent)
    with pytest.raises(InvalidArgument), backend.write(user_id) as unit:
        hierarchy.set_parent(unit, chain[0], chain[2])  # a cycle
    with pytest.raises(InvalidArgument), backend.write(user_id) as unit:
        hierarchy.set_parent(unit, chain[4], chain[3])  # a fifth level
    with pytest.raises(InvalidArgument), backend.write(user_id) as unit:
        hierarchy.set_parent(unit, chain[1], chain[1])
    with backend.write(user_id) as unit:
        other = unit.conn.execute(
            insert(projects)
            .values(
                oid=new_oid(),
                user_id=user_id,
                name="Other",
                created_at=unit.now,
                modified_at=unit.now,
                seq=unit.stamp(),
            )
            .returning(projects.c.id)
        ).scalar_one()
    (elsewhere,) = _add(backend, user_id, other, 1)
    with pytest.raises(InvalidArgument), backend.write(user_id) as unit:
        hierarchy.set_parent(unit, elsewhere, chain[0])
    assert_consistent(_rows(backend, inbox))


def test_someone_elses_task_is_not_found(backend: Backend) -> None:
    me, my_inbox = _user(backend)
    them, their_inbox = _user(backend)
    (mine,) = _add(backend, me, my_inbox, 1)
    (theirs,) = _add(backend, them, their_inbox, 1)
    with pytest.raises(NotFound), backend.write(me) as unit:
        hierarchy.set_parent(unit, mine, theirs)
    with pytest.raises(NotFound), backend.write(me) as unit:
        hierarchy.set_parent(unit, theirs, mine)


OPS = st.lists(
    st.tuples(st.sampled_from(["set", "unset"]), st.integers(0, 7), st.integers(0, 7)),
    max_size=25,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=OPS)
def test_any_sequence_of_moves_keeps_both_views_equal(backend: Backend, ops: list[Any]) -> None:
    user_id, inbox = _user(backend)
    ids = _add(backend, user_id, inbox, 8)
    for op, x, y in ops:
        try:
            with backend.write(user_id) as unit:
                if op == "set":
                    hierarchy.set_parent(unit, ids[x], ids[y])
                else:
                    hierarchy.unset_parent(unit, ids[x])
        except InvalidArgument:
            pass  # a refused move must leave everything as it was
        assert_consistent(_rows(backend, inbox))
