"""A recurrence both a date string and an RRULE can express, and its occurrences."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, cast

from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, YEARLY, rrule

MAX_STEPS = 200_000  # bound on occurrence scans, so a pathological rule cannot hang a request


@dataclass(frozen=True)
class Rule:
    """A recurrence both date strings and RRULEs can express."""

    freq: int  # dateutil constant: DAILY, WEEKLY, MONTHLY or YEARLY
    interval: int = 1
    weekdays: tuple[int, ...] = ()  # 0 = Monday; WEEKLY only
    monthday: int | None = None  # MONTHLY, or YEARLY together with month
    month: int | None = None  # YEARLY only


def occurrences(rule: Rule, start: datetime) -> Iterator[datetime]:
    """Naive local occurrences of `rule` from `start` on (inclusive when it matches).

    Plain "every N months/years" steps by calendar months so a series started on the 31st
    lands on the last day of shorter months instead of skipping them. Anything with a
    BY-part uses dateutil's RFC 5545 semantics ("every 31st" skips short months).
    """
    if rule.freq in (MONTHLY, YEARLY) and rule.monthday is None and not rule.weekdays:
        months = rule.interval * (12 if rule.freq == YEARLY else 1)
        for k in range(MAX_STEPS):
            try:
                yield start + relativedelta(months=months * k)
            except (OverflowError, ValueError):
                return
        return
    yield from rrule(
        cast(Literal[0, 1, 2, 3, 4, 5, 6], rule.freq),
        dtstart=start,
        interval=rule.interval,
        byweekday=rule.weekdays or None,
        bymonthday=rule.monthday,
        bymonth=rule.month,
    )
