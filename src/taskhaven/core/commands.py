"""Idempotency records and temporary ids: what makes retried command batches safe.

Invariant: a command uuid is recorded in the same transaction as the command's effects,
so after a crash either both exist or neither does, and a retry runs it at most once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select

from taskhaven.core.backend import Unit
from taskhaven.store.schema import command_results, temp_ids


@dataclass(frozen=True)
class StoredResult:
    status: Any
    temp_id: str | None
    object_id: int | None


def recall(conn: Connection, user_id: int, uuid: str) -> StoredResult | None:
    row = conn.execute(
        select(command_results).where(
            command_results.c.user_id == user_id, command_results.c.uuid == uuid
        )
    ).first()
    if row is None:
        return None
    return StoredResult(status=row.status, temp_id=row.temp_id, object_id=row.object_id)


def remember(
    unit: Unit, uuid: str, status: Any, temp_id: str | None, object_id: int | None
) -> None:
    unit.conn.execute(
        insert(command_results).values(
            user_id=unit.user_id,
            uuid=uuid,
            status=status,
            temp_id=temp_id,
            object_id=object_id,
            created_at=unit.now,
        )
    )


def resolve_temp_id(conn: Connection, user_id: int, temp_id: str) -> int | None:
    """Temp ids stay resolvable across requests: offline clients refer to earlier ones."""
    return conn.execute(
        select(temp_ids.c.object_id).where(
            temp_ids.c.user_id == user_id, temp_ids.c.temp_id == temp_id
        )
    ).scalar()


def record_temp_id(unit: Unit, temp_id: str, object_id: int) -> None:
    # A client may reuse a temp id (a retry with a new uuid); the newest mapping wins.
    existing = resolve_temp_id(unit.conn, unit.user_id, temp_id)
    if existing is not None:
        unit.conn.execute(
            temp_ids.update()
            .where(temp_ids.c.user_id == unit.user_id, temp_ids.c.temp_id == temp_id)
            .values(object_id=object_id, created_at=unit.now)
        )
        return
    unit.conn.execute(
        insert(temp_ids).values(
            user_id=unit.user_id, temp_id=temp_id, object_id=object_id, created_at=unit.now
        )
    )
