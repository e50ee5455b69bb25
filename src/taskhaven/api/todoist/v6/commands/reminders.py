"""Reminder commands, plus ``clear_locations`` (the Locations list is always empty)."""

from __future__ import annotations

from typing import Any

from taskhaven.api.todoist.v6.commands.base import Args, Created, Ctx, command
from taskhaven.api.todoist.v6.timestamps import utc_argument
from taskhaven.core import reminders
from taskhaven.core.errors import InvalidArgument

TEXT_FIELDS = ("service", "type", "date_string", "date_lang", "name", "loc_trigger")


def _present(args: Args, name: str) -> bool:
    return args.get(name) is not None and args.get(name) != ""


def _fields(args: Args) -> dict[str, Any]:
    """Wire arguments to core fields; absent, null and "" all mean "not given"."""
    fields: dict[str, Any] = {}
    for key in TEXT_FIELDS:
        if _present(args, key):
            fields[key] = args.text(key)
    if _present(args, "notify_uid"):
        fields["notify_uid"] = args.id("notify_uid")
    # due_date is the deprecated twin of due_date_utc; the newer name wins.
    for key in ("due_date_utc", "due_date"):
        if _present(args, key):
            fields["due_at"] = utc_argument(args.get(key), key)
            break
    # mm_offset is the docs' name of minute_offset (spec §8 #2).
    for key in ("minute_offset", "mm_offset"):
        if _present(args, key):
            fields["minute_offset"] = args.integer(key)
            break
    for key in ("loc_lat", "loc_long"):
        if _present(args, key):
            value = args.get(key)
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                raise InvalidArgument(key)
            fields[key] = value
    if _present(args, "radius"):
        fields["radius"] = args.integer("radius")
    return fields


@command("reminder_add")
def reminder_add(ctx: Ctx, args: Args) -> Created:
    item_id = args.id("item_id")
    row = reminders.add(ctx.unit, item_id=item_id, **_fields(args))
    return Created(row["id"])


@command("reminder_update")
def reminder_update(ctx: Ctx, args: Args) -> None:
    reminder_id = args.id("id")
    changes = _fields(args)
    if _present(args, "item_id"):
        changes["item_id"] = args.id("item_id")
    reminders.update_reminder(ctx.unit, reminder_id, changes)


@command("reminder_delete")
def reminder_delete(ctx: Ctx, args: Args) -> None:
    reminders.delete(ctx.unit, args.id("id"))


@command("clear_locations")
def clear_locations(ctx: Ctx, args: Args) -> None:
    """Nothing to clear: this server keeps no location history, so Locations is always []."""
