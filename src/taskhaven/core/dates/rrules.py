"""A recurrence as RRULE text and as a date string: the same meaning, two spellings.

``rule_to_text`` words every Rule in the English grammar, so that reading the words back
gives the same Rule; an RRULE converts when it denotes such a Rule, and anything else maps
to None, so a caller keeps what it has instead of inventing an approximation.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY

from taskhaven.core.dates.freetext import is_recurring, split_recurring
from taskhaven.core.dates.recurrence import Rule
from taskhaven.core.dates.timestamps import InvalidDate
from taskhaven.core.dates.vocabulary import MONTH_ABBR, RRULE_DAYS, WEEKDAY_FULL, WEEKEND, WORKDAYS

_FREQ_NAMES = {DAILY: "DAILY", WEEKLY: "WEEKLY", MONTHLY: "MONTHLY", YEARLY: "YEARLY"}
_FREQ_BY_NAME = {name: freq for freq, name in _FREQ_NAMES.items()}
_UNIT_NAMES = {DAILY: "day", WEEKLY: "week", MONTHLY: "month", YEARLY: "year"}
_ORDINAL_SUFFIX = {1: "st", 2: "nd", 3: "rd"}
_BYDAY_RE = re.compile(r"(?P<n>[+-]?\d)?(?P<day>MO|TU|WE|TH|FR|SA|SU)")


def _ordinal(n: int) -> str:
    if n == -1:
        return "last"
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{_ORDINAL_SUFFIX.get(n % 10, 'th')}"


def rule_to_rrule(rule: Rule) -> str:
    """The RRULE line for `rule` (``every!`` is TickTick's ``repeatFrom``, not a part)."""
    parts = [f"FREQ={_FREQ_NAMES[rule.freq]}", f"INTERVAL={rule.interval}"]
    if rule.weekdays:
        prefix = "" if rule.ordinal is None else str(rule.ordinal)
        parts.append("BYDAY=" + ",".join(prefix + RRULE_DAYS[d] for d in rule.weekdays))
    if rule.month is not None:
        parts.append(f"BYMONTH={rule.month}")
    if rule.monthdays:
        parts.append("BYMONTHDAY=" + ",".join(str(d) for d in rule.monthdays))
    if rule.setpos is not None:
        parts.append(f"BYSETPOS={rule.setpos}")
    if rule.until is not None:
        parts.append(f"UNTIL={rule.until:%Y%m%d}T235959")
    if rule.count is not None:
        parts.append(f"COUNT={rule.count}")
    return "RRULE:" + ";".join(parts)


def _days_text(days: tuple[int, ...]) -> str:
    if days == WORKDAYS:
        return "workday"
    if days == WEEKEND:
        return "weekend"
    return ", ".join(WEEKDAY_FULL[d] for d in days)


def _monthdays_text(days: tuple[int, ...]) -> str:
    names = ["last day" if d == -1 else _ordinal(d) for d in days]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _selector_text(rule: Rule) -> str | None:
    """The days part of `rule` ("monday, friday", "3rd friday", "1st and 15th")."""
    if rule.setpos is not None:
        return f"{_ordinal(rule.setpos)} workday"
    if rule.freq == YEARLY and rule.month is not None:
        mon = MONTH_ABBR[rule.month - 1].lower()
        if rule.ordinal is not None:
            return f"{_ordinal(rule.ordinal)} {WEEKDAY_FULL[rule.weekdays[0]]} of {mon}"
        return f"{rule.monthdays[0]} {mon}"
    if rule.ordinal is not None:
        return f"{_ordinal(rule.ordinal)} {WEEKDAY_FULL[rule.weekdays[0]]}"
    if rule.weekdays:
        return _days_text(rule.weekdays)
    if rule.monthdays:
        return _monthdays_text(rule.monthdays)
    return None


def rule_to_text(rule: Rule) -> str:
    """`rule` in the English grammar ("every other monday", "every 2 months on the 15th")."""
    every = "every!" if rule.from_completion else "every"
    unit = _UNIT_NAMES[rule.freq]
    selector = _selector_text(rule)
    if selector is None:
        text = f"{every} {unit}" if rule.interval == 1 else f"{every} {rule.interval} {unit}s"
    elif rule.interval == 1:
        text = f"{every} {selector}"
    elif rule.interval == 2 and rule.freq == WEEKLY:
        text = f"{every} other {selector}"
    else:
        text = f"{every} {rule.interval} {unit}s on {'the ' if rule.monthdays else ''}{selector}"
    if rule.until is not None:
        text += f" until {rule.until.isoformat()}"
    if rule.count is not None:
        text += f" for {rule.count} {'time' if rule.count == 1 else 'times'}"
    return text


def _utc_today() -> date:
    return datetime.now(UTC).date()


def date_string_to_rrule(
    date_string: str | None, *, today: date | None = None, lang: str | None = None
) -> str | None:
    """RRULE for a recurring date string, so V2 clients see the same recurrence.

    The time of day is not encoded: it lives in the due moment. `today` (the user's local
    date) places an "until" day written without a year; callers that have a clock pass it.
    """
    if not is_recurring(date_string):
        return None
    assert date_string is not None
    try:
        rule, _clock = split_recurring(date_string, today or _utc_today(), lang)
    except InvalidDate:
        return None
    return rule_to_rrule(rule)


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


def _until(text: str) -> date | None:
    # A day, or its last second: other times of day are not a day a date string can name.
    match = re.fullmatch(r"(\d{4})(\d{2})(\d{2})(?:T235959Z?)?", text)
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def rule_from_rrule(rrule_text: str, *, from_completion: bool = False) -> Rule | None:
    """The Rule an RRULE denotes, or None when a date string cannot say the same thing."""
    parts = _rrule_parts(rrule_text)
    if parts is None:
        return None
    known = {
        "FREQ",
        "INTERVAL",
        "BYDAY",
        "BYMONTHDAY",
        "BYMONTH",
        "BYSETPOS",
        "UNTIL",
        "COUNT",
        "WKST",
    }
    if any(key not in known and not key.startswith("TT_") for key in parts):
        return None
    freq = _FREQ_BY_NAME.get(parts.get("FREQ", ""))
    interval = _int_in(parts.get("INTERVAL", "1"), 1, 9999)
    if freq is None or interval is None:
        return None
    weekdays: tuple[int, ...] = ()
    ordinal: int | None = None
    if "BYDAY" in parts:
        found = [_BYDAY_RE.fullmatch(code) for code in parts["BYDAY"].split(",")]
        if any(m is None for m in found):
            return None
        ordinals = {m["n"] for m in found if m is not None}
        if len(ordinals) != 1:
            return None
        weekdays = tuple(sorted({RRULE_DAYS.index(m["day"]) for m in found if m is not None}))
        (raw,) = ordinals
        ordinal = int(raw) if raw else None
    monthdays: tuple[int, ...] = ()
    if "BYMONTHDAY" in parts:
        values = [_int_in(v, -1, 31) for v in parts["BYMONTHDAY"].split(",")]
        if any(v is None or v == 0 for v in values):
            return None
        monthdays = tuple(
            sorted({v for v in values if v is not None}, key=lambda d: 99 if d < 0 else d)
        )
    month = _int_in(parts["BYMONTH"], 1, 12) if "BYMONTH" in parts else None
    if "BYMONTH" in parts and month is None:
        return None
    setpos = _int_in(parts["BYSETPOS"], -1, 5) if "BYSETPOS" in parts else None
    until = _until(parts["UNTIL"]) if "UNTIL" in parts else None
    if "UNTIL" in parts and until is None:
        return None
    count = _int_in(parts["COUNT"], 1, 9999) if "COUNT" in parts else None
    if ("COUNT" in parts and count is None) or (count is not None and until is not None):
        return None
    if parts.get("TT_SKIP") == "WEEKEND" and freq == DAILY and interval == 1 and not weekdays:
        freq, weekdays = WEEKLY, WORKDAYS
    if freq == DAILY and weekdays and interval == 1:
        freq = WEEKLY
    rule = Rule(
        freq,
        interval=interval,
        weekdays=weekdays,
        ordinal=ordinal,
        monthdays=monthdays,
        month=month,
        setpos=setpos,
        until=until,
        count=count,
        from_completion=from_completion,
    )
    # Only what the grammar reads back identically is a Rule a date string can say.
    try:
        again, _clock = split_recurring(rule_to_text(rule), until or date(2000, 1, 3))
    except (InvalidDate, IndexError):
        return None
    return rule if again == rule else None


def rrule_to_date_string(rrule: str | None, *, from_completion: bool = False) -> str | None:
    """Date string for a TickTick repeatFlag, or None if none says the same thing.

    TT_SKIP/TT_WORKDAY are tolerated; "daily, skipping weekends" becomes "every workday".
    ``from_completion`` (TickTick's ``repeatFrom`` 1) is spelled "every!".
    """
    if not rrule:
        return None
    rule = rule_from_rrule(rrule, from_completion=from_completion)
    return None if rule is None else rule_to_text(rule)


_ERULE_DAY_RE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_UNTIL_MOMENT_RE = re.compile(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)")


def _day_text(raw: str) -> str | None:
    match = _ERULE_DAY_RE.fullmatch(raw.strip())
    if match is None:
        return None
    try:
        day = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    return f"{day.day} {MONTH_ABBR[day.month - 1].lower()} {day.year}"


def _erule_text(body: str) -> str | None:
    """TickTick's list of days (``ERULE:NAME=CUSTOM;BYDATE=20270103,20270214``)."""
    parts = dict(chunk.partition("=")[::2] for chunk in body.split(";") if chunk)
    days = [_day_text(raw) for raw in parts.get("BYDATE", "").split(",") if raw.strip()]
    if not days or any(d is None for d in days):
        return None
    return "on " + ", ".join(d for d in days if d is not None)


def _numbers(text: str, low: int, high: int) -> list[int] | None:
    values = [_int_in(v, low, high) for v in text.split(",")]
    return None if any(v is None for v in values) else [v for v in values if v is not None]


def _byday_text(text: str) -> str | None:
    found = [_BYDAY_RE.fullmatch(code) for code in text.split(",")]
    if any(m is None for m in found):
        return None
    words = []
    for m in found:
        assert m is not None
        day = WEEKDAY_FULL[RRULE_DAYS.index(m["day"])]
        n = int(m["n"]) if m["n"] else 0
        if n and not (-1 <= n <= 5):
            return None
        words.append(f"{_ordinal(n)} {day}" if n else day)
    return ", ".join(words)


def _until_text(text: str) -> str | None:
    if (day := _until(text)) is not None:
        return f"until {day.isoformat()}"
    match = _UNTIL_MOMENT_RE.fullmatch(text)
    if match is None or _day_text(text[:8]) is None:
        return None
    zone = " UTC" if match[7] else ""
    return f"until {match[1]}-{match[2]}-{match[3]} {match[4]}:{match[5]}{zone}"


def _extra_rrule_text(parts: dict[str, str], from_completion: bool) -> str | None:
    """Any RRULE of the four frequencies in plain English, part by part."""
    freq = _FREQ_BY_NAME.get(parts.get("FREQ", ""))
    interval = _int_in(parts.get("INTERVAL", "1"), 1, 9999)
    if freq is None or interval is None:
        return None
    unit = _UNIT_NAMES[freq]
    words = ["every!" if from_completion else "every"]
    months = _numbers(parts["BYMONTH"], 1, 12) if "BYMONTH" in parts else []
    if months is None:
        return None
    month_names = ", ".join(MONTH_ABBR[m - 1].lower() for m in months)
    if freq == YEARLY and interval == 1 and months:
        words.append(month_names)  # "every jan, mar"
        months = []
    else:
        words.append(unit if interval == 1 else f"{interval} {unit}s")
    if "BYDAY" in parts:
        days = _byday_text(parts["BYDAY"])
        if days is None:
            return None
        words.append("on " + days)
    if "BYMONTHDAY" in parts:
        monthdays = _numbers(parts["BYMONTHDAY"], -31, 31)
        if not monthdays or 0 in monthdays:
            return None
        names = [
            "last day" if d == -1 else f"{_ordinal(-d)} last day" if d < 0 else _ordinal(d)
            for d in monthdays
        ]
        words.append("on the " + ", ".join(names))
    if months:
        words.append("in " + month_names)
    if "BYSETPOS" in parts:
        positions = _numbers(parts["BYSETPOS"], -366, 366)
        if not positions or 0 in positions:
            return None
        words.append("(" + ", ".join(_ordinal(p) for p in positions) + " of those)")
    if "BYHOUR" in parts:
        hours = _numbers(parts["BYHOUR"], 0, 23)
        minutes = _numbers(parts.get("BYMINUTE", "0"), 0, 59)
        if not hours or not minutes:
            return None
        words.append("at " + ", ".join(f"{h}:{m:02d}" for h in hours for m in minutes))
    elif "BYMINUTE" in parts:
        return None
    if "UNTIL" in parts:
        until = _until_text(parts["UNTIL"])
        if until is None:
            return None
        words.append(until)
    if "COUNT" in parts:
        count = _int_in(parts["COUNT"], 1, 9999)
        if count is None:
            return None
        words.append(f"for {count} {'time' if count == 1 else 'times'}")
    if parts.get("TT_SKIP") == "WEEKEND":
        words.append("skipping weekends")
    return " ".join(words)


def describe_rrule(rrule: str | None, *, from_completion: bool = False) -> str | None:
    """A faithful English date string for any TickTick repeatFlag.

    The grammar's own wording when it has one (that reads back as the same rule);
    otherwise the rule part by part ("every day at 9:00", "every jan, mar",
    "every month on 1st monday, last friday", "on 3 jan 2027, 14 feb 2027"), for reading
    only: the repeatFlag stays the rule. None for text that is no rule at all.
    """
    if not rrule:
        return None
    if (text := rrule_to_date_string(rrule, from_completion=from_completion)) is not None:
        return text
    stripped = rrule.strip().upper()
    if stripped.startswith("ERULE:"):
        return _erule_text(stripped[len("ERULE:") :])
    parts = _rrule_parts(rrule)
    known = {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "UNTIL"}
    known |= {"COUNT", "WKST", "BYHOUR", "BYMINUTE", "BYSECOND"}
    if parts is None or any(k not in known and not k.startswith("TT_") for k in parts):
        return None
    if parts.get("BYSECOND", "0") != "0":
        return None
    return _extra_rrule_text(parts, from_completion)


def count_used(rrule: str | None) -> str | None:
    """The rule after one occurrence of a ``COUNT`` series is done (COUNT one less), or
    None when the rule has no COUNT (or only that one occurrence was left)."""
    parts = _rrule_parts(rrule or "")
    if parts is None or "COUNT" not in parts:
        return None
    count = _int_in(parts["COUNT"], 1, 9999)
    if count is None or count <= 1:
        return None
    parts["COUNT"] = str(count - 1)
    return "RRULE:" + ";".join(f"{key}={value}" for key, value in parts.items())
