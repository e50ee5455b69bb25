"""core/status.py: the status vocabulary and the SQL every count asks it with."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import ColumnElement, select

from taskhaven.core import completed, items, users
from taskhaven.core.backend import Backend
from taskhaven.core.errors import InvalidArgument
from taskhaven.core.status import (
    DONE,
    Status,
    check_status,
    counts_as_completion,
    is_completed,
    is_done,
    is_open,
)
from taskhaven.store.schema import items as items_table


def test_the_stored_values() -> None:
    assert [s.value for s in Status] == [-1, 0, 1, 2]
    assert set(DONE) == {Status.DONE, Status.DONE_ALT}
    assert [s for s in Status if s.is_done] == [Status.DONE_ALT, Status.DONE]
    assert [s for s in Status if not s.is_closed] == [Status.OPEN]


@pytest.mark.parametrize("value", [-1, 0, 1, 2, Status.DONE])
def test_check_status_names_a_status(value: Any) -> None:
    assert check_status(value) is Status(value)


@pytest.mark.parametrize("value", [3, -2, True, False, "2", None, 1.5, [1]])
def test_check_status_refuses_anything_else(value: Any) -> None:
    with pytest.raises(InvalidArgument):
        check_status(value)


@pytest.fixture
def kinds(backend: Backend, user_id: int) -> dict[str, int]:
    """One item in each state the helpers tell apart, by name."""
    when = datetime(2030, 1, 2, 3, 4, tzinfo=UTC)
    with backend.write(user_id) as unit:
        made = {
            name: items.add(unit, content=name)["id"]
            for name in ("open", "done", "done alt", "won't do", "deleted done")
        }
        recurring = items.add(unit, content="recurring", date_string="every day")
        made["recurring, one occurrence done"] = recurring["id"]
        items.set_status(unit, made["done"], Status.DONE, completed_at=when)
        items.set_status(unit, made["done alt"], Status.DONE_ALT, completed_at=when)
        items.set_status(unit, made["won't do"], Status.WONT_DO, completed_at=when)
        items.set_status(unit, made["deleted done"], Status.DONE)
        items.delete(unit, made["deleted done"])
        items.close(unit, recurring["id"])
    return made


def _names(backend: Backend, kinds: dict[str, int], where: ColumnElement[bool]) -> set[str]:
    by_id = {item_id: name for name, item_id in kinds.items()}
    with backend.read() as conn:
        found = conn.execute(
            select(items_table.c.id).where(items_table.c.id.in_(by_id), where)
        ).scalars()
        return {by_id[item_id] for item_id in found}


def test_each_helper_selects_what_its_name_says(backend: Backend, kinds: dict[str, int]) -> None:
    status, moment = items_table.c.status, items_table.c.completed_at
    assert _names(backend, kinds, is_open(status)) == {"open", "recurring, one occurrence done"}
    assert _names(backend, kinds, is_done(status)) == {"done", "done alt", "deleted done"}
    assert _names(backend, kinds, is_completed(status, moment)) == {
        "done",
        "done alt",
        "deleted done",
    }
    assert _names(backend, kinds, counts_as_completion(status, moment)) == {
        "done",
        "done alt",
        "deleted done",
        "recurring, one occurrence done",
    }


def test_the_sql_agrees_with_the_enum(backend: Backend, kinds: dict[str, int]) -> None:
    status, moment = items_table.c.status, items_table.c.completed_at
    with backend.read() as conn:
        rows = conn.execute(
            select(
                items_table.c.status,
                items_table.c.completed_at,
                is_open(status),
                is_done(status),
                is_completed(status, moment),
                counts_as_completion(status, moment),
            ).where(items_table.c.id.in_(kinds.values()))
        ).all()
    for value, at, is_open_, is_done_, completed_, counts in rows:
        kind = Status(value)
        assert bool(is_open_) is not kind.is_closed
        assert bool(is_done_) is kind.is_done
        assert bool(completed_) is (kind.is_done and at is not None)
        assert bool(counts) is (kind is not Status.WONT_DO and at is not None)


def test_the_two_completion_readings(backend: Backend, user_id: int, kinds: dict[str, int]) -> None:
    """The completed list shows completed tasks; the streaks and "completed today" count
    every completion on record, a recurring task's occurrence included; neither counts a
    deleted task or "won't do"."""
    with backend.read() as conn:
        listed = {row["id"] for row in completed.history(conn, user_id, limit=50)}
        on_record = completed.moments(conn, user_id)
        user = users.get(conn, user_id)
        recurring = items.get(conn, user_id, kinds["recurring, one occurrence done"])
        today = users.completed_today(conn, user, recurring["completed_at"])
    assert listed == {kinds["done"], kinds["done alt"]}
    assert len(on_record) == 3
    assert today == 1  # the recurring occurrence, completed now; the others in 2030
