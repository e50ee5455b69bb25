"""Each user's labels on an item: labels are personal, also on a shared item.

An item's ``labels`` column holds label ids of any user who labelled it: in a shared
project every member labels a task with their own labels, and each member sees only
theirs (the Sync API v6 model, where labels were personal; TickTick's ``tags`` follow,
so the three protocols agree). A write replaces the writer's ids and keeps everyone
else's; a read shows the reader's live labels and nothing else, so no client receives a
label id it cannot resolve. Nothing moves when ownership or membership changes: a
member who leaves keeps their ids on the items, unseen, until they see the items again.

Invariant: a label change that alters what a member sees (a rename, a deletion, a label
added or removed on a task) stamps the items concerned (core/labels.py, the item writes).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, select

from taskhaven.core.rows import Row
from taskhaven.store.schema import items, labels


def mine(conn: Connection, user_id: int) -> frozenset[int]:
    """The ids of the user's live labels."""
    query = select(labels.c.id).where(labels.c.user_id == user_id, labels.c.is_deleted.is_(False))
    return frozenset(int(label_id) for label_id in conn.execute(query).scalars())


def shown(stored: Sequence[int] | None, own: frozenset[int]) -> list[int]:
    """What a user with live labels ``own`` sees of an item's stored ids."""
    return [label_id for label_id in stored or [] if label_id in own]


def seen_by(conn: Connection, user_id: int, found: Iterable[Row]) -> list[Row]:
    """Item rows as the user sees them: their ``labels`` reduced to the user's live labels.

    A row that already shows only the user's labels is passed on as it is (an account
    that shares nothing pays one small query, and only when some row has labels).
    """
    rows = list(found)
    if not any(row["labels"] for row in rows):
        return rows
    own = mine(conn, user_id)
    out: list[Row] = []
    for row in rows:
        stored = row["labels"] or []
        if all(label_id in own for label_id in stored):
            out.append(row)
        else:
            out.append({**row, "labels": shown(stored, own)})
    return out


def seen_in(
    conn: Connection, user_id: int, found: Iterator[Sequence[Any]], at: int
) -> Iterator[Sequence[Any]]:
    """``seen_by`` for the lean read's tuples, whose ``labels`` is at position ``at``: a
    tuple whose labels are all the user's passes unchanged (no copy)."""
    own: frozenset[int] | None = None
    for row in found:
        stored = row[at]
        if stored:
            if own is None:
                own = mine(conn, user_id)
            if not all(label_id in own for label_id in stored):
                row = (*row[:at], tuple(shown(stored, own)), *row[at + 1 :])
        yield row


def seen_one(conn: Connection, user_id: int, row: Row) -> Row:
    return seen_by(conn, user_id, [row])[0]


def merged(conn: Connection, user_id: int, item_id: int | None, wanted: list[int]) -> list[int]:
    """The ids to store when the user sets their labels on an item to ``wanted``: other
    users' labels on it stay (a member's labels are not another member's to remove)."""
    if item_id is None:
        return wanted
    stored = conn.execute(select(items.c.labels).where(items.c.id == item_id)).scalar()
    if not stored:
        return wanted
    theirs = set(
        conn.execute(
            select(labels.c.id).where(labels.c.id.in_(list(stored)), labels.c.user_id != user_id)
        ).scalars()
    )
    kept = [label_id for label_id in stored if label_id in theirs]
    return kept + [label_id for label_id in wanted if label_id not in kept]
