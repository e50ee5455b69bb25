"""When a recurring task is due next, from its date string or its RRULE/ERULE text.

The series is stepped in the user's local wall-clock time, so the time of day is kept
across DST changes; results are aware UTC.
"""

from __future__ import annotations

import re
from datetime import datetime, time
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from taskhaven.core.dates.freetext import split_recurring
from taskhaven.core.dates.recurrence import MAX_STEPS, Rule, occurrences
from taskhaven.core.dates.timestamps import (
    InvalidDate,
    as_utc,
    checked_date,
    local_moment,
    to_local,
    to_utc,
)


def next_occurrence(
    date_string: str,
    current: datetime,
    *,
    tz: ZoneInfo,
    now: datetime,
    lang: str | None = None,
) -> datetime:
    """Due moment after completing one occurrence of a recurring item.

    The series is anchored on `current` and stepped in local wall-clock time, keeping
    current's local time of day. The result is strictly after `current`; when the item is
    overdue, occurrences that are already in the past (not after `now`) are skipped too,
    so completing a week-old "every day" task makes it due today, not six days ago.
    "every! ..." counts from the completion instead: the series restarts on `now`'s local
    day (at current's time of day) and the first occurrence after that day is next.
    """
    now_utc = as_utc(now)
    today = to_local(now_utc, tz).date()
    rule, _clock = split_recurring(date_string, today, lang)
    return next_rule_occurrence(rule, current, tz=tz, now=now_utc, text=date_string)


def next_rule_occurrence(
    rule: Rule, current: datetime, *, tz: ZoneInfo, now: datetime, text: str = ""
) -> datetime:
    """`next_occurrence` for a Rule already read."""
    current_utc = as_utc(current)
    now_utc = as_utc(now)
    start = to_local(current_utc, tz).replace(tzinfo=None)
    floor = max(current_utc, now_utc)
    if rule.from_completion:
        completed = to_local(now_utc, tz)
        start = datetime.combine(completed.date(), start.time())
        # Todoist's every!: the next one counts from the day the task was done.
        # Still strictly after the current one, when done days before it was due.
        floor = max(current_utc, to_utc(datetime.combine(completed.date(), time(23, 59, 59)), tz))
    try:
        for step, occurrence in enumerate(occurrences(rule, start)):
            if rule.from_completion and step == 0 and rule.plain:
                continue  # "every! 3 days" done today is due in three days, not today
            moment = to_utc(occurrence, tz)
            if moment > floor:
                return moment
            if step > MAX_STEPS:
                break
    except InvalidDate:
        pass  # ran off the end of the calendar
    raise InvalidDate(f"recurrence has no next occurrence: {text or rule!r}")


def _next_erule(text: str, current_utc: datetime, tz: ZoneInfo) -> datetime:
    """ERULE:NAME=CUSTOM;BYDATE=YYYYMMDD,...: the first listed day after `current`."""
    parts: dict[str, str] = {}
    for chunk in text[len("ERULE:") :].split(";"):
        key, _sep, value = chunk.partition("=")
        parts[key.strip()] = value.strip()
    raw_dates = [item for item in parts.get("BYDATE", "").split(",") if item.strip()]
    clock = to_local(current_utc, tz).time().replace(tzinfo=None)
    moments = []
    for raw in raw_dates:
        match = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", raw.strip())
        if match is None:
            raise InvalidDate(f"bad ERULE date: {raw!r}")
        day = checked_date(int(match[1]), int(match[2]), int(match[3]), raw)
        moments.append(local_moment(day, clock, tz))
    later = sorted(m for m in moments if m > current_utc)
    if not later:
        raise InvalidDate(f"no date after {current_utc.isoformat()} in {text!r}")
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
    current_utc = as_utc(current)
    if text.startswith("ERULE:"):
        return _next_erule(text, current_utc, tz)
    if text.startswith("FREQ="):
        text = "RRULE:" + text
    body, skip_weekend = _strip_tt(text)
    local = to_local(current_utc, tz)
    try:
        anchor = local
        try:
            rules = rrulestr(body, dtstart=anchor, forceset=True)
        except ValueError:
            # e.g. a floating UNTIL, which dateutil refuses next to an aware DTSTART.
            anchor = local.replace(tzinfo=None)
            rules = rrulestr(body, dtstart=anchor, forceset=True)
        for step, occurrence in enumerate(rules.xafter(anchor, inc=False)):
            if step > MAX_STEPS:
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
