"""Live notifications: one recipient's record of what happened in the projects they share.

Each is a row with its own ``seq``: a change to one (an invitation accepted, a read mark)
stamps it, so it comes back in the recipient's next incremental read. The user's
notification settings switch kinds off: a kind whose push notifications the recipient turned
off is not recorded (invitations addressed to the recipient are always recorded, they are
the only way to learn an invitation's secret).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, RowMapping, insert, select, update

from taskhaven.core import users, visibility
from taskhaven.core.backend import Unit
from taskhaven.core.errors import InvalidArgument, NotFound
from taskhaven.core.limits import MAX_BIGINT, check_within
from taskhaven.core.rows import Row
from taskhaven.store.schema import live_notifications


def _enabled(conn: Connection, user_id: int, kind: str) -> bool:
    if kind not in users.NOTIFICATION_TYPES:
        return True
    return users.notification_settings(users.get(conn, user_id))[kind]["notify_push"]


def notify(
    unit: Unit,
    recipient: int,
    kind: str,
    *,
    project_id: int | None = None,
    invitation_id: int | None = None,
    state: str | None = None,
    data: dict[str, Any] | None = None,
) -> int | None:
    """Record one notification for ``recipient`` from the unit's user; None when the
    recipient switched the kind off or is the unit's user."""
    if recipient == unit.user_id and kind != "share_invitation_sent":
        return None
    if not _enabled(unit.conn, recipient, kind):
        return None
    return int(
        unit.conn.execute(
            insert(live_notifications)
            .values(
                user_id=recipient,
                kind=kind,
                from_uid=unit.user_id,
                project_id=project_id,
                invitation_id=invitation_id,
                state=state,
                data=data or {},
                is_unread=True,
                is_deleted=False,
                created_at=unit.now,
                seq=unit.stamp(),
            )
            .returning(live_notifications.c.id)
        ).scalar_one()
    )


def update_for_invitation(
    unit: Unit, invitation_id: int, *, state: str | None = None, deleted: bool = False
) -> None:
    """Change the invitee's ``share_invitation_sent`` for this invitation (stamped)."""
    values: dict[str, Any] = {"seq": unit.stamp()}
    if state is not None:
        values["state"] = state
    if deleted:
        values["is_deleted"] = True
    unit.conn.execute(
        update(live_notifications)
        .where(
            live_notifications.c.invitation_id == invitation_id,
            live_notifications.c.kind == "share_invitation_sent",
        )
        .values(**values)
    )


def rows_since(
    conn: Connection, user_id: int, since: int, at_most: int | None = None
) -> list[RowMapping]:
    """The user's notifications, newest change first (a full read leaves deleted ones out).
    With ``at_most``: at most that many, or ``ReadTooLarge``."""
    table = live_notifications
    query = select(table).where(table.c.user_id == user_id)
    if since > 0:
        query = query.where(table.c.seq > since)
    else:
        query = query.where(table.c.is_deleted.is_(False))
    query = query.order_by(table.c.seq.desc(), table.c.id.desc())
    if at_most is None:
        return list(conn.execute(query).mappings())
    found = list(conn.execute(query.limit(at_most + 1)).mappings())
    check_within(found, at_most, "live_notifications")
    return found


def mark(unit: Unit, notification_id: Any, *, unread: bool) -> None:
    if (
        isinstance(notification_id, bool)
        or not isinstance(notification_id, int)
        or not 0 < notification_id <= MAX_BIGINT
    ):
        raise InvalidArgument("id")
    done = unit.conn.execute(
        update(live_notifications)
        .where(
            live_notifications.c.id == notification_id,
            live_notifications.c.user_id == unit.user_id,
        )
        .values(is_unread=unread, seq=unit.stamp())
    )
    if done.rowcount == 0:
        raise NotFound("live_notification", "Live notification not found")


def mark_all_read(unit: Unit) -> None:
    unit.conn.execute(
        update(live_notifications)
        .where(
            live_notifications.c.user_id == unit.user_id,
            live_notifications.c.is_unread.is_(True),
        )
        .values(is_unread=False, seq=unit.stamp())
    )


# What happens in a shared project, told to the other members -------------------------------


def _others(unit: Unit, project_id: int, wanted: list[int] | None = None) -> list[int]:
    """The project's members other than the unit's user (none for an unshared project);
    ``wanted`` narrows them (a removed member is not told)."""
    members = visibility.members_of(unit.conn, project_id)
    if len(members) < 2:
        return []
    chosen = members if wanted is None else [uid for uid in wanted if uid in members]
    return [uid for uid in dict.fromkeys(chosen) if uid != unit.user_id]


def note_added(unit: Unit, note: Row) -> None:
    if note["item_id"] is None:
        return
    for uid in _others(unit, note["project_id"]):
        notify(
            unit,
            uid,
            "note_added",
            project_id=note["project_id"],
            data={
                "item_id": note["item_id"],
                "note_id": note["id"],
                "note_content": note["content"],
            },
        )


def _item_data(row: Row) -> dict[str, Any]:
    return {
        "item_id": row["id"],
        "item_content": row["content"],
        "assigned_by_uid": row["assigned_by_uid"],
        "responsible_uid": row["responsible_uid"],
    }


def item_assigned(unit: Unit, row: Row) -> None:
    """Tell the newly responsible member (unless they assigned it to themselves)."""
    if row["responsible_uid"] is None:
        return
    for uid in _others(unit, row["project_id"], [int(row["responsible_uid"])]):
        notify(unit, uid, "item_assigned", project_id=row["project_id"], data=_item_data(row))


def item_completed(unit: Unit, row: Row, *, completed: bool) -> None:
    """Tell the item's author and its responsible member that someone else (un)checked it."""
    wanted = [int(row["author_id"] or row["user_id"])]
    if row["responsible_uid"] is not None:
        wanted.append(int(row["responsible_uid"]))
    kind = "item_completed" if completed else "item_uncompleted"
    for uid in _others(unit, row["project_id"], wanted):
        notify(unit, uid, kind, project_id=row["project_id"], data=_item_data(row))
