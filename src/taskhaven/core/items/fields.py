"""Item field values: the checks both protocols share, and the limits they enforce."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select

from taskhaven.core import columns, item_labels, projects, visibility, zones
from taskhaven.core.backend import Unit
from taskhaven.core.errors import InvalidArgument, InvalidDateArgument, NotFound
from taskhaven.core.items.lookups import get
from taskhaven.core.limits import DATE_LANGS, MAX_BIGINT, MAX_INT32, MAX_PER_ITEM
from taskhaven.core.rows import Row
from taskhaven.store.schema import items, labels

KINDS = ("TEXT", "NOTE", "CHECKLIST")


MAX_CONTENT = columns.length("items", "content")


MAX_DATE_STRING = columns.length("items", "date_string")


MAX_RULE = columns.length("items", "repeat_flag")


# Every field ``add`` and ``update_item`` understand (core names = ``items`` columns).
FIELDS = frozenset(
    {
        "description",
        "kind",
        "date_string",
        "date_lang",
        "due_at",
        "all_day",
        "start_at",
        "time_zone",
        "is_floating",
        "repeat_flag",
        "repeat_from",
        "priority",
        "progress",
        "indent",
        "item_order",
        "day_order",
        "collapsed",
        "labels",
        "checklist",
        "assigned_by_uid",
        "responsible_uid",
        "parent_id",
        "status",
        "completed_at",
    }
)


DATE_KEYS = frozenset({"date_string", "due_at", "all_day", "repeat_flag"})


def check_text(value: Any, argument: str, max_length: int) -> str:
    # PostgreSQL refuses NUL in text; refusing it here keeps both databases in agreement.
    if not isinstance(value, str) or len(value) > max_length or columns.refused(value):
        raise InvalidArgument(argument)
    return value


def check_bool(value: Any, argument: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise InvalidArgument(argument)


def check_int(value: Any, argument: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidArgument(argument)
    return value


def check_moment(value: Any, argument: str) -> datetime | None:
    """An aware datetime, stored in UTC; a naive one is a caller's bug, reported as such."""
    if value is None:
        return None
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise InvalidArgument(argument, f"Invalid argument value: {argument} (aware datetime)")
    try:
        return value.astimezone(UTC)
    except OverflowError as exc:
        raise InvalidDateArgument(argument) from exc


def _zone_name(value: Any, argument: str = "time_zone") -> str | None:
    if value is None or value == "":
        return None
    check_text(value, argument, zones.MAX_ZONE_NAME)
    return zones.check(value, argument)


def check_priority(value: Any) -> int:
    """1..4, 4 the most urgent (the Sync API's scale; TickTick's 0/1/3/5 maps onto it)."""
    return check_int(value, "priority", 1, 4)


def check_content(value: Any) -> str:
    return check_text(value, "content", MAX_CONTENT)


def _kind(value: Any) -> str:
    if value is None:
        return "TEXT"
    if not isinstance(value, str) or value.upper() not in KINDS:
        raise InvalidArgument("kind")
    return value.upper()


def check_date_lang(value: Any) -> str:
    if value is None or value == "":
        return "en"
    if not isinstance(value, str) or value not in DATE_LANGS:
        raise InvalidArgument("date_lang")
    return value


def check_repeat_flag(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return check_text(value, "repeat_flag", MAX_RULE)


def _labels(conn: Connection, user_id: int, value: Any, item_id: int | None) -> list[int]:
    """Label ids, each a live label of the user; duplicates collapse, order is kept. Other
    users' labels on the item stay (labels are personal: core/item_labels.py)."""
    if not isinstance(value, list | tuple) or len(value) > MAX_PER_ITEM:
        raise InvalidArgument("labels")
    wanted: list[int] = []
    for label_id in value:
        check_int(label_id, "labels", 1, MAX_BIGINT)
        if label_id not in wanted:
            wanted.append(label_id)
    if wanted:
        live = set(
            conn.execute(
                select(labels.c.id).where(
                    labels.c.user_id == user_id,
                    labels.c.id.in_(wanted),
                    labels.c.is_deleted.is_(False),
                )
            ).scalars()
        )
        if any(label_id not in live for label_id in wanted):
            raise NotFound("label")
    return item_labels.merged(conn, user_id, item_id, wanted)


def _checklist(value: Any) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_PER_ITEM:
        raise InvalidArgument("checklist")
    if not all(isinstance(entry, dict) for entry in value):
        raise InvalidArgument("checklist")
    return list(value)


def _uid(conn: Connection, value: Any, argument: str, project_id: int) -> int | None:
    """A user who sees the project (its owner or an active member): only they can be
    responsible for, or have assigned, one of its items."""
    if value is None:
        return None
    check_int(value, argument, 1, MAX_BIGINT)
    if int(value) not in visibility.members_of(conn, project_id):
        raise NotFound("user", "User not found (not a member of the project)")
    return int(value)


def _parent(
    conn: Connection, user_id: int, value: Any, *, item_id: int | None, project_id: int
) -> int | None:
    """A live item of the user in the same project, and never one of the item's own
    descendants (that would make the tree a cycle)."""
    if value is None:
        return None
    check_int(value, "parent_id", 1, MAX_BIGINT)
    parent = get(conn, user_id, value)
    if parent["project_id"] != project_id:
        raise InvalidArgument("parent_id", "Invalid argument value: parent_id (other project)")
    ancestor: Row | None = parent
    for _ in range(1000):
        if ancestor is None:
            break
        if item_id is not None and ancestor["id"] == item_id:
            raise InvalidArgument("parent_id", "Invalid argument value: parent_id (a cycle)")
        above = ancestor["parent_id"]
        ancestor = (
            None
            if above is None
            else conn.execute(select(items).where(items.c.id == above)).mappings().first()
        )
    return int(value)


def plain_fields(
    unit: Unit, fields: Mapping[str, Any], *, item_id: int | None, project_id: int
) -> dict[str, Any]:
    """Checked column values for every field that needs no other field to be understood."""
    conn = unit.conn
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "description":
            out[key] = None if value is None else check_text(value, key, MAX_CONTENT)
        elif key == "kind":
            out[key] = _kind(value)
        elif key == "start_at":
            out[key] = check_moment(value, key)
        elif key == "time_zone":
            out[key] = _zone_name(value)
        elif key in ("is_floating", "collapsed"):
            out[key] = check_bool(value, key)
        elif key == "repeat_from":
            out[key] = None if value is None else check_int(value, key, 0, 2)
        elif key == "priority":
            out[key] = check_priority(value)
        elif key == "progress":
            out[key] = None if value is None else check_int(value, key, 0, 100)
        elif key == "indent":
            out[key] = projects.check_indent(value)
        elif key == "item_order":
            out[key] = projects.check_order(value)
        elif key == "day_order":
            out[key] = check_int(value, key, -1, MAX_INT32)
        elif key == "labels":
            out[key] = _labels(conn, unit.user_id, value, item_id)
        elif key == "checklist":
            out[key] = _checklist(value)
        elif key in ("assigned_by_uid", "responsible_uid"):
            out[key] = _uid(conn, value, key, project_id)
        elif key == "parent_id":
            out[key] = _parent(conn, unit.user_id, value, item_id=item_id, project_id=project_id)
    if "responsible_uid" in out and "assigned_by_uid" not in out:
        out["assigned_by_uid"] = None if out["responsible_uid"] is None else unit.user_id
    return out


def check_names(fields: Iterable[str], extra: Iterable[str] = ()) -> None:
    """Unknown names are a caller's (adapter's) bug, not a user's mistake."""
    if not fields:
        return
    unknown = set(fields) - FIELDS - set(extra)
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
