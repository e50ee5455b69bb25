"""Label commands: ``label_add`` (alias ``label_register``), update, delete, orders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from taskhaven.api.todoist.v6.colors import LABEL_PALETTE, to_hex
from taskhaven.api.todoist.v6.commands.base import Args, Created, Ctx, as_int, command
from taskhaven.core import labels
from taskhaven.core.backend import Unit


def label_like_changes(args: Args, texts: tuple[str, ...] = ("name",)) -> dict[str, Any]:
    """The wire fields labels and filters share, in core names: ``texts`` as sent, a colour
    index of the label palette (filters use it too, spec §3.5), an integer order."""
    changes: dict[str, Any] = {}
    for key in texts:
        if args.has(key):
            changes[key] = args.get(key)
    if args.get("color") is not None:
        changes["color"] = to_hex(args.get("color"), LABEL_PALETTE)
    if args.get("item_order") is not None:
        changes["item_order"] = args.integer("item_order")
    return changes


@command("label_add", "label_register")
def label_add(ctx: Ctx, args: Args) -> Created:
    args.required("name")
    changes = label_like_changes(args)
    row = labels.add(
        ctx.unit,
        name=changes["name"],
        color=changes.get("color"),
        item_order=changes.get("item_order"),
    )
    return Created(row["id"])


@command("label_update")
def label_update(ctx: Ctx, args: Args) -> None:
    labels.update_label(ctx.unit, args.id("id"), label_like_changes(args))


@command("label_delete")
def label_delete(ctx: Ctx, args: Args) -> None:
    labels.delete(ctx.unit, args.id("id"))


@command("label_update_orders")
def label_update_orders(ctx: Ctx, args: Args) -> dict[str, Any]:
    return apply_orders(ctx, args, labels.set_order)


def apply_orders(
    ctx: Ctx, args: Args, set_order: Callable[[Unit, int, Any], None]
) -> dict[str, Any]:
    """``id_order_mapping`` ``{id: item_order}``: each id its own unit, keyed as sent."""

    def action(object_id: int, value: Any) -> None:
        set_order(ctx.unit, object_id, as_int(value, "item_order"))

    return ctx.each_value(args.mapping("id_order_mapping"), action, "id_order_mapping")
