"""core.backend.Unit: the per-unit cache and driver-level savepoints."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from taskhaven.core import items, projects
from taskhaven.core.backend import Backend
from taskhaven.core.errors import InvalidArgument
from taskhaven.store.schema import items as items_table


def contents(backend: Backend, user_id: int) -> list[str]:
    with backend.read() as conn:
        query = select(items_table.c.content).where(
            items_table.c.user_id == user_id, items_table.c.is_deleted.is_(False)
        )
        return sorted(conn.execute(query).scalars())


def test_a_cached_value_lasts_until_the_next_stamp(backend: Backend, user_id: int) -> None:
    with backend.write(user_id) as unit:
        unit.cache("key", "value")
        assert unit.cached("key") == "value"
        assert unit.cached("other") is None
        unit.stamp()
        assert unit.cached("key") is None


def test_stamp_keeping_keeps_only_the_keys_named(backend: Backend, user_id: int) -> None:
    with backend.write(user_id) as unit:
        unit.cache("kept", 1)
        unit.cache("dropped", 2)
        seq = unit.stamp_keeping("kept", "never cached")
        assert unit.seqs.last == seq
        assert unit.cached("kept") == 1
        assert unit.cached("dropped") is None
        assert unit.cached("never cached") is None


def test_a_stale_entry_is_not_revived_by_stamp_keeping(backend: Backend, user_id: int) -> None:
    with backend.write(user_id) as unit:
        unit.cache("key", "old")
        unit.stamp()  # some change the key depends on
        unit.stamp_keeping("key")
        assert unit.cached("key") is None


def test_a_rolled_back_savepoint_empties_the_cache(backend: Backend, user_id: int) -> None:
    with backend.write(user_id) as unit:
        unit.cache("key", "value")
        with pytest.raises(InvalidArgument), unit.savepoint():
            raise InvalidArgument("x")
        # No stamp was drawn, yet rows may have been rolled back: nothing cached survives.
        assert unit.cached("key") is None


def test_a_failing_savepoint_rolls_back_only_its_own_rows(backend: Backend, user_id: int) -> None:
    with backend.write(user_id) as unit:
        items.add(unit, content="before")
        with pytest.raises(InvalidArgument), unit.savepoint():
            items.add(unit, content="rolled back")
            raise InvalidArgument("content")
        items.add(unit, content="after")
    assert contents(backend, user_id) == ["after", "before"]


def test_savepoints_nest(backend: Backend, user_id: int) -> None:
    with backend.write(user_id) as unit:
        with unit.savepoint():
            items.add(unit, content="outer")
            with pytest.raises(InvalidArgument), unit.savepoint():
                items.add(unit, content="inner")
                raise InvalidArgument("content")
            items.add(unit, content="outer again")
        with pytest.raises(InvalidArgument), unit.savepoint():
            items.add(unit, content="gone")
            with unit.savepoint():
                items.add(unit, content="gone too")
            raise InvalidArgument("content")
    assert contents(backend, user_id) == ["outer", "outer again"]


def test_the_unit_goes_on_after_a_database_refusal(backend: Backend, user_id: int) -> None:
    """PostgreSQL aborts the transaction on an error; rolling back to the savepoint ends
    that state, so the rest of the unit still commits (SQLite needs no such care)."""
    with backend.write(user_id) as unit:
        taken = items.add(unit, content="first")["oid"]
        inbox = projects.inbox(unit.conn, user_id)["id"]
        with pytest.raises(IntegrityError), unit.savepoint():
            unit.conn.execute(
                insert(items_table).values(
                    oid=taken,  # unique: the database refuses it
                    user_id=user_id,
                    project_id=inbox,
                    created_at=unit.now,
                    modified_at=unit.now,
                    seq=unit.stamp(),
                )
            )
        items.add(unit, content="second")
    assert contents(backend, user_id) == ["first", "second"]


def test_add_returns_the_row_as_stored(backend: Backend, user_id: int) -> None:
    """The row ``add`` takes from its INSERT is the row a read right after returns, also
    when more changes followed the INSERT (a parent link, a day order)."""
    with backend.write(user_id) as unit:
        plain = items.add(unit, content="plain", priority=3)
        assert dict(items.get(unit.conn, user_id, plain["id"])) == dict(plain)
        dated = items.add(unit, content="dated", date_string="tomorrow at 10:00")
        assert dict(items.get(unit.conn, user_id, dated["id"])) == dict(dated)
        child = items.add(unit, content="child", parent_id=plain["id"])
        assert dict(items.get(unit.conn, user_id, child["id"])) == dict(child)
        placed = items.add(unit, content="today", day_order=2)
        assert dict(items.get(unit.conn, user_id, placed["id"])) == dict(placed)
        made = items.create(unit, content="by id")
        assert items.get(unit.conn, user_id, made)["content"] == "by id"
