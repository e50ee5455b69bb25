"""Shared projects: invitations, members, ownership, and what each member is told.

The owner of a project is ``projects.user_id``; the rows of ``project_members`` are the
invitations and memberships of everyone else (core/visibility.py says who sees what).
Every change here stamps what a member's client shows for it: the membership row (so the
member's next incremental read gains or loses the project's contents), the project (its
``shared`` flag and, for every member, "something about this project changed") and the
notifications involved.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, RowMapping, insert, select, update

from taskhaven.core import member_view, notifications, projects, rows, users, visibility
from taskhaven.core.backend import Unit
from taskhaven.core.errors import Forbidden, InvalidArgument, NotFound
from taskhaven.core.limits import MAX_BIGINT
from taskhaven.core.visibility import ACTIVE, DELETED, INACTIVE, INVITED
from taskhaven.store.schema import items, notes, project_members
from taskhaven.store.schema import projects as projects_table
from taskhaven.store.schema import users as users_table


def _invitation(conn: Connection, invitation_id: Any) -> RowMapping:
    if (
        isinstance(invitation_id, bool)
        or not isinstance(invitation_id, int)
        or not 0 < invitation_id <= MAX_BIGINT
    ):
        raise NotFound("invitation", "Invitation not found")
    row = (
        conn.execute(select(project_members).where(project_members.c.id == invitation_id))
        .mappings()
        .first()
    )
    if row is None or row["state"] != INVITED:
        raise NotFound("invitation", "Invitation not found")
    return row


def _stamp_member(unit: Unit, member_id: int, **values: Any) -> None:
    unit.conn.execute(
        update(project_members)
        .where(project_members.c.id == member_id)
        .values(seq=unit.stamp(), **values)
    )


def _from_user(conn: Connection, user_id: int) -> dict[str, Any]:
    user = users.get(conn, user_id)
    return {
        "id": user["id"],
        "email": user["email"],
        "full_name": user["full_name"],
        "image_id": None,
    }


def members(conn: Connection, project_id: int) -> list[RowMapping]:
    """The project's invitations and memberships still standing (invited or active)."""
    query = (
        select(project_members)
        .where(
            project_members.c.project_id == project_id,
            project_members.c.state.in_([INVITED, ACTIVE]),
        )
        .order_by(project_members.c.id)
    )
    return list(conn.execute(query).mappings())


def active_member_ids(conn: Connection, project: RowMapping) -> list[int]:
    """Everyone who sees the project: its owner first, then the active members."""
    return visibility.members_of(conn, project["id"])


def _recompute_shared(unit: Unit, project_id: int) -> None:
    """``shared``: the project has a member or a pending invitation besides its owner;
    stamped (every member's client shows it) whenever it changes."""
    project = projects.get(unit.conn, unit.user_id, project_id, live=False)
    shared = any(row["user_id"] != project["user_id"] for row in members(unit.conn, project_id))
    rows.touch(unit, projects_table, project_id, {"shared": shared})


def _notify_members(
    unit: Unit, project: RowMapping, kind: str, skip: Iterable[int] = (), **data: Any
) -> None:
    for uid in active_member_ids(unit.conn, project):
        if uid not in skip:
            notifications.notify(unit, uid, kind, project_id=project["id"], data=data)


def share(unit: Unit, project_id: int, email: Any) -> int:
    """Invite ``email`` to the project; returns the invitation id. An address with no
    account yet is invited all the same: it accepts after registering."""
    if not isinstance(email, str):
        raise InvalidArgument("email")
    address = users.normalise_email(email)
    project = projects.get(unit.conn, unit.user_id, project_id)
    if project["is_inbox"]:
        raise Forbidden("The Inbox cannot be shared")
    invitee = users.by_email(unit.conn, address)
    invitee_id = None if invitee is None else int(invitee["id"])
    if invitee_id == project["user_id"]:
        return 0
    for row in members(unit.conn, project_id):
        if row["email"] == address or (invitee_id is not None and row["user_id"] == invitee_id):
            return int(row["id"])  # already a member, or already invited
    secret = secrets.token_hex(16)
    invitation_id = int(
        unit.conn.execute(
            insert(project_members)
            .values(
                project_id=project_id,
                user_id=invitee_id,
                email=address,
                state=INVITED,
                inviter_id=unit.user_id,
                secret=secret,
                created_at=unit.now,
                seq=unit.stamp(),
            )
            .returning(project_members.c.id)
        ).scalar_one()
    )
    if invitee_id is not None:
        _send_invitation(unit, invitee_id, invitation_id, secret, project)
    _recompute_shared(unit, project_id)
    return invitation_id


def _send_invitation(
    unit: Unit, invitee_id: int, invitation_id: int, secret: str, project: RowMapping
) -> None:
    notifications.notify(
        unit,
        invitee_id,
        "share_invitation_sent",
        project_id=project["id"],
        invitation_id=invitation_id,
        state=INVITED,
        data={
            "invitation_secret": secret,
            "project_name": project["name"],
            "from_user": _from_user(unit.conn, unit.user_id),
        },
    )


def deliver_pending(unit: Unit) -> None:
    """A new account picks up the invitations sent to its address before it existed."""
    user = users.get(unit.conn, unit.user_id)
    pending = unit.conn.execute(
        select(project_members).where(
            project_members.c.email == user["email"],
            project_members.c.user_id.is_(None),
            project_members.c.state == INVITED,
        )
    ).mappings()
    for row in list(pending):
        _stamp_member(unit, row["id"], user_id=unit.user_id)
        project = _project(unit.conn, row["project_id"])
        if project is None or project["is_deleted"]:
            continue
        notifications.notify(
            unit,
            unit.user_id,
            "share_invitation_sent",
            project_id=row["project_id"],
            invitation_id=row["id"],
            state=INVITED,
            data={
                "invitation_secret": row["secret"],
                "project_name": project["name"],
                "from_user": _from_user(unit.conn, row["inviter_id"]),
                "from_uid": row["inviter_id"],
            },
        )


def _mine(unit: Unit, invitation_id: Any, secret: Any) -> RowMapping:
    row = _invitation(unit.conn, invitation_id)
    user = users.get(unit.conn, unit.user_id)
    addressed = row["user_id"] == unit.user_id or (
        row["user_id"] is None and row["email"] == user["email"]
    )
    if (
        not addressed
        or not isinstance(secret, str)
        or not secrets.compare_digest(secret, row["secret"])
    ):
        raise NotFound("invitation", "Invitation not found")
    return row


def accept(unit: Unit, invitation_id: Any, secret: Any) -> None:
    """The invitee becomes a member: the project and its contents reach their next read
    (the membership row's new ``seq``); every member sees the project changed."""
    row = _mine(unit, invitation_id, secret)
    project = _project(unit.conn, row["project_id"])
    if project is None or project["is_deleted"]:
        raise NotFound("invitation", "Invitation not found")
    _stamp_member(unit, row["id"], state=ACTIVE, user_id=unit.user_id)
    member_view.on_join(unit, row["id"])
    notifications.update_for_invitation(unit, row["id"], state="accepted")
    notifications.notify(
        unit,
        row["inviter_id"],
        "share_invitation_accepted",
        project_id=project["id"],
        invitation_id=row["id"],
    )
    _recompute_shared(unit, project["id"])


def reject(unit: Unit, invitation_id: Any, secret: Any) -> None:
    row = _mine(unit, invitation_id, secret)
    user = users.get(unit.conn, unit.user_id)
    _stamp_member(unit, row["id"], state=DELETED, user_id=unit.user_id)
    notifications.update_for_invitation(unit, row["id"], state="rejected")
    notifications.notify(
        unit,
        row["inviter_id"],
        "share_invitation_rejected",
        project_id=row["project_id"],
        invitation_id=row["id"],
        data={"reject_email": user["email"]},
    )
    _recompute_shared_as(unit, row["project_id"])


def _project(conn: Connection, project_id: int) -> RowMapping | None:
    """The project whoever sees it (for rows whose user may not, or no longer)."""
    query = select(projects_table).where(projects_table.c.id == project_id)
    return conn.execute(query).mappings().first()


def _recompute_shared_as(unit: Unit, project_id: int) -> None:
    """``_recompute_shared`` for a project the unit's user may no longer see."""
    project = _project(unit.conn, project_id)
    if project is None:
        return
    shared = any(r["user_id"] != project["user_id"] for r in members(unit.conn, project_id))
    rows.touch(unit, projects_table, project_id, {"shared": shared})


def delete_invitation(unit: Unit, invitation_id: Any) -> None:
    """A member withdraws a pending invitation to a project they see."""
    row = _invitation(unit.conn, invitation_id)
    if not visibility.can_see_project(unit.conn, unit.user_id, row["project_id"]):
        raise NotFound("invitation", "Invitation not found")
    _stamp_member(unit, row["id"], state=DELETED)
    notifications.update_for_invitation(unit, row["id"], deleted=True)
    _recompute_shared(unit, row["project_id"])


def delete_collaborator(unit: Unit, project_id: int, email: Any) -> None:
    """Remove a member (or withdraw the address's invitation). The removed member's next
    read sends the project and its contents once, deleted; the others are told."""
    if not isinstance(email, str):
        raise InvalidArgument("email")
    address = users.normalise_email(email)
    project = projects.get(unit.conn, unit.user_id, project_id)
    user = users.by_email(unit.conn, address)
    if user is not None and user["id"] == project["user_id"]:
        raise Forbidden("The owner cannot be removed from a project")
    found = [
        row
        for row in members(unit.conn, project_id)
        if row["email"] == address or (user is not None and row["user_id"] == user["id"])
    ]
    if not found:
        raise NotFound("user", "User not found")
    for row in found:
        if row["state"] == ACTIVE:
            _stamp_member(unit, row["id"], state=INACTIVE)
        else:
            _stamp_member(unit, row["id"], state=DELETED)
            notifications.update_for_invitation(unit, row["id"], deleted=True)
    removed = next((row["user_id"] for row in found if row["state"] == ACTIVE), None)
    if removed is not None:
        kind = "user_left_project" if removed == unit.user_id else "user_removed_from_project"
        _notify_members(
            unit,
            project,
            kind,
            removed_uid=removed,
            removed_name=user["full_name"] if user is not None else address,
        )
    _recompute_shared_as(unit, project_id)


def leave(unit: Unit, project_id: int) -> None:
    """A member leaves a project they do not own (a member's "delete" of it)."""
    user = users.get(unit.conn, unit.user_id)
    delete_collaborator(unit, project_id, user["email"])


def is_owner(conn: Connection, user_id: int, project_id: int) -> bool:
    return bool(projects.get(conn, user_id, project_id, live=False)["user_id"] == user_id)


def take_ownership(unit: Unit, project_id: int) -> None:
    """An active member becomes the owner; the old owner stays on as a member. The
    project's rows move to the new owner (core/visibility.py), every one stamped."""
    project = projects.get(unit.conn, unit.user_id, project_id)
    old = int(project["user_id"])
    if old == unit.user_id:
        return
    owner = users.get(unit.conn, old)
    mine = next(
        row
        for row in members(unit.conn, project_id)
        if row["user_id"] == unit.user_id and row["state"] == ACTIVE
    )
    unit.conn.execute(
        insert(project_members).values(
            project_id=project_id,
            user_id=old,
            email=owner["email"],
            state=ACTIVE,
            inviter_id=unit.user_id,
            secret=secrets.token_hex(16),
            created_at=unit.now,
            seq=unit.stamp(),
            # The old owner keeps their place, depth and folding (core/member_view.py).
            **member_view.owner_view(project),
        )
    )
    # The new owner's membership row is no longer needed: ownership is projects.user_id.
    _stamp_member(unit, mine["id"], state=DELETED)
    seq = unit.stamp()
    for table in (items, notes):
        unit.conn.execute(
            update(table)
            .where(table.c.project_id == project_id)
            .values(user_id=unit.user_id, seq=seq)
        )
    # ... and the new owner's own view becomes the project row's.
    mine_view = {k: mine[k] for k in member_view.PERSONAL if mine[k] is not None}
    rows.touch(unit, projects_table, project_id, {"user_id": unit.user_id, **mine_view})


# Reads -------------------------------------------------------------------------------------


def _visible_projects(conn: Connection, user_id: int) -> list[RowMapping]:
    """The live projects the user sees that have members or invitations."""
    query = select(projects_table).where(
        visibility.scope(projects_table, user_id),
        projects_table.c.is_deleted.is_(False),
        projects_table.c.shared.is_(True),
    )
    return list(conn.execute(query).mappings())


def collaborator_states(conn: Connection, user_id: int) -> list[dict[str, Any]]:
    """One record per shared project the user sees and each of its owner, members and invitees."""
    out: list[dict[str, Any]] = []
    for project in _visible_projects(conn, user_id):
        seen = {int(project["user_id"])}
        out.append({"project_id": project["id"], "user_id": project["user_id"], "state": ACTIVE})
        for row in members(conn, project["id"]):
            if row["user_id"] is not None and row["user_id"] in seen:
                continue
            if row["user_id"] is not None:
                seen.add(int(row["user_id"]))
            out.append(
                {
                    "project_id": project["id"],
                    "user_id": row["user_id"],
                    "email": row["email"],
                    "state": row["state"],
                }
            )
    return out


def collaborators(conn: Connection, user_id: int) -> list[RowMapping]:
    """Every user who shares a project with the user (the user included, when any)."""
    ids = {
        int(state["user_id"])
        for state in collaborator_states(conn, user_id)
        if state["user_id"] is not None
    }
    if not ids:
        return []
    ids.add(user_id)
    query = select(users_table).where(users_table.c.id.in_(sorted(ids))).order_by(users_table.c.id)
    return list(conn.execute(query).mappings())


def delete_project(unit: Unit, project_id: int) -> None:
    """The owner deletes the project (its members see it deleted); a member leaves it."""
    project = projects.get(unit.conn, unit.user_id, project_id, live=False)
    if project["user_id"] != unit.user_id and not project["is_deleted"]:
        leave(unit, project_id)
        return
    projects.delete(unit, project_id)
