"""TickTick's codes, shared by the V1 and V2 adapters (architecture §2).

The core keeps one meaning per concept; this module converts between it and the codes the
TickTick protocols use. Every function is pure, so the tables in ``docs/v2-api.md`` can be
checked against it by tests.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrulestr
from pydantic_extra_types.color import Color

from taskhaven.core.dates import format_v2
from taskhaven.core.errors import InvalidArgument
from taskhaven.core.ids import is_oid, new_oid

# --------------------------------------------------------------------------------------------
# Priorities: core 1..4 (4 most urgent, the Sync API's scale) <-> TickTick 0/1/3/5.
# --------------------------------------------------------------------------------------------

PRIORITY_TO_TICKTICK = {1: 0, 2: 1, 3: 3, 4: 5}
PRIORITY_FROM_TICKTICK = {v: k for k, v in PRIORITY_TO_TICKTICK.items()}


def priority_to_ticktick(priority: int) -> int:
    """Out-of-range stored values read as "none" rather than breaking a strict client."""
    return PRIORITY_TO_TICKTICK.get(priority, 0)


def priority_from_ticktick(value: Any) -> int:
    if isinstance(value, bool) or value not in PRIORITY_FROM_TICKTICK:
        raise InvalidArgument("priority", "Invalid argument value: priority (0, 1, 3 or 5)")
    return PRIORITY_FROM_TICKTICK[value]


# --------------------------------------------------------------------------------------------
# Statuses. The core stores TickTick's codes as given: 0 open, 1 and 2 completed (2 is what
# the web app sets), -1 abandoned ("won't do"). The Sync API sees ``checked`` = status != 0.
# --------------------------------------------------------------------------------------------

OPEN = 0
COMPLETED = 2
COMPLETED_ALT = 1
ABANDONED = -1
STATUSES = (ABANDONED, OPEN, COMPLETED_ALT, COMPLETED)


def check_status(value: Any) -> int:
    if isinstance(value, bool) or value not in STATUSES:
        raise InvalidArgument("status", "Invalid argument value: status (-1, 0, 1 or 2)")
    return int(value)


def is_closed(status: int) -> bool:
    return status != OPEN


def status_to_v1(status: int) -> int:
    """V1 tasks know only 0 (open) and 2 (closed)."""
    return OPEN if status == OPEN else COMPLETED


def checklist_status_to_v1(status: int | None) -> int:
    """V1 checklist items know only 0 (open) and 1 (done)."""
    return 0 if not status else 1


# --------------------------------------------------------------------------------------------
# Colours: stored as lowercase ``#rrggbb``; input may be any CSS colour.
# --------------------------------------------------------------------------------------------


def normalise_color(value: Any, argument: str = "color") -> str | None:
    """``None`` and ``""`` mean "no colour"; alpha is dropped (TickTick has none)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > 64:
        raise InvalidArgument(argument)
    try:
        rgb = Color(value.strip()).as_rgb_tuple(alpha=False)
    except (ValueError, TypeError) as exc:  # PydanticCustomError is a ValueError
        raise InvalidArgument(argument, f"Invalid argument value: {argument} ({value!r})") from exc
    return "#" + "".join(f"{int(part):02x}" for part in rgb[:3])


# --------------------------------------------------------------------------------------------
# Tags. A tag *label* is display text: no whitespace and none of \ / " # : * ? < > |.
# Its *name* (the identity TickTick clients use) is the label lowercased.
# --------------------------------------------------------------------------------------------

TAG_FORBIDDEN = frozenset('\\/"#:*?<>|')
MAX_TAG = 255
# Python's str.isspace() and the regex \s that strict clients use disagree on a few code
# points; a character either calls whitespace is treated as whitespace.
_SPACE = re.compile(r"\s")


def _bad_tag_char(ch: str) -> bool:
    return ch in TAG_FORBIDDEN or ch.isspace() or bool(_SPACE.match(ch))


def is_tag_label(value: Any) -> bool:
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_TAG
        and not any(_bad_tag_char(ch) for ch in value)
    )


def is_tag_name(value: Any) -> bool:
    return is_tag_label(value) and not any(ch in string.ascii_uppercase for ch in value)


def check_tag_label(value: Any, argument: str = "label") -> str:
    if not is_tag_label(value):
        raise InvalidArgument(
            argument,
            f"Invalid argument value: {argument} (1-{MAX_TAG} characters, no whitespace "
            'and none of \\ / " # : * ? < > |)',
        )
    return str(value)


def tag_name(label: str) -> str:
    """The identity of a tag: its label lowercased (as TickTick clients compute it)."""
    return label.lower()


def tag_label_from_label_name(name: str) -> str:
    """A valid tag label for any Sync API label name: bad characters become ``_``.

    Sync API labels may hold spaces and punctuation that TickTick clients reject; a V2
    reader sees this sanitised spelling, and writes through V2 store a valid label as is.
    """
    cleaned = "".join("_" if _bad_tag_char(ch) else ch for ch in name)[:MAX_TAG]
    return cleaned or "_"


def tag_name_from_label_name(name: str) -> str:
    result = tag_name(tag_label_from_label_name(name))
    # Lowercasing may lengthen a string (e.g. "İ"); keep within the limit.
    return result[:MAX_TAG]


# --------------------------------------------------------------------------------------------
# Time zones and recurrence rules, validated the way strict clients validate them.
# --------------------------------------------------------------------------------------------


def check_time_zone(value: Any, argument: str = "timeZone") -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > 64:
        raise InvalidArgument(argument)
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidArgument(argument, f"Unknown time zone: {value}") from exc
    return value


_ERULE = re.compile(r"ERULE:NAME=CUSTOM;BYDATE=(\d{8},)*\d{8}")
_TT_PARTS = ("TT_SKIP=WEEKEND", "TT_WORKDAY=1", "TT_WORKDAY=-1")
MAX_RULE = 512


def check_repeat_flag(value: Any, argument: str = "repeatFlag") -> str | None:
    """An ``RRULE:`` (TickTick's TT_ extensions allowed) or ``ERULE:`` text, or None."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > MAX_RULE:
        raise InvalidArgument(argument)
    if _ERULE.fullmatch(value):
        return value
    if not value.startswith("RRULE:"):
        raise InvalidArgument(argument, f"Invalid argument value: {argument} (RRULE:… expected)")
    rule = value
    for part in _TT_PARTS:
        rule = rule.replace(f":{part}", "").replace(f";{part}", "")
    try:
        rrulestr(rule)
    except (ValueError, TypeError, OverflowError) as exc:
        raise InvalidArgument(argument, f"Invalid argument value: {argument} ({value})") from exc
    return value


# --------------------------------------------------------------------------------------------
# Whole-day dates. The core keeps the Sync API's convention (23:59:59 local time); TickTick
# names a whole day by its local midnight. Both sides mean the same local date.
# --------------------------------------------------------------------------------------------

CORE_ALL_DAY_CLOCK = time(23, 59, 59)


def _aware(moment: datetime) -> datetime:
    """Stored moments are UTC; SQLite hands them back naive."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def whole_day_to_core(moment: datetime, zone: ZoneInfo) -> datetime:
    day = _aware(moment).astimezone(zone).date()
    return datetime.combine(day, CORE_ALL_DAY_CLOCK, zone).astimezone(UTC)


def whole_day_to_ticktick(moment: datetime, zone: ZoneInfo) -> datetime:
    day = _aware(moment).astimezone(zone).date()
    return datetime.combine(day, time(0), zone).astimezone(UTC)


# --------------------------------------------------------------------------------------------
# Checklist entries (an item's ``checklist`` column): one dict per entry, core names:
# id (24-hex), title, status (task codes), sort_order, start_date (text as sent),
# is_all_day, time_zone, completed_at (TickTick timestamp text).
# --------------------------------------------------------------------------------------------

MAX_CHECKLIST_TITLE = 10_000
MAX_CHECKLIST_TEXT = 64
CHECKLIST_FIELDS = (
    "title",
    "status",
    "sort_order",
    "start_date",
    "is_all_day",
    "time_zone",
    "completed_at",
)


def checklist_entry(
    fields: Mapping[str, Any], previous: Mapping[str, Any] | None, now: datetime
) -> dict[str, Any]:
    """A checked entry: ``fields`` (core names, None = keep) merged over ``previous``.

    Closing an entry without a completion time stamps ``now``; reopening clears it.
    """
    entry: dict[str, Any] = dict(previous or {})
    oid = entry.get("id") or fields.get("id") or new_oid()
    if not is_oid(oid):
        raise InvalidArgument("items.id", "Invalid argument value: items.id (24 hex characters)")
    entry["id"] = oid
    entry.setdefault("title", "")
    entry.setdefault("status", OPEN)
    entry.setdefault("sort_order", 0)
    for key in ("start_date", "is_all_day", "time_zone", "completed_at"):
        entry.setdefault(key, None)
    title = fields.get("title")
    if title is not None:
        if not isinstance(title, str) or len(title) > MAX_CHECKLIST_TITLE or "\x00" in title:
            raise InvalidArgument("items.title")
        entry["title"] = title
    if fields.get("sort_order") is not None:
        order = fields["sort_order"]
        if isinstance(order, bool) or not isinstance(order, int) or abs(order) >= 2**63:
            raise InvalidArgument("items.sortOrder")
        entry["sort_order"] = order
    start = fields.get("start_date")
    if start is not None:
        if not isinstance(start, str) or len(start) > MAX_CHECKLIST_TEXT or "\x00" in start:
            raise InvalidArgument("items.startDate")
        entry["start_date"] = start
    if fields.get("is_all_day") is not None:
        entry["is_all_day"] = bool(fields["is_all_day"])
    if fields.get("time_zone") is not None:
        entry["time_zone"] = check_time_zone(fields["time_zone"], "items.timeZone")
    completed = fields.get("completed_at")
    if fields.get("status") is not None:
        status = check_status(fields["status"])
        if status == OPEN:
            entry["completed_at"] = None
        elif entry["status"] == OPEN or completed is not None:
            entry["completed_at"] = format_v2(completed or now)
        entry["status"] = status
    elif completed is not None and entry["status"] != OPEN:
        entry["completed_at"] = format_v2(completed)
    return entry


# --------------------------------------------------------------------------------------------
# Versions: the etag of a row and the checkPoint of a reader, both from the change counter.
# --------------------------------------------------------------------------------------------

_BASE36 = string.digits + string.ascii_lowercase
_ETAG_SPACE = 36**8


def etag(seq: int) -> str:
    """8 characters of ``[a-z0-9]``: the row's ``seq`` in base 36.

    Every change stamps a new ``seq``, so the etag changes with every change; two rows
    stamped by the same draw share an etag, which clients never compare across objects.
    """
    value = int(seq) % _ETAG_SPACE
    digits = []
    for _ in range(8):
        value, rest = divmod(value, 36)
        digits.append(_BASE36[rest])
    return "".join(reversed(digits))


def check_point(cursor: int) -> int:
    """The V2 cursor is the change counter itself: the Sync API's ``seq_no`` and a V2
    ``checkPoint`` name the same moment, so a change from either protocol shows in both."""
    return int(cursor)


def since_check_point(value: Any) -> int:
    """The sequence number a client's checkPoint stands for (0 = full snapshot)."""
    if isinstance(value, bool):
        raise InvalidArgument("checkPoint")
    if isinstance(value, str):
        if not re.fullmatch(r"[0-9]{1,19}", value):
            raise InvalidArgument("checkPoint")
        value = int(value)
    if not isinstance(value, int) or not 0 <= value < 2**63:
        raise InvalidArgument("checkPoint")
    return value
