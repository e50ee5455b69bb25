"""Reminder triggers: TickTick's iCalendar ``TRIGGER`` text for a reminder's minute offset.

``TRIGGER:-PT30M`` is 30 minutes before the due moment, ``TRIGGER:PT0S`` at it,
``TRIGGER:P0DT9H0M0S`` nine hours after (all-day tasks). The core speaks minute offsets
(core/reminders.py ``Offset``); a trigger a client sends is kept as its spelling of the offset
unless it is the spelling ``offset_to_trigger`` would give anyway, so the client reads back
exactly what it sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from taskhaven.core import reminders
from taskhaven.core.errors import InvalidArgument
from taskhaven.core.reminders import MAX_TRIGGER, Offset

_TRIGGER = re.compile(
    r"TRIGGER:(?P<sign>[+-])?P(?:(?P<w>\d{1,6})W)?(?:(?P<d>\d{1,6})D)?"
    r"(?:T(?:(?P<h>\d{1,7})H)?(?:(?P<m>\d{1,9})M)?(?:(?P<s>\d{1,9})S)?)?"
)


def trigger_to_offset(trigger: Any) -> int:
    """Minutes before the due moment that an iCalendar ``TRIGGER:`` duration names."""
    if not isinstance(trigger, str) or len(trigger) > MAX_TRIGGER:
        raise InvalidArgument("trigger")
    match = _TRIGGER.fullmatch(trigger.strip())
    parts = ("w", "d", "h", "m", "s")
    if match is None or all(match[p] is None for p in parts):
        raise InvalidArgument("trigger")
    if "T" in trigger.split("P", 1)[1] and all(match[p] is None for p in ("h", "m", "s")):
        raise InvalidArgument("trigger")  # "PT" with no time part
    seconds = int(
        timedelta(
            weeks=int(match["w"] or 0),
            days=int(match["d"] or 0),
            hours=int(match["h"] or 0),
            minutes=int(match["m"] or 0),
            seconds=int(match["s"] or 0),
        ).total_seconds()
    )
    if seconds % 60:
        raise InvalidArgument("trigger", "Invalid argument value: trigger (whole minutes only)")
    minutes = seconds // 60
    offset = minutes if match["sign"] == "-" else -minutes
    if abs(offset) > reminders.MAX_OFFSET:
        raise InvalidArgument("trigger")
    return offset


def offset_to_trigger(minute_offset: int) -> str:
    """The iCalendar trigger for an offset: 30 -> ``TRIGGER:-PT30M``, 0 -> ``TRIGGER:PT0S``."""
    if minute_offset == 0:
        return "TRIGGER:PT0S"
    sign = "-" if minute_offset > 0 else ""
    return f"TRIGGER:{sign}PT{abs(minute_offset)}M"


def trigger_offset(trigger: Any) -> Offset:
    """The offset a trigger names, with the client's own spelling when it is not the one
    ``offset_to_trigger`` gives."""
    minutes = trigger_to_offset(trigger)
    text = str(trigger).strip()
    return Offset(minutes, None if text == offset_to_trigger(minutes) else text)


def offset_trigger(offset: Offset) -> str:
    """The trigger a client sees for an offset: its own spelling when one was kept."""
    return offset.trigger or offset_to_trigger(offset.minute_offset)


def task_triggers(item: Mapping[Any, Any], found: Iterable[Mapping[Any, Any]]) -> dict[str, str]:
    """String id -> trigger of the reminders a TickTick client sees on ``item``
    (core ``reminders.offsets``), in ``found``'s order."""
    return {oid: offset_trigger(o) for oid, o in reminders.offsets(item, found).items()}
