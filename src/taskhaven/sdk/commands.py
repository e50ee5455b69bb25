"""Builders for Sync API commands: each returns a `Command` with a fresh ``uuid``.

Creation commands also carry a ``temp_id``; pass ``command.temp_id`` wherever a later command
(in the same request or a later one) needs the new object's id::

    project = commands.project_add("Work")
    item = commands.item_add("Write the report", project_id=project.temp_id)
    client.commit([project, item])

Optional arguments go by their wire names as keywords (``priority=4``, ``date_string="today"``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from taskhaven.sdk.models.sync import Command

Id = int | str
"""A real id (int) or a temp id (str) of an object created earlier."""


def new_uuid() -> str:
    return str(uuid.uuid4())


def command(
    type: str, args: Mapping[str, Any] | None = None, *, temp_id: str | None = None
) -> Command:
    """Any command by its wire type: the builders below are this with checked arguments."""
    return Command(type=type, uuid=new_uuid(), args=dict(args or {}), temp_id=temp_id)


def _add(type: str, args: dict[str, Any], prefix: str = "") -> Command:
    return command(type, args, temp_id=prefix + new_uuid())


def _ids(ids: Iterable[Id]) -> list[Id]:
    return list(ids)


# -- projects ------------------------------------------------------------------------------------


def project_add(name: str, **fields: Any) -> Command:
    """A new project (temp id ``$…``); `fields`: color, indent, item_order."""
    return _add("project_add", {"name": name, **fields}, prefix="$")


def project_update(id: Id, **fields: Any) -> Command:
    return command("project_update", {"id": id, **fields})


def project_delete(ids: Iterable[Id]) -> Command:
    return command("project_delete", {"ids": _ids(ids)})


def project_archive(ids: Iterable[Id]) -> Command:
    return command("project_archive", {"ids": _ids(ids)})


def project_unarchive(ids: Iterable[Id]) -> Command:
    return command("project_unarchive", {"ids": _ids(ids)})


def project_update_orders_indents(ids_to_orders_indents: Mapping[Id, tuple[int, int]]) -> Command:
    mapping = {str(k): list(v) for k, v in ids_to_orders_indents.items()}
    return command("project_update_orders_indents", {"ids_to_orders_indents": mapping})


# -- items ---------------------------------------------------------------------------------------


def item_add(content: str, **fields: Any) -> Command:
    """A new item; `fields`: project_id, date_string, due_date_utc, priority, labels, …"""
    return _add("item_add", {"content": content, **fields})


def item_update(id: Id, **fields: Any) -> Command:
    return command("item_update", {"id": id, **fields})


def item_delete(ids: Iterable[Id]) -> Command:
    return command("item_delete", {"ids": _ids(ids)})


def item_move(project_items: Mapping[Id, Iterable[Id]], to_project: Id) -> Command:
    mapping = {str(k): list(v) for k, v in project_items.items()}
    return command("item_move", {"project_items": mapping, "to_project": to_project})


def item_complete(ids: Iterable[Id], *, force_history: bool = True) -> Command:
    return command("item_complete", {"ids": _ids(ids), "force_history": int(force_history)})


def item_uncomplete(ids: Iterable[Id], **fields: Any) -> Command:
    return command("item_uncomplete", {"ids": _ids(ids), **fields})


def item_update_date_complete(id: Id, **fields: Any) -> Command:
    """One occurrence of a recurring item done; `fields`: new_date_utc, date_string, is_forward."""
    return command("item_update_date_complete", {"id": id, **fields})


def item_close(id: Id) -> Command:
    return command("item_close", {"id": id})


def item_update_orders_indents(ids_to_orders_indents: Mapping[Id, tuple[int, int]]) -> Command:
    mapping = {str(k): list(v) for k, v in ids_to_orders_indents.items()}
    return command("item_update_orders_indents", {"ids_to_orders_indents": mapping})


def item_update_day_orders(ids_to_orders: Mapping[Id, int]) -> Command:
    mapping = {str(k): v for k, v in ids_to_orders.items()}
    return command("item_update_day_orders", {"ids_to_orders": mapping})


# -- labels and filters --------------------------------------------------------------------------


def label_add(name: str, **fields: Any) -> Command:
    return _add("label_add", {"name": name, **fields})


def label_update(id: Id, **fields: Any) -> Command:
    return command("label_update", {"id": id, **fields})


def label_delete(id: Id) -> Command:
    return command("label_delete", {"id": id})


def label_update_orders(id_order_mapping: Mapping[Id, int]) -> Command:
    mapping = {str(k): v for k, v in id_order_mapping.items()}
    return command("label_update_orders", {"id_order_mapping": mapping})


def filter_add(name: str, query: str, **fields: Any) -> Command:
    return _add("filter_add", {"name": name, "query": query, **fields})


def filter_update(id: Id, **fields: Any) -> Command:
    return command("filter_update", {"id": id, **fields})


def filter_delete(id: Id) -> Command:
    return command("filter_delete", {"id": id})


def filter_update_orders(id_order_mapping: Mapping[Id, int]) -> Command:
    mapping = {str(k): v for k, v in id_order_mapping.items()}
    return command("filter_update_orders", {"id_order_mapping": mapping})


# -- notes and reminders -------------------------------------------------------------------------


def note_add(content: str, *, item_id: Id | None = None, project_id: Id | None = None,
             **fields: Any) -> Command:  # fmt: skip
    """An item note (`item_id`) or a project note (`project_id`)."""
    if (item_id is None) == (project_id is None):
        raise ValueError("note_add needs exactly one of item_id and project_id")
    target = {"item_id": item_id} if item_id is not None else {"project_id": project_id}
    return _add("note_add", {"content": content, **target, **fields})


def note_update(id: Id, **fields: Any) -> Command:
    return command("note_update", {"id": id, **fields})


def note_delete(id: Id) -> Command:
    return command("note_delete", {"id": id})


def reminder_add(item_id: Id, **fields: Any) -> Command:
    """`fields`: type, service, minute_offset, due_date_utc, date_string, location fields…"""
    return _add("reminder_add", {"item_id": item_id, **fields})


def reminder_update(id: Id, **fields: Any) -> Command:
    return command("reminder_update", {"id": id, **fields})


def reminder_delete(id: Id) -> Command:
    return command("reminder_delete", {"id": id})


def clear_locations() -> Command:
    return command("clear_locations")


# -- the user and notifications ------------------------------------------------------------------


def user_update(**fields: Any) -> Command:
    return command("user_update", fields)


def update_goals(**fields: Any) -> Command:
    return command("update_goals", fields)


def live_notifications_mark_as_read(seq_no: int) -> Command:
    return command("live_notifications_mark_as_read", {"seq_no": seq_no})


def live_notifications_mark_read(id: int) -> Command:
    """Mark one notification read (by its `id`)."""
    return command("live_notifications_mark_read", {"id": id})


def live_notifications_mark_unread(id: int) -> Command:
    return command("live_notifications_mark_unread", {"id": id})


def live_notifications_mark_read_all() -> Command:
    return command("live_notifications_mark_read_all")


# -- sharing -------------------------------------------------------------------------------------


def share_project(project_id: Id, email: str, **fields: Any) -> Command:
    """Invite `email` to the project; the temp id maps to the invitation's id. An address
    without an account is invited all the same and accepts after registering."""
    return _add("share_project", {"project_id": project_id, "email": email, **fields})


def accept_invitation(invitation_id: int, invitation_secret: str) -> Command:
    """Both come with the invitee's `share_invitation_sent` live notification."""
    return command(
        "accept_invitation",
        {"invitation_id": invitation_id, "invitation_secret": invitation_secret},
    )


def reject_invitation(invitation_id: int, invitation_secret: str) -> Command:
    return command(
        "reject_invitation",
        {"invitation_id": invitation_id, "invitation_secret": invitation_secret},
    )


def delete_invitation(invitation_id: int) -> Command:
    """Withdraw an invitation not yet answered."""
    return command("delete_invitation", {"invitation_id": invitation_id})


def delete_collaborator(project_id: Id, email: str) -> Command:
    """Remove a member (or a pending invitee) from the project; not its owner."""
    return command("delete_collaborator", {"project_id": project_id, "email": email})


def take_ownership(project_id: Id) -> Command:
    """An active member becomes the project's owner; the old owner stays a member."""
    return command("take_ownership", {"project_id": project_id})
