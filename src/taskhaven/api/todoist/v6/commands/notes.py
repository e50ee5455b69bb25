"""Note commands: item notes and project notes share one set of commands."""

from __future__ import annotations

from typing import Any

from taskhaven.api.todoist.v6.commands.base import Args, Created, Ctx, command
from taskhaven.core import notes
from taskhaven.core.errors import InvalidArgument, MissingArgument


def _uids(ctx: Ctx, args: Args) -> list[int] | None:
    value = args.get("uids_to_notify")
    if value is None:
        return None
    if not isinstance(value, list):
        raise InvalidArgument("uids_to_notify")
    return [ctx.resolve(uid, "uids_to_notify") for uid in value]


@command("note_add")
def note_add(ctx: Ctx, args: Args) -> Created:
    content = args.required("content")
    item_id = args.optional_id("item_id")
    project_id = None if item_id is not None else args.optional_id("project_id")
    if item_id is None and project_id is None:
        raise MissingArgument("item_id")
    row = notes.add(
        ctx.unit,
        content=content,
        item_id=item_id,
        project_id=project_id,
        file_attachment=args.get("file_attachment"),
        uids_to_notify=_uids(ctx, args),
    )
    return Created(row["id"])


@command("note_update")
def note_update(ctx: Ctx, args: Args) -> None:
    changes: dict[str, Any] = {}
    for key in ("content", "file_attachment"):
        if args.has(key):
            changes[key] = args.get(key)
    if args.has("uids_to_notify"):
        changes["uids_to_notify"] = _uids(ctx, args)
    notes.update_note(ctx.unit, args.id("id"), changes)


@command("note_delete")
def note_delete(ctx: Ctx, args: Args) -> None:
    # Older docs also sent item_id; it is ignored.
    notes.delete(ctx.unit, args.id("id"))
