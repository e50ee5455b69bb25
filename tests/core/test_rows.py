"""core/rows.py: the lookups every kind shares are scoped to the caller and to live rows."""

from __future__ import annotations

import pytest

from taskhaven.core import labels, rows, users
from taskhaven.core.backend import Backend
from taskhaven.core.errors import NotFound
from taskhaven.store.schema import labels as labels_table
from tests.conftest import PASSWORD, new_email


def test_lookups_see_only_the_callers_live_rows(backend: Backend, user_id: int) -> None:
    other, _token = users.register(backend, email=new_email(), password=PASSWORD)
    with backend.write(user_id) as unit:
        second = labels.add(unit, name="second", item_order=2)
        first = labels.add(unit, name="first", item_order=1)
        gone = labels.add(unit, name="gone", item_order=0)
        labels.delete(unit, gone["id"])
    with backend.write(int(other["id"])) as unit:
        theirs = labels.add(unit, name="theirs")
    order = (labels_table.c.item_order, labels_table.c.id)
    with backend.read() as conn:
        found = rows.live(conn, labels_table, user_id, order_by=order)
        assert [r["id"] for r in found] == [first["id"], second["id"]]
        named = rows.live(
            conn, labels_table, user_id, labels_table.c.name == "second", order_by=order
        )
        assert [r["id"] for r in named] == [second["id"]]
        for lookup, key in ((rows.owned, "id"), (rows.owned_by_oid, "oid")):
            assert lookup(conn, labels_table, user_id, first[key], "label")["id"] == first["id"]
            with pytest.raises(NotFound):
                lookup(conn, labels_table, user_id, theirs[key], "label")
            with pytest.raises(NotFound):
                lookup(conn, labels_table, user_id, gone[key], "label")
            kept = lookup(conn, labels_table, user_id, gone[key], "label", live=False)
            assert kept["is_deleted"]
