"""Quick searches over a user's open items: by day, overdue, priority, label or project.

Each query string is classified once (``classify``) and then run against the user's
unchecked, live items of live, unarchived projects. A string no kind understands is
reported as ``UNKNOWN`` with no matches rather than failing its neighbours.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Connection, RowMapping, select

from taskhaven.core import columns, item_labels, labels, projects, visibility
from taskhaven.core.dates import InvalidDate, parse_date_string
from taskhaven.core.errors import InvalidArgument
from taskhaven.core.rows import Row
from taskhaven.core.status import is_open
from taskhaven.store.schema import items
from taskhaven.store.schema import projects as projects_table

DATE = "date"
OVERDUE = "overdue"
PRIORITY = "priority"
LABEL = "label"
PROJECT = "project"
UNKNOWN = "unknown"
KINDS = (DATE, OVERDUE, PRIORITY, LABEL, PROJECT, UNKNOWN)

MAX_QUERIES = 50
MAX_QUERY_LENGTH = columns.QUERY.limit
_PRIORITY = re.compile(r"^p([1-4])$", re.IGNORECASE)


@dataclass(frozen=True)
class Query:
    text: str
    kind: str
    day: date | None = None
    priority: int | None = None  # core numbering: 4 is the most urgent ("p1")
    name: str | None = None
    with_subprojects: bool = False


@dataclass(frozen=True)
class Result:
    query: Query
    items: Sequence[Row]


def classify(text: str, *, tz: ZoneInfo, now: datetime, next_week_day: int = 1) -> Query:
    """What a query string asks for; dates are read in the user's zone."""
    stripped = text.strip()
    lowered = stripped.casefold()
    if lowered in ("overdue", "od"):
        return Query(text, OVERDUE)
    if match := _PRIORITY.match(stripped):
        # The apps' "p1" is the most urgent, which the data model stores as 4.
        return Query(text, PRIORITY, priority=5 - int(match[1]))
    if stripped.startswith("@") and stripped[1:].strip():
        return Query(text, LABEL, name=stripped[1:].strip())
    if stripped.startswith("##") and stripped[2:].strip():
        return Query(text, PROJECT, name=stripped[2:].strip(), with_subprojects=True)
    if stripped.startswith("#") and stripped[1:].strip():
        return Query(text, PROJECT, name=stripped[1:].strip())
    try:
        due = parse_date_string(stripped, tz=tz, now=now, next_week_day=next_week_day)
    except (InvalidDate, ValueError):
        return Query(text, UNKNOWN)
    if due is None:
        return Query(text, UNKNOWN)
    return Query(text, DATE, day=due.moment.astimezone(tz).date())


def check_queries(raw: object) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(q, str) for q in raw):
        raise InvalidArgument(
            "queries", "Invalid argument value: queries (a JSON array of strings)"
        )
    if len(raw) > MAX_QUERIES:
        raise InvalidArgument("queries", f"Invalid argument value: queries (at most {MAX_QUERIES})")
    if any(len(q) > MAX_QUERY_LENGTH for q in raw):
        raise InvalidArgument(
            "queries", f"Invalid argument value: queries (each at most {MAX_QUERY_LENGTH} long)"
        )
    return raw


def _open_items(conn: Connection, user_id: int, *where: ColumnElement[bool]) -> list[RowMapping]:
    live_projects = select(projects_table.c.id).where(
        projects_table.c.user_id == user_id,
        projects_table.c.is_deleted.is_(False),
        projects_table.c.is_archived.is_(False),
    )
    query = select(items).where(
        visibility.scope(items, user_id),
        items.c.is_deleted.is_(False),
        is_open(items.c.status),
        items.c.in_history.is_(False),
        items.c.project_id.in_(live_projects),
        *where,
    )
    return list(conn.execute(query).mappings())


def _by_due(rows: list[RowMapping]) -> list[RowMapping]:
    return sorted(rows, key=lambda r: (r["due_at"], r["day_order"], r["item_order"], r["id"]))


def _by_order(rows: list[RowMapping]) -> list[RowMapping]:
    return sorted(rows, key=lambda r: (r["project_id"], r["item_order"], r["id"]))


def local_day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC moments a local calendar day starts and ends at.

    Always UTC: SQLite stores datetimes without their offset, so a bound in another zone
    would be compared by its wall-clock digits.
    """
    start = datetime.combine(day, time(0, 0), tz).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0, 0), tz).astimezone(UTC)
    return start, end


def _project_ids(conn: Connection, user_id: int, query: Query) -> list[int]:
    assert query.name is not None
    wanted = query.name.casefold()
    found = [
        pid
        for pid, name in conn.execute(
            select(projects_table.c.id, projects_table.c.name).where(
                projects_table.c.user_id == user_id, projects_table.c.is_deleted.is_(False)
            )
        )
        if name.casefold() == wanted
    ]
    if not query.with_subprojects:
        return found
    every: list[int] = []
    for pid in found:
        every.extend(p for p in projects.subtree(conn, user_id, pid) if p not in every)
    return every


def run_one(conn: Connection, user_id: int, query: Query, *, tz: ZoneInfo, now: datetime) -> Result:
    if query.kind == OVERDUE:
        rows = _open_items(
            conn, user_id, items.c.due_at.is_not(None), items.c.due_at < now.astimezone(UTC)
        )
        return Result(query, _by_due(rows))
    if query.kind == DATE:
        assert query.day is not None
        start, end = local_day_bounds(query.day, tz)
        rows = _open_items(conn, user_id, items.c.due_at >= start, items.c.due_at < end)
        return Result(query, _by_due(rows))
    if query.kind == PRIORITY:
        return Result(
            query, _by_order(_open_items(conn, user_id, items.c.priority == query.priority))
        )
    if query.kind == LABEL:
        assert query.name is not None
        label = labels.by_name(conn, user_id, query.name)
        if label is None:
            return Result(query, [])
        # Label ids live in a JSON list, which the two databases query differently; the
        # open items are filtered here instead.
        rows = [r for r in _open_items(conn, user_id) if label["id"] in (r["labels"] or [])]
        return Result(query, _by_order(rows))
    if query.kind == PROJECT:
        ids = _project_ids(conn, user_id, query)
        if not ids:
            return Result(query, [])
        return Result(query, _by_order(_open_items(conn, user_id, items.c.project_id.in_(ids))))
    return Result(query, [])


def run(
    conn: Connection,
    user_id: int,
    texts: Sequence[str],
    *,
    tz: ZoneInfo,
    now: datetime,
    next_week_day: int = 1,
) -> list[Result]:
    """One result per query string, in the order given; each item shows the user's own
    labels (core/item_labels.py)."""
    out = []
    for text in texts:
        query = classify(text, tz=tz, now=now, next_week_day=next_week_day)
        result = run_one(conn, user_id, query, tz=tz, now=now)
        out.append(Result(result.query, item_labels.seen_by(conn, user_id, result.items)))
    return out
