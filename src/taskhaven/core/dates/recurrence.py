"""A recurrence both a date string and an RRULE can express, and its occurrences."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Literal, cast

from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, YEARLY, rrule, weekday

MAX_STEPS = 200_000  # bound on occurrence scans, so a pathological rule cannot hang a request


@dataclass(frozen=True)
class Rule:
    """One recurrence: the RRULE parts the grammar can word, and nothing else.

    ``ordinal`` qualifies a single weekday ("3rd friday" is ``weekdays=(4,), ordinal=3``,
    "last friday" ``ordinal=-1``); ``monthdays`` may hold -1 ("last day"); ``setpos`` -1
    with the workdays is "last workday". ``until`` is a local date, inclusive; ``count``
    ("for 5 times") is how many occurrences are left, the current due one included (each
    completion uses one up).
    ``from_completion`` ("every!") is not part of the RRULE: TickTick carries it as
    ``repeatFrom`` 1.
    """

    freq: int  # dateutil constant: DAILY, WEEKLY, MONTHLY or YEARLY
    interval: int = 1
    weekdays: tuple[int, ...] = ()  # 0 = Monday
    ordinal: int | None = None  # with one weekday: its 1st..5th or last (-1) in the month
    monthdays: tuple[int, ...] = ()  # 1..31, -1 = last day of the month
    month: int | None = None  # YEARLY only
    setpos: int | None = None  # BYSETPOS
    until: date | None = None
    count: int | None = None  # COUNT: occurrences left, the current one included
    from_completion: bool = False

    @property
    def plain(self) -> bool:
        """No BY-part: "every N <units>"."""
        return not (self.weekdays or self.monthdays or self.month)


def _until_moment(rule: Rule) -> datetime | None:
    return None if rule.until is None else datetime.combine(rule.until, time(23, 59, 59))


def occurrences(rule: Rule, start: datetime) -> Iterator[datetime]:
    """Naive local occurrences of `rule` from `start` on (inclusive when it matches).

    Plain "every N months/years" steps by calendar months so a series started on the 31st
    lands on the last day of shorter months instead of skipping them. Anything with a
    BY-part uses dateutil's RFC 5545 semantics ("every 31st" skips short months).
    """
    until = _until_moment(rule)
    if rule.freq in (MONTHLY, YEARLY) and rule.plain:
        months = rule.interval * (12 if rule.freq == YEARLY else 1)
        for k in range(MAX_STEPS if rule.count is None else min(MAX_STEPS, rule.count)):
            try:
                moment = start + relativedelta(months=months * k)
            except (OverflowError, ValueError):
                return
            if until is not None and moment > until:
                return
            yield moment
        return
    byweekday: list[weekday] | tuple[int, ...] | None = rule.weekdays or None
    if rule.ordinal is not None and rule.weekdays:
        byweekday = [weekday(day, rule.ordinal) for day in rule.weekdays]
    yield from rrule(
        cast(Literal[0, 1, 2, 3, 4, 5, 6], rule.freq),
        dtstart=start,
        interval=rule.interval,
        byweekday=byweekday,
        bymonthday=rule.monthdays or None,
        bymonth=rule.month,
        bysetpos=rule.setpos,
        until=until,
        count=rule.count,
    )
