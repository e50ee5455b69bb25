"""Projects (TickTick: lists): create, change, archive and delete, with their items."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Connection, RowMapping, select, update

from taskhaven.core import columns, member_view, rows, tree
from taskhaven.core.backend import Unit
from taskhaven.core.errors import Forbidden, InvalidArgument, NotFound
from taskhaven.core.ids import inbox_oid
from taskhaven.core.limits import MAX_INDENT
from taskhaven.store.schema import items, notes, projects, reminders

MAX_NAME = columns.length("projects", "name")
KINDS = ("TASK", "NOTE")
VIEW_MODES = ("list", "kanban", "timeline")


def check_name(name: Any) -> str:
    return rows.text(name, "name", max_length=MAX_NAME)


def check_indent(indent: Any) -> int:
    if isinstance(indent, bool) or not isinstance(indent, int) or not 1 <= indent <= MAX_INDENT:
        raise InvalidArgument("indent")
    return indent


def check_order(value: Any, argument: str = "item_order") -> int:
    return rows.order(value, argument)


def get(conn: Connection, user_id: int, project_id: int, *, live: bool = True) -> RowMapping:
    """A project the user owns; ``live`` also rejects deleted ones."""
    return rows.owned(conn, projects, user_id, project_id, "project", live=live)


def by_oid(conn: Connection, user_id: int, oid: str, *, live: bool = True) -> RowMapping:
    return rows.owned_by_oid(conn, projects, user_id, oid, "project", live=live)


def inbox(conn: Connection, user_id: int) -> RowMapping:
    row = (
        conn.execute(
            select(projects).where(projects.c.user_id == user_id, projects.c.is_inbox.is_(True))
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound("project")
    return row


def by_name(conn: Connection, user_id: int, name: str) -> RowMapping | None:
    """The user's live, unarchived project with this name, ignoring case (the first in list
    order when several share it); compared with ``casefold`` as label names are."""
    wanted = name.casefold()
    found = rows.live(
        conn,
        projects,
        user_id,
        projects.c.is_archived.is_(False),
        order_by=(projects.c.item_order, projects.c.id),
    )
    for row in found:
        if row["name"].casefold() == wanted:
            return row
    return None


def by_ref(conn: Connection, user_id: int, ref: str | None) -> RowMapping:
    """The live project a V1/V2 client names by string id; None or ``inbox<user id>`` is the
    Inbox. Another user's inbox id is "not found", as any id of theirs is."""
    if ref is None or ref == inbox_oid(user_id):
        return inbox(conn, user_id)
    if ref.startswith("inbox"):
        raise NotFound("project")
    return by_oid(conn, user_id, ref)


def cache_key(project_id: int | None) -> tuple[str, int | None]:
    """The key ``live`` caches a project row under in a unit (None: the inbox)."""
    return ("projects", project_id)


def live(unit: Unit, project_id: int | None) -> RowMapping:
    """``get`` (``inbox`` when ``project_id`` is None) through the unit's cache: a batch
    adding many items to one project reads the project once (see ``Unit.cached``)."""
    key = cache_key(project_id)
    row: RowMapping | None = unit.cached(key)
    if row is None:
        if project_id is None:
            row = inbox(unit.conn, unit.user_id)
        else:
            row = get(unit.conn, unit.user_id, project_id)
        unit.cache(key, row)
    return row


def add(
    unit: Unit,
    *,
    name: Any,
    color: str | None = None,
    indent: Any = 1,
    item_order: Any = None,
    oid: str | None = None,
    group_id: int | None = None,
    kind: str | None = None,
    view_mode: str | None = None,
) -> RowMapping:
    """Create a project; ``oid`` is a client-chosen string id (kept when free)."""
    values: dict[str, Any] = {
        "name": check_name(name),
        "color": rows.color(color),
        "indent": check_indent(indent),
        "item_order": (
            rows.next_order(unit.conn, projects, unit.user_id)
            if item_order is None
            else check_order(item_order)
        ),
        "group_id": group_id,
        "kind": _check_kind(kind),
        "view_mode": _check_view_mode(view_mode),
        "created_at": unit.now,
    }
    return get(unit.conn, unit.user_id, rows.create(unit, projects, oid, values))


def upsert_by_oid(unit: Unit, oid: str, changes: Mapping[str, Any]) -> RowMapping:
    """Add a project under ``oid`` with ``changes`` (``update_project``'s fields); when the
    user already has a live project with that id, update it instead (a client retrying an
    add that did reach the server must not see it fail)."""
    current = rows.live_by_oid(unit.conn, projects, unit.user_id, oid)
    if current is not None:
        return update_project(unit, current["id"], changes)
    row = add(
        unit,
        name=changes.get("name"),
        color=changes.get("color"),
        item_order=changes.get("item_order"),
        oid=oid,
        group_id=changes.get("group_id"),
        kind=changes.get("kind"),
        view_mode=changes.get("view_mode"),
    )
    if changes.get("muted"):  # not a field of a new project's insert
        row = update_project(unit, row["id"], {"muted": True})
    return row


def _check_kind(kind: str | None) -> str:
    if kind is None:
        return "TASK"
    upper = kind.upper()
    if upper not in KINDS:
        raise InvalidArgument("kind")
    return upper


def _check_view_mode(view_mode: str | None) -> str | None:
    if view_mode is not None and view_mode not in VIEW_MODES:
        raise InvalidArgument("viewMode")
    return view_mode


# The fields ``update_project`` accepts (core names), each with its check. ``group_id`` is
# taken as given: the adapters resolve it to one of the user's groups first.
_CHECKS: dict[str, Callable[[Any], Any]] = {
    "name": check_name,
    "color": rows.color,
    "indent": check_indent,
    "item_order": check_order,
    "collapsed": bool,
    "group_id": lambda value: value,
    "kind": _check_kind,
    "view_mode": _check_view_mode,
    "muted": bool,
}


def update_project(unit: Unit, project_id: int, changes: Mapping[str, Any]) -> RowMapping:
    """Update the given fields (already in core names) of a live project."""
    row = get(unit.conn, unit.user_id, project_id)
    values = rows.checked(changes, _CHECKS)
    if row["is_inbox"] and "name" in values and values["name"] != row["name"]:
        raise Forbidden("The Inbox cannot be renamed")
    # A member's place, depth and folding are their own (core/member_view.py).
    values = member_view.split(unit, row, values)
    if values:
        _touch(unit, project_id, values)
    return get(unit.conn, unit.user_id, project_id)


def _touch(unit: Unit, project_id: int, values: Mapping[str, Any]) -> None:
    rows.touch(unit, projects, project_id, values)


def _owner_only(unit: Unit, row: RowMapping) -> None:
    """Deleting and archiving a shared project are its owner's (a member leaves instead:
    core/sharing.py ``delete_project``)."""
    if row["user_id"] != unit.user_id:
        raise Forbidden("Only the owner can do this to a shared project")


def subtree(conn: Connection, user_id: int, project_id: int) -> list[int]:
    """The project and the projects indented under it (the v6 flat-tree rule)."""
    listing = conn.execute(
        select(projects.c.id, projects.c.indent)
        .where(projects.c.user_id == user_id, projects.c.is_deleted.is_(False))
        .order_by(projects.c.item_order, projects.c.id)
    ).all()
    return tree.indented_block(listing, project_id) or [project_id]


def delete(unit: Unit, project_id: int) -> None:
    """Soft-delete a project and everything in it.

    The projects indented under it stay: the v6 server deleted only the ids it was given
    (deleting descendants too arrived with a later API generation), and clients that want
    the subtree gone send its ids.
    """
    row = get(unit.conn, unit.user_id, project_id)
    if row["is_inbox"]:
        raise Forbidden("The Inbox cannot be deleted")
    _owner_only(unit, row)
    _touch(unit, project_id, {"is_deleted": True})
    delete_contents(unit, project_id)


def delete_contents(unit: Unit, project_id: int) -> None:
    """Every item, note and reminder of the project goes out once as deleted."""
    item_ids = [
        r
        for (r,) in unit.conn.execute(
            select(items.c.id).where(
                items.c.project_id == project_id, items.c.is_deleted.is_(False)
            )
        )
    ]
    if item_ids:
        unit.conn.execute(
            update(items)
            .where(items.c.id.in_(item_ids))
            .values(is_deleted=True, seq=unit.stamp(), modified_at=unit.now)
        )
        unit.conn.execute(
            update(reminders)
            .where(reminders.c.item_id.in_(item_ids), reminders.c.is_deleted.is_(False))
            .values(is_deleted=True, seq=unit.stamp())
        )
    unit.conn.execute(
        update(notes)
        .where(notes.c.project_id == project_id, notes.c.is_deleted.is_(False))
        .values(is_deleted=True, seq=unit.stamp())
    )


def set_archived(unit: Unit, project_id: int, archived: bool) -> None:
    """Archive (or restore) a project with its sub-projects; their items follow."""
    row = get(unit.conn, unit.user_id, project_id)
    if row["is_inbox"]:
        raise Forbidden("The Inbox cannot be archived")
    _owner_only(unit, row)
    for pid in subtree(unit.conn, unit.user_id, project_id):
        _touch(unit, pid, {"is_archived": archived, "archived_at": unit.now if archived else None})
        unit.conn.execute(
            update(items)
            .where(items.c.project_id == pid, items.c.is_deleted.is_(False))
            .values(is_archived=archived, seq=unit.stamp(), modified_at=unit.now)
        )
        unit.conn.execute(
            update(notes)
            .where(notes.c.project_id == pid, notes.c.is_deleted.is_(False))
            .values(is_archived=archived, seq=unit.stamp())
        )


def set_order_indent(unit: Unit, project_id: int, item_order: Any, indent: Any) -> None:
    row = get(unit.conn, unit.user_id, project_id)
    values = {"item_order": check_order(item_order), "indent": check_indent(indent)}
    values = member_view.split(unit, row, values)
    if values:
        _touch(unit, project_id, values)
