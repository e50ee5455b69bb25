"""Item commands: add, update, delete, move, complete/uncomplete/close, dates and orders.

Only wire names are translated here; every rule (ranges, dates, recurrence, what a
completion does) is core/items.py's.
"""

from __future__ import annotations

from typing import Any

from taskhaven.api.todoist.v6.commands.base import Args, Created, Ctx, as_int, command
from taskhaven.api.todoist.v6.timestamps import utc_argument
from taskhaven.core import items, projects
from taskhaven.core.errors import DomainError, InvalidArgument

# Numeric arguments passed through under the same name (numeric strings are accepted).
_NUMBERS = ("priority", "indent", "item_order", "day_order", "collapsed")


def _content(value: Any) -> str:
    # The Sync API has no untitled tasks (TickTick does, so the core allows them).
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgument("content", "Invalid argument value: content (must not be empty)")
    return value


def _fields(ctx: Ctx, args: Args) -> dict[str, Any]:
    """Core field values for the writable arguments present; the read-only ones the
    client copies from its local model (``checked``, ``in_history``, …) are ignored."""
    out: dict[str, Any] = {}
    for key in _NUMBERS:
        if args.get(key) is not None:
            out[key] = args.integer(key)
    if args.has("date_string"):
        out["date_string"] = args.get("date_string")  # "" or null clears the due date
    if args.get("date_lang") not in (None, ""):
        out["date_lang"] = args.get("date_lang")
    # due_date is the deprecated twin of due_date_utc; the newer name wins.
    for key in ("due_date_utc", "due_date"):
        if args.get(key) not in (None, ""):
            out["due_at"] = utc_argument(args.get(key), key)
            break
    if args.get("labels") is not None:
        value = args.get("labels")
        if not isinstance(value, list):
            raise InvalidArgument("labels")
        out["labels"] = [ctx.resolve(label, "labels") for label in value]
    if args.get("assigned_by_uid") not in (None, ""):
        out["assigned_by_uid"] = ctx.resolve(args.get("assigned_by_uid"), "assigned_by_uid")
    if args.has("responsible_uid"):
        value = args.get("responsible_uid")
        out["responsible_uid"] = (
            None if value in (None, "") else ctx.resolve(value, "responsible_uid")
        )
    return out


@command("item_add")
def item_add(ctx: Ctx, args: Args) -> Created:
    # args.id is the client's own temp id: ignored, like every read-only field (§4.4).
    content = _content(args.required("content"))
    item_id = items.create(
        ctx.unit, content=content, project_id=args.optional_id("project_id"), **_fields(ctx, args)
    )
    note = args.get("note")
    if note not in (None, ""):
        # The pre-July-2015 inline note: created in the same savepoint as the item.
        items.add_note(ctx.unit, item_id, note)
    return Created(item_id)


@command("item_update")
def item_update(ctx: Ctx, args: Args) -> None:
    item_id = args.id("id")
    changes = _fields(ctx, args)
    if args.get("content") is not None:
        changes["content"] = _content(args.get("content"))
    items.update_item(ctx.unit, item_id, changes)


@command("item_delete")
def item_delete(ctx: Ctx, args: Args) -> dict[str, Any]:
    return ctx.each(args.id_list("ids"), lambda item_id: items.delete(ctx.unit, item_id))


@command("item_move")
def item_move(ctx: Ctx, args: Args) -> dict[str, Any]:
    """``project_items`` ``{source project: [item ids]}``; the source is not checked (a
    client's cached project id may be stale or an old temp id), only the items are."""
    project_items = args.mapping("project_items")
    # A bad target fails the whole command (one error, not one per item).
    target = projects.get(ctx.unit.conn, ctx.unit.user_id, args.id("to_project"))["id"]
    raw_ids: list[Any] = []
    for listed in project_items.values():
        if not isinstance(listed, list):
            raise InvalidArgument("project_items")
        raw_ids.extend(listed)
    return ctx.each(raw_ids, lambda item_id: items.move(ctx.unit, item_id, target))


@command("item_complete")
def item_complete(ctx: Ctx, args: Args) -> dict[str, Any]:
    # Older clients also send project_id; it is ignored. The server's default is 1 (§4.5).
    force_history = bool(args.integer("force_history", 1))
    return ctx.each(
        args.id_list("ids"),
        lambda item_id: items.complete(ctx.unit, item_id, force_history=force_history),
    )


def _restore_states(ctx: Ctx, raw: Any) -> dict[int, Any]:
    """``restore_state`` keyed by resolved id. A key that does not resolve is dropped:
    it only matters when ``ids`` names it too, and that id then fails on its own."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InvalidArgument("restore_state")
    states: dict[int, Any] = {}
    for key, value in raw.items():
        try:
            states[ctx.resolve(key, "restore_state")] = value
        except DomainError:
            continue
    return states


def _state(value: Any, size: int, name: str) -> tuple[int, ...]:
    if not isinstance(value, list) or len(value) != size:
        raise InvalidArgument(name)
    return tuple(as_int(part, name) for part in value)


@command("item_uncomplete")
def item_uncomplete(ctx: Ctx, args: Args) -> dict[str, Any]:
    to_end = bool(args.integer("update_item_orders", 1))
    states = _restore_states(ctx, args.get("restore_state"))

    def action(item_id: int) -> None:
        state = states.get(item_id)
        restore = None
        if state is not None:
            in_history, checked, item_order, indent = _state(state, 4, "restore_state")
            restore = (in_history, checked, item_order, indent)
        items.uncomplete(ctx.unit, item_id, restore=restore, to_end=to_end)

    return ctx.each(args.id_list("ids"), action)


@command("item_uncomplete_update_meta")
def item_uncomplete_update_meta(ctx: Ctx, args: Args) -> dict[str, Any]:
    """The pre-v6 form: ``ids_to_metas`` ``{id: [in_history, checked, item_order]}``."""

    def action(item_id: int, value: Any) -> None:
        in_history, checked, item_order = _state(value, 3, "ids_to_metas")
        indent = items.get(ctx.unit.conn, ctx.unit.user_id, item_id)["indent"]
        restore = (in_history, checked, item_order, indent)
        items.uncomplete(ctx.unit, item_id, restore=restore)

    return ctx.each_value(args.mapping("ids_to_metas"), action, "ids_to_metas")


@command("item_close")
def item_close(ctx: Ctx, args: Args) -> None:
    items.close(ctx.unit, args.id("id"))


@command("item_update_date_complete")
def item_update_date_complete(ctx: Ctx, args: Args) -> None:
    new_date = args.get("new_date_utc")
    date_string = args.get("date_string")
    if date_string is not None and not isinstance(date_string, str):
        raise InvalidArgument("date_string")
    items.update_date_complete(
        ctx.unit,
        args.id("id"),
        new_date=None if new_date in (None, "") else utc_argument(new_date, "new_date_utc"),
        date_string=date_string or None,
        # The client drops falsy values, so is_forward=0 never arrives from it (trap 10).
        is_forward=bool(args.integer("is_forward", 1)),
    )


@command("item_update_orders_indents")
def item_update_orders_indents(ctx: Ctx, args: Args) -> dict[str, Any]:

    def action(item_id: int, value: Any) -> None:
        item_order, indent = _state(value, 2, "ids_to_orders_indents")
        items.set_order_indent(ctx.unit, item_id, item_order, indent)

    return ctx.each_value(args.mapping("ids_to_orders_indents"), action, "ids_to_orders_indents")


@command("item_update_day_orders")
def item_update_day_orders(ctx: Ctx, args: Args) -> dict[str, Any]:

    def action(item_id: int, value: Any) -> None:
        items.set_day_order(ctx.unit, item_id, as_int(value, "ids_to_orders"))

    return ctx.each_value(args.mapping("ids_to_orders"), action, "ids_to_orders")
