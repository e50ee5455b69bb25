"""Reminders on items: relative (minutes before the due time), absolute, or location.

A relative reminder's meaning is ``minute_offset``: minutes *before* the item's due moment
(negative = after, as TickTick's all-day triggers need). Only the fields of a reminder's
type are stored; the others are cleared.

``trigger`` is stored text the core never reads: a client's own spelling of the offset
(TickTick's iCalendar ``TRIGGER:-PT0DT0H30M``), written by the adapter that parsed it into
``minute_offset`` in the same call, and kept so that client reads back what it sent. It is
None when the adapter's usual spelling says the offset (the adapter renders it from
``minute_offset``), and any write that changes the offset without a new spelling drops it.
Rows written before the codec moved to the adapters hold that usual spelling; they read the
same.

Invariant: a reminder is part of its task as TickTick shows it, so every reminder write
also gives its item (both items, when a reminder moves) a fresh ``seq`` in the same unit;
"did this task change since S" is then ``item.seq > S`` alone.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, RowMapping

from taskhaven.core import columns, items, rows, users, zones
from taskhaven.core.backend import Unit
from taskhaven.core.dates import InvalidDate, parse_date_string
from taskhaven.core.errors import InvalidArgument, InvalidDateArgument, MissingArgument
from taskhaven.core.limits import DATE_LANGS
from taskhaven.store.schema import reminders

TYPES = ("relative", "absolute", "location")
SERVICES = ("email", "mobile", "push")
LOC_TRIGGERS = ("on_enter", "on_leave")
LOCATION_FIELDS = ("name", "loc_lat", "loc_long", "loc_trigger", "radius")
ABSOLUTE_FIELDS = ("due_at", "date_string")
RELATIVE_FIELDS = ("minute_offset", "trigger")
FIELDS = (
    "notify_uid",
    "service",
    "type",
    "date_lang",
    *ABSOLUTE_FIELDS,
    *RELATIVE_FIELDS,
    *LOCATION_FIELDS,
)
DEFAULT_RADIUS = 100
MAX_RADIUS = 1_000_000
MAX_OFFSET = 10 * 366 * 24 * 60  # ten years, in minutes
MAX_NAME = columns.length("reminders", "name")
MAX_TRIGGER = columns.length("reminders", "trigger")


class Offset(NamedTuple):
    """What a client that knows reminders only as offsets from the due time sees of one."""

    minute_offset: int  # minutes before the due moment
    trigger: str | None = None  # the client's own spelling of it, when kept


def get(conn: Connection, user_id: int, reminder_id: int, *, live: bool = True) -> RowMapping:
    return rows.owned(conn, reminders, user_id, reminder_id, "reminder", live=live)


def by_oid(conn: Connection, user_id: int, oid: str, *, live: bool = True) -> RowMapping:
    return rows.owned_by_oid(conn, reminders, user_id, oid, "reminder", live=live)


def for_item(conn: Connection, user_id: int, item_id: int) -> list[RowMapping]:
    """The item's live reminders, in the order they were made."""
    mine = reminders.c.item_id == item_id
    return rows.live(conn, reminders, user_id, mine, order_by=(reminders.c.id,))


def _check_offset(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > MAX_OFFSET:
        raise InvalidArgument("minute_offset")
    return value


def _check_choice(value: Any, choices: Collection[str], argument: str) -> str:
    if value not in choices:
        raise InvalidArgument(argument)
    return str(value)


def _check_coordinate(value: Any, argument: str, limit: float) -> str:
    """Coordinates are stored as the text sent (the Sync API sends strings)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InvalidArgument(argument)
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError as exc:
        raise InvalidArgument(argument) from exc
    if not -limit <= number <= limit or len(text) > 32:
        raise InvalidArgument(argument)
    return text


def _check_moment(value: Any) -> datetime:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise InvalidDateArgument("due_at")
    # Reminders fire on the minute; seconds would only make clients disagree.
    moment: datetime = value.astimezone(UTC)
    return moment.replace(second=0, microsecond=0)


def _infer_type(fields: Mapping[str, Any]) -> str | None:
    """Location fields win over due fields, which win over an offset."""
    if any(fields.get(k) is not None for k in LOCATION_FIELDS):
        return "location"
    if any(fields.get(k) is not None for k in ABSOLUTE_FIELDS):
        return "absolute"
    if any(fields.get(k) is not None for k in RELATIVE_FIELDS):
        return "relative"
    return None


def _relative(
    fields: Mapping[str, Any], item: RowMapping, auto_reminder: int, *, check_due: bool
) -> dict[str, Any]:
    if check_due and item["due_at"] is None:
        raise InvalidArgument(
            "type", "Invalid argument value: type (a relative reminder needs an item due date)"
        )
    offset = fields.get("minute_offset")
    trigger = fields.get("trigger")
    if offset is None:
        if trigger is not None:
            raise MissingArgument("minute_offset")  # a spelling of no offset
        offset = auto_reminder
    if trigger is not None:
        trigger = rows.text(trigger, "trigger", max_length=MAX_TRIGGER)
    return {"minute_offset": _check_offset(offset), "trigger": trigger}


def _absolute(unit: Unit, fields: Mapping[str, Any], user: RowMapping) -> dict[str, Any]:
    date_string = fields.get("date_string")
    if date_string is not None:
        date_string = rows.text(
            date_string, "date_string", max_length=columns.length("reminders", "date_string")
        )
    due_at = fields.get("due_at")
    if due_at is None:
        if date_string is None:
            raise MissingArgument("date_string")
        prefs = users.prefs(user)
        try:
            due = parse_date_string(
                date_string,
                tz=zones.zone_or_utc(user["timezone"]),
                now=unit.now,
                lang=fields.get("date_lang") or "en",
                next_week_day=prefs["next_week"],
            )
        except InvalidDate as exc:
            raise InvalidDateArgument("date_string") from exc
        if due is None:
            raise InvalidDateArgument("date_string")
        due_at = due.moment
    return {"due_at": _check_moment(due_at), "date_string": date_string}


def _location(fields: Mapping[str, Any]) -> dict[str, Any]:
    for key in ("loc_lat", "loc_long"):
        if fields.get(key) is None:
            raise MissingArgument(key)
    name = fields.get("name")
    radius = fields.get("radius")
    if radius is None:
        radius = DEFAULT_RADIUS
    if isinstance(radius, bool) or not isinstance(radius, int) or not 0 <= radius <= MAX_RADIUS:
        raise InvalidArgument("radius")
    return {
        "name": None if name is None else rows.text(name, "name", max_length=MAX_NAME),
        "loc_lat": _check_coordinate(fields["loc_lat"], "loc_lat", 90),
        "loc_long": _check_coordinate(fields["loc_long"], "loc_long", 180),
        "loc_trigger": _check_choice(
            fields.get("loc_trigger") or "on_enter", LOC_TRIGGERS, "loc_trigger"
        ),
        "radius": radius,
    }


def _values(
    unit: Unit,
    item: RowMapping,
    fields: Mapping[str, Any],
    kind: str | None,
    *,
    check_due: bool = True,
) -> dict[str, Any]:
    """Every column of a reminder of type ``kind`` from ``fields`` (core names, None = unset).

    ``check_due`` = False spares an unrelated update (say, of ``service``) of a relative
    reminder whose item has lost its due date since.
    """
    user = users.get(unit.conn, unit.user_id)
    prefs = users.prefs(user)
    kind = _check_choice(kind or _infer_type(fields) or "relative", TYPES, "type")
    notify_uid = fields.get("notify_uid")
    # Reminders are personal (only notify_uid sees them); until projects can be shared,
    # the only user a reminder may notify is its owner.
    if notify_uid is not None and notify_uid != unit.user_id:
        raise InvalidArgument("notify_uid")
    default_service = prefs["default_reminder"]
    service = fields.get("service") or (default_service if default_service in SERVICES else "email")
    values: dict[str, Any] = dict.fromkeys((*ABSOLUTE_FIELDS, *RELATIVE_FIELDS, *LOCATION_FIELDS))
    values.update(
        type=kind,
        notify_uid=unit.user_id,
        service=_check_choice(service, SERVICES, "service"),
        date_lang=_check_choice(fields.get("date_lang") or "en", DATE_LANGS, "date_lang"),
        item_id=item["id"],
    )
    if kind == "relative":
        values.update(_relative(fields, item, prefs["auto_reminder"], check_due=check_due))
    elif kind == "absolute":
        values.update(_absolute(unit, fields, user))
    else:
        values.update(_location(fields))
    return values


def add(
    unit: Unit,
    *,
    item_id: int,
    notify_uid: int | None = None,
    service: str | None = None,
    type: str | None = None,  # the field's name in both protocols
    date_string: str | None = None,
    date_lang: str | None = None,
    due_at: datetime | None = None,
    minute_offset: int | None = None,
    trigger: str | None = None,
    name: str | None = None,
    loc_lat: str | float | None = None,
    loc_long: str | float | None = None,
    loc_trigger: str | None = None,
    radius: int | None = None,
    oid: str | None = None,
    require_due: bool = True,
) -> RowMapping:
    """Create a reminder; ``type`` is inferred from the fields given when absent.

    A reminder with no type-specific field at all is relative, at the user's
    ``auto_reminder`` offset (what the apps do for "add reminder"). ``require_due`` = False
    lets a relative reminder wait for its item's due date (TickTick tasks carry reminder
    triggers whether or not they have a date; the Sync API refuses such reminders).
    ``trigger`` is a client's spelling of ``minute_offset``, stored as given (see above).
    """
    fields = {
        "notify_uid": notify_uid,
        "service": service,
        "date_string": date_string,
        "date_lang": date_lang,
        "due_at": due_at,
        "minute_offset": minute_offset,
        "trigger": trigger,
        "name": name,
        "loc_lat": loc_lat,
        "loc_long": loc_long,
        "loc_trigger": loc_trigger,
        "radius": radius,
    }
    item = items.get(unit.conn, unit.user_id, item_id)
    values = _values(unit, item, fields, type, check_due=require_due)
    scope = [reminders.c.item_id == item["id"]]
    reminder_id = rows.create(unit, reminders, oid, values, scope)
    items.stamp(unit, [item["id"]])
    return get(unit.conn, unit.user_id, reminder_id)


def update_reminder(
    unit: Unit, reminder_id: int, changes: Mapping[str, Any], *, require_due: bool = True
) -> RowMapping:
    """Apply ``changes`` (core names; ``item_id`` moves it) and re-check the whole reminder.

    Without ``type``, a change to another type's fields switches to that type (as on add);
    otherwise the type stays. A changed ``minute_offset`` replaces the stored ``trigger`` too
    (with the one given, or none), and
    a changed ``due_at`` without ``date_string`` drops the old text, which would be stale.
    """
    row = get(unit.conn, unit.user_id, reminder_id)
    changed = {k: v for k, v in changes.items() if k in (*FIELDS, "item_id")}
    kind = changed.get("type") or _infer_type(changed) or row["type"]
    fields: dict[str, Any] = {k: row[k] for k in FIELDS if k != "type"}
    if any(k in changed for k in RELATIVE_FIELDS):
        fields.update(minute_offset=None, trigger=None)
    if "due_at" in changed and "date_string" not in changed:
        fields["date_string"] = None
    if "date_string" in changed and "due_at" not in changed:
        fields["due_at"] = None
    fields.update({k: v for k, v in changed.items() if k not in ("type", "item_id")})
    item_id = changed.get("item_id") or row["item_id"]
    item = items.get(unit.conn, unit.user_id, item_id)
    check_due = require_due and (
        kind != row["type"] or "item_id" in changed or any(k in changed for k in RELATIVE_FIELDS)
    )
    values = _values(unit, item, fields, kind, check_due=check_due)
    rows.touch(unit, reminders, reminder_id, values)
    items.stamp(unit, {row["item_id"], item["id"]})
    return get(unit.conn, unit.user_id, reminder_id)


def delete(unit: Unit, reminder_id: int) -> None:
    row = get(unit.conn, unit.user_id, reminder_id)
    rows.touch(unit, reminders, reminder_id, {"is_deleted": True})
    items.stamp(unit, [row["item_id"]])


# --------------------------------------------------------------------------------------------
# Offsets: the reminders a client that knows only offsets from the due time (TickTick V1,
# V2) sees and writes.
# --------------------------------------------------------------------------------------------


def offsets(item: Mapping[Any, Any], found: Iterable[Mapping[Any, Any]]) -> dict[str, Offset]:
    """String id -> offset of the reminders an offset-only client sees, in ``found``'s order.

    Relative reminders as they are; absolute ones as an offset from the item's due moment
    (when it has one, and within ``MAX_OFFSET``); location reminders have no such form.
    """
    out: dict[str, Offset] = {}
    for reminder in found:
        if reminder["type"] == "relative":
            out[reminder["oid"]] = Offset(reminder["minute_offset"], reminder["trigger"])
        elif reminder["type"] == "absolute" and reminder["due_at"] and item["due_at"]:
            seconds = (item["due_at"] - reminder["due_at"]).total_seconds()
            minutes = int(seconds // 60)
            if abs(minutes) <= MAX_OFFSET:
                out[reminder["oid"]] = Offset(minutes)
    return out


def replace_offsets(unit: Unit, item_id: int, wanted: Mapping[str, Offset]) -> None:
    """Make the item's offset-visible reminders (``offsets``) exactly ``wanted``: new ids are
    added as relative reminders, changed offsets (or spellings) rewritten, missing ones
    deleted.

    Location reminders (and absolute ones no offset can say) are invisible to such a
    client, so it cannot mean to remove them: they are kept. An offset may wait for the
    item's due date (TickTick tasks carry reminders with or without one).
    """
    item = items.get(unit.conn, unit.user_id, item_id)
    existing = for_item(unit.conn, unit.user_id, item_id)
    by_oid = {row["oid"]: row for row in existing}
    seen = offsets(item, existing)
    for oid, offset in wanted.items():
        row = by_oid.get(oid)
        fields = {"type": "relative", **offset._asdict()}
        if row is None:
            add(unit, item_id=item_id, oid=oid, require_due=False, **fields)
        elif seen.get(oid) != offset:
            update_reminder(unit, row["id"], fields, require_due=False)
    for row in existing:
        if row["oid"] in seen and row["oid"] not in wanted:
            delete(unit, row["id"])
