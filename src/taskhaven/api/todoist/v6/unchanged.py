"""The parts of a sync answer that do not change between polls, rendered once.

A polling client sends the same sync again and again. Most of each answer depends only on
the user row and the marks (both in ``Start.content``), the token, the resource types
asked for, and the user's local date and UTC offset (``completed_today``, ``tz_offset``):
the User object, the collaborator lists, the notification settings (``sync.start_fields``).
Those are rendered once and kept in ``backend.remembered`` under what they were rendered
from; an answer is the cursor and the changed rows written in front of the kept bytes.
When nothing changed, the changed rows are the empty lists of the types asked for, kept
too.

Invariant: the key holds everything the kept bytes were rendered from. Collaborator lists
are the one part read from other rows; they are kept under the projects and collaborators
marks already (``reader.collaborators``), and those marks are part of ``Start.content``.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date, datetime, timedelta
from typing import Any

import orjson
from starlette.responses import Response

from taskhaven.api.todoist.v6.sync import read, start_fields
from taskhaven.core import reader, zones
from taskhaven.core.backend import Backend, utcnow
from taskhaven.observability import metrics

# A kept part: JSON object members without the braces (empty when there are none), and
# how many objects its lists hold (for the sync-size metric).
Part = tuple[bytes, int]


def _clock(timezone: str, now: datetime) -> tuple[date, timedelta | None, timedelta | None]:
    """What of ``now`` the answer shows: the user's local date, UTC offset and DST."""
    local = now.astimezone(zones.zone_or_utc(timezone))
    return local.date(), local.utcoffset(), local.dst()


def _members(fields: dict[str, Any]) -> Part:
    objects = sum(len(value) for value in fields.values() if isinstance(value, list))
    return orjson.dumps(fields)[1:-1], objects


def _key(start: reader.Start, types: frozenset[str], now: datetime) -> Hashable | None:
    """What the start's fields are kept under (None: not to be kept)."""
    if start.content is None:
        return None
    clock = _clock(start.user["timezone"], now)
    return ("v6 start fields", start.content, start.token, types, clock)


def _kept_fields(
    backend: Backend, start: reader.Start, types: frozenset[str], now: datetime
) -> Part:
    """``sync.start_fields`` as JSON members, kept under the start's content."""
    key = _key(start, types, now)
    kept: Part | None = backend.remembered.get(key) if key is not None else None
    if kept is not None:
        return kept
    token = start.token or ""
    with reader.Lazy(backend.loop_read) as db:
        part = _members(start_fields(backend, db, start, types, token, now))
    if key is not None:
        backend.remembered.put(key, part)
    return part


def _answer(cursor: int, user_id: int, parts: list[Part]) -> Response:
    head = b'{"seq_no":%d,"seq_no_global":%d,"UserId":%d' % (cursor, cursor, user_id)
    body = b",".join([head, *(members for members, _objects in parts if members)])
    metrics.observe_sync_objects(sum(objects for _members, objects in parts), full=False)
    return Response(body + b"}", media_type="application/json")


def answer(
    backend: Backend,
    start: reader.Start,
    types: frozenset[str],
    since: int,
    day_orders_timestamp: str | None,
) -> Response:
    """The answer to a sync ``needs_rows`` found nothing new for: the empty lists of the
    types asked for (kept per set of types), then the kept fields."""
    now = utcnow()
    shape = ("v6 empty lists", types)
    empty: Part | None = backend.remembered.get(shape)
    if empty is None:
        # Every kind is skipped: no statement runs, only the lists' shape is made.
        head = read(backend, start.user, types, since, day_orders_timestamp, start.token,
                    start, backend.loop_read, now=now, with_start_fields=False)  # fmt: skip
        for name in ("seq_no", "seq_no_global", "UserId"):
            del head[name]
        empty = _members(head)
        backend.remembered.put(shape, empty)
    fields = _kept_fields(backend, start, types, now)
    return _answer(start.cursor, int(start.user["id"]), [empty, fields])


def with_changes(
    backend: Backend, start: reader.Start, types: frozenset[str], head: dict[str, Any]
) -> Response:
    """The answer to a sync whose changed rows ``head`` holds (a read without its start
    fields, ``seq_no`` and ``UserId`` first): those rows, then the kept fields."""
    cursor, user_id = head.pop("seq_no"), head.pop("UserId")
    del head["seq_no_global"]
    fields = _kept_fields(backend, start, types, utcnow())
    return _answer(cursor, user_id, [_members(head), fields])
