"""The meaning of a date a person wrote: Todoist-style free text ("tomorrow @ 10",
"every other week", "15 jun") read in the writer's zone at a given moment.

Only English is understood; other languages fall back to it. A whole-day date is due at
23:59:59 local time. Recurrence is computed on local wall-clock time and converted to UTC
afterwards, so that "every day @ 10" stays at 10:00 local across DST changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY

from taskhaven.core.dates.recurrence import MAX_STEPS, Rule, occurrences
from taskhaven.core.dates.timestamps import (
    InvalidDate,
    as_utc,
    build_iso,
    checked_date,
    local_moment,
    to_local,
    to_utc,
)
from taskhaven.core.dates.vocabulary import (
    ALL_DAY_CLOCK,
    MONTH_RE,
    MONTHS,
    ORD,
    WEEKDAY_RE,
    WEEKDAYS,
    WORKDAYS,
)


@dataclass(frozen=True)
class Due:
    """A parsed due date: the moment plus its whole-day and recurring flags."""

    moment: datetime  # aware, UTC
    all_day: bool  # whole-day date -> moment is 23:59:59 local time converted to UTC
    recurring: bool  # date_string is recurring ("every ...", daily/weekly/monthly/yearly)


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
    rf"(?P<d>\d{{1,2}}){ORD}?\s+(?P<mon>{MONTH_RE})\.?(?:,?\s+(?P<y>\d{{4}}))?"
)
_MONTH_DAY_RE = re.compile(
    rf"(?P<mon>{MONTH_RE})\.?\s+(?P<d>\d{{1,2}}){ORD}?(?:,?\s+(?P<y>\d{{4}}))?"
)
_IN_RE = re.compile(r"in\s+(?P<n>\d+)\s+(?P<unit>days?|weeks?|months?|years?)")
_WEEKDAY_ONLY_RE = re.compile(rf"(?P<next>next\s+)?(?P<wd>{WEEKDAY_RE})")

_EVERY_RE = re.compile(r"every!?\s+(?P<body>.+)")
_EVERY_UNIT_RE = re.compile(
    r"(?:(?P<n>\d+)\s+|(?P<other>other)\s+)?(?P<unit>day|week|month|year)s?"
)
_EVERY_ORDINAL_RE = re.compile(rf"(?:the\s+)?(?P<d>\d{{1,2}}){ORD}(?:\s+day)?")
_EVERY_WEEKDAYS_RE = re.compile(rf"(?:{WEEKDAY_RE})(?:\s*(?:,|&|\band\b)\s*(?:{WEEKDAY_RE}))*")
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


def _month_day(month: int, day: int, year: str | None, today: date, source: str) -> date:
    """A "<d> <Mon> [year]" date; without a year, the next such date on or after today."""
    if year is not None:
        return checked_date(int(year), month, day, source)
    checked_date(2000, month, day, source)  # leap year: rejects only impossible dates
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
        ahead = (WEEKDAYS[match["wd"]] - today.weekday()) % 7
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
        return checked_date(int(match["y"]), int(match["mo"]), int(match["d"]), text)
    for pattern in (_DAY_MONTH_RE, _MONTH_DAY_RE):
        if match := pattern.fullmatch(text):
            return _month_day(MONTHS[match["mon"]], int(match["d"]), match["y"], today, text)
    raise InvalidDate(f"cannot understand date: {text!r}")


def _parse_rule(text: str) -> Rule:
    """The recurrence part of a date string (time suffix already removed)."""
    if text in _PLAIN_WORDS:
        return Rule(_PLAIN_WORDS[text])
    match = _EVERY_RE.fullmatch(text)
    if match is None:
        raise InvalidDate(f"not a recurring date: {text!r}")
    body = match["body"]
    if body in ("weekday", "weekdays", "workday", "workdays", "work day", "work days"):
        return Rule(WEEKLY, weekdays=WORKDAYS)
    if unit := _EVERY_UNIT_RE.fullmatch(body):
        interval = 2 if unit["other"] else int(unit["n"] or 1)
        if interval < 1:
            raise InvalidDate(f"interval must be positive: {text!r}")
        return Rule(_UNIT_FREQ[unit["unit"]], interval=interval)
    if _EVERY_WEEKDAYS_RE.fullmatch(body):
        days = sorted({WEEKDAYS[name] for name in _WEEKDAY_SPLIT_RE.split(body)})
        return Rule(WEEKLY, weekdays=tuple(days))
    if ordinal := _EVERY_ORDINAL_RE.fullmatch(body):
        day = int(ordinal["d"])
        if not 1 <= day <= 31:
            raise InvalidDate(f"no such day of month: {text!r}")
        return Rule(MONTHLY, monthday=day)
    for pattern in (_DAY_MONTH_RE, _MONTH_DAY_RE):
        if (found := pattern.fullmatch(body)) and found["y"] is None:
            month, day = MONTHS[found["mon"]], int(found["d"])
            checked_date(2000, month, day, text)
            return Rule(YEARLY, monthday=day, month=month)
    raise InvalidDate(f"cannot understand recurrence: {text!r}")


def split_recurring(date_string: str) -> tuple[Rule, time | None]:
    text = _normalize(date_string)
    if not _RECURRING_RE.match(text):
        raise InvalidDate(f"not a recurring date: {date_string!r}")
    rest, clock = _split_time(text)
    return _parse_rule(rest), clock


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
    now_utc = as_utc(now)
    today = to_local(now_utc, tz).date()

    if match := _FULL_ISO_LOCAL_RE.fullmatch(normalized):
        value = build_iso(match, date_only_time=time(0, 0))
        moment = to_utc(value, tz)
        return Due(moment=moment, all_day=False, recurring=False)

    if _RECURRING_RE.match(normalized):
        rule, clock = split_recurring(normalized)
        start = datetime.combine(today, clock or ALL_DAY_CLOCK)
        for step, occurrence in enumerate(occurrences(rule, start)):
            moment = to_utc(occurrence, tz)
            if moment >= now_utc:
                return Due(moment=moment, all_day=clock is None, recurring=True)
            if step > MAX_STEPS:  # pragma: no cover - every rule recurs within a few years
                break
        raise InvalidDate(f"recurrence has no future occurrence: {text!r}")

    rest, clock = _split_time(normalized)
    day = _parse_day(rest, today, next_week_day)
    return Due(
        moment=local_moment(day, clock or ALL_DAY_CLOCK, tz),
        all_day=clock is None,
        recurring=False,
    )


def is_recurring(date_string: str | None) -> bool:
    """Whether completing an item with this date string should reschedule it."""
    if not date_string:
        return False
    return _RECURRING_RE.match(_normalize(date_string)) is not None
