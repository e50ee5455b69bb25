"""Idempotency records and temporary ids: what makes retried command batches safe.

Invariant: a command uuid is recorded in the same transaction as the command's effects,
so after a crash either both exist or neither does, and a retry runs it at most once.
``CommandLog`` keeps that invariant for a whole batch with a handful of statements: one
read of every uuid up front, one write of every record just before the commit.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from taskhaven.core.backend import Unit
from taskhaven.core.limits import IN_CHUNK
from taskhaven.store.schema import command_results, temp_ids


@dataclass(frozen=True)
class StoredResult:
    status: Any
    temp_id: str | None
    object_id: int | None


def resolve_temp_id(conn: Connection, user_id: int, temp_id: str) -> int | None:
    """Temp ids stay resolvable across requests: offline clients refer to earlier ones."""
    return conn.execute(
        select(temp_ids.c.object_id).where(
            temp_ids.c.user_id == user_id, temp_ids.c.temp_id == temp_id
        )
    ).scalar()


_RESULTS = select(command_results).where(
    command_results.c.user_id == bindparam("user_id"),
    command_results.c.uuid.in_(bindparam("uuids", expanding=True)),
)
_TEMP_IDS = select(temp_ids.c.temp_id).where(
    temp_ids.c.user_id == bindparam("user_id"),
    temp_ids.c.temp_id.in_(bindparam("wanted", expanding=True)),
)
_REMAP_TEMP_ID = (
    update(temp_ids)
    .where(
        temp_ids.c.user_id == bindparam("b_user_id"), temp_ids.c.temp_id == bindparam("b_temp_id")
    )
    .values(object_id=bindparam("b_object_id"), created_at=bindparam("b_created_at"))
)


def _chunks(values: Sequence[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), IN_CHUNK):
        yield list(values[start : start + IN_CHUNK])


class CommandLog:
    """The idempotency records of one command batch, read and written in bulk.

    A uuid remembered earlier in the batch is recalled (a batch may repeat a uuid), and the
    newest mapping of a temp id wins. ``flush`` writes the records into the unit's
    transaction; the caller flushes before the commit, so the invariant of this module
    holds (also for failed commands, which are remembered like the rest).
    Race: none between the read and the write: the unit holds the change-counter lock
    from before the read until the commit, so no other batch of this user runs between.
    """

    def __init__(self, unit: Unit, uuids: Iterable[str]) -> None:
        self._unit = unit
        self._stored: dict[str, StoredResult] = {}
        wanted = list(dict.fromkeys(uuids))
        for chunk in _chunks(wanted):
            rows = unit.conn.execute(_RESULTS, {"user_id": unit.user_id, "uuids": chunk})
            for row in rows:
                self._stored[row.uuid] = StoredResult(row.status, row.temp_id, row.object_id)
        self._fresh: dict[str, StoredResult] = {}
        self._results: list[dict[str, Any]] = []
        self._temp_ids: dict[str, int] = {}

    def recall(self, uuid: str) -> StoredResult | None:
        fresh = self._fresh.get(uuid)
        if fresh is not None:
            # The uuid came earlier in this batch: its status as if read back from the
            # table (a JSON round trip), like a retry in a later request.
            return StoredResult(
                json.loads(json.dumps(fresh.status)), fresh.temp_id, fresh.object_id
            )
        return self._stored.get(uuid)

    def remember(self, uuid: str, status: Any, temp_id: str | None, object_id: int | None) -> None:
        self._results.append(
            {
                "user_id": self._unit.user_id,
                "uuid": uuid,
                "status": status,
                "temp_id": temp_id,
                "object_id": object_id,
                "created_at": self._unit.now,
            }
        )
        self._fresh[uuid] = StoredResult(status, temp_id, object_id)

    def record_temp_id(self, temp_id: str, object_id: int) -> None:
        # A client may reuse a temp id (a retry with a new uuid); the newest mapping wins.
        self._temp_ids[temp_id] = object_id

    def flush(self) -> None:
        """Write what the batch remembered, in as few statements as the rows allow."""
        conn, user_id, now = self._unit.conn, self._unit.user_id, self._unit.now
        if self._results:
            conn.execute(insert(command_results), self._results)
            self._results = []
        if not self._temp_ids:
            return
        wanted = list(self._temp_ids)
        existing: set[str] = set()
        for chunk in _chunks(wanted):
            existing.update(
                conn.execute(_TEMP_IDS, {"user_id": user_id, "wanted": chunk}).scalars()
            )
        fresh = [
            {"user_id": user_id, "temp_id": t, "object_id": o, "created_at": now}
            for t, o in self._temp_ids.items()
            if t not in existing
        ]
        remapped = [
            {"b_user_id": user_id, "b_temp_id": t, "b_object_id": o, "b_created_at": now}
            for t, o in self._temp_ids.items()
            if t in existing
        ]
        if fresh:
            conn.execute(insert(temp_ids), fresh)
        if remapped:
            conn.execute(_REMAP_TEMP_ID, remapped)
        self._temp_ids = {}
