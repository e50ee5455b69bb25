"""A recurrence as RRULE text and as a date string: the same meaning, two spellings.

Only recurrences both can say convert; anything else maps to None, so a caller keeps
what it has instead of inventing an approximation.
"""

from __future__ import annotations

import re
from datetime import date

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY

from taskhaven.core.dates.freetext import is_recurring, split_recurring
from taskhaven.core.dates.recurrence import Rule
from taskhaven.core.dates.timestamps import InvalidDate
from taskhaven.core.dates.vocabulary import MONTH_ABBR, RRULE_DAYS, WEEKDAY_FULL, WORKDAYS

_FREQ_NAMES = {DAILY: "DAILY", WEEKLY: "WEEKLY", MONTHLY: "MONTHLY", YEARLY: "YEARLY"}
_FREQ_BY_NAME = {name: freq for freq, name in _FREQ_NAMES.items()}
_UNIT_NAMES = {DAILY: "day", WEEKLY: "week", MONTHLY: "month", YEARLY: "year"}


_ORDINAL_SUFFIX = {1: "st", 2: "nd", 3: "rd"}


def _ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{_ORDINAL_SUFFIX.get(n % 10, 'th')}"


def _rule_to_rrule(rule: Rule) -> str:
    parts = [f"FREQ={_FREQ_NAMES[rule.freq]}", f"INTERVAL={rule.interval}"]
    if rule.weekdays:
        parts.append("BYDAY=" + ",".join(RRULE_DAYS[d] for d in rule.weekdays))
    if rule.month is not None:
        parts.append(f"BYMONTH={rule.month}")
    if rule.monthday is not None:
        parts.append(f"BYMONTHDAY={rule.monthday}")
    return "RRULE:" + ";".join(parts)


def _rule_to_text(rule: Rule) -> str:
    if rule.weekdays:
        if rule.weekdays == WORKDAYS:
            return "every workday"
        return "every " + ", ".join(WEEKDAY_FULL[d] for d in rule.weekdays)
    if rule.month is not None and rule.monthday is not None:
        return f"every {rule.monthday} {MONTH_ABBR[rule.month - 1].lower()}"
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
        rule, _clock = split_recurring(date_string)
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


def _rule_from_rrule(rrule_text: str) -> Rule | None:
    """The Rule an RRULE denotes, or None when a date string cannot say the same thing."""
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
        if any(code not in RRULE_DAYS for code in codes):
            return None
        return Rule(WEEKLY, weekdays=tuple(sorted({RRULE_DAYS.index(c) for c in codes})))
    if bymonth is not None:
        month = _int_in(bymonth, 1, 12)
        day = _int_in(bymonthday or "", 1, 31)
        if freq != YEARLY or interval != 1 or month is None or day is None:
            return None
        try:
            date(2000, month, day)
        except ValueError:
            return None
        return Rule(YEARLY, monthday=day, month=month)
    if bymonthday is not None:
        day = _int_in(bymonthday, 1, 31)
        if freq != MONTHLY or interval != 1 or day is None:
            return None
        return Rule(MONTHLY, monthday=day)
    if skip_weekend and freq == DAILY and interval == 1:
        return Rule(WEEKLY, weekdays=WORKDAYS)
    return Rule(freq, interval=interval)


def rrule_to_date_string(rrule: str | None) -> str | None:
    """Todoist date string for a TickTick repeatFlag, or None if none says the same thing.

    TT_SKIP/TT_WORKDAY are tolerated; "daily, skipping weekends" becomes "every workday".
    """
    if not rrule:
        return None
    rule = _rule_from_rrule(rrule)
    return None if rule is None else _rule_to_text(rule)
