"""A member's own view of a shared project: its place in their project list, its depth
there and whether it is folded.

A project list is personal (the Sync API's ``item_order`` and ``indent`` place a project
in one user's list, ``collapsed`` folds it there; TickTick's ``sortOrder`` likewise), so a
member's change of these writes their membership row, never the project row the owner
and the other members read. Everything else about the project (its name, colour, its
items) is the project's, the same for everyone.

Invariant: a member's view change stamps the project row (``rows.touch``), so the
member's next incremental read carries the project; other members get it again
unchanged, which merging by id makes harmless. The membership row's own ``seq`` is not
touched: it means "membership changed" (core/visibility.py) and would resend the whole
project.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, RowMapping, select, update

from taskhaven.core import rows
from taskhaven.core.backend import Unit
from taskhaven.core.rows import Row
from taskhaven.core.visibility import ACTIVE
from taskhaven.store.schema import project_members, projects

# The project fields each member has for themself.
PERSONAL = ("item_order", "indent", "collapsed")


def _memberships(conn: Connection, user_id: int, project_ids: list[int]) -> dict[int, RowMapping]:
    if not project_ids:
        return {}
    query = select(project_members).where(
        project_members.c.user_id == user_id,
        project_members.c.state == ACTIVE,
        project_members.c.project_id.in_(project_ids),
    )
    return {int(row["project_id"]): row for row in conn.execute(query).mappings()}


def seen_by(conn: Connection, user_id: int, found: Iterable[Row]) -> list[Row]:
    """Project rows as the user sees them: on a project they are a member of (not its
    owner), their own place, depth and folding where they set one."""
    listed = list(found)
    theirs = [int(row["id"]) for row in listed if row["user_id"] != user_id]
    mine = _memberships(conn, user_id, theirs)
    if not mine:
        return listed
    out: list[Row] = []
    for row in listed:
        member = mine.get(int(row["id"])) if row["user_id"] != user_id else None
        own = {} if member is None else {k: member[k] for k in PERSONAL if member[k] is not None}
        out.append({**row, **own} if own else row)
    return out


def seen_in(
    conn: Connection, user_id: int, found: Iterator[Sequence[Any]], names: list[str]
) -> Iterator[Sequence[Any]]:
    """``seen_by`` for the lean read's tuples of the columns ``names`` (which must hold
    ``id`` and ``user_id``): the user's own view fields over a shared project's."""
    listed = list(found)
    at_id, at_owner = names.index("id"), names.index("user_id")
    theirs = [int(row[at_id]) for row in listed if row[at_owner] != user_id]
    mine = _memberships(conn, user_id, theirs)
    places = [(names.index(key), key) for key in PERSONAL if key in names]
    for row in listed:
        member = mine.get(int(row[at_id])) if row[at_owner] != user_id else None
        if member is not None:
            values = list(row)
            for at, key in places:
                if member[key] is not None:
                    values[at] = member[key]
            row = tuple(values)
        yield row


def seen_one(conn: Connection, user_id: int, row: Row) -> Row:
    return seen_by(conn, user_id, [row])[0]


def split(unit: Unit, project: Row, values: Mapping[str, Any]) -> dict[str, Any]:
    """Write the caller's own view fields of a project they are a member of to their
    membership row; return the rest (the project's fields, for the project row).

    The owner's view is the project row itself, so for the owner nothing is split off.
    """
    rest = dict(values)
    if project["user_id"] == unit.user_id:
        return rest
    own = {key: rest.pop(key) for key in PERSONAL if key in rest}
    if own:
        unit.conn.execute(
            update(project_members)
            .where(
                project_members.c.project_id == project["id"],
                project_members.c.user_id == unit.user_id,
                project_members.c.state == ACTIVE,
            )
            .values(**own)
        )
        if not rest:
            rows.touch(unit, projects, int(project["id"]), {})
    return rest


def on_join(unit: Unit, member_id: int) -> None:
    """A new member's view: the project goes to the end of their list, unfolded, at the
    top level."""
    unit.conn.execute(
        update(project_members)
        .where(project_members.c.id == member_id)
        .values(
            item_order=rows.next_order(unit.conn, projects, unit.user_id),
            indent=1,
            collapsed=False,
        )
    )


def owner_view(project: Row) -> dict[str, Any]:
    """The owner's view (the project row's), to keep when the owner becomes a member."""
    return {key: project[key] for key in PERSONAL}
