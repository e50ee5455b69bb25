"""The Sync API's spelling of a moment, out and in.

Out: "Fri 26 Sep 2014 08:25:05 +0000" (UTC, whole seconds). In, a due moment
(``due_date_utc``, ``new_date_utc``, a reminder's ``due_date_utc``): "YYYY-MM-DDTHH:MM[:SS]"
in UTC, Python's isoformat, a bare date (the end of that day, like any whole-day date), or
the v6 timestamp a client echoes back from an object it synced. In, a bound of a range
(``since``, ``until``): ISO-8601 or Unix time, naive is UTC, a bare date its midnight. Day and
month names are English whatever the process locale is, both ways.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from taskhaven.core.dates import ALL_DAY_CLOCK, InvalidDate, as_utc, iso_moment, parse_iso, to_utc
from taskhaven.core.errors import InvalidDateArgument

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_NUMBER = {name.lower(): number for number, name in enumerate(MONTHS, start=1)}
_V6_RE = re.compile(
    rf"(?:{'|'.join(WEEKDAYS)})\s+(?P<d>\d{{1,2}})\s+(?P<mon>{'|'.join(MONTHS)})\s+(?P<y>\d{{4}})"
    r"\s+(?P<h>\d{1,2}):(?P<mi>\d{1,2}):(?P<s>\d{1,2})\s+\+0000",
    re.IGNORECASE,
)


def format_v6(moment: datetime | None) -> str | None:
    """The v6 timestamp of `moment` (naive is UTC), e.g. "Fri 26 Sep 2014 08:25:05 +0000".

    Built by hand instead of strftime so the day and month names stay English.
    """
    if moment is None:
        return None
    m = moment if moment.tzinfo is UTC else as_utc(moment)  # stored moments are UTC already
    return (
        f"{WEEKDAYS[m.weekday()]} {m.day:02d} {MONTHS[m.month - 1]} {m.year:04d} "
        f"{m.hour:02d}:{m.minute:02d}:{m.second:02d} +0000"
    )


class Formats(dict[datetime | None, str | None]):
    """``format_v6`` with a memory, for rendering many rows at once: ``formats[moment]``.

    A full sync formats tens of thousands of moments, many of them equal (a batch of items
    added together, the dates of one recurring series); each distinct one is formatted once.
    One instance per response, so it never outgrows the rows it renders.
    """

    def __init__(self) -> None:
        super().__init__({None: None})
        self._days: dict[str, str] = {}

    def __missing__(self, moment: datetime | None) -> str | None:
        if moment is None or moment.tzinfo is not UTC or moment.year < 1000:
            text = self[moment] = format_v6(moment)
            return text
        # The same text as format_v6, cheaper: the clock from C's isoformat
        # ("YYYY-MM-DD HH:MM:SS..."), the day's part worked out once per day.
        iso = moment.isoformat(" ")
        day = self._days.get(iso[:10])
        if day is None:
            day = self._days[iso[:10]] = (
                f"{WEEKDAYS[moment.weekday()]} {moment.day:02d} {MONTHS[moment.month - 1]}"
                f" {moment.year:04d}"
            )
        text = self[moment] = f"{day} {iso[11:19]} +0000"
        return text


def _from_v6(text: str) -> datetime:
    """A v6 timestamp back to aware UTC (the weekday name is not checked against the date)."""
    match = _V6_RE.fullmatch(text)
    if match is None:
        raise InvalidDate(f"not a v6 timestamp: {text!r}")
    try:
        return datetime(
            int(match["y"]),
            _MONTH_NUMBER[match["mon"].lower()],
            int(match["d"]),
            int(match["h"]),
            int(match["mi"]),
            int(match["s"]),
            tzinfo=UTC,
        )
    except ValueError as exc:
        raise InvalidDate(f"no such moment: {text!r}") from exc


def parse_v6(value: Any) -> datetime:
    """A moment a Sync API client sent, as aware UTC; InvalidDate when it is none."""
    if not isinstance(value, str):
        raise InvalidDate(f"expected a string, got {type(value).__name__}")
    text = value.strip()
    try:
        return as_utc(iso_moment(text, date_only_time=ALL_DAY_CLOCK))
    except InvalidDate:
        return _from_v6(text)


def utc_argument(value: Any, argument: str) -> datetime:
    """`parse_v6` for a command argument: a bad value is that argument's date error."""
    try:
        return parse_v6(value)
    except InvalidDate as exc:
        raise InvalidDateArgument(argument) from exc


def parse_bound(text: str) -> datetime:
    """A ``since``/``until`` value as aware UTC; InvalidDate when it is none."""
    return to_utc(parse_iso(text.strip()), None)
