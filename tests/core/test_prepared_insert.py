"""A prepared insert writes what SQLAlchemy's INSERT writes (the same defaults, the same
converted values) and fails as it fails, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from taskhaven.core import marks, projects
from taskhaven.core.backend import Backend
from taskhaven.core.ids import new_oid
from taskhaven.store.prepared import PreparedInsert
from taskhaven.store.schema import items

PREPARED = PreparedInsert(items)

# Text both databases store as given (PostgreSQL refuses NUL).
_text = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=40)
_moment = st.datetimes(
    min_value=datetime(1970, 1, 2), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
).map(lambda moment: moment.replace(microsecond=0))
# Optional columns: each present or left to its default.
_optional = st.fixed_dictionaries(
    {},
    optional={
        "description": st.none() | _text,
        "due_at": st.none() | _moment,
        "all_day": st.booleans(),
        "priority": st.integers(1, 4),
        "labels": st.lists(_text, max_size=3),
        "checklist": st.lists(st.fixed_dictionaries({"title": _text, "done": st.booleans()})),
        "collapsed": st.booleans(),
        "day_order": st.integers(-1, 10_000),
        "item_order": st.integers(-(2**40), 2**40),
    },
)


def _base(user_id: int, project_id: int, content: str, seq: int) -> dict[str, Any]:
    now = datetime.now(UTC).replace(microsecond=0)
    return {
        "oid": new_oid(),
        "user_id": user_id,
        "project_id": project_id,
        "content": content,
        "created_at": now,
        "modified_at": now + timedelta(seconds=1),
        "seq": seq,
    }


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=_text, optional=_optional)
def test_the_row_written_is_sqlalchemys(
    backend: Backend, user_id: int, content: str, optional: dict[str, Any]
) -> None:
    with backend.write(user_id) as unit:
        inbox = int(projects.inbox(unit.conn, user_id)["id"])
        ours = {**_base(user_id, inbox, content, unit.stamp()), **optional}
        theirs = {**_base(user_id, inbox, content, unit.stamp()), **optional}
        our_id = unit.insert(PREPARED, ours)
        their_id = unit.conn.execute(insert(items), theirs).inserted_primary_key[0]  # type: ignore[index]
    with backend.read() as conn:
        got = {
            row["id"]: dict(row)
            for row in conn.execute(select(items).where(items.c.id.in_([our_id, their_id])))
            .mappings()
            .all()
        }
    ignored = {"id", "oid", "seq"}
    assert {k: v for k, v in got[our_id].items() if k not in ignored} == {
        k: v for k, v in got[their_id].items() if k not in ignored
    }
    assert got[our_id]["oid"] == ours["oid"]
    assert got[our_id]["seq"] == ours["seq"]


def test_a_refused_row_raises_sqlalchemys_error_without_its_values(
    backend: Backend, user_id: int
) -> None:
    """A duplicate ``oid`` is SQLAlchemy's ``IntegrityError`` (what command handlers catch),
    naming neither the row's values nor parameters; the transaction goes on after the
    savepoint rolls back, on PostgreSQL too."""
    secret = "content-that-must-not-be-logged"
    with backend.write(user_id) as unit:
        inbox = int(projects.inbox(unit.conn, user_id)["id"])
        first = _base(user_id, inbox, secret, unit.stamp())
        unit.insert(PREPARED, first)
        with pytest.raises(IntegrityError) as raised, unit.savepoint():
            unit.insert(PREPARED, {**first, "seq": unit.stamp()})
        assert secret not in str(raised.value)
        assert first["oid"] not in str(raised.value)
        kept = unit.insert(PREPARED, _base(user_id, inbox, "after", unit.stamp()))
    with backend.read() as conn:
        found = conn.execute(select(items.c.content).where(items.c.id == kept)).scalar_one()
    assert found == "after"


def test_an_unknown_column_is_refused(backend: Backend, user_id: int) -> None:
    with backend.write(user_id) as unit, pytest.raises(KeyError, match="no_such_column"):
        unit.insert(PREPARED, {"no_such_column": 1})


def test_the_table_is_noted_for_the_marks(backend: Backend, user_id: int) -> None:
    """The driver-level insert is no SQLAlchemy statement: the unit notes its table itself,
    or the user's items mark would miss the row and an incremental sync would skip it."""
    with backend.read() as conn:
        before = marks.read(conn, user_id)
    with backend.write(user_id) as unit:
        inbox = int(projects.inbox(unit.conn, user_id)["id"])
        seq = unit.stamp()
        unit.insert(PREPARED, _base(user_id, inbox, "noted", seq))
    with backend.read() as conn:
        after = marks.read(conn, user_id)
    assert before is not None and after is not None
    assert after["items"] >= seq > before["items"]
