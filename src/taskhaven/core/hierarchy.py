"""Sub-tasks: ``parent_id`` links, kept consistent with the Sync API's flat tree.

The Sync API has no parent field: a project is a list ordered by ``item_order`` in which an
item's children are the entries after it with a larger ``indent``. Both views describe the
same tree because every change made here keeps this invariant within a project:

* a child has ``indent`` = its parent's + 1 (top-level tasks have 1, the deepest 4);
* a task's subtree (itself and its descendants) is contiguous in ``item_order``, right after
  its parent's entry and earlier children.

Parent and child always live in the same project. Every row whose parent, indent or order
changes is stamped, so incremental readers of either protocol see the move.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, RowMapping, select, update

from taskhaven.core import rows, tree, visibility
from taskhaven.core.backend import Unit
from taskhaven.core.errors import InvalidArgument, NotFound
from taskhaven.core.limits import IN_CHUNK, MAX_INDENT
from taskhaven.store.schema import items


@dataclass
class _Node:
    id: int
    parent_id: int | None
    indent: int
    item_order: int


def _item(conn: Connection, user_id: int, item_id: int) -> RowMapping:
    row = (
        conn.execute(select(items).where(items.c.id == item_id, visibility.scope(items, user_id)))
        .mappings()
        .first()
    )
    if row is None or row["is_deleted"]:
        raise NotFound("item")
    return row


def _project_nodes(conn: Connection, user_id: int, project_id: int) -> list[_Node]:
    """The project's live tasks in list order (ties broken by id, as every reader does)."""
    query = (
        select(items.c.id, items.c.parent_id, items.c.indent, items.c.item_order)
        .where(
            visibility.scope(items, user_id),
            items.c.project_id == project_id,
            items.c.is_deleted.is_(False),
        )
        .order_by(items.c.item_order, items.c.id)
    )
    return [_Node(*row) for row in conn.execute(query)]


def _subtree(nodes: list[_Node], root: int) -> list[_Node]:
    """``root`` and its descendants by ``parent_id``, in list order."""
    wanted = tree.linked_descendants(((node.id, node.parent_id) for node in nodes), root)
    return [node for node in nodes if node.id in wanted]


def descendants(conn: Connection, user_id: int, item_id: int) -> list[int]:
    row = _item(conn, user_id, item_id)
    nodes = _project_nodes(conn, user_id, row["project_id"])
    return [n.id for n in _subtree(nodes, item_id) if n.id != item_id]


def children(conn: Connection, user_id: int, item_id: int) -> list[RowMapping]:
    """Live direct children in list order."""
    order = (items.c.item_order, items.c.id)
    return rows.live(conn, items, user_id, items.c.parent_id == item_id, order_by=order)


def child_oids(conn: Connection, user_id: int, parent_ids: Iterable[int]) -> dict[int, list[str]]:
    """For each of ``parent_ids``, the string ids of its live children in list order."""
    wanted = list(set(parent_ids))
    result: dict[int, list[str]] = {}
    for start in range(0, len(wanted), IN_CHUNK):
        query = (
            select(items.c.parent_id, items.c.oid)
            .where(
                visibility.scope(items, user_id),
                items.c.parent_id.in_(wanted[start : start + IN_CHUNK]),
                items.c.is_deleted.is_(False),
            )
            .order_by(items.c.item_order, items.c.id)
        )
        for parent_id, oid in conn.execute(query):
            result.setdefault(parent_id, []).append(oid)
    return result


def set_parent(unit: Unit, child_id: int, parent_id: int) -> None:
    """Make ``child_id`` (with its own sub-tasks) the last child of ``parent_id``."""
    child = _item(unit.conn, unit.user_id, child_id)
    parent = _item(unit.conn, unit.user_id, parent_id)
    if child["project_id"] != parent["project_id"]:
        raise InvalidArgument("parentId", "A sub-task must be in its parent's project")
    nodes = _project_nodes(unit.conn, unit.user_id, child["project_id"])
    moving = _subtree(nodes, child_id)
    if any(node.id == parent_id for node in moving):
        raise InvalidArgument("parentId", "A task cannot become a sub-task of itself")
    by_id = {node.id: node for node in nodes}
    depth = by_id[parent_id].indent + 1
    delta = depth - by_id[child_id].indent
    if max(node.indent for node in moving) + delta > MAX_INDENT:
        raise InvalidArgument("parentId", f"Sub-tasks nest at most {MAX_INDENT} levels deep")
    rest = [node for node in nodes if node not in moving]
    anchor = _subtree(rest, parent_id)[-1]
    _place(unit, rest, moving, after=anchor, delta=delta, parents={child_id: parent_id})
    if child["parent_id"] != parent_id:
        # A parent's list of children is part of what V2 readers see of it.
        _stamp(unit, [parent_id, child["parent_id"]])


def unset_parent(unit: Unit, child_id: int) -> int | None:
    """Make ``child_id`` a top-level task placed after its old top-level ancestor's
    subtree (so the flat tree stays valid); returns the old parent's id."""
    child = _item(unit.conn, unit.user_id, child_id)
    old_parent = child["parent_id"]
    if old_parent is None:
        return None
    nodes = _project_nodes(unit.conn, unit.user_id, child["project_id"])
    by_id = {node.id: node for node in nodes}
    moving = _subtree(nodes, child_id)
    rest = [node for node in nodes if node not in moving]
    root = old_parent
    seen = {child_id}
    while root in by_id and by_id[root].parent_id is not None and root not in seen:
        seen.add(root)
        root = by_id[root].parent_id  # type: ignore[assignment]
    anchor = _subtree(rest, root)[-1] if root in by_id else None
    delta = 1 - by_id[child_id].indent
    _place(unit, rest, moving, after=anchor, delta=delta, parents={child_id: None})
    _stamp(unit, [old_parent])
    return int(old_parent)


def _stamp(unit: Unit, item_ids: Iterable[int | None]) -> None:
    wanted = [item_id for item_id in item_ids if item_id is not None]
    if wanted:
        unit.conn.execute(
            update(items)
            .where(visibility.scope(items, unit.user_id), items.c.id.in_(wanted))
            .values(seq=unit.stamp(), modified_at=unit.now)
        )


def _place(
    unit: Unit,
    rest: list[_Node],
    moving: list[_Node],
    *,
    after: _Node | None,
    delta: int,
    parents: dict[int, int | None],
) -> None:
    """Put ``moving`` right after ``after`` in ``rest`` and write what changed.

    Orders are kept where possible: the moved block takes the numbers after the anchor's, and
    only the entries behind it that would collide are shifted (each of them stamped).
    """
    position = rest.index(after) + 1 if after is not None else len(rest)
    before = rest[position - 1].item_order if position > 0 else 0
    wanted: dict[int, tuple[int, int, int | None]] = {}
    order = before
    for node in moving:
        order += 1
        parent = parents.get(node.id, node.parent_id)
        wanted[node.id] = (order, node.indent + delta, parent)
    # Shift the tail only as far as needed to stay strictly after the moved block.
    for node in rest[position:]:
        if node.item_order > order:
            break
        order += 1
        wanted[node.id] = (order, node.indent, node.parent_id)
    current = {node.id: node for node in [*rest, *moving]}
    for node_id, (item_order, indent, parent) in wanted.items():
        node = current[node_id]
        if (node.item_order, node.indent, node.parent_id) == (item_order, indent, parent):
            continue
        unit.conn.execute(
            update(items)
            .where(items.c.id == node_id)
            .values(
                item_order=item_order,
                indent=indent,
                parent_id=parent,
                seq=unit.stamp(),
                modified_at=unit.now,
            )
        )
