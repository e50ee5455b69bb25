"""Whole-day dates. The core keeps the Sync API's convention (23:59:59 local time); TickTick
names a whole day by its local midnight. Both sides mean the same local date.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from taskhaven.core.dates import ALL_DAY_CLOCK, as_utc

CORE_ALL_DAY_CLOCK = ALL_DAY_CLOCK


def whole_day_to_core(moment: datetime, zone: ZoneInfo) -> datetime:
    day = as_utc(moment).astimezone(zone).date()
    return datetime.combine(day, CORE_ALL_DAY_CLOCK, zone).astimezone(UTC)


def whole_day_to_ticktick(moment: datetime, zone: ZoneInfo) -> datetime:
    day = as_utc(moment).astimezone(zone).date()
    return datetime.combine(day, time(0), zone).astimezone(UTC)
