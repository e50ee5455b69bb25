"""``/API/v6/sync``: run the commands, then read what changed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from contextlib import AbstractContextManager
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, RowMapping
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
from taskhaven.api.todoist.v6.params import Params, parse_json
from taskhaven.core import changes, columns, notifications, reader, users
from taskhaven.core import commands as core_commands
from taskhaven.core.backend import Backend, utcnow
from taskhaven.core.errors import DomainError, InvalidArgument, LimitExceeded
from taskhaven.core.limits import ReadTooLarge

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


_SHOWN = 64  # characters of an unknown command type repeated in its error


def _run_one(ctx: Ctx, cmd: dict[str, Any]) -> tuple[Any, int | None]:
    handler = COMMANDS.get(cmd["type"])
    if handler is None:
        # Named, not echoed whole: the status is stored with the command's uuid.
        kind = cmd["type"] if len(cmd["type"]) <= _SHOWN else cmd["type"][:_SHOWN] + "…"
        return error_object(UNKNOWN_COMMAND, f"Unknown command: {kind}"), None
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


_ALL_TYPES = frozenset(RESOURCE_TYPES)


def wanted_types(raw: Any) -> frozenset[str]:
    if raw is None:
        return frozenset()
    if not isinstance(raw, list):
        raise InvalidArgument("resource_types", "Invalid argument value: resource_types")
    names = {name for name in raw if isinstance(name, str)}
    if "all" in names:
        return _ALL_TYPES
    return frozenset(names & _ALL_TYPES)


@lru_cache(maxsize=256)
def _types_in(text: str) -> frozenset[str]:
    """``wanted_types`` of the JSON text a client sent: clients send the same few texts
    on every sync, so each is parsed once (a refused text raises and is not kept)."""
    return wanted_types(parse_json("resource_types", text))


# What each resource type reads beyond the user row, by mark (core/marks.py).
_MARKS = {
    "projects": "projects",
    "items": "items",
    "labels": "labels",
    "notes": "notes",
    "filters": "filters",
    "reminders": "reminders",
    "live_notifications": "live_notifications",
}


def needs_rows(
    start: reader.Start, types: AbstractSet[str], since: int, day_orders: str | None
) -> bool:
    """Whether answering needs more than ``start``'s one row: a kind changed since the
    client's number, or its day orders differ (core/marks.py)."""
    since = changes.read_from(since, start.cursor)
    if not start.skips_all((_MARKS[t] for t in types if t in _MARKS), since):
        return True
    current = start.user["day_orders_ts"]
    return "day_orders" in types and day_orders is not None and day_orders != current


def read(
    backend: Backend,
    user: RowMapping,
    types: AbstractSet[str],
    since: int,
    day_orders_timestamp: str | None,
    presented_token: str | None = None,
    start: reader.Start | None = None,
    opener: Callable[[], AbstractContextManager[Connection]] | None = None,
    now: datetime | None = None,
    at_most: int | None = None,
    with_start_fields: bool = True,
) -> dict[str, Any]:
    """The read half of a sync; the cursor is taken before any row (see changes.cursor).

    ``at_most`` bounds the read (``changes.rows_since``): at most that many rows of each
    kind, the user's own only, no day orders, or ``ReadTooLarge`` — a read short enough to
    run on the event loop.

    ``with_start_fields=False`` leaves out what ``start_fields`` gives (a caller that keeps
    it between answers adds it).

    ``start`` (the user row, the counter and the marks, read in one statement) lets kinds
    that did not change since ``since`` go unread; without it, it is read first here.
    ``opener`` opens the read transaction (``backend.read`` by default); none is opened
    when every requested kind is skipped.
    """
    user_id = user["id"]
    # Before the read transaction: it may seal the token again under this server's key.
    token = ""
    if "user" in types:
        known = start.token if start is not None else None
        token = known or users.api_token(backend, user, presented_token)
    with reader.Lazy(opener or backend.read) as db:
        if start is None:
            start = reader.for_user(db.conn, user_id)
        seq = start.cursor
        since = changes.read_from(since, seq)
        user = start.user
        out: dict[str, Any] = {"seq_no": seq, "seq_no_global": seq, "UserId": user_id}
        # Kinds whose mark is at or below the client's number have nothing new: not read.
        fresh = {t for t in types if t in _MARKS and not start.skip(_MARKS[t], since)}
        # Shared projects, read once, and only when a kind that can be shared is read (the
        # other kinds never look at it).
        seen = changes.View([], [], [], departures=start.may_see_departures)
        if fresh & {"projects", "items", "notes"} and start.has_memberships:
            seen = changes.view(db.conn, user_id, since)
        for kind, key in _PLAIN.items():
            if kind in types:
                out[key] = (
                    fullsync.rendered(db.conn, kind, user_id, since, seen, at_most)
                    if kind in fresh
                    else []
                )
        if "notes" in types:
            found = (
                fullsync.rendered(db.conn, "notes", user_id, since, seen, at_most)
                if "notes" in fresh
                else []
            )
            out["Notes"] = [note for note in found if "item_id" in note]
            out["ProjectNotes"] = [note for note in found if "item_id" not in note]
        if "live_notifications" in types:
            notes_found = (
                notifications.rows_since(db.conn, user_id, since, at_most)
                if "live_notifications" in fresh
                else []
            )
            senders = (
                users.by_ids(db.conn, {row["from_uid"] for row in notes_found})
                if notes_found
                else {}
            )
            out["LiveNotifications"] = [render.live_notification(r, senders) for r in notes_found]
        if "day_orders" in types:
            current = user["day_orders_ts"]
            if day_orders_timestamp is not None and day_orders_timestamp != current:
                if at_most is not None:
                    raise ReadTooLarge("day_orders")  # every ordered item: not bounded
                orders = changes.day_orders(db.conn, user_id)
                out["DayOrders"] = {str(item_id): order for item_id, order in orders.items()}
        if with_start_fields:
            out.update(start_fields(backend, db, start, types, token, now or utcnow()))
    return out


def start_fields(
    backend: Backend,
    db: reader.Lazy,
    start: reader.Start,
    types: AbstractSet[str],
    token: str,
    now: datetime,
) -> dict[str, Any]:
    """The fields of an answer that depend on the start alone (the user row and the marks),
    the user's local date and offset (``now``) and the token — never on the client's
    number: what ``unchanged`` keeps between answers."""
    user = start.user
    out: dict[str, Any] = {}
    if "locations" in types:
        out["Locations"] = []
    if "user" in types:
        done_today = reader.completed_today(backend.remembered, db, start, now)
        out["User"] = render.user(user, token, now, done_today)
    if "live_notifications" in types:
        out["LiveNotificationsLastRead"] = user["live_notifications_last_read"]
    if "day_orders" in types:
        out["DayOrdersTimestamp"] = user["day_orders_ts"]
    if "collaborators" in types:
        # Complete lists every time (spec §2.2): the client replaces them wholesale.
        people, states = reader.collaborators(backend.remembered, db, start)
        out["Collaborators"] = [render.collaborator(r) for r in people]
        out["CollaboratorStates"] = [render.collaborator_state(s) for s in states]
    if "notification_settings" in types:
        out["SettingsNotifications"] = users.notification_settings(user)
    return out


def sync_reads(params: Params) -> tuple[frozenset[str], int]:
    """The resource types a sync asks for and the number it syncs from."""
    text = params.raw("resource_types")
    types = _types_in(text) if text else frozenset()
    if "include_notification_settings" in params and params.flag("include_notification_settings"):
        types = types | {"notification_settings"}
    seq_no = params.integer("seq_no", 0) or 0
    seq_no_global = params.integer("seq_no_global", seq_no) or 0
    return types, max(0, min(seq_no, seq_no_global))


def handle_sync(
    backend: Backend, user: RowMapping, params: Params, start: reader.Start | None = None
) -> dict[str, Any]:
    """Commands first (their own transaction), then the read. ``start`` is the caller's
    token lookup (user, counter, marks); it is stale once commands ran, so it is used
    only for a read-only sync."""
    batch = parse_commands(params, backend.settings.max_commands_per_request)
    types, since = sync_reads(params)
    response: dict[str, Any] = {}
    if batch:
        start = None
        statuses, mapping = run_commands(backend, user["id"], batch)
        response = {"SyncStatus": statuses, "TempIdMapping": mapping}
        if not types:
            # A commit-only answer carries no resource arrays (the client would merge
            # them in before replacing temp ids and end up with duplicates).
            with backend.read() as conn:
                seq = changes.cursor(conn)
            return {"seq_no": seq, "seq_no_global": seq, "UserId": user["id"], **response}
    out = read(
        backend,
        user,
        types,
        since,
        params.text("day_orders_timestamp"),
        params.raw("token"),
        start,
    )
    out.update(response)
    return out


__all__ = ["TOO_MANY_COMMANDS", "TooManyCommands", "handle_sync"]
