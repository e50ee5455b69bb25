"""Due dates, recurrence and the wire timestamp formats of both APIs.

Everything here is a pure function of its arguments: callers pass the user's zone and the
current moment explicitly, so behaviour is reproducible in tests and identical for the
Todoist v6 and TickTick V2 front ends.

Conventions:

* Moments leave this module as aware UTC datetimes.
* Recurrence is computed on local wall-clock time and converted to UTC afterwards, so that
  "every day @ 10" stays at 10:00 local across DST changes.
* A whole-day Todoist date is 23:59:59 local time (converted to UTC), as in Todoist v6.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal, cast
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule, rrulestr

__all__ = [
    "Due",
    "InvalidDate",
    "date_string_to_rrule",
    "format_v2",
    "format_v6",
    "is_recurring",
    "next_occurrence",
    "next_rrule_occurrence",
    "parse_date_string",
    "parse_iso",
    "parse_utc_input",
    "rrule_to_date_string",
    "to_utc",
]


class InvalidDate(ValueError):
    """A date string or timestamp that cannot be understood."""


@dataclass(frozen=True)
class Due:
    """A parsed due date: the moment plus the two flags the wire formats need."""

    moment: datetime  # aware, UTC
    all_day: bool  # whole-day date -> moment is 23:59:59 local time converted to UTC
    recurring: bool  # date_string is recurring ("every ...", daily/weekly/monthly/yearly)


# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------

_WEEKDAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAY_FULL = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_WORKDAYS = (0, 1, 2, 3, 4)

_WEEKDAYS: dict[str, int] = {}
for _i, _name in enumerate(_WEEKDAY_FULL):
    _WEEKDAYS[_name] = _i
    _WEEKDAYS[_name[:3]] = _i
_WEEKDAYS.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 3})

_MONTHS: dict[str, int] = {}
for _i, _name in enumerate(
    (
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ),
    start=1,
):
    _MONTHS[_name] = _i
    _MONTHS[_name[:3]] = _i
_MONTHS["sept"] = 9

_WEEKDAY_RE = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th)"

_ALL_DAY_TIME = time(23, 59, 59)
_MAX_STEPS = 200_000  # bound on occurrence scans, so a pathological rule cannot hang a request


# --------------------------------------------------------------------------------------------
# Output formats
# --------------------------------------------------------------------------------------------


def _as_utc(moment: datetime) -> datetime:
    """Naive values are taken to be UTC already; aware ones are converted."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def format_v6(moment: datetime | None) -> str | None:
    """Todoist v6 timestamp, e.g. "Fri 26 Sep 2014 08:25:05 +0000".

    Built by hand instead of strftime so the day and month names stay English whatever
    the process locale is.
    """
    if moment is None:
        return None
    m = _as_utc(moment)
    return (
        f"{_WEEKDAY_ABBR[m.weekday()]} {m.day:02d} {_MONTH_ABBR[m.month - 1]} {m.year:04d} "
        f"{m.hour:02d}:{m.minute:02d}:{m.second:02d} +0000"
    )


def format_v2(moment: datetime | None) -> str | None:
    """TickTick timestamp, e.g. "2025-05-26T17:54:36.000+0000" (UTC, milliseconds)."""
    if moment is None:
        return None
    m = _as_utc(moment)
    return (
        f"{m.year:04d}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:{m.second:02d}"
        f".{m.microsecond // 1000:03d}+0000"
    )


# --------------------------------------------------------------------------------------------
# Input timestamps
# --------------------------------------------------------------------------------------------

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
_UNIX_RE = re.compile(r"[+-]?\d{9,}(?:\.\d+)?")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


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


def _build_iso(match: re.Match[str], *, date_only_time: time) -> datetime:
    """Turn an _ISO_RE match into a datetime (aware when an offset was given)."""
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


def parse_utc_input(value: str) -> datetime:
    """Parse a Sync API `due_date_utc`/`new_date_utc` value into an aware UTC datetime.

    The client sends "YYYY-MM-DDTHH:MM", Python's isoformat (with seconds) or a bare date;
    a bare date means the end of that day, like any whole-day Todoist date.
    """
    if not isinstance(value, str):
        raise InvalidDate(f"expected a string, got {type(value).__name__}")
    match = _ISO_RE.fullmatch(value.strip())
    if match is None:
        raise InvalidDate(f"not a UTC date: {value!r}")
    return _as_utc(_build_iso(match, date_only_time=_ALL_DAY_TIME))


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
    """Parse a V1/V2 datetime: ISO-8601 text or a Unix number.

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
        return _from_unix(int(text) if text.lstrip("+-").isdigit() else float(text))
    match = _ISO_RE.fullmatch(text)
    if match is not None:
        return _build_iso(match, date_only_time=time(0, 0))
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


def _to_local(moment: datetime, tz: ZoneInfo) -> datetime:
    """Aware `moment` as wall-clock time in `tz`, with range errors as InvalidDate."""
    try:
        return moment.astimezone(tz)
    except OverflowError as exc:
        raise InvalidDate(f"date out of range: {moment.isoformat()}") from exc


def _local_moment(day: date, clock: time, tz: ZoneInfo) -> datetime:
    """Wall-clock date and time in `tz` as aware UTC."""
    return to_utc(datetime.combine(day, clock), tz)


# --------------------------------------------------------------------------------------------
# Free-text parsing (Todoist date_string)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rule:
    """A recurrence both date strings and RRULEs can express."""

    freq: int  # dateutil constant: DAILY, WEEKLY, MONTHLY or YEARLY
    interval: int = 1
    weekdays: tuple[int, ...] = ()  # 0 = Monday; WEEKLY only
    monthday: int | None = None  # MONTHLY, or YEARLY together with month
    month: int | None = None  # YEARLY only


_CLOCK_RE = re.compile(
    r"(?P<h>\d{1,2})(?::(?P<m>\d{2}))?(?::(?P<s>\d{2}))?\s*(?P<ap>am|pm|a\.m\.|p\.m\.)?"
)
_AT_SUFFIX_RE = re.compile(r"(?:(?P<rest>.*?)\s*)?(?:@|\bat\b)\s*(?P<clock>[^@]+)")
_AMPM_SUFFIX_RE = re.compile(
    r"(?:(?P<rest>.*\S)\s+)?(?P<clock>\d{1,2}(?::\d{2}){0,2}\s*(?:am|pm|a\.m\.|p\.m\.))"
)
_COLON_SUFFIX_RE = re.compile(r"(?:(?P<rest>.*\S)\s+)?(?P<clock>\d{1,2}:\d{2}(?::\d{2})?)")
_RECURRING_RE = re.compile(r"(?:every\b|everyday\b|daily\b|weekly\b|monthly\b|yearly\b|annually\b)")

_FULL_ISO_LOCAL_RE = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})t(?P<h>\d{1,2}):(?P<mi>\d{2})"
    r"(?::(?P<s>\d{2})(?:[.,](?P<f>\d+))?)?\s*(?P<tz>z|[+-]\d{2}(?::?\d{2})?)?"
)
_ISO_DATE_RE = re.compile(r"(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})")
_DAY_MONTH_RE = re.compile(
    rf"(?P<d>\d{{1,2}}){_ORD}?\s+(?P<mon>{_MONTH_RE})\.?(?:,?\s+(?P<y>\d{{4}}))?"
)
_MONTH_DAY_RE = re.compile(
    rf"(?P<mon>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}}){_ORD}?(?:,?\s+(?P<y>\d{{4}}))?"
)
_IN_RE = re.compile(r"in\s+(?P<n>\d+)\s+(?P<unit>days?|weeks?|months?|years?)")
_WEEKDAY_ONLY_RE = re.compile(rf"(?P<next>next\s+)?(?P<wd>{_WEEKDAY_RE})")

_EVERY_RE = re.compile(r"every!?\s+(?P<body>.+)")
_EVERY_UNIT_RE = re.compile(
    r"(?:(?P<n>\d+)\s+|(?P<other>other)\s+)?(?P<unit>day|week|month|year)s?"
)
_EVERY_ORDINAL_RE = re.compile(rf"(?:the\s+)?(?P<d>\d{{1,2}}){_ORD}(?:\s+day)?")
_EVERY_WEEKDAYS_RE = re.compile(rf"(?:{_WEEKDAY_RE})(?:\s*(?:,|&|\band\b)\s*(?:{_WEEKDAY_RE}))*")
_WEEKDAY_SPLIT_RE = re.compile(r"\s*(?:,|&|\band\b)\s*")
_PLAIN_WORDS = {
    "everyday": DAILY,
    "daily": DAILY,
    "weekly": WEEKLY,
    "monthly": MONTHLY,
    "yearly": YEARLY,
    "annually": YEARLY,
}
_UNIT_FREQ = {"day": DAILY, "week": WEEKLY, "month": MONTHLY, "year": YEARLY}


def _normalize(text: str) -> str:
    """Lower-case and collapse whitespace so the grammar can stay simple."""
    return " ".join(text.lower().split())


def _parse_clock(text: str) -> time:
    """Time of day from "10", "10:00", "10:00:30", "10am" or "2:30 pm"."""
    match = _CLOCK_RE.fullmatch(text.strip())
    if match is None:
        raise InvalidDate(f"not a time of day: {text!r}")
    hour = int(match["h"])
    minute = int(match["m"] or 0)
    second = int(match["s"] or 0)
    ampm = match["ap"]
    if ampm is not None:
        if not 1 <= hour <= 12:
            raise InvalidDate(f"not a 12-hour time: {text!r}")
        hour = hour % 12 + (12 if ampm.startswith("p") else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise InvalidDate(f"not a time of day: {text!r}")
    return time(hour, minute, second)


def _split_time(text: str) -> tuple[str, time | None]:
    """Separate an optional trailing time ("@ 10", "at 10:00", "10am", "14:30")."""
    match = _AT_SUFFIX_RE.fullmatch(text)
    if match is not None:
        return (match["rest"] or "").strip(), _parse_clock(match["clock"])
    for pattern in (_AMPM_SUFFIX_RE, _COLON_SUFFIX_RE):
        match = pattern.fullmatch(text)
        if match is not None:
            return (match["rest"] or "").strip(), _parse_clock(match["clock"])
    return text, None


def _checked_date(year: int, month: int, day: int, source: str) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise InvalidDate(f"no such date: {source!r}") from exc


def _month_day(month: int, day: int, year: str | None, today: date, source: str) -> date:
    """A "<d> <Mon> [year]" date; without a year, the next such date on or after today."""
    if year is not None:
        return _checked_date(int(year), month, day, source)
    _checked_date(2000, month, day, source)  # leap year: rejects only impossible dates
    for candidate_year in range(today.year, today.year + 9):
        try:
            candidate = date(candidate_year, month, day)
        except ValueError:
            continue  # 29 Feb outside a leap year
        if candidate >= today:
            return candidate
    raise InvalidDate(f"no such date: {source!r}")  # pragma: no cover - 29 Feb recurs within 8y


def _parse_day(text: str, today: date, next_week_day: int) -> date:
    """A single (non-recurring) calendar day, relative to the user's local `today`."""
    if text in ("", "today", "tod", "tonight"):
        return today
    if text in ("tomorrow", "tom", "tmr"):
        return today + timedelta(days=1)
    if text == "yesterday":
        return today - timedelta(days=1)
    if text == "next week":
        monday = today - timedelta(days=today.weekday())
        return monday + timedelta(days=7 + next_week_day - 1)
    if match := _WEEKDAY_ONLY_RE.fullmatch(text):
        ahead = (_WEEKDAYS[match["wd"]] - today.weekday()) % 7
        if match["next"] and ahead == 0:
            ahead = 7
        return today + timedelta(days=ahead)
    if match := _IN_RE.fullmatch(text):
        n = int(match["n"])
        unit = match["unit"].rstrip("s")
        try:
            if unit == "day":
                return today + timedelta(days=n)
            if unit == "week":
                return today + timedelta(weeks=n)
            shifted: date = today + relativedelta(
                months=n if unit == "month" else 0, years=n if unit == "year" else 0
            )
            return shifted
        except (OverflowError, ValueError) as exc:
            raise InvalidDate(f"date out of range: {text!r}") from exc
    if match := _ISO_DATE_RE.fullmatch(text):
        return _checked_date(int(match["y"]), int(match["mo"]), int(match["d"]), text)
    for pattern in (_DAY_MONTH_RE, _MONTH_DAY_RE):
        if match := pattern.fullmatch(text):
            return _month_day(_MONTHS[match["mon"]], int(match["d"]), match["y"], today, text)
    raise InvalidDate(f"cannot understand date: {text!r}")


def _parse_rule(text: str) -> _Rule:
    """The recurrence part of a date string (time suffix already removed)."""
    if text in _PLAIN_WORDS:
        return _Rule(_PLAIN_WORDS[text])
    match = _EVERY_RE.fullmatch(text)
    if match is None:
        raise InvalidDate(f"not a recurring date: {text!r}")
    body = match["body"]
    if body in ("weekday", "weekdays", "workday", "workdays", "work day", "work days"):
        return _Rule(WEEKLY, weekdays=_WORKDAYS)
    if unit := _EVERY_UNIT_RE.fullmatch(body):
        interval = 2 if unit["other"] else int(unit["n"] or 1)
        if interval < 1:
            raise InvalidDate(f"interval must be positive: {text!r}")
        return _Rule(_UNIT_FREQ[unit["unit"]], interval=interval)
    if _EVERY_WEEKDAYS_RE.fullmatch(body):
        days = sorted({_WEEKDAYS[name] for name in _WEEKDAY_SPLIT_RE.split(body)})
        return _Rule(WEEKLY, weekdays=tuple(days))
    if ordinal := _EVERY_ORDINAL_RE.fullmatch(body):
        day = int(ordinal["d"])
        if not 1 <= day <= 31:
            raise InvalidDate(f"no such day of month: {text!r}")
        return _Rule(MONTHLY, monthday=day)
    for pattern in (_DAY_MONTH_RE, _MONTH_DAY_RE):
        if (found := pattern.fullmatch(body)) and found["y"] is None:
            month, day = _MONTHS[found["mon"]], int(found["d"])
            _checked_date(2000, month, day, text)
            return _Rule(YEARLY, monthday=day, month=month)
    raise InvalidDate(f"cannot understand recurrence: {text!r}")


def _occurrences(rule: _Rule, start: datetime) -> Iterator[datetime]:
    """Naive local occurrences of `rule` from `start` on (inclusive when it matches).

    Plain "every N months/years" steps by calendar months so a series started on the 31st
    lands on the last day of shorter months instead of skipping them. Anything with a
    BY-part uses dateutil's RFC 5545 semantics ("every 31st" skips short months).
    """
    if rule.freq in (MONTHLY, YEARLY) and rule.monthday is None and not rule.weekdays:
        months = rule.interval * (12 if rule.freq == YEARLY else 1)
        for k in range(_MAX_STEPS):
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


def _split_recurring(date_string: str) -> tuple[_Rule, time | None]:
    text = _normalize(date_string)
    if not _RECURRING_RE.match(text):
        raise InvalidDate(f"not a recurring date: {date_string!r}")
    rest, clock = _split_time(text)
    return _parse_rule(rest), clock


def _aware(value: datetime) -> datetime:
    """Callers should pass aware datetimes; a naive one is read as UTC rather than rejected."""
    return _as_utc(value)


def parse_date_string(
    text: str,
    *,
    tz: ZoneInfo,
    now: datetime,
    lang: str = "en",
    next_week_day: int = 1,
) -> Due | None:
    """Parse Todoist free text typed by a user living in `tz`.

    Returns None for an empty string (it clears the due date). A weekday name means its
    next occurrence on or after today (so "monday" on a Monday is today), "next monday"
    the one strictly after today. A recurring string resolves to its first occurrence on
    or after `now`. Only English is understood; other `lang` values fall back to it.
    """
    del lang  # every supported language falls back to the English grammar
    if not 1 <= next_week_day <= 7:
        raise ValueError(f"next_week_day must be 1..7, got {next_week_day}")
    normalized = _normalize(text)
    if normalized in ("", "no date", "no due date"):
        return None
    now_utc = _aware(now)
    today = _to_local(now_utc, tz).date()

    if match := _FULL_ISO_LOCAL_RE.fullmatch(normalized):
        value = _build_iso(match, date_only_time=time(0, 0))
        moment = to_utc(value, tz)
        return Due(moment=moment, all_day=False, recurring=False)

    if _RECURRING_RE.match(normalized):
        rule, clock = _split_recurring(normalized)
        start = datetime.combine(today, clock or _ALL_DAY_TIME)
        for step, occurrence in enumerate(_occurrences(rule, start)):
            moment = to_utc(occurrence, tz)
            if moment >= now_utc:
                return Due(moment=moment, all_day=clock is None, recurring=True)
            if step > _MAX_STEPS:  # pragma: no cover - every rule recurs within a few years
                break
        raise InvalidDate(f"recurrence has no future occurrence: {text!r}")

    rest, clock = _split_time(normalized)
    day = _parse_day(rest, today, next_week_day)
    return Due(
        moment=_local_moment(day, clock or _ALL_DAY_TIME, tz),
        all_day=clock is None,
        recurring=False,
    )


def is_recurring(date_string: str | None) -> bool:
    """Whether completing an item with this date string should reschedule it."""
    if not date_string:
        return False
    return _RECURRING_RE.match(_normalize(date_string)) is not None


def next_occurrence(
    date_string: str, current: datetime, *, tz: ZoneInfo, now: datetime
) -> datetime:
    """Due moment after completing one occurrence of a recurring item.

    The series is anchored on `current` and stepped in local wall-clock time, keeping
    current's local time of day. The result is strictly after `current`; when the item is
    overdue, occurrences that are already in the past (not after `now`) are skipped too,
    so completing a week-old "every day" task makes it due today, not six days ago.
    """
    rule, _clock = _split_recurring(date_string)
    current_utc = _aware(current)
    now_utc = _aware(now)
    start = _to_local(current_utc, tz).replace(tzinfo=None)
    try:
        for step, occurrence in enumerate(_occurrences(rule, start)):
            moment = to_utc(occurrence, tz)
            if moment > current_utc and moment > now_utc:
                return moment
            if step > _MAX_STEPS:
                break
    except InvalidDate:
        pass  # ran off the end of the calendar
    raise InvalidDate(f"recurrence has no next occurrence: {date_string!r}")


# --------------------------------------------------------------------------------------------
# RRULE <-> date string
# --------------------------------------------------------------------------------------------

_FREQ_NAMES = {DAILY: "DAILY", WEEKLY: "WEEKLY", MONTHLY: "MONTHLY", YEARLY: "YEARLY"}
_FREQ_BY_NAME = {name: freq for freq, name in _FREQ_NAMES.items()}
_UNIT_NAMES = {DAILY: "day", WEEKLY: "week", MONTHLY: "month", YEARLY: "year"}


_ORDINAL_SUFFIX = {1: "st", 2: "nd", 3: "rd"}


def _ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{_ORDINAL_SUFFIX.get(n % 10, 'th')}"


def _rule_to_rrule(rule: _Rule) -> str:
    parts = [f"FREQ={_FREQ_NAMES[rule.freq]}", f"INTERVAL={rule.interval}"]
    if rule.weekdays:
        parts.append("BYDAY=" + ",".join(_RRULE_DAYS[d] for d in rule.weekdays))
    if rule.month is not None:
        parts.append(f"BYMONTH={rule.month}")
    if rule.monthday is not None:
        parts.append(f"BYMONTHDAY={rule.monthday}")
    return "RRULE:" + ";".join(parts)


def _rule_to_text(rule: _Rule) -> str:
    if rule.weekdays:
        if rule.weekdays == _WORKDAYS:
            return "every workday"
        return "every " + ", ".join(_WEEKDAY_FULL[d] for d in rule.weekdays)
    if rule.month is not None and rule.monthday is not None:
        return f"every {rule.monthday} {_MONTH_ABBR[rule.month - 1].lower()}"
    if rule.monthday is not None:
        return f"every {_ordinal(rule.monthday)}"
    unit = _UNIT_NAMES[rule.freq]
    return f"every {unit}" if rule.interval == 1 else f"every {rule.interval} {unit}s"


def date_string_to_rrule(date_string: str | None) -> str | None:
    """RRULE for a recurring Todoist date string, so V2 clients see the same recurrence.

    The time of day is not encoded: it lives in the due moment.
    """
    if not is_recurring(date_string):
        return None
    assert date_string is not None
    try:
        rule, _clock = _split_recurring(date_string)
    except InvalidDate:
        return None
    return _rule_to_rrule(rule)


def _int_in(text: str, low: int, high: int) -> int | None:
    if not re.fullmatch(r"[+-]?\d{1,4}", text):
        return None
    value = int(text)
    return value if low <= value <= high else None


def _rrule_parts(rrule_text: str) -> dict[str, str] | None:
    """KEY=VALUE parts of a single RRULE line; None if it is not one."""
    lines = [line.strip() for line in rrule_text.strip().upper().splitlines() if line.strip()]
    rule_lines = [line for line in lines if line.startswith("RRULE:")]
    if len(rule_lines) == 1:
        body = rule_lines[0][len("RRULE:") :]
    elif len(lines) == 1 and lines[0].startswith("FREQ="):
        body = lines[0]
    else:
        return None
    parts: dict[str, str] = {}
    for chunk in body.split(";"):
        if not chunk:
            continue
        key, sep, value = chunk.partition("=")
        if not sep or key in parts:
            return None
        parts[key] = value
    return parts


def _rule_from_rrule(rrule_text: str) -> _Rule | None:
    """The _Rule an RRULE denotes, or None when a date string cannot say the same thing."""
    parts = _rrule_parts(rrule_text)
    if parts is None:
        return None
    skip_weekend = parts.get("TT_SKIP") == "WEEKEND"
    known = {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "WKST"}
    if any(key not in known and not key.startswith("TT_") for key in parts):
        return None
    freq = _FREQ_BY_NAME.get(parts.get("FREQ", ""))
    if freq is None:
        return None
    interval = _int_in(parts.get("INTERVAL", "1"), 1, 9999)
    if interval is None:
        return None
    byday, bymonthday, bymonth = parts.get("BYDAY"), parts.get("BYMONTHDAY"), parts.get("BYMONTH")

    if byday is not None:
        if freq != WEEKLY or interval != 1 or bymonthday or bymonth:
            return None
        codes = byday.split(",")
        if any(code not in _RRULE_DAYS for code in codes):
            return None
        return _Rule(WEEKLY, weekdays=tuple(sorted({_RRULE_DAYS.index(c) for c in codes})))
    if bymonth is not None:
        month = _int_in(bymonth, 1, 12)
        day = _int_in(bymonthday or "", 1, 31)
        if freq != YEARLY or interval != 1 or month is None or day is None:
            return None
        try:
            date(2000, month, day)
        except ValueError:
            return None
        return _Rule(YEARLY, monthday=day, month=month)
    if bymonthday is not None:
        day = _int_in(bymonthday, 1, 31)
        if freq != MONTHLY or interval != 1 or day is None:
            return None
        return _Rule(MONTHLY, monthday=day)
    if skip_weekend and freq == DAILY and interval == 1:
        return _Rule(WEEKLY, weekdays=_WORKDAYS)
    return _Rule(freq, interval=interval)


def rrule_to_date_string(rrule: str | None) -> str | None:
    """Todoist date string for a TickTick repeatFlag, or None if none says the same thing.

    TT_SKIP/TT_WORKDAY are tolerated; "daily, skipping weekends" becomes "every workday".
    """
    if not rrule:
        return None
    rule = _rule_from_rrule(rrule)
    return None if rule is None else _rule_to_text(rule)


# --------------------------------------------------------------------------------------------
# RRULE / ERULE occurrences (TickTick repeatFlag)
# --------------------------------------------------------------------------------------------


def _next_erule(text: str, current_utc: datetime, tz: ZoneInfo) -> datetime:
    """ERULE:NAME=CUSTOM;BYDATE=YYYYMMDD,...: the first listed day after `current`."""
    parts: dict[str, str] = {}
    for chunk in text[len("ERULE:") :].split(";"):
        key, _sep, value = chunk.partition("=")
        parts[key.strip()] = value.strip()
    raw_dates = [item for item in parts.get("BYDATE", "").split(",") if item.strip()]
    clock = _to_local(current_utc, tz).time().replace(tzinfo=None)
    moments = []
    for raw in raw_dates:
        match = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", raw.strip())
        if match is None:
            raise InvalidDate(f"bad ERULE date: {raw!r}")
        day = _checked_date(int(match[1]), int(match[2]), int(match[3]), raw)
        moments.append(_local_moment(day, clock, tz))
    later = sorted(m for m in moments if m > current_utc)
    if not later:
        raise InvalidDate(f"no date after {format_v2(current_utc)} in {text!r}")
    return later[0]


def _strip_tt(text: str) -> tuple[str, bool]:
    """Drop TickTick's TT_* parts (dateutil rejects them); report TT_SKIP=WEEKEND."""
    skip_weekend = False
    lines = []
    for line in text.splitlines():
        head, colon, body = line.partition(":")
        if not colon or not head.strip().endswith("RULE"):
            lines.append(line)
            continue
        kept = []
        for chunk in body.split(";"):
            key = chunk.partition("=")[0].strip()
            if key == "TT_SKIP" and chunk.partition("=")[2].strip() == "WEEKEND":
                skip_weekend = True
            if key.startswith("TT_"):
                continue
            kept.append(chunk)
        lines.append(head + ":" + ";".join(kept))
    return "\n".join(lines), skip_weekend


def next_rrule_occurrence(rrule: str, current: datetime, *, tz: ZoneInfo) -> datetime:
    """Next occurrence of a TickTick repeatFlag strictly after `current` (aware UTC).

    The rule starts at `current` in local time, so the time of day is kept across DST.
    TT_SKIP=WEEKEND is honoured by skipping Saturday and Sunday occurrences.
    """
    text = rrule.strip().upper() if isinstance(rrule, str) else ""
    if not text:
        raise InvalidDate("empty repeat rule")
    current_utc = _aware(current)
    if text.startswith("ERULE:"):
        return _next_erule(text, current_utc, tz)
    if text.startswith("FREQ="):
        text = "RRULE:" + text
    body, skip_weekend = _strip_tt(text)
    local = _to_local(current_utc, tz)
    try:
        anchor = local
        try:
            rules = rrulestr(body, dtstart=anchor, forceset=True)
        except ValueError:
            # e.g. a floating UNTIL, which dateutil refuses next to an aware DTSTART.
            anchor = local.replace(tzinfo=None)
            rules = rrulestr(body, dtstart=anchor, forceset=True)
        for step, occurrence in enumerate(rules.xafter(anchor, inc=False)):
            if step > _MAX_STEPS:
                break
            if skip_weekend and occurrence.weekday() >= 5:
                continue
            moment = to_utc(occurrence, tz)
            if moment > current_utc:
                return moment
    except InvalidDate:
        pass  # ran off the end of the calendar
    except (ValueError, TypeError, OverflowError, KeyError, IndexError) as exc:
        raise InvalidDate(f"cannot use repeat rule {rrule!r}: {exc}") from exc
    raise InvalidDate(f"repeat rule has no occurrence after the current one: {rrule!r}")
