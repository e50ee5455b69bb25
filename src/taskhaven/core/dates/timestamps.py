"""Moments written as text or numbers, and the step between wall-clock time and UTC.

Moments leave this module as aware UTC datetimes, except naive ISO text, which only the
caller can place in a zone. Out-of-range values raise InvalidDate, never OverflowError.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


class InvalidDate(ValueError):
    """A date string or timestamp that cannot be understood."""


_ISO_RE = re.compile(
    r"""
    (?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})
    (?:
        [T\ ]
        (?P<h>\d{1,2}):(?P<mi>\d{2})
        (?::(?P<s>\d{2})(?:[.,](?P<f>\d+))?)?
    )?
    \s*
    (?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?
    """,
    re.VERBOSE | re.IGNORECASE,
)
_UNIX_RE = re.compile(r"[+-]?\d{9,20}(?:\.\d{1,9})?")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def as_utc(moment: datetime) -> datetime:
    """Naive values are taken to be UTC already (SQLite hands them back so); aware ones are
    converted."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _offset(text: str) -> timedelta:
    """UTC offset text ("Z", "+HH", "+HHMM", "+HH:MM") as a timedelta; rejects nonsense."""
    if text.upper() == "Z":
        return timedelta(0)
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours = int(digits[:2])
    minutes = int(digits[2:] or "0")
    if hours > 23 or minutes > 59:
        raise InvalidDate(f"bad UTC offset: {text!r}")
    return sign * timedelta(hours=hours, minutes=minutes)


def build_iso(match: re.Match[str], *, date_only_time: time) -> datetime:
    """A datetime from a match with the groups y, mo, d, h, mi, s, f and tz (aware when an
    offset was given); a bare date takes `date_only_time` as its time of day."""
    g = match.groupdict()
    hour = int(g["h"]) if g["h"] is not None else date_only_time.hour
    minute = int(g["mi"]) if g["mi"] is not None else date_only_time.minute
    second = int(g["s"] or 0) if g["h"] is not None else date_only_time.second
    micro = int((g["f"] or "0")[:6].ljust(6, "0"))
    try:
        value = datetime(int(g["y"]), int(g["mo"]), int(g["d"]), hour, minute, second, micro)
    except ValueError as exc:
        raise InvalidDate(f"not a valid date/time: {match.string!r}") from exc
    if g["tz"] is None:
        return value
    try:
        return (value - _offset(g["tz"])).replace(tzinfo=UTC)
    except OverflowError as exc:
        raise InvalidDate(f"date out of range: {match.string!r}") from exc


def iso_moment(text: str, *, date_only_time: time) -> datetime:
    """Extended ISO-8601 text only ("YYYY-MM-DD[THH:MM[:SS[.f]]][offset]", no numbers).

    Aware when an offset was given, naive otherwise; a bare date takes `date_only_time`.
    """
    match = _ISO_RE.fullmatch(text.strip())
    if match is None:
        raise InvalidDate(f"not an ISO-8601 date: {text!r}")
    return build_iso(match, date_only_time=date_only_time)


def _from_unix(number: float) -> datetime:
    """Unix seconds, or milliseconds when the magnitude only makes sense as ms."""
    if not math.isfinite(number):
        raise InvalidDate(f"not a timestamp: {number!r}")
    try:
        if abs(number) > 1e11:
            if isinstance(number, int):
                return _EPOCH + timedelta(milliseconds=number)
            return _EPOCH + timedelta(seconds=number / 1000)
        return _EPOCH + timedelta(seconds=number)
    except OverflowError as exc:
        raise InvalidDate(f"timestamp out of range: {number!r}") from exc


def parse_iso(value: str | int | float) -> datetime:
    """Parse a datetime: ISO-8601 text or a Unix number.

    Aware input comes back as aware UTC. Naive text comes back naive on purpose: only the
    caller knows which zone it belongs to (the task's timeZone, see spec §5 row 6).
    """
    if isinstance(value, bool):
        raise InvalidDate("a boolean is not a timestamp")
    if isinstance(value, int | float):
        return _from_unix(value)
    if not isinstance(value, str):
        raise InvalidDate(f"not a timestamp: {value!r}")
    text = value.strip()
    if _UNIX_RE.fullmatch(text):
        return _from_unix(int(text) if text.lstrip("+-").isdecimal() else float(text))
    match = _ISO_RE.fullmatch(text)
    if match is not None:
        return build_iso(match, date_only_time=time(0, 0))
    try:
        # Basic format ("20250526T175436Z") and other shapes the stdlib understands.
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise InvalidDate(f"not an ISO-8601 datetime: {value!r}") from exc
    if parsed.tzinfo is None:
        return parsed
    try:
        return parsed.astimezone(UTC)
    except OverflowError as exc:
        raise InvalidDate(f"date out of range: {value!r}") from exc


def to_utc(value: datetime, tz: ZoneInfo | None) -> datetime:
    """Aware UTC for storage: naive values are wall-clock time in `tz` (UTC if None).

    Raises InvalidDate when the result would fall outside datetime's range (year 1..9999).
    """
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz or UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError as exc:
        raise InvalidDate(f"date out of range: {value.isoformat()}") from exc


def to_local(moment: datetime, tz: ZoneInfo) -> datetime:
    """Aware `moment` as wall-clock time in `tz`, with range errors as InvalidDate."""
    try:
        return moment.astimezone(tz)
    except OverflowError as exc:
        raise InvalidDate(f"date out of range: {moment.isoformat()}") from exc


def local_moment(day: date, clock: time, tz: ZoneInfo) -> datetime:
    """Wall-clock date and time in `tz` as aware UTC."""
    return to_utc(datetime.combine(day, clock), tz)


def checked_date(year: int, month: int, day: int, source: str) -> date:
    """The calendar day, or InvalidDate naming the text it came from."""
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise InvalidDate(f"no such date: {source!r}") from exc
