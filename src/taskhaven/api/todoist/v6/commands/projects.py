"""Project commands."""

from __future__ import annotations

from typing import Any

from taskhaven.api.todoist.v6.colors import DEFAULT_PROJECT_COLOR, PROJECT_PALETTE, to_hex
from taskhaven.api.todoist.v6.commands.base import Args, Created, Ctx, as_int, command
from taskhaven.core import projects, sharing
from taskhaven.core.errors import InvalidArgument


def _color(args: Args) -> dict[str, Any]:
    if args.get("color") is None:
        return {}
    return {"color": to_hex(args.get("color"), PROJECT_PALETTE)}


@command("project_add")
def project_add(ctx: Ctx, args: Args) -> Created:
    row = projects.add(
        ctx.unit,
        name=args.required("name"),
        color=_color(args).get("color", PROJECT_PALETTE[DEFAULT_PROJECT_COLOR]),
        indent=args.integer("indent", 1),
        item_order=args.integer("item_order"),
    )
    return Created(row["id"])


@command("project_update")
def project_update(ctx: Ctx, args: Args) -> None:
    changes: dict[str, Any] = {**_color(args)}
    if args.has("name"):
        changes["name"] = args.get("name")
    for key in ("indent", "item_order", "collapsed"):
        if args.get(key) is not None:
            changes[key] = args.integer(key)
    projects.update_project(ctx.unit, args.id("id"), changes)


@command("project_delete")
def project_delete(ctx: Ctx, args: Args) -> dict[str, Any]:
    return ctx.each(args.id_list("ids"), lambda pid: sharing.delete_project(ctx.unit, pid))


def _archive(ctx: Ctx, args: Args, archived: bool) -> dict[str, Any] | None:
    # The 0.2.26 client sends {"id": X}; the final v6 docs say {"ids": [...]}. Accept both.
    if args.has("ids"):
        return ctx.each(
            args.id_list("ids"), lambda pid: projects.set_archived(ctx.unit, pid, archived)
        )
    projects.set_archived(ctx.unit, args.id("id"), archived)
    return None


@command("project_archive")
def project_archive(ctx: Ctx, args: Args) -> dict[str, Any] | None:
    return _archive(ctx, args, True)


@command("project_unarchive")
def project_unarchive(ctx: Ctx, args: Args) -> dict[str, Any] | None:
    return _archive(ctx, args, False)


@command("project_update_orders_indents")
def project_update_orders_indents(ctx: Ctx, args: Args) -> dict[str, Any]:

    def action(pid: int, value: Any) -> None:
        if not isinstance(value, list) or len(value) != 2:
            raise InvalidArgument("ids_to_orders_indents")
        order = as_int(value[0], "item_order")
        indent = as_int(value[1], "indent")
        projects.set_order_indent(ctx.unit, pid, order, indent)

    return ctx.each_value(args.mapping("ids_to_orders_indents"), action, "ids")
