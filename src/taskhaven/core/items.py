"""Items (TickTick: tasks): the one set of rules every protocol's task commands go through.

Invariants:

* Every changed row gets ``seq = unit.stamp()`` and ``modified_at = unit.now``.
* ``status`` is the one truth about completion: 0 open, 1 or 2 completed, -1 won't do.
  ``in_history`` says whether a closed item has left the active list (the Sync API leaves
  such items out of a full sync); an open item is never in history.
* The due date is ``due_at``/``all_day`` (a whole-day date is 23:59:59 local time, as in
  Todoist v6). ``date_string`` is its label and ``repeat_flag`` its recurrence as an RRULE;
  every write keeps the three consistent, so a change made through one protocol reads
  the same through the other.

Race: several functions compute "one past the highest ``item_order``" and then write it.
Every write unit holds the change-counter lock until it commits (store/counter.py), so two
such read-then-write sequences can never interleave, on SQLite or on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection, Insert, RowMapping, func, insert, select, update

from taskhaven.core import dates, hierarchy, notes, projects, rows, users
from taskhaven.core.backend import Unit
from taskhaven.core.errors import InvalidArgument, InvalidDateArgument, NotFound
from taskhaven.store.schema import items, labels, reminders
from taskhaven.store.schema import notes as notes_table
from taskhaven.store.schema import users as users_table

OPEN = 0
COMPLETED = 2  # what completing through the Sync API stores (TickTick's web app sets 2 too)
WONT_DO = -1
STATUSES = (WONT_DO, OPEN, 1, COMPLETED)
KINDS = ("TEXT", "NOTE", "CHECKLIST")
DATE_LANGS = frozenset(
    ("en", "da", "pl", "zh", "ko", "de", "pt", "ja", "it", "fr", "sv", "ru", "es", "nl")
)
MAX_CONTENT = 100_000
MAX_DATE_STRING = 255  # the column's width; PostgreSQL would refuse more, SQLite would not
MAX_RULE = 512
MAX_LABELS = 500
MAX_CHECKLIST = 500
MAX_ID = 2**63 - 1
INT32 = 2**31 - 1
_ALL_DAY = time(23, 59, 59)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Bound on rescheduling an overdue item rule by rule: decades of a daily rule.
_MAX_CATCH_UP = 20_000

# Every field ``add`` and ``update_item`` understand (core names = ``items`` columns).
FIELDS = frozenset(
    {
        "description",
        "kind",
        "date_string",
        "date_lang",
        "due_at",
        "all_day",
        "start_at",
        "time_zone",
        "is_floating",
        "repeat_flag",
        "repeat_from",
        "priority",
        "progress",
        "indent",
        "item_order",
        "day_order",
        "collapsed",
        "labels",
        "checklist",
        "assigned_by_uid",
        "responsible_uid",
        "parent_id",
        "status",
        "completed_at",
    }
)
_DATE_KEYS = frozenset({"date_string", "due_at", "all_day", "repeat_flag"})
# A stored row, or a dict standing in for one (RowMapping's keys may also be columns).
Row = Mapping[Any, Any]


# --------------------------------------------------------------------------------------------
# Lookups
# --------------------------------------------------------------------------------------------


def get(conn: Connection, user_id: int, item_id: int, *, live: bool = True) -> RowMapping:
    """An item the user owns; ``live`` also rejects deleted ones."""
    return rows.owned(conn, items, user_id, item_id, "item", live=live)


def by_oid(conn: Connection, user_id: int, oid: str, *, live: bool = True) -> RowMapping:
    return rows.owned_by_oid(conn, items, user_id, oid, "item", live=live)


def is_recurring(row: Row) -> bool:
    """Completing a recurring item reschedules it instead of closing it."""
    return dates.is_recurring(row["date_string"]) or bool(row["repeat_flag"])


# --------------------------------------------------------------------------------------------
# Value checks (the rules both protocols share)
# --------------------------------------------------------------------------------------------


def _text(value: Any, argument: str, max_length: int) -> str:
    # PostgreSQL refuses NUL in text; refusing it here keeps both databases in agreement.
    if not isinstance(value, str) or len(value) > max_length or "\x00" in value:
        raise InvalidArgument(argument)
    return value


def _bool(value: Any, argument: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise InvalidArgument(argument)


def _int(value: Any, argument: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidArgument(argument)
    return value


def _moment(value: Any, argument: str) -> datetime | None:
    """An aware datetime, stored in UTC; a naive one is a caller's bug, reported as such."""
    if value is None:
        return None
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise InvalidArgument(argument, f"Invalid argument value: {argument} (aware datetime)")
    try:
        return value.astimezone(UTC)
    except OverflowError as exc:
        raise InvalidDateArgument(argument) from exc


def _utc(value: datetime | None) -> datetime | None:
    """A stored moment as aware UTC (SQLite hands them back naive, in UTC)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _zone_name(value: Any, argument: str = "time_zone") -> str | None:
    if value is None or value == "":
        return None
    _text(value, argument, 64)
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidArgument(argument, f"Unknown time zone: {value}") from exc
    return str(value)


def check_priority(value: Any) -> int:
    """1..4, 4 the most urgent (the Sync API's scale; TickTick's 0/1/3/5 maps onto it)."""
    return _int(value, "priority", 1, 4)


def check_status(value: Any) -> int:
    if isinstance(value, bool) or value not in STATUSES:
        raise InvalidArgument("status", "Invalid argument value: status (-1, 0, 1 or 2)")
    return int(value)


def _content(value: Any) -> str:
    return _text(value, "content", MAX_CONTENT)


def _kind(value: Any) -> str:
    if value is None:
        return "TEXT"
    if not isinstance(value, str) or value.upper() not in KINDS:
        raise InvalidArgument("kind")
    return value.upper()


def _date_lang(value: Any) -> str:
    if value is None or value == "":
        return "en"
    if not isinstance(value, str) or value not in DATE_LANGS:
        raise InvalidArgument("date_lang")
    return value


def _repeat_flag(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return _text(value, "repeat_flag", MAX_RULE)


def _labels(conn: Connection, user_id: int, value: Any) -> list[int]:
    """Label ids, each a live label of the user; duplicates collapse, order is kept."""
    if not isinstance(value, list | tuple) or len(value) > MAX_LABELS:
        raise InvalidArgument("labels")
    wanted: list[int] = []
    for label_id in value:
        _int(label_id, "labels", 1, MAX_ID)
        if label_id not in wanted:
            wanted.append(label_id)
    if wanted:
        live = set(
            conn.execute(
                select(labels.c.id).where(
                    labels.c.user_id == user_id,
                    labels.c.id.in_(wanted),
                    labels.c.is_deleted.is_(False),
                )
            ).scalars()
        )
        if any(label_id not in live for label_id in wanted):
            raise NotFound("label")
    return wanted


def _checklist(value: Any) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_CHECKLIST:
        raise InvalidArgument("checklist")
    if not all(isinstance(entry, dict) for entry in value):
        raise InvalidArgument("checklist")
    return list(value)


def _uid(conn: Connection, value: Any, argument: str) -> int | None:
    if value is None:
        return None
    _int(value, argument, 1, MAX_ID)
    if conn.execute(select(users_table.c.id).where(users_table.c.id == value)).first() is None:
        raise NotFound("user")
    return int(value)


def _parent(
    conn: Connection, user_id: int, value: Any, *, item_id: int | None, project_id: int
) -> int | None:
    """A live item of the user in the same project, and never one of the item's own
    descendants (that would make the tree a cycle)."""
    if value is None:
        return None
    _int(value, "parent_id", 1, MAX_ID)
    parent = get(conn, user_id, value)
    if parent["project_id"] != project_id:
        raise InvalidArgument("parent_id", "Invalid argument value: parent_id (other project)")
    ancestor: Row | None = parent
    for _ in range(1000):
        if ancestor is None:
            break
        if item_id is not None and ancestor["id"] == item_id:
            raise InvalidArgument("parent_id", "Invalid argument value: parent_id (a cycle)")
        above = ancestor["parent_id"]
        ancestor = (
            None
            if above is None
            else conn.execute(select(items).where(items.c.id == above)).mappings().first()
        )
    return int(value)


def _plain_fields(
    unit: Unit, fields: Mapping[str, Any], *, item_id: int | None, project_id: int
) -> dict[str, Any]:
    """Checked column values for every field that needs no other field to be understood."""
    conn = unit.conn
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "description":
            out[key] = None if value is None else _text(value, key, MAX_CONTENT)
        elif key == "kind":
            out[key] = _kind(value)
        elif key == "start_at":
            out[key] = _moment(value, key)
        elif key == "time_zone":
            out[key] = _zone_name(value)
        elif key in ("is_floating", "collapsed"):
            out[key] = _bool(value, key)
        elif key == "repeat_from":
            out[key] = None if value is None else _int(value, key, 0, 2)
        elif key == "priority":
            out[key] = check_priority(value)
        elif key == "progress":
            out[key] = None if value is None else _int(value, key, 0, 100)
        elif key == "indent":
            out[key] = projects.check_indent(value)
        elif key == "item_order":
            out[key] = projects.check_order(value)
        elif key == "day_order":
            out[key] = _int(value, key, -1, INT32)
        elif key == "labels":
            out[key] = _labels(conn, unit.user_id, value)
        elif key == "checklist":
            out[key] = _checklist(value)
        elif key in ("assigned_by_uid", "responsible_uid"):
            out[key] = _uid(conn, value, key)
        elif key == "parent_id":
            out[key] = _parent(conn, unit.user_id, value, item_id=item_id, project_id=project_id)
    return out


def _check_names(fields: Iterable[str], extra: Iterable[str] = ()) -> None:
    """Unknown names are a caller's (adapter's) bug, not a user's mistake."""
    if not fields:
        return
    unknown = set(fields) - FIELDS - set(extra)
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")


# --------------------------------------------------------------------------------------------
# Dates: date_string, due_at, all_day and repeat_flag kept consistent
# --------------------------------------------------------------------------------------------


def _user(unit: Unit) -> RowMapping:
    """The unit's user, read once per unit while nothing changes (see ``Unit.cached``)."""
    key = _user_key(unit)
    user: RowMapping | None = unit.cached(key)
    if user is None:
        user = users.get(unit.conn, unit.user_id)
        unit.cache(key, user)
    return user


def _user_key(unit: Unit) -> tuple[str, int]:
    return ("users", unit.user_id)


def _user_zone(unit: Unit) -> tuple[ZoneInfo, int]:
    user = _user(unit)
    try:
        zone = ZoneInfo(user["timezone"] or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return zone, int(users.prefs(user)["next_week"])


def _item_zone(unit: Unit, time_zone: str | None) -> ZoneInfo:
    """Recurrence steps in the item's own zone when it has one (V2), else the user's."""
    if time_zone:
        try:
            return ZoneInfo(time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return _user_zone(unit)[0]


def parse_date_string(unit: Unit, text: str, lang: str = "en") -> dates.Due | None:
    """Free text in the user's zone; ``None`` for text that clears the date."""
    zone, next_week = _user_zone(unit)
    try:
        return dates.parse_date_string(
            text, tz=zone, now=unit.now, lang=lang, next_week_day=next_week
        )
    except (ValueError, OverflowError) as exc:  # dates.InvalidDate is a ValueError
        raise InvalidDateArgument("date_string") from exc


def _is_all_day_moment(moment: datetime, zone: ZoneInfo) -> bool:
    """The v6 convention: a whole-day date is 23:59:59 local time."""
    return moment.astimezone(zone).time() == _ALL_DAY


def _label(
    moment: datetime | None,
    all_day: bool,
    rrule: str | None,
    zone: ZoneInfo,
    current: Row | None,
) -> str | None:
    """The date string for a due date set without one (V2 writes, bare ``due_at``)."""
    cur_text = current["date_string"] if current else None
    if rrule:
        # Keep the user's own wording while it still says the same recurrence.
        if cur_text and dates.date_string_to_rrule(cur_text) == rrule:
            return str(cur_text)
        text = dates.rrule_to_date_string(rrule)
        if text:
            if moment is not None and not all_day:
                text += f" at {moment.astimezone(zone):%H:%M}"
            return text
        # A recurrence no date string can say: label the date; repeat_flag still recurs.
    elif (
        current is not None
        and cur_text
        and not dates.is_recurring(cur_text)
        and moment == _utc(current["due_at"])
        and all_day == bool(current["all_day"])
    ):
        return str(cur_text)
    if moment is None:
        return None
    local = moment.astimezone(zone)
    text = f"{local.day} {_MONTHS[local.month - 1]} {local.year}"
    return text if all_day else f"{text} at {local:%H:%M}"


def _date_fields(unit: Unit, current: Row | None, fields: Mapping[str, Any]) -> dict[str, Any]:
    """Column values for the date fields given, consistent with each other.

    * ``date_string`` given: parsed in the user's zone ("" or None clears the date); a
      recurring one also sets ``repeat_flag``. An explicit ``due_at`` wins over the
      string's moment, an explicit ``repeat_flag`` over its rule; the string stays the label.
    * ``due_at``/``repeat_flag``/``all_day`` without ``date_string``: the label follows
      (the user's wording is kept while it still says the same thing).
    """
    out: dict[str, Any] = {}
    lang = current["date_lang"] if current else "en"
    if "date_lang" in fields:
        lang = out["date_lang"] = _date_lang(fields["date_lang"])
    if not _DATE_KEYS & fields.keys():
        return out
    time_zone = fields.get("time_zone", current["time_zone"] if current else None)
    zone = _item_zone(unit, time_zone if isinstance(time_zone, str) else None)
    moment: datetime | None
    label: str | None
    rrule: str | None

    if "date_string" in fields:
        text = fields["date_string"]
        if text is not None:
            _text(text, "date_string", MAX_DATE_STRING)
        due = parse_date_string(unit, text, lang) if text and text.strip() else None
        label = text if due is not None else None
        moment = due.moment if due is not None else None
        all_day = due.all_day if due is not None else False
        rrule = dates.date_string_to_rrule(text) if due is not None and due.recurring else None
        if fields.get("due_at") is not None:
            moment = _moment(fields["due_at"], "due_at")
            all_day = _is_all_day_moment(moment, zone) if moment else False
        if "all_day" in fields and moment is not None:
            all_day = _bool(fields["all_day"], "all_day")
        if "repeat_flag" in fields:
            rrule = _repeat_flag(fields["repeat_flag"])
    else:
        if "due_at" in fields:
            moment = _moment(fields["due_at"], "due_at")
            all_day = moment is not None and _is_all_day_moment(moment, zone)
        else:
            moment = _utc(current["due_at"]) if current else None
            all_day = bool(current["all_day"]) if current else False
        if "all_day" in fields:
            all_day = _bool(fields["all_day"], "all_day")
        rrule = (
            _repeat_flag(fields["repeat_flag"])
            if "repeat_flag" in fields
            else (current["repeat_flag"] if current else None)
        )
        label = _label(moment, all_day and moment is not None, rrule, zone, current)
    out.update(
        date_string=label,
        due_at=moment,
        all_day=bool(all_day and moment is not None),
        repeat_flag=rrule,
    )
    return out


def _next_due(unit: Unit, row: Row, date_string: str | None) -> datetime:
    """The due moment after completing one occurrence (strictly after the current one, and
    not in the past: a week-overdue daily item becomes due today, not six days ago)."""
    zone = _item_zone(unit, row["time_zone"])
    current = _utc(row["due_at"]) or unit.now
    try:
        if dates.is_recurring(date_string):
            assert date_string is not None
            return dates.next_occurrence(date_string, current, tz=zone, now=unit.now)
        rrule = row["repeat_flag"]
        if not rrule:
            raise InvalidArgument("id", "Invalid argument value: id (the item does not recur)")
        moment = dates.next_rrule_occurrence(rrule, current, tz=zone)
        for _ in range(_MAX_CATCH_UP):
            if moment > unit.now:
                break
            moment = dates.next_rrule_occurrence(rrule, moment, tz=zone)
        return moment
    except (ValueError, OverflowError) as exc:
        raise InvalidDateArgument("date_string") from exc


# --------------------------------------------------------------------------------------------
# Writes
# --------------------------------------------------------------------------------------------


def _touch(unit: Unit, item_ids: int | Iterable[int], values: Mapping[str, Any]) -> None:
    wanted = [item_ids] if isinstance(item_ids, int) else list(item_ids)
    if not wanted:
        return
    unit.conn.execute(
        update(items)
        .where(items.c.user_id == unit.user_id, items.c.id.in_(wanted))
        .values(seq=unit.stamp(), modified_at=unit.now, **values)
    )


def _top_order(conn: Connection, user_id: int, project_id: int) -> int | None:
    """The highest ``item_order`` of a live item in the project (None: no such item)."""
    top = conn.execute(
        select(func.max(items.c.item_order)).where(
            items.c.user_id == user_id,
            items.c.project_id == project_id,
            items.c.is_deleted.is_(False),
        )
    ).scalar()
    return None if top is None else int(top)


def _after(top: int | None) -> int:
    return min((top or 0) + 1, MAX_ID)


def _next_order(conn: Connection, user_id: int, project_id: int) -> int:
    """One past the highest ``item_order`` in the project: "append at the end"."""
    return _after(_top_order(conn, user_id, project_id))


def _top_order_key(project_id: int) -> tuple[str, int]:
    return ("items.top_order", project_id)


def _cached_top_order(unit: Unit, project_id: int) -> int | None:
    """``_top_order`` through the unit's cache (kept as a 1-tuple: None is a value here)."""
    key = _top_order_key(project_id)
    top: tuple[int | None] | None = unit.cached(key)
    if top is None:
        top = (_top_order(unit.conn, unit.user_id, project_id),)
        unit.cache(key, top)
    return top[0]


def touch_day_orders(unit: Unit) -> None:
    """Move the user's ``day_orders_ts`` forward (§2.6): a client holding the old value
    then receives the whole ``DayOrders`` map on its next sync.

    The value is unix seconds with a fraction, strictly increasing even when two changes
    fall within the same millisecond.
    """
    user = users.get(unit.conn, unit.user_id)
    try:
        old = float(user["day_orders_ts"])
    except (TypeError, ValueError):
        old = 0.0
    value = max(unit.now.timestamp(), old + 0.001)
    text = f"{value:.3f}"
    while text == user["day_orders_ts"]:  # pragma: no cover - float rounding guard
        value += 0.001
        text = f"{value:.3f}"
    unit.conn.execute(
        update(users_table)
        .where(users_table.c.id == unit.user_id)
        .values(day_orders_ts=text, seq=unit.stamp())
    )


def _completion(unit: Unit, row: Row, status: int, at: Any = None) -> dict[str, Any]:
    """Column values for a status change; counts a completion when an item becomes done."""
    status = check_status(status)
    if status == OPEN:
        return {"status": OPEN, "in_history": False, "completed_at": None, "completed_by": None}
    moment = _moment(at, "completed_at")
    if moment is None:
        # Closing an already closed item keeps its first completion time.
        moment = _utc(row["completed_at"]) if row["status"] != OPEN else None
    if status != WONT_DO and row["status"] in (OPEN, WONT_DO):
        users.add_completed(unit, 1)
    return {
        "status": status,
        "in_history": True,
        "completed_at": moment or unit.now,
        "completed_by": row["completed_by"] if row["status"] == status else unit.user_id,
    }


def add(
    unit: Unit,
    *,
    content: Any,
    project_id: int | None = None,
    oid: str | None = None,
    **fields: Any,
) -> RowMapping:
    """Create an item in a live project of the user (the Inbox when none is given).

    ``oid`` is a client-chosen string id, kept when well formed and free.
    """
    row_id, row = _add(unit, content, project_id, oid, fields, _INSERT)
    if row is None:
        return get(unit.conn, unit.user_id, row_id)
    return row


def create(
    unit: Unit,
    *,
    content: Any,
    project_id: int | None = None,
    oid: str | None = None,
    **fields: Any,
) -> int:
    """``add`` for a caller that needs only the new item's id (the Sync API's
    ``item_add``): the same rules, without reading the row back."""
    return _add(unit, content, project_id, oid, fields, _INSERT_ID)[0]


def _add(
    unit: Unit,
    content: Any,
    project_id: int | None,
    oid: str | None,
    fields: Mapping[str, Any],
    statement: Insert,
) -> tuple[int, RowMapping | None]:
    """The new item's id, and its row when ``statement`` returns one and nothing changed
    the row after the insert."""
    _check_names(fields)
    conn = unit.conn
    project = projects.live(unit, project_id)
    values: dict[str, Any] = {"content": _content(content)}
    values.update(_plain_fields(unit, fields, item_id=None, project_id=project["id"]))
    values.update(_date_fields(unit, None, fields))
    if fields.get("status") is not None:
        values.update(
            _completion(
                unit,
                {"status": OPEN, "completed_at": None, "completed_by": None},
                fields["status"],
                fields.get("completed_at"),
            )
        )
    top = _cached_top_order(unit, project["id"])
    if values.get("item_order") is None:
        values["item_order"] = _after(top)
    parent_id = values.pop("parent_id", None)
    oid = rows.fresh_oid(conn, items, oid)
    # A new row changes no row read before: the project and the user stay cached, and
    # the project's highest order is known without reading it again.
    seq = unit.stamp_keeping(projects.cache_key(project_id), _user_key(unit))
    values.update(
        oid=oid,
        user_id=unit.user_id,
        project_id=project["id"],
        is_archived=bool(project["is_archived"]),
        created_at=unit.now,
        modified_at=unit.now,
        seq=seq,
    )
    result = conn.execute(statement, values)
    row: RowMapping | None = None
    if statement is _INSERT:
        row = result.mappings().one()
        row_id = int(row["id"])
    else:
        key = result.inserted_primary_key
        assert key is not None, "an INSERT of one row has a primary key"
        row_id = int(key[0])
    order = values["item_order"]
    unit.cache(_top_order_key(project["id"]), (order if top is None else max(top, order),))
    if parent_id is not None:
        hierarchy.set_parent(unit, row_id, parent_id)
    elif values.get("indent", 1) > 1 or "item_order" in fields:
        parents_from_indents(unit, project["id"])
    if values.get("day_order", -1) != -1:
        touch_day_orders(unit)
    # Every change draws a stamp: none since the insert means the row is as returned.
    return row_id, row if unit.seqs.last == seq else None


# Prebuilt: building and coercing a statement per call cost more than running it.
_INSERT = insert(items).returning(items)
_INSERT_ID = insert(items)  # the id comes back as inserted_primary_key


def add_note(unit: Unit, item_id: int, content: Any) -> int:
    """A note on a live item (``item_add`` with an inline ``note``); returns its id."""
    return int(notes.add(unit, content=content, item_id=item_id)["id"])


def update_item(unit: Unit, item_id: int, changes: Mapping[str, Any]) -> RowMapping:
    """Update the given fields (core names) of a live item, each one checked.

    ``content`` and ``project_id`` are accepted too; a different ``project_id`` moves the
    item (with its sub-items) like ``move``. ``status`` follows ``set_status``.
    """
    _check_names(changes, ("content", "project_id"))
    row = get(unit.conn, unit.user_id, item_id)
    target = changes.get("project_id")
    if target is not None and target != row["project_id"]:
        move(unit, item_id, target)
        row = get(unit.conn, unit.user_id, item_id)
    values: dict[str, Any] = {}
    if "content" in changes:
        values["content"] = _content(changes["content"])
    values.update(_plain_fields(unit, changes, item_id=item_id, project_id=row["project_id"]))
    values.update(_date_fields(unit, row, changes))
    if changes.get("status") is not None:
        values.update(_completion(unit, row, changes["status"], changes.get("completed_at")))
    elif changes.get("completed_at") is not None and row["status"] != OPEN:
        values["completed_at"] = _moment(changes["completed_at"], "completed_at")
    reparent = "parent_id" in values and values["parent_id"] != row["parent_id"]
    parent_id = values.pop("parent_id", None)
    if values:
        _touch(unit, item_id, values)
        if "day_order" in values and values["day_order"] != row["day_order"]:
            touch_day_orders(unit)
    if reparent:
        # The parent link decides the place in the list (core/hierarchy.py).
        if parent_id is None:
            hierarchy.unset_parent(unit, item_id)
        else:
            hierarchy.set_parent(unit, item_id, parent_id)
    elif "indent" in values or "item_order" in values:
        parents_from_indents(unit, row["project_id"])
    return get(unit.conn, unit.user_id, item_id)


def parents_from_indents(unit: Unit, project_id: int) -> None:
    """After a Sync API client reorders or re-indents, the flat tree decides ``parent_id``:
    an item's parent is the nearest item above it with a smaller indent.

    The reverse of core/hierarchy.py, so that V2 readers see the sub-tasks a v6 client
    made. Items in history are not in the list; a link to such a parent is kept.
    """
    listing = unit.conn.execute(
        select(items.c.id, items.c.indent, items.c.parent_id)
        .where(
            items.c.user_id == unit.user_id,
            items.c.project_id == project_id,
            items.c.is_deleted.is_(False),
            items.c.in_history.is_(False),
        )
        .order_by(items.c.item_order, items.c.id)
    ).all()
    listed = {row_id for row_id, _indent, _parent in listing}
    above: list[tuple[int, int]] = []  # (indent, id) of the open ancestors
    for row_id, indent, parent in listing:
        while above and above[-1][0] >= indent:
            above.pop()
        wanted = above[-1][1] if above else None
        if parent is not None and parent not in listed:
            wanted = parent
        if wanted != parent:
            _touch(unit, row_id, {"parent_id": wanted})
        above.append((indent, row_id))


def _subtree(conn: Connection, user_id: int, row: Row) -> list[int]:
    """The item and its sub-items, in list order: the v6 flat tree (the items after it in
    the project, by ``item_order``, with a deeper indent) plus its ``parent_id`` descendants."""
    found: list[int] = [row["id"]]
    if not row["in_history"]:
        siblings = conn.execute(
            select(items.c.id, items.c.indent)
            .where(
                items.c.user_id == user_id,
                items.c.project_id == row["project_id"],
                items.c.is_deleted.is_(False),
                items.c.in_history.is_(False),
            )
            .order_by(items.c.item_order, items.c.id)
        ).all()
        inside = False
        for sibling_id, indent in siblings:
            if inside:
                if indent <= row["indent"]:
                    break
                found.append(sibling_id)
            elif sibling_id == row["id"]:
                inside = True
    frontier = list(found)
    while frontier:
        children = conn.execute(
            select(items.c.id)
            .where(
                items.c.user_id == user_id,
                items.c.parent_id.in_(frontier),
                items.c.is_deleted.is_(False),
            )
            .order_by(items.c.item_order, items.c.id)
        ).scalars()
        frontier = [child for child in children if child not in found]
        found.extend(frontier)
    return found


def delete(unit: Unit, item_id: int) -> None:
    """Soft-delete the item, its sub-items, and their notes and reminders.

    Deleting an item that is already deleted succeeds and changes nothing: deleting a
    parent takes its children along, and a client may name both in one ``item_delete``.
    """
    row = get(unit.conn, unit.user_id, item_id, live=False)
    if row["is_deleted"]:
        return
    family = _subtree(unit.conn, unit.user_id, row)
    _touch(unit, family, {"is_deleted": True})
    seq = unit.stamp()
    unit.conn.execute(
        update(notes_table)
        .where(
            notes_table.c.user_id == unit.user_id,
            notes_table.c.item_id.in_(family),
            notes_table.c.is_deleted.is_(False),
        )
        .values(is_deleted=True, seq=seq)
    )
    unit.conn.execute(
        update(reminders)
        .where(
            reminders.c.user_id == unit.user_id,
            reminders.c.item_id.in_(family),
            reminders.c.is_deleted.is_(False),
        )
        .values(is_deleted=True, seq=seq)
    )


def move(unit: Unit, item_id: int, to_project_id: int) -> None:
    """Move the item and its sub-items to the end of another live project of the user.

    Relative indents are kept, with the moved item at indent 1; its ``parent_id`` is
    dropped (the parent stays behind). The notes of the moved items follow them.
    """
    row = get(unit.conn, unit.user_id, item_id)
    target = projects.get(unit.conn, unit.user_id, to_project_id)
    if target["id"] == row["project_id"]:
        return
    family = _subtree(unit.conn, unit.user_id, row)
    indents = dict(
        unit.conn.execute(select(items.c.id, items.c.indent).where(items.c.id.in_(family))).all()
    )
    start = _next_order(unit.conn, unit.user_id, target["id"])
    for position, member in enumerate(family):
        values: dict[str, Any] = {
            "project_id": target["id"],
            "item_order": min(start + position, MAX_ID),
            "indent": max(1, min(4, indents[member] - row["indent"] + 1)),
            "is_archived": bool(target["is_archived"]),
        }
        if member == item_id:
            values["parent_id"] = None
        _touch(unit, member, values)
    unit.conn.execute(
        update(notes_table)
        .where(
            notes_table.c.user_id == unit.user_id,
            notes_table.c.item_id.in_(family),
            notes_table.c.is_deleted.is_(False),
        )
        .values(project_id=target["id"], is_archived=bool(target["is_archived"]), seq=unit.stamp())
    )


def complete(unit: Unit, item_id: int, *, force_history: bool) -> None:
    """Check the item (recurring or not); ``force_history`` also moves it to history."""
    row = get(unit.conn, unit.user_id, item_id)
    status = row["status"] if row["status"] not in (OPEN, WONT_DO) else COMPLETED
    values = _completion(unit, row, status)
    values["in_history"] = bool(force_history) or (row["status"] != OPEN and row["in_history"])
    _touch(unit, item_id, values)


def uncomplete(
    unit: Unit,
    item_id: int,
    *,
    restore: tuple[Any, Any, Any, Any] | None = None,
    to_end: bool = True,
) -> None:
    """Reopen the item. ``restore`` = (in_history, checked, item_order, indent) wins when
    given; otherwise ``to_end`` gives an item coming back from history a fresh place (a
    checked sub-item that never left the list keeps its place)."""
    row = get(unit.conn, unit.user_id, item_id)
    values = _completion(unit, row, OPEN)
    if restore is not None:
        in_history, checked, item_order, indent = restore
        checked = _bool(checked, "checked")
        values["item_order"] = projects.check_order(item_order)
        values["indent"] = projects.check_indent(indent)
        if checked:
            values.update(_completion(unit, row, row["status"] or COMPLETED))
        # An open item is never in history (a full sync would hide it).
        values["in_history"] = _bool(in_history, "in_history") and checked
    elif to_end and row["in_history"]:
        # Back from history: under its parent when that is still in the list, else at
        # the end of the project, top-level.
        parent = _listed_parent(unit.conn, unit.user_id, row)
        if parent is None:
            values.update(
                item_order=_next_order(unit.conn, unit.user_id, row["project_id"]),
                indent=1,
                parent_id=None,
            )
        _touch(unit, item_id, values)
        if parent is not None:
            hierarchy.set_parent(unit, item_id, parent)
        return
    _touch(unit, item_id, values)
    if restore is not None:
        parents_from_indents(unit, row["project_id"])


def _listed_parent(conn: Connection, user_id: int, row: Row) -> int | None:
    """The item's parent if it is live, open and in the same project."""
    if row["parent_id"] is None:
        return None
    parent = (
        conn.execute(
            select(items.c.id).where(
                items.c.user_id == user_id,
                items.c.id == row["parent_id"],
                items.c.project_id == row["project_id"],
                items.c.is_deleted.is_(False),
                items.c.in_history.is_(False),
            )
        )
        .scalars()
        .first()
    )
    return None if parent is None else int(parent)


def close(unit: Unit, item_id: int) -> None:
    """What the apps do on tap: a recurring item moves to its next occurrence; a sub-item
    is checked but stays in the list; any other item is checked and goes to history."""
    row = get(unit.conn, unit.user_id, item_id)
    if is_recurring(row):
        _reschedule(unit, row, new_date=None, date_string=None, forward=True)
    elif row["indent"] > 1 or row["parent_id"] is not None:
        complete(unit, item_id, force_history=False)
    else:
        complete(unit, item_id, force_history=True)


def update_date_complete(
    unit: Unit,
    item_id: int,
    *,
    new_date: datetime | None,
    date_string: str | None,
    is_forward: bool,
) -> None:
    """Complete one occurrence of a recurring item (``is_forward``) or undo one.

    The item stays open. ``new_date`` sets the due moment; without it the next occurrence
    is computed (from ``date_string`` when given, which is then stored as the item's).
    """
    row = get(unit.conn, unit.user_id, item_id)
    _reschedule(unit, row, new_date=new_date, date_string=date_string, forward=is_forward)


def _reschedule(
    unit: Unit,
    row: Row,
    *,
    new_date: datetime | None,
    date_string: str | None,
    forward: bool,
) -> None:
    values: dict[str, Any] = {"status": OPEN, "in_history": False}
    text = row["date_string"]
    if date_string:
        _text(date_string, "date_string", MAX_DATE_STRING)
        parsed = parse_date_string(unit, date_string, row["date_lang"])
        text = date_string if parsed is not None else None
        values["date_string"] = text
        values["repeat_flag"] = (
            dates.date_string_to_rrule(date_string) if parsed and parsed.recurring else None
        )
        if parsed is not None:
            values["all_day"] = parsed.all_day
        if new_date is None and parsed is not None and not parsed.recurring:
            new_date = parsed.moment
    if new_date is not None:
        moment = _moment(new_date, "new_date")
        assert moment is not None
        if values.get("all_day", row["all_day"]):
            # A whole-day item stays whole-day: the end of the new date's local day.
            zone = _item_zone(unit, row["time_zone"])
            local_day = moment.astimezone(zone).date()
            moment = datetime.combine(local_day, _ALL_DAY, zone).astimezone(UTC)
        values["due_at"] = moment
    else:
        merged = {**row, **values}
        if not (dates.is_recurring(text) or merged["repeat_flag"]):
            raise InvalidArgument("id", "Invalid argument value: id (the item does not recur)")
        values["due_at"] = _next_due(unit, merged, text)
    if forward:
        users.add_completed(unit, 1)
        values["completed_at"] = unit.now
        values["completed_by"] = unit.user_id
    else:
        users.add_completed(unit, -1)
        values["completed_at"] = None
        values["completed_by"] = None
    _touch(unit, row["id"], values)


def set_order_indent(unit: Unit, item_id: int, item_order: Any, indent: Any) -> None:
    row = get(unit.conn, unit.user_id, item_id)
    order, depth = projects.check_order(item_order), projects.check_indent(indent)
    _touch(unit, item_id, {"item_order": order, "indent": depth})
    parents_from_indents(unit, row["project_id"])


def set_day_order(unit: Unit, item_id: int, day_order: Any) -> None:
    """Place the item in the Today / Next 7 days views (-1 = no place of its own)."""
    get(unit.conn, unit.user_id, item_id)
    _touch(unit, item_id, {"day_order": _int(day_order, "day_order", -1, INT32)})
    touch_day_orders(unit)


def set_status(
    unit: Unit, item_id: int, status: int, *, completed_at: datetime | None = None
) -> None:
    """The V2 path: 0 reopens (clears completed_at/by), 1 or 2 complete (to history),
    -1 is "won't do". Recurrence is not advanced here; ``close`` does that."""
    row = get(unit.conn, unit.user_id, item_id)
    _touch(unit, item_id, _completion(unit, row, status, completed_at))
