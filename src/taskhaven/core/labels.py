"""Labels (TickTick: tags): named, coloured markers that items refer to by id.

A label's ``name`` is unique per user among live labels, compared case-insensitively,
because TickTick identifies a tag by its lowercased name. ``parent`` is the name of another
label (TickTick nests tags); ``raw_name`` is the name a label had before its first rename.

Labels are personal, also on the tasks of a shared project: each member sees their own
labels there (core/item_labels.py).

Invariant: a task shows its labels' names (TickTick's ``tags``), so renaming or deleting a
label also gives every item carrying it a fresh ``seq`` in the same unit, shared items
included.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, RowMapping, select

from taskhaven.core import columns, rows, visibility
from taskhaven.core import items as core_items
from taskhaven.core.backend import Unit
from taskhaven.core.errors import Conflict, InvalidArgument
from taskhaven.core.items import writing as item_writes
from taskhaven.store.schema import items, labels

MAX_NAME = columns.length("labels", "name")
SORT_TYPES = ("project", "title", "tag")


def get(conn: Connection, user_id: int, label_id: int, *, live: bool = True) -> RowMapping:
    return rows.owned(conn, labels, user_id, label_id, "label", live=live)


def by_oid(conn: Connection, user_id: int, oid: str, *, live: bool = True) -> RowMapping:
    return rows.owned_by_oid(conn, labels, user_id, oid, "label", live=live)


def live(conn: Connection, user_id: int) -> list[RowMapping]:
    """The user's live labels in their list order."""
    return rows.live(conn, labels, user_id, order_by=(labels.c.item_order, labels.c.id))


def by_name(conn: Connection, user_id: int, name: str) -> RowMapping | None:
    """The live label with this name, ignoring case.

    Compared in Python with ``casefold``: SQLite's ``lower()`` folds ASCII only, so an SQL
    comparison would disagree between the two databases for names like "Ärger".
    """
    wanted = name.casefold()
    for row in live(conn, user_id):
        if row["name"].casefold() == wanted:
            return row
    return None


def _check_name(name: Any) -> str:
    return rows.text(name, "name", max_length=MAX_NAME).strip()


def _check_unique(conn: Connection, user_id: int, name: str, own_id: int | None) -> None:
    # Race: two writers adding the same name. Writers hold the change-counter lock until
    # they commit (store/counter.py), so the check and the write cannot interleave.
    found = by_name(conn, user_id, name)
    if found is not None and found["id"] != own_id:
        raise Conflict(f"Label already exists: {found['name']}", argument="name")


def _check_parent(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return rows.text(value, "parent", max_length=MAX_NAME)


def _check_raw_name(value: Any) -> str | None:
    return None if value is None else _check_name(value)


def _check_sort_type(value: Any) -> str:
    if value not in SORT_TYPES:
        raise InvalidArgument("sort_type")
    return str(value)


# The fields ``update_label`` accepts (core names), each with its check.
_CHECKS: dict[str, Callable[[Any], Any]] = {
    "name": _check_name,
    "color": rows.color,
    "item_order": rows.order,
    "parent": _check_parent,
    "raw_name": _check_raw_name,
    "sort_type": _check_sort_type,
}


def add(
    unit: Unit,
    *,
    name: Any,
    color: str | None = None,
    item_order: Any = None,
    parent: str | None = None,
    raw_name: str | None = None,
    sort_type: str = "project",
    oid: str | None = None,
) -> RowMapping:
    clean = _check_name(name)
    _check_unique(unit.conn, unit.user_id, clean, None)
    values: dict[str, Any] = {
        "name": clean,
        "color": rows.color(color),
        "item_order": (
            rows.next_order(unit.conn, labels, unit.user_id)
            if item_order is None
            else rows.order(item_order)
        ),
        "parent": _check_parent(parent),
        "raw_name": _check_raw_name(raw_name),
        "sort_type": _check_sort_type(sort_type),
    }
    return get(unit.conn, unit.user_id, rows.create(unit, labels, oid, values))


def update_label(unit: Unit, label_id: int, changes: Mapping[str, Any]) -> RowMapping:
    """Update the given fields (core names); unknown keys are ignored."""
    row = get(unit.conn, unit.user_id, label_id)
    values = rows.checked(changes, _CHECKS)
    if "name" in values and values["name"] != row["name"]:
        _check_unique(unit.conn, unit.user_id, values["name"], label_id)
        _reparent(unit, row["name"], values["name"])
        core_items.stamp(unit, [item_id for item_id, _ in _carrying(unit, label_id)])
    _touch(unit, label_id, values)
    return get(unit.conn, unit.user_id, label_id)


def ensure(unit: Unit, names: Iterable[str], *, shown: Callable[[str], str]) -> list[int]:
    """Label ids for ``names``, creating the labels that do not exist yet (TickTick creates
    a tag the first time a task carries it); duplicates collapse, order is kept.

    ``names`` are in the form ``shown`` gives a label's name (TickTick: the tag name), so
    a name finds the label a client of that family sees under it.
    """
    index: dict[str, int] = {}
    for row in live(unit.conn, unit.user_id):
        index.setdefault(shown(row["name"]), row["id"])
    found: list[int] = []
    for name in names:
        label_id = index.get(name)
        if label_id is None:
            label_id = index[name] = add(unit, name=name)["id"]
        if label_id not in found:
            found.append(label_id)
    return found


def rename(unit: Unit, label_id: int, new_name: Any) -> RowMapping:
    """Rename, remembering the original name in ``raw_name`` (TickTick's ``rawName``)."""
    row = get(unit.conn, unit.user_id, label_id)
    changes: dict[str, Any] = {"name": new_name}
    if row["raw_name"] is None:
        changes["raw_name"] = row["name"]
    return update_label(unit, label_id, changes)


def _touch(unit: Unit, label_id: int, values: Mapping[str, Any]) -> None:
    rows.touch(unit, labels, label_id, values)


def _reparent(unit: Unit, old_name: str, new_name: str | None) -> None:
    """Children name their parent; follow a rename, or detach them when it is deleted."""
    folded = old_name.casefold()
    for child in live(unit.conn, unit.user_id):
        if child["parent"] is not None and child["parent"].casefold() == folded:
            _touch(unit, child["id"], {"parent": new_name})


def set_order(unit: Unit, label_id: int, item_order: Any) -> None:
    get(unit.conn, unit.user_id, label_id)
    _touch(unit, label_id, {"item_order": rows.order(item_order)})


def delete(unit: Unit, label_id: int) -> None:
    """Soft-delete; every item carrying the label loses it and goes out as changed (also
    an item of a shared project: the item is the user's to see, the label theirs)."""
    row = get(unit.conn, unit.user_id, label_id)
    _touch(unit, label_id, {"is_deleted": True})
    _reparent(unit, row["name"], None)
    for item_id, item_labels in _carrying(unit, label_id):
        item_writes.touch(unit, item_id, {"labels": [x for x in item_labels if x != label_id]})


def _carrying(unit: Unit, label_id: int) -> list[tuple[int, list[int]]]:
    """(id, labels) of the live items the user sees that carry the label: their own and
    those of the shared projects they are a member of (core/item_labels.py).

    The labels column is a JSON list, which neither database can index portably, so the
    labelled items are filtered here. Renaming or deleting a label is rare; a scan is fine.
    """
    found = unit.conn.execute(
        select(items.c.id, items.c.labels).where(
            visibility.scope(items, unit.user_id), items.c.is_deleted.is_(False)
        )
    ).all()
    return [(item_id, list(ids)) for item_id, ids in found if ids and label_id in ids]
