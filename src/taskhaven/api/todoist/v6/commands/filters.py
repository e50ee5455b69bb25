"""Filter commands: add, update, delete, orders."""

from __future__ import annotations

from typing import Any

from taskhaven.api.todoist.v6.commands.base import Args, Created, Ctx, command
from taskhaven.api.todoist.v6.commands.labels import apply_orders, label_like_changes
from taskhaven.core import filters


def _changes(args: Args) -> dict[str, Any]:
    # Filters use the label palette (spec §3.5).
    return label_like_changes(args, ("name", "query"))


@command("filter_add")
def filter_add(ctx: Ctx, args: Args) -> Created:
    args.required("name")
    args.required("query")
    changes = _changes(args)
    row = filters.add(
        ctx.unit,
        name=changes["name"],
        query=changes["query"],
        color=changes.get("color"),
        item_order=changes.get("item_order"),
    )
    return Created(row["id"])


@command("filter_update")
def filter_update(ctx: Ctx, args: Args) -> None:
    filters.update_filter(ctx.unit, args.id("id"), _changes(args))


@command("filter_delete")
def filter_delete(ctx: Ctx, args: Args) -> None:
    filters.delete(ctx.unit, args.id("id"))


@command("filter_update_orders")
def filter_update_orders(ctx: Ctx, args: Args) -> dict[str, Any]:
    return apply_orders(ctx, args, filters.set_order)
