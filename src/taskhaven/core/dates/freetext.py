"""The meaning of a date a person wrote: Todoist-style free text ("tomorrow @ 10",
"every other monday", "every 1st and 15th at 9am", "end of month") read in the writer's
zone at a given moment.

Other languages are first rewritten into the English words (``languages``). A whole-day
date is due at 23:59:59 local time. Recurrence is computed on local wall-clock time and
converted to UTC afterwards, so that "every day @ 10" stays at 10:00 local across DST
changes. Every loop is bounded; what is not understood raises InvalidDate.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY

from taskhaven.core.dates.languages import DETECT_ORDER, fold, to_english
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
    PERIOD_CLOCKS,
    WEEKDAY_RE,
    WEEKDAYS,
    WEEKEND,
    WORKDAYS,
)


@dataclass(frozen=True)
class Due:
    """A parsed due date: the moment plus its whole-day and recurring flags."""

    moment: datetime  # aware, UTC
    all_day: bool  # whole-day date -> moment is 23:59:59 local time converted to UTC
    recurring: bool  # date_string is recurring ("every ...", daily/weekly/monthly/yearly)
    rule: Rule | None = None  # the recurrence, when recurring


_CLOCK_RE = re.compile(
    r"(?P<h>\d{1,2})(?:[:h.](?P<m>\d{2}))?(?::(?P<s>\d{2}))?\s*h?\s*"
    r"(?P<ap>am|pm|a\.m\.|p\.m\.)?"
)
_AT_SUFFIX_RE = re.compile(r"(?:(?P<rest>.*?)\s*)?(?:@|\bat\b)\s*(?P<clock>[^@]+)")
_AMPM_SUFFIX_RE = re.compile(
    r"(?:(?P<rest>.*\S)\s+)?(?P<clock>\d{1,2}(?::\d{2}){0,2}\s*(?:am|pm|a\.m\.|p\.m\.))"
)
_COLON_SUFFIX_RE = re.compile(
    r"(?:(?P<rest>.*\S)\s+)?(?P<clock>\d{1,2}(?::\d{2}(?::\d{2})?|h\d{0,2}))"
)
_PERIOD_SUFFIX_RE = re.compile(
    r"(?:(?P<rest>.*\S)\s+)?(?:in\s+the\s+)?(?P<period>"
    + "|".join(sorted(PERIOD_CLOCKS, key=len, reverse=True))
    + ")"
)
_SEVERAL_TIMES_RE = re.compile(r"\d\s*(?:am|pm|h)?\s*(?:,|&|\band\b)\s*\d")
_RECURRING_RE = re.compile(
    r"(?:every!?(?:\s|$)|everyday\b|daily\b|weekly\b|monthly\b|yearly\b|annually\b|each\b)"
)
_PLAIN_WORDS = {
    "everyday": "every day",
    "daily": "every day",
    "weekly": "every week",
    "monthly": "every month",
    "yearly": "every year",
    "annually": "every year",
    "each": "every",
}

_FULL_ISO_LOCAL_RE = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})t(?P<h>\d{1,2}):(?P<mi>\d{2})"
    r"(?::(?P<s>\d{2})(?:[.,](?P<f>\d+))?)?\s*(?P<tz>z|[+-]\d{2}(?::?\d{2})?)?"
)
_ISO_DATE_RE = re.compile(r"(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})")
_DAY_MONTH_RE = re.compile(
    rf"(?:the\s+)?(?P<d>\d{{1,2}}){ORD}?\s+(?:of\s+)?(?P<mon>{MONTH_RE})\.?"
    rf"(?:,?\s+(?P<y>\d{{4}}))?"
)
_MONTH_DAY_RE = re.compile(
    rf"(?P<mon>{MONTH_RE})\.?\s+(?:the\s+)?(?P<d>\d{{1,2}}){ORD}?(?:,?\s+(?P<y>\d{{4}}))?"
)
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_COUNT = r"(?P<n>\d{1,4}|a|an|one|two|three|four|five|six)"
_IN_RE = re.compile(rf"in\s+{_COUNT}\s+(?P<unit>days?|weeks?|months?|years?)")
_IN_CLOCK_RE = re.compile(rf"in\s+{_COUNT}\s+(?P<unit>hours?|hrs?|minutes?|mins?)")
_WEEKDAY_ONLY_RE = re.compile(rf"(?:(?P<next>next)\s+|this\s+|on\s+)?(?P<wd>{WEEKDAY_RE})")
_MID_RE = re.compile(rf"(?:mid|middle\s+of)[\s-]+(?P<mon>{MONTH_RE}|month|the\s+month)")
_END_RE = re.compile(
    r"(?:the\s+)?(?:end\s+of(?:\s+the)?|eo)\s*(?P<next>next\s+)?(?P<unit>month|week|year|m|w|y)"
)

_ORDINAL_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "5th": 5,
    "last": -1,
}
_ORDINAL_RE = "|".join([*_ORDINAL_WORDS, r"[1-5](?:st|nd|rd|th)"])


def _position(word: str) -> int:
    """1..5 or -1 for "last", from a word or a written ordinal ("3rd", "3th")."""
    return _ORDINAL_WORDS[word] if word in _ORDINAL_WORDS else int(word[0])


_UNIT_FREQ = {"day": DAILY, "week": WEEKLY, "month": MONTHLY, "year": YEARLY}
_INTERVAL_RE = re.compile(
    r"(?:(?P<n>\d{1,4})(?:st|nd|rd|th)?\s+|(?P<other>other)\s+)?(?P<unit>day|week|month|year)s?"
    r"(?:\s+(?:on\s+)?(?P<on>.+))?"
)
_WEEKDAY_LIST_RE = re.compile(rf"(?:{WEEKDAY_RE})s?(?:\s*(?:,|&|\band\b)\s*(?:{WEEKDAY_RE})s?)*")
_LIST_SPLIT_RE = re.compile(r"\s*(?:,|&|\band\b)\s*")
_ORDINAL_WEEKDAY_RE = re.compile(
    rf"(?:the\s+)?(?P<ord>{_ORDINAL_RE})\s+(?P<wd>{WEEKDAY_RE})"
    rf"(?:\s+of\s+(?:the\s+month|every\s+month|each\s+month|(?P<mon>{MONTH_RE})))?"
)
_SETPOS_RE = re.compile(
    rf"(?:the\s+)?(?P<ord>{_ORDINAL_RE})\s+(?P<kind>day|workday|work\s+day|working\s+day|business\s+day|weekday)"
    r"(?:\s+of\s+(?:the|every|each)\s+month)?"
)
_MONTHDAY_ITEM_RE = re.compile(rf"(?:the\s+)?(?:(?P<d>\d{{1,2}}){ORD}?|(?P<last>last(?:\s+day)?))")
_HOURLY_RE = re.compile(r"(?:\d+\s+|other\s+)?(?:hours?|hrs?|minutes?|mins?|seconds?)\b.*")
_MODIFIER_RE = re.compile(
    r"\s+(?P<kw>starting(?:\s+on|\s+from)?|from|beginning|until|till|through|ending|for)\s+"
)
_FOR_RE = re.compile(rf"{_COUNT}\s+(?P<unit>days?|weeks?|months?|years?|times?)")


def _normalize(text: str) -> str:
    """Lower-case and collapse whitespace so the grammar can stay simple."""
    return " ".join(text.lower().split())


def _count(word: str) -> int:
    return _NUMBER_WORDS[word] if word in _NUMBER_WORDS else int(word)


def _parse_clock(text: str) -> time:
    """Time of day from "10", "10:00", "10:00:30", "10am", "2:30 pm", "17h30" or "noon"."""
    text = text.strip()
    if text in PERIOD_CLOCKS:
        return PERIOD_CLOCKS[text]
    if _SEVERAL_TIMES_RE.search(text):
        raise InvalidDate(f"several times a day are not supported: {text!r}")
    match = _CLOCK_RE.fullmatch(text)
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
    """Separate an optional trailing time ("@ 10", "at 10:00", "10am", "14:30", "morning")."""
    match = _AT_SUFFIX_RE.fullmatch(text)
    if match is not None:
        return (match["rest"] or "").strip(), _parse_clock(match["clock"])
    for pattern in (_AMPM_SUFFIX_RE, _COLON_SUFFIX_RE):
        match = pattern.fullmatch(text)
        if match is not None:
            return (match["rest"] or "").strip(), _parse_clock(match["clock"])
    match = _PERIOD_SUFFIX_RE.fullmatch(text)
    if match is not None:
        return (match["rest"] or "").strip(), PERIOD_CLOCKS[match["period"]]
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


def _shift(today: date, n: int, unit: str, source: str) -> date:
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
        raise InvalidDate(f"date out of range: {source!r}") from exc


def _last_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _relative_day(text: str, today: date, next_week_day: int) -> date | None:
    """The words that name a day relative to today; None when `text` is none of them."""
    words = {
        "": 0,
        "this": 0,
        "today": 0,
        "tod": 0,
        "tonight": 0,
        "tomorrow": 1,
        "tom": 1,
        "tmr": 1,
        "yesterday": -1,
        "day after tomorrow": 2,
        "the day after tomorrow": 2,
    }
    if text in words:
        return today + timedelta(days=words[text])
    monday = today - timedelta(days=today.weekday())
    if text == "next week":
        return monday + timedelta(days=7 + next_week_day - 1)
    if text in ("this weekend", "weekend"):
        return max(today, monday + timedelta(days=5))
    if text == "next weekend":
        return monday + timedelta(days=12)
    if text == "next month":
        return _last_of_month(today) + timedelta(days=1)
    if text == "next year":
        return date(today.year + 1, 1, 1) if today.year < 9999 else None
    if match := _END_RE.fullmatch(text):
        unit = match["unit"][0]
        if unit == "m":
            base = _last_of_month(today)
            return _last_of_month(base + timedelta(days=1)) if match["next"] else base
        if unit == "w":
            friday = monday + timedelta(days=4)
            if friday < today:
                friday += timedelta(days=7)
            return friday + timedelta(days=7) if match["next"] else friday
        year = today.year + (1 if match["next"] else 0)
        return date(year, 12, 31)
    if match := _MID_RE.fullmatch(text):
        mon = match["mon"]
        if mon in ("month", "the month"):
            mid = today.replace(day=15)
            return mid if mid >= today else (_last_of_month(today) + timedelta(days=15))
        return _month_day(MONTHS[mon], 15, None, today, text)
    return None


def _parse_day(text: str, today: date, next_week_day: int) -> date:
    """A single (non-recurring) calendar day, relative to the user's local `today`."""
    try:
        relative = _relative_day(text, today, next_week_day)
    except (OverflowError, ValueError) as exc:
        raise InvalidDate(f"date out of range: {text!r}") from exc
    if relative is not None:
        return relative
    if match := _WEEKDAY_ONLY_RE.fullmatch(text):
        ahead = (WEEKDAYS[match["wd"]] - today.weekday()) % 7
        if match["next"] and ahead == 0:
            ahead = 7
        return today + timedelta(days=ahead)
    if match := _IN_RE.fullmatch(text):
        return _shift(today, _count(match["n"]), match["unit"].rstrip("s"), text)
    if match := _ISO_DATE_RE.fullmatch(text):
        return checked_date(int(match["y"]), int(match["mo"]), int(match["d"]), text)
    for pattern in (_DAY_MONTH_RE, _MONTH_DAY_RE):
        if match := pattern.fullmatch(text):
            return _month_day(MONTHS[match["mon"]], int(match["d"]), match["y"], today, text)
    raise InvalidDate(f"cannot understand date: {text!r}")


def _weekday_list(text: str) -> tuple[int, ...] | None:
    if text in ("weekday", "weekdays", "workday", "workdays", "work day", "work days"):
        return WORKDAYS
    if text in ("business day", "business days", "working day", "working days"):
        return WORKDAYS
    if text in ("weekend", "weekends", "weekend day", "weekend days"):
        return WEEKEND
    if not _WEEKDAY_LIST_RE.fullmatch(text):
        return None
    names = [
        name.removesuffix("s") if name not in WEEKDAYS else name
        for name in _LIST_SPLIT_RE.split(text)
    ]
    return tuple(sorted({WEEKDAYS[name] for name in names}))


def _monthday_list(text: str) -> tuple[int, ...] | None:
    days: set[int] = set()
    for item in _LIST_SPLIT_RE.split(text):
        match = _MONTHDAY_ITEM_RE.fullmatch(item)
        if match is None:
            return None
        if match["last"]:
            days.add(-1)
            continue
        day = int(match["d"])
        if not 1 <= day <= 31:
            raise InvalidDate(f"no such day of month: {text!r}")
        days.add(day)
    return tuple(sorted(days, key=lambda d: 99 if d < 0 else d))


def _selector(text: str, freq: int, interval: int) -> Rule | None:
    """What follows "every" or "every N <units> on": the days a series falls on."""
    if (days := _weekday_list(text)) is not None:
        if freq not in (WEEKLY, DAILY):
            return None
        return Rule(WEEKLY, interval=interval, weekdays=days)
    if match := _SETPOS_RE.fullmatch(text):
        position = _position(match["ord"])
        if match["kind"] == "day":
            if position == -1:
                return Rule(MONTHLY, interval=interval, monthdays=(-1,))
            return Rule(MONTHLY, interval=interval, monthdays=(position,))
        return Rule(MONTHLY, interval=interval, weekdays=WORKDAYS, setpos=position)
    if match := _ORDINAL_WEEKDAY_RE.fullmatch(text):
        wd = (WEEKDAYS[match["wd"]],)
        ordinal = _position(match["ord"])
        if match["mon"]:
            return Rule(
                YEARLY, interval=interval, weekdays=wd, ordinal=ordinal, month=MONTHS[match["mon"]]
            )
        return Rule(MONTHLY, interval=interval, weekdays=wd, ordinal=ordinal)
    for pattern in (_DAY_MONTH_RE, _MONTH_DAY_RE):
        if (found := pattern.fullmatch(text)) and found["y"] is None:
            month, day = MONTHS[found["mon"]], int(found["d"])
            checked_date(2000, month, day, text)
            return Rule(YEARLY, interval=interval, monthdays=(day,), month=month)
    if (monthdays := _monthday_list(text)) is not None:
        return Rule(MONTHLY, interval=interval, monthdays=monthdays)
    return None


def _parse_rule(body: str, source: str) -> Rule:
    """The recurrence after "every" (time and modifiers already removed)."""
    if _HOURLY_RE.fullmatch(body):
        raise InvalidDate(f"recurrences shorter than a day are not supported: {source!r}")
    if body.startswith("other ") and (rule := _selector(body[len("other ") :], WEEKLY, 2)):
        if rule.freq != WEEKLY:
            raise InvalidDate(f"cannot understand recurrence: {source!r}")
        return rule
    if unit := _INTERVAL_RE.fullmatch(body):
        interval = 2 if unit["other"] else int(unit["n"] or 1)
        if interval < 1:
            raise InvalidDate(f"interval must be positive: {source!r}")
        freq = _UNIT_FREQ[unit["unit"]]
        if unit["on"] is None:
            return Rule(freq, interval=interval)
        on = unit["on"]
        if freq == YEARLY and (rule := _selector(on, YEARLY, interval)) and rule.freq == YEARLY:
            return rule
        rule = _selector(on, freq, interval)
        if rule is None or rule.freq != freq:
            raise InvalidDate(f"cannot understand recurrence: {source!r}")
        return rule
    rule = _selector(body, WEEKLY, 1)
    if rule is None:
        raise InvalidDate(f"cannot understand recurrence: {source!r}")
    return rule


@dataclass(frozen=True)
class Recurrence:
    """A recurring date string read: the rule, its time of day and its first day, if given."""

    rule: Rule
    clock: time | None
    start: date | None


def _modifiers(body: str) -> tuple[str, list[tuple[str, str]]]:
    """Split "monday starting dec 1 until jan 31" into the core and its (keyword, argument)s."""
    pieces = _MODIFIER_RE.split(" " + body)
    core = pieces[0].strip()
    pairs = [(pieces[i].split()[0], pieces[i + 1].strip()) for i in range(1, len(pieces) - 1, 2)]
    return core, pairs


def read_recurrence(text: str, today: date, next_week_day: int = 1) -> Recurrence:
    """A normalized English recurring date string; InvalidDate when it is not one."""
    for word, spelled in _PLAIN_WORDS.items():
        if text == word or text.startswith(word + " "):
            text = spelled + text[len(word) :]
            break
    match = re.fullmatch(r"every(?P<bang>!)?\s*(?P<body>.*)", text)
    if match is None:
        raise InvalidDate(f"not a recurring date: {text!r}")
    from_completion = match["bang"] is not None
    core, pairs = _modifiers(match["body"])
    core, clock = _split_time(core)
    if not core and clock is not None:
        core = "day"  # "every morning", "every evening"
    if not core:
        raise InvalidDate(f"cannot understand recurrence: {text!r}")
    rule = _parse_rule(core, text)
    start: date | None = None
    until: date | None = None
    count: int | None = None
    for keyword, argument in pairs:
        argument, arg_clock = _split_time(argument)
        if arg_clock is not None:
            if clock is not None:
                raise InvalidDate(f"several times a day are not supported: {text!r}")
            clock = arg_clock
        if keyword in ("for",):
            length = _FOR_RE.fullmatch(argument)
            if length is None:
                raise InvalidDate(f"cannot understand how long it lasts: {text!r}")
            if length["unit"].startswith("time"):
                count = _count(length["n"])
                if not 1 <= count <= 9999:
                    raise InvalidDate(f"cannot understand how long it lasts: {text!r}")
                continue
            first = start or today
            until = _shift(first, _count(length["n"]), length["unit"].rstrip("s"), text)
            until -= timedelta(days=1)
        elif keyword in ("until", "till", "through", "ending"):
            until = _parse_day(argument, start or today, next_week_day)
        else:
            start = _parse_day(argument, today, next_week_day)
    if until is not None and start is not None and until < start:
        raise InvalidDate(f"the series ends before it starts: {text!r}")
    if count is not None and until is not None:
        raise InvalidDate(f"a series ends either on a day or after a number of times: {text!r}")
    rule = replace(rule, until=until, count=count, from_completion=from_completion)
    return Recurrence(rule, clock, start)


def _languages(lang: str | None) -> tuple[str, ...]:
    """The languages to read a text in: the chosen one, then English, then the others."""
    first = lang or "en"
    return tuple(dict.fromkeys((first, "en", *DETECT_ORDER)))


def _first_reading(text: str, lang: str | None, detect: bool) -> list[str]:
    folded = fold(text)
    order = _languages(lang) if detect else tuple(dict.fromkeys((lang or "en", "en")))
    seen: list[str] = []
    for code in order:
        english = to_english(folded, code) if code != "en" else _normalize(text)
        if english not in seen:
            seen.append(english)
    return seen


def recurrence_of(date_string: str, today: date, lang: str | None = None) -> Recurrence:
    """The recurrence a date string says, in `lang` or any language the grammar knows.

    `today` (local) places the days a series names without a year ("until jan 31").
    """
    found = _recurrence_cached(date_string, today, lang)
    if isinstance(found, InvalidDate):
        raise found
    return found


@lru_cache(maxsize=4096)
def _recurrence_cached(date_string: str, today: date, lang: str | None) -> Recurrence | InvalidDate:
    error: InvalidDate | None = None
    for english in _first_reading(date_string, lang, detect=True):
        if not _RECURRING_RE.match(english):
            continue
        try:
            return read_recurrence(english, today)
        except InvalidDate as exc:
            error = error or exc
    return error or InvalidDate(f"not a recurring date: {date_string!r}")


def split_recurring(
    date_string: str, today: date, lang: str | None = None
) -> tuple[Rule, time | None]:
    """The rule and time of day of a recurring date string (any known language)."""
    found = recurrence_of(date_string, today, lang)
    return found.rule, found.clock


def _parse_english(normalized: str, *, tz: ZoneInfo, now_utc: datetime, next_week_day: int) -> Due:
    today = to_local(now_utc, tz).date()
    if match := _FULL_ISO_LOCAL_RE.fullmatch(normalized):
        value = build_iso(match, date_only_time=time(0, 0))
        return Due(moment=to_utc(value, tz), all_day=False, recurring=False)

    if _RECURRING_RE.match(normalized):
        found = read_recurrence(normalized, today, next_week_day)
        clock = found.clock
        first_day = found.start or today
        rule = found.rule
        if rule.freq == WEEKLY and rule.weekdays and rule.interval > 1 and found.start is None:
            # "every other monday" counts its weeks from the next monday, not from today's
            ahead = min((day - today.weekday()) % 7 for day in rule.weekdays)
            first_day = today + timedelta(days=ahead)
        start = datetime.combine(first_day, clock or ALL_DAY_CLOCK)
        floor = now_utc if found.start is None else to_utc(start, tz)
        for step, occurrence in enumerate(occurrences(found.rule, start)):
            moment = to_utc(occurrence, tz)
            if moment >= floor:
                return Due(moment=moment, all_day=clock is None, recurring=True, rule=found.rule)
            if step > MAX_STEPS:  # pragma: no cover - every rule recurs within a few years
                break
        raise InvalidDate(f"recurrence has no future occurrence: {normalized!r}")

    if match := _IN_CLOCK_RE.fullmatch(normalized):
        n = _count(match["n"])
        minutes = n * 60 if match["unit"].startswith("h") else n
        try:
            return Due(moment=now_utc + timedelta(minutes=minutes), all_day=False, recurring=False)
        except OverflowError as exc:
            raise InvalidDate(f"date out of range: {normalized!r}") from exc
    rest, clock = _split_time(normalized)
    if rest in ("tonight",) and clock is None:
        clock = PERIOD_CLOCKS["tonight"]
    day = _parse_day(rest, today, next_week_day)
    return Due(
        moment=local_moment(day, clock or ALL_DAY_CLOCK, tz),
        all_day=clock is None,
        recurring=False,
    )


def parse_date_string(
    text: str,
    *,
    tz: ZoneInfo,
    now: datetime,
    lang: str | None = "en",
    next_week_day: int = 1,
    detect: bool = False,
) -> Due | None:
    """Parse Todoist free text typed by a user living in `tz`.

    Returns None for an empty string (it clears the due date). A weekday name means its
    next occurrence on or after today (so "monday" on a Monday is today), "next monday"
    the one strictly after today. A recurring string resolves to its first occurrence on
    or after `now` (or on or after its "starting" day). The text is read in `lang`, then
    in English; with `detect`, then in every other language the grammar knows.
    """
    if not 1 <= next_week_day <= 7:
        raise ValueError(f"next_week_day must be 1..7, got {next_week_day}")
    normalized = _normalize(text)
    if normalized in ("", "no date", "no due date"):
        return None
    now_utc = as_utc(now)
    error: InvalidDate | None = None
    for english in _first_reading(text, lang, detect):
        try:
            return _parse_english(english, tz=tz, now_utc=now_utc, next_week_day=next_week_day)
        except InvalidDate as exc:
            if error is None or "several times" in str(exc) or "shorter than a day" in str(exc):
                error = exc
    assert error is not None
    raise error


@lru_cache(maxsize=4096)
def is_recurring(date_string: str | None) -> bool:
    """Whether completing an item with this date string should reschedule it."""
    if not date_string:
        return False
    if _RECURRING_RE.match(_normalize(date_string)) is not None:
        return True
    return any(_RECURRING_RE.match(english) for english in _first_reading(date_string, None, True))


def is_from_completion(date_string: str | None, lang: str | None = None) -> bool:
    """Whether a recurring date string counts from the completion ("every! 3 days")."""
    if not date_string or not is_recurring(date_string):
        return False
    try:
        return recurrence_of(date_string, date(2000, 1, 3), lang).rule.from_completion
    except InvalidDate:
        return False
