"""Time zones and recurrence rules, validated the way strict clients validate them."""

from __future__ import annotations

import re
from typing import Any

from dateutil.rrule import rrulestr

from taskhaven.core import columns, zones
from taskhaven.core.errors import InvalidArgument


def check_time_zone(value: Any, argument: str = "timeZone") -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InvalidArgument(argument)
    return zones.check(value, argument)


_ERULE = re.compile(r"ERULE:NAME=CUSTOM;BYDATE=(\d{8},)*\d{8}")
_TT_PARTS = ("TT_SKIP=WEEKEND", "TT_WORKDAY=1", "TT_WORKDAY=-1")
MAX_RULE = columns.length("items", "repeat_flag")


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
