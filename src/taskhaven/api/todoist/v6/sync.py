"""``/API/v6/sync``: run the commands, then read what changed."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import RowMapping
from sqlalchemy.exc import DataError, IntegrityError

from taskhaven.api.todoist.v6 import bounds, fullsync, render
from taskhaven.api.todoist.v6.commands import COMMANDS
from taskhaven.api.todoist.v6.commands.base import Args, Created, Ctx
from taskhaven.api.todoist.v6.errors import (
    TOO_MANY_COMMANDS,
    UNKNOWN_COMMAND,
    error_object,
    map_error,
)
from taskhaven.api.todoist.v6.params import Params
from taskhaven.core import changes, columns, notifications, sharing, users
from taskhaven.core import commands as core_commands
from taskhaven.core.backend import Backend, utcnow
from taskhaven.core.errors import DomainError, InvalidArgument, LimitExceeded

log = logging.getLogger(__name__)

RESOURCE_TYPES = (
    "projects",
    "items",
    "labels",
    "notes",
    "filters",
    "reminders",
    "locations",
    "user",
    "live_notifications",
    "day_orders",
    "collaborators",
    "notification_settings",
)

# The kinds whose changed rows are sent as they are, each under its key
# (fullsync.rendered: one object per row).
_PLAIN: dict[changes.Kind, str] = {
    "projects": "Projects",
    "items": "Items",
    "labels": "Labels",
    "filters": "Filters",
    "reminders": "Reminders",
}


class TooManyCommands(LimitExceeded):
    pass


def parse_commands(params: Params, limit: int) -> list[dict[str, Any]]:
    """Validate the whole envelope before anything runs: all commands or none."""
    # NUL in one command's arguments fails that command alone (see _run_one).
    raw = params.json("commands", [], nul=True)
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise InvalidArgument("commands", "Invalid argument value: commands (must be a list)")
    if len(raw) > limit:
        raise TooManyCommands(f"Too many commands (at most {limit} per request)")
    for position, cmd in enumerate(raw):
        if not isinstance(cmd, dict):
            raise InvalidArgument("commands", f"Command {position} is not an object")
        if not isinstance(cmd.get("type"), str):
            raise InvalidArgument("commands", f"Command {position} has no string 'type'")
        if "\x00" in cmd["type"]:
            raise InvalidArgument("commands", f"Command {position} has a 'type' with NUL")
        if not isinstance(cmd.get("uuid"), str) or not cmd["uuid"]:
            raise InvalidArgument("commands", f"Command {position} has no string 'uuid'")
        _check_id(cmd["uuid"], "uuid", position)
        if not isinstance(cmd.get("args", {}), dict):
            raise InvalidArgument(
                "commands", f"Command {position} has 'args' that is not an object"
            )
        temp_id = cmd.get("temp_id")
        if temp_id is not None and not isinstance(temp_id, str):
            raise InvalidArgument("commands", f"Command {position} has a non-string 'temp_id'")
        if temp_id is not None:
            _check_id(temp_id, "temp_id", position)
    return raw


def _check_id(value: str, field: str, position: int) -> None:
    """A command's ``uuid`` or ``temp_id`` must fit its column and hold no NUL."""
    limit = columns.length("command_results", field)
    if len(value) > limit or "\x00" in value:
        raise InvalidArgument(
            "commands",
            f"Command {position} has an invalid '{field}' (at most {limit} characters, no NUL)",
        )


def run_commands(
    backend: Backend, user_id: int, batch: list[dict[str, Any]]
) -> tuple[dict[str, Any], dict[str, int]]:
    """One transaction for the batch, one savepoint per command (architecture §5)."""
    statuses: dict[str, Any] = {}
    mapping: dict[str, int] = {}
    with backend.write(user_id) as unit:
        ctx = Ctx(backend=backend, unit=unit)
        log = core_commands.CommandLog(unit, [cmd["uuid"] for cmd in batch])
        for cmd in batch:
            uuid: str = cmd["uuid"]
            temp_id: str | None = cmd.get("temp_id")
            stored = log.recall(uuid)
            if stored is not None:
                # A retry: report the first outcome again, run nothing.
                statuses[uuid] = stored.status
                if stored.temp_id and stored.object_id is not None:
                    mapping[stored.temp_id] = stored.object_id
                    ctx.temp_ids[stored.temp_id] = stored.object_id
                continue
            status, created = _run_one(ctx, cmd)
            if created is not None and temp_id:
                # Later commands resolve it from ctx.temp_ids; the table row waits for flush.
                log.record_temp_id(temp_id, created)
                ctx.temp_ids[temp_id] = created
                mapping[temp_id] = created
            statuses[uuid] = status
            log.remember(uuid, status, temp_id if created else None, created)
        # Inside the transaction: the records commit together with the effects, or neither.
        log.flush()
    return statuses, mapping


def _run_one(ctx: Ctx, cmd: dict[str, Any]) -> tuple[Any, int | None]:
    handler = COMMANDS.get(cmd["type"])
    if handler is None:
        return error_object(UNKNOWN_COMMAND, f"Unknown command: {cmd['type']}"), None
    if columns.refused(cmd.get("args")):
        return error_object(
            16, "Invalid argument value: args (contains NUL or an unpaired surrogate)"
        ), None
    try:
        bounds.check_args(cmd["type"], cmd.get("args") or {})
        with ctx.unit.savepoint():
            result = handler(ctx, Args(ctx, dict(cmd.get("args") or {})))
    except DomainError as exc:
        return map_error(exc)[1], None
    except (DataError, IntegrityError) as exc:
        # Safety net: a value the core's checks let through but the database refused.
        # The savepoint is already rolled back, so the batch goes on.
        log.warning("command %s refused by the database: %s", cmd["type"], exc.orig)
        return error_object(16, "Invalid argument value"), None
    if isinstance(result, Created):
        return "ok", result.object_id
    if isinstance(result, dict):
        return result, None
    return "ok", None


def wanted_types(raw: Any) -> set[str]:
    if raw is None:
        return set()
    if not isinstance(raw, list):
        raise InvalidArgument("resource_types", "Invalid argument value: resource_types")
    names = {name for name in raw if isinstance(name, str)}
    if "all" in names:
        return set(RESOURCE_TYPES)
    return names & set(RESOURCE_TYPES)


def read(
    backend: Backend,
    user: RowMapping,
    types: set[str],
    since: int,
    day_orders_timestamp: str | None,
    presented_token: str | None = None,
) -> dict[str, Any]:
    """The read half of a sync; the cursor is taken before any row (see changes.cursor)."""
    user_id = user["id"]
    # Before the read transaction: it may seal the token again under this server's key.
    token = users.api_token(backend, user, presented_token) if "user" in types else ""
    with backend.read() as conn:
        seq = changes.cursor(conn)
        since = changes.read_from(since, seq)
        user = users.get(conn, user_id)
        out: dict[str, Any] = {"seq_no": seq, "seq_no_global": seq, "UserId": user_id}
        seen = changes.view(conn, user_id, since)  # shared projects, read once
        for kind, key in _PLAIN.items():
            if kind in types:
                out[key] = fullsync.rendered(conn, kind, user_id, since, seen)
        if "notes" in types:
            found = fullsync.rendered(conn, "notes", user_id, since, seen)
            out["Notes"] = [note for note in found if "item_id" in note]
            out["ProjectNotes"] = [note for note in found if "item_id" not in note]
        if "locations" in types:
            out["Locations"] = []
        if "user" in types:
            now = utcnow()
            out["User"] = render.user(user, token, now, users.completed_today(conn, user, now))
        if "live_notifications" in types:
            notes_found = notifications.rows_since(conn, user_id, since)
            senders = users.by_ids(conn, {row["from_uid"] for row in notes_found})
            out["LiveNotifications"] = [render.live_notification(r, senders) for r in notes_found]
            out["LiveNotificationsLastRead"] = user["live_notifications_last_read"]
        if "day_orders" in types:
            current = user["day_orders_ts"]
            if day_orders_timestamp is not None and day_orders_timestamp != current:
                orders = changes.day_orders(conn, user_id)
                out["DayOrders"] = {str(item_id): order for item_id, order in orders.items()}
            out["DayOrdersTimestamp"] = current
        if "collaborators" in types:
            # Complete lists every time (spec §2.2): the client replaces them wholesale.
            out["Collaborators"] = [
                render.collaborator(r) for r in sharing.collaborators(conn, user_id)
            ]
            out["CollaboratorStates"] = [
                render.collaborator_state(s) for s in sharing.collaborator_states(conn, user_id)
            ]
        if "notification_settings" in types:
            out["SettingsNotifications"] = users.notification_settings(user)
    return out


def handle_sync(backend: Backend, user: RowMapping, params: Params) -> dict[str, Any]:
    batch = parse_commands(params, backend.settings.max_commands_per_request)
    raw_types = params.json("resource_types")
    if "include_notification_settings" in params and params.flag("include_notification_settings"):
        raw_types = [*(raw_types or []), "notification_settings"]
    types = wanted_types(raw_types)
    response: dict[str, Any] = {}
    if batch:
        statuses, mapping = run_commands(backend, user["id"], batch)
        response = {"SyncStatus": statuses, "TempIdMapping": mapping}
        if not types:
            # A commit-only answer carries no resource arrays (the client would merge
            # them in before replacing temp ids and end up with duplicates).
            with backend.read() as conn:
                seq = changes.cursor(conn)
            return {"seq_no": seq, "seq_no_global": seq, "UserId": user["id"], **response}
    seq_no = params.integer("seq_no", 0) or 0
    seq_no_global = params.integer("seq_no_global", seq_no) or 0
    since = max(0, min(seq_no, seq_no_global))
    out = read(
        backend, user, types, since, params.text("day_orders_timestamp"), params.raw("token")
    )
    out.update(response)
    return out


__all__ = ["TOO_MANY_COMMANDS", "TooManyCommands", "handle_sync"]
