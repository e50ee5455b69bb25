"""Dates: ``date_string``, ``due_at``, ``all_day`` and ``repeat_flag`` kept consistent."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import RowMapping

from taskhaven.core import dates, users, zones
from taskhaven.core.backend import Unit
from taskhaven.core.dates.vocabulary import MONTH_ABBR
from taskhaven.core.errors import InvalidArgument, InvalidDateArgument
from taskhaven.core.items.fields import (
    DATE_KEYS,
    MAX_DATE_STRING,
    check_bool,
    check_date_lang,
    check_moment,
    check_repeat_flag,
    check_text,
)
from taskhaven.core.rows import Row

ALL_DAY = dates.ALL_DAY_CLOCK


# Bound on rescheduling an overdue item rule by rule: decades of a daily rule.
_MAX_CATCH_UP = 20_000


def _user(unit: Unit) -> RowMapping:
    """The unit's user, read once per unit while nothing changes (see ``Unit.cached``)."""
    key = user_key(unit)
    user: RowMapping | None = unit.cached(key)
    if user is None:
        user = users.get(unit.conn, unit.user_id)
        unit.cache(key, user)
    return user


def user_key(unit: Unit) -> tuple[str, int]:
    return ("users", unit.user_id)


def _user_zone(unit: Unit) -> tuple[ZoneInfo, int]:
    user = _user(unit)
    zone = zones.zone_or_utc(user["timezone"])
    return zone, int(users.prefs(user)["next_week"])


def user_reading(unit: Unit) -> tuple[ZoneInfo, str]:
    """The zone and language the user's free-text dates are read in."""
    return _user_zone(unit)[0], str(_user(unit).get("lang") or "en")


def item_zone(unit: Unit, time_zone: str | None) -> ZoneInfo:
    """Recurrence steps in the item's own zone when it has one (V2), else the user's."""
    return zones.find(time_zone) or _user_zone(unit)[0]


class UnreadableDate(InvalidDateArgument):
    """A date string the grammar cannot read; the message quotes it and says why."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__("date_string")
        self.message = f"Invalid date format: {text!r} ({reason})"
        self.args = (self.message,)


def parse_date_string(
    unit: Unit, text: str, lang: str | None = None, *, detect: bool = True
) -> dates.Due | None:
    """Free text in the user's zone; ``None`` for text that clears the date.

    The text is read in `lang` (the user's ``lang`` when None), then English; with
    `detect`, then in every other language the grammar knows (an item's ``date_lang`` the
    client did not choose is only a default).
    """
    zone, next_week = _user_zone(unit)
    if lang is None:
        lang = str(_user(unit).get("lang") or "en")
    try:
        return dates.parse_date_string(
            text, tz=zone, now=unit.now, lang=lang, next_week_day=next_week, detect=detect
        )
    except (ValueError, OverflowError) as exc:  # dates.InvalidDate is a ValueError
        raise UnreadableDate(text[:200], str(exc).split(":")[0]) from exc


def end_of_day(moment: datetime, zone: ZoneInfo) -> datetime:
    """The whole-day form of a moment: its local date at 23:59:59, in UTC."""
    try:
        return datetime.combine(moment.astimezone(zone).date(), ALL_DAY, zone).astimezone(UTC)
    except OverflowError as exc:  # the first or last representable day
        raise InvalidDateArgument("due_at") from exc


def _is_all_day_moment(moment: datetime, zone: ZoneInfo) -> bool:
    """The v6 convention: a whole-day date is 23:59:59 local time."""
    return moment.astimezone(zone).time() == ALL_DAY


def _label(
    moment: datetime | None,
    all_day: bool,
    rrule: str | None,
    zone: ZoneInfo,
    current: Row | None,
    from_completion: bool = False,
) -> str | None:
    """The date string for a due date set without one (V2 writes, bare ``due_at``)."""
    cur_text = current["date_string"] if current else None
    if rrule:
        # Keep the user's own wording while it still says the same recurrence.
        today = (moment or datetime.now(UTC)).astimezone(zone).date()
        lang = current["date_lang"] if current else None
        if (
            cur_text
            and dates.date_string_to_rrule(cur_text, today=today, lang=lang) == rrule
            and dates.is_from_completion(cur_text, lang) == from_completion
        ):
            return str(cur_text)
        # The grammar's wording, else a faithful description (repeat_flag stays the rule).
        text = dates.describe_rrule(rrule, from_completion=from_completion)
        if text:
            if moment is not None and not all_day and "BYHOUR=" not in rrule.upper():
                text += f" at {moment.astimezone(zone):%H:%M}"
            return text
        # A recurrence nothing can word: label the date; repeat_flag still recurs.
    elif (
        current is not None
        and cur_text
        and not dates.is_recurring(cur_text)
        and moment == current["due_at"]
        and all_day == bool(current["all_day"])
    ):
        return str(cur_text)
    if moment is None:
        return None
    local = moment.astimezone(zone)
    text = f"{local.day} {MONTH_ABBR[local.month - 1]} {local.year}"
    return text if all_day else f"{text} at {local:%H:%M}"


def date_fields(unit: Unit, current: Row | None, fields: Mapping[str, Any]) -> dict[str, Any]:
    """Column values for the date fields given, consistent with each other.

    * ``date_string`` given: parsed in the user's zone ("" or None clears the date); a
      recurring one also sets ``repeat_flag``. An explicit ``due_at`` wins over the
      string's moment, an explicit ``repeat_flag`` over its rule; the string stays the label.
    * ``due_at``/``repeat_flag``/``all_day`` without ``date_string``: the label follows
      (the user's wording is kept while it still says the same thing). ``all_day`` true
      with ``due_at``, or switched on for the stored date, makes the moment the end of its
      local day in the item's zone; switched off, the moment stays; None keeps the flag.
    """
    out: dict[str, Any] = {}
    lang: str | None = current["date_lang"] if current else None
    if "date_lang" in fields:
        lang = out["date_lang"] = check_date_lang(fields["date_lang"])
    if not DATE_KEYS & fields.keys():
        return out
    if DATE_KEYS & fields.keys() == {"all_day"} and (current is None or not current["due_at"]):
        return out  # a whole-day switch without a date to apply it to changes nothing
    time_zone = fields.get("time_zone", current["time_zone"] if current else None)
    zone = item_zone(unit, time_zone if isinstance(time_zone, str) else None)
    moment: datetime | None
    label: str | None
    rrule: str | None

    if "date_string" in fields:
        text = fields["date_string"]
        if text is not None:
            check_text(text, "date_string", MAX_DATE_STRING)
        explicit = "date_lang" in fields
        due = (
            parse_date_string(unit, text, lang, detect=not explicit)
            if text and text.strip()
            else None
        )
        label = text if due is not None else None
        moment = due.moment if due is not None else None
        all_day = due.all_day if due is not None else False
        rule = due.rule if due is not None and due.recurring else None
        rrule = dates.rule_to_rrule(rule) if rule is not None else None
        if rule is not None and "repeat_from" not in fields:
            if rule.from_completion:
                out["repeat_from"] = 1
            elif current is not None and current["repeat_from"] == 1:
                out["repeat_from"] = 0
        if fields.get("due_at") is not None:
            moment = check_moment(fields["due_at"], "due_at")
            all_day = _is_all_day_moment(moment, zone) if moment else False
        if "all_day" in fields and moment is not None:
            all_day = check_bool(fields["all_day"], "all_day")
        if "repeat_flag" in fields:
            rrule = check_repeat_flag(fields["repeat_flag"])
    else:
        stored_all_day = bool(current["all_day"]) if current else False
        if "due_at" in fields:
            moment = check_moment(fields["due_at"], "due_at")
            all_day = moment is not None and _is_all_day_moment(moment, zone)
        else:
            moment = current["due_at"] if current else None
            all_day = stored_all_day
        if "all_day" in fields:
            # None keeps the stored flag (a client whose null means "unchanged").
            flag = fields["all_day"]
            all_day = stored_all_day if flag is None else check_bool(flag, "all_day")
            if all_day and moment is not None and ("due_at" in fields or not stored_all_day):
                # Whole-day on: the date of the moment in the item's zone, at its end.
                moment = end_of_day(moment, zone)
        rrule = (
            check_repeat_flag(fields["repeat_flag"])
            if "repeat_flag" in fields
            else (current["repeat_flag"] if current else None)
        )
        repeat_from = fields.get("repeat_from", current["repeat_from"] if current else None)
        label = _label(
            moment, all_day and moment is not None, rrule, zone, current, repeat_from == 1
        )
    out.update(
        date_string=label,
        due_at=moment,
        all_day=bool(all_day and moment is not None),
        repeat_flag=rrule,
    )
    return out


def _says(row: Row, date_string: str | None, rrule: str | None, zone: ZoneInfo) -> bool:
    """Whether the date string says the item's rule: always when there is no repeat_flag;
    not for a description of a rule the grammar cannot read (dates.describe_rrule)."""
    if not rrule:
        return True
    due = row["due_at"]
    today = (due or datetime.now(UTC)).astimezone(zone).date()
    try:
        said = dates.date_string_to_rrule(date_string, today=today, lang=row.get("date_lang"))
    except (ValueError, OverflowError):
        return False
    return said is not None and _same_rule(said, rrule)


def _same_rule(a: str, b: str) -> bool:
    """The same RRULE up to the order of its parts, a default INTERVAL and the prefix."""

    def parts(text: str) -> frozenset[str]:
        body = text.strip().upper().removeprefix("RRULE:")
        return frozenset(p for p in body.split(";") if p and p != "INTERVAL=1")

    return parts(a) == parts(b)


def next_due(unit: Unit, row: Row, date_string: str | None) -> datetime:
    """The due moment after completing one occurrence (strictly after the current one, and
    not in the past: a week-overdue daily item becomes due today, not six days ago)."""
    zone = item_zone(unit, row["time_zone"])
    current = row["due_at"] or unit.now
    lang = row.get("date_lang")
    try:
        rrule = row["repeat_flag"]
        if dates.is_recurring(date_string) and _says(row, date_string, rrule, zone):
            assert date_string is not None
            return dates.next_occurrence(date_string, current, tz=zone, now=unit.now, lang=lang)
        if not rrule:
            raise InvalidArgument("id", "Invalid argument value: id (the item does not recur)")
        if row.get("repeat_from") == 1:
            # Counted from the completion: the series restarts on today's date.
            rule = dates.rule_from_rrule(rrule, from_completion=True)
            if rule is not None:
                return dates.next_rule_occurrence(rule, current, tz=zone, now=unit.now)
            current = max(dates.as_utc(current), unit.now)
        moment = dates.next_rrule_occurrence(rrule, current, tz=zone)
        for _ in range(_MAX_CATCH_UP):
            if moment > unit.now:
                break
            moment = dates.next_rrule_occurrence(rrule, moment, tz=zone)
        return moment
    except (ValueError, OverflowError) as exc:
        raise InvalidDateArgument("date_string") from exc


def series_ended(unit: Unit, row: Row) -> bool:
    """A recurring item whose rule has no occurrence after its due date ("until" passed):
    completing it closes it like any other item."""
    try:
        next_due(unit, row, row["date_string"])
    except InvalidDateArgument:
        return True
    return False
