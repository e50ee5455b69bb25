"""The answer to a sync that finds nothing new, rendered once per state of the account.

A polling client sends the same sync again and again. When nothing it can see changed
since its number (``sync.needs_rows`` is false), the answer depends only on the user row
and the marks (both in ``Start.content``), the token, the resource types asked for, and the
user's local date and UTC offset (``completed_today``, ``tz_offset``): on everything but
the cursor. It is rendered once, kept in ``backend.remembered`` under those, and every
answer is the cursor written in front of the kept bytes.

Invariant: the key holds everything the kept bytes were rendered from. Collaborator lists
are the one part read from other rows; they are kept under the projects and collaborators
marks already (``reader.collaborators``), and those marks are part of ``Start.content``.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date, datetime, timedelta

import orjson
from starlette.responses import Response

from taskhaven.api.todoist.v6.sync import read
from taskhaven.core import reader, zones
from taskhaven.core.backend import Backend, utcnow
from taskhaven.observability import metrics


def _clock(timezone: str, now: datetime) -> tuple[date, timedelta | None, timedelta | None]:
    """What of ``now`` the answer shows: the user's local date, UTC offset and DST."""
    local = now.astimezone(zones.zone_or_utc(timezone))
    return local.date(), local.utcoffset(), local.dst()


def answer(
    backend: Backend,
    start: reader.Start,
    types: frozenset[str],
    since: int,
    day_orders_timestamp: str | None,
) -> Response:
    """The answer to a sync ``needs_rows`` found nothing new for."""
    now = utcnow()
    key: Hashable | None = None
    if start.content is not None:
        clock = _clock(start.user["timezone"], now)
        key = ("v6 unchanged", start.content, start.token, types, clock)
    kept: tuple[bytes, int] | None = backend.remembered.get(key) if key is not None else None
    if kept is None:
        out = read(
            backend,
            start.user,
            types,
            since,
            day_orders_timestamp,
            start.token,
            start,
            backend.loop_read,
            now=now,
        )
        del out["seq_no"], out["seq_no_global"]
        objects = sum(len(value) for value in out.values() if isinstance(value, list))
        # The object without its opening brace: what follows the cursor's two fields
        # (``UserId`` is always there, so it is never empty).
        kept = (orjson.dumps(out)[1:], objects)
        if key is not None:
            backend.remembered.put(key, kept)
    rest, objects = kept
    metrics.observe_sync_objects(objects, full=False)
    cursor = start.cursor
    return Response(
        b'{"seq_no":%d,"seq_no_global":%d,%s' % (cursor, cursor, rest),
        media_type="application/json",
    )
