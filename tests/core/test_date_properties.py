"""Properties of the date grammar across zones and DST changes: one meaning per phrase,
the next occurrence always later and on the rule's days, and nothing but InvalidDate
for text it cannot read."""

from __future__ import annotations

import contextlib
import time as clock
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taskhaven.core.dates import (
    InvalidDate,
    Rule,
    date_string_to_rrule,
    next_occurrence,
    next_rule_occurrence,
    parse_date_string,
    rrule_to_date_string,
    rule_to_text,
)
from tests.core.test_date_grammar import FOREIGN, ONE_OFF, RECURRING, UNREADABLE
from tests.moments import ZONES

BERLIN = ZoneInfo("Europe/Berlin")
DST_ZONES = [*ZONES, BERLIN, ZoneInfo("Australia/Sydney"), ZoneInfo("America/Sao_Paulo")]


def _dst_changes(year: int) -> list[datetime]:
    """The UTC days on which one of the zones changes its offset."""
    out = []
    for zone in DST_ZONES:
        day = datetime(year, 1, 1, tzinfo=UTC)
        for _ in range(366):
            following = day + timedelta(days=1)
            if day.astimezone(zone).utcoffset() != following.astimezone(zone).utcoffset():
                out.append(day)
            day = following
    return out


# Moments within three days of a DST change in some zone, and ordinary ones.
nows = st.one_of(
    st.builds(
        lambda change, hours: change + timedelta(hours=hours),
        st.sampled_from(_dst_changes(2025) + _dst_changes(2026)),
        st.integers(-72, 72),
    ),
    st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31)).map(
        lambda naive: naive.replace(tzinfo=UTC)
    ),
)
zones = st.sampled_from(DST_ZONES)
recurring_phrases = st.sampled_from([text for text, _rrule, _due in RECURRING])
times = st.sampled_from(["", " at 9am", " at 17:30", " at 2:30am", " at 23:15"])
weekday_names = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

selectors = st.one_of(
    st.builds(
        lambda n, u: f"every {n} {u}s",
        st.integers(2, 30),
        st.sampled_from(["day", "week", "month", "year"]),
    ),
    st.builds(
        lambda days: "every " + ", ".join(weekday_names[d] for d in sorted(days)),
        st.frozensets(st.integers(0, 6), min_size=1),
    ),
    st.builds(
        lambda days: "every other " + " and ".join(weekday_names[d] for d in sorted(days)),
        st.frozensets(st.integers(0, 6), min_size=1, max_size=2),
    ),
    st.builds(
        lambda o, d: f"every {o} {weekday_names[d]}",
        st.sampled_from(["1st", "2nd", "3rd", "4th", "last"]),
        st.integers(0, 6),
    ),
    st.builds(
        lambda days: (
            "every "
            + " and ".join(
                f"{d}th" if d > 3 else ["1st", "2nd", "3rd"][d - 1] for d in sorted(days)
            )
        ),
        st.frozensets(st.integers(1, 28), min_size=1, max_size=3),
    ),
    st.sampled_from(
        ["every last day", "every last workday", "every weekday", "every weekend", "every! 3 days"]
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(recurring_phrases, selectors), times, zones, nows)
def test_parse_rrule_words_parse_gives_the_same_occurrences(
    text: str, suffix: str, tz: ZoneInfo, now: datetime
) -> None:
    phrase = text if " at " in text or "@" in text or "morning" in text else text + suffix
    try:
        due = parse_date_string(phrase, tz=tz, now=now)
    except InvalidDate:
        return  # e.g. a series that has ended before now ("until jan 31")
    assert due is not None and due.rule is not None
    rrule = date_string_to_rrule(phrase, today=now.astimezone(tz).date())
    words = rrule_to_date_string(rrule, from_completion=due.rule.from_completion)
    assert words is not None and words == rule_to_text(due.rule)
    again = parse_date_string(words, tz=tz, now=now)
    assert again is not None and again.rule == due.rule
    # The same series from the same start: the next occurrences agree.
    a = b = due.moment
    for _ in range(3):
        try:
            a = next_rule_occurrence(due.rule, a, tz=tz, now=a)
            b = next_rule_occurrence(again.rule, b, tz=tz, now=b)
        except InvalidDate:
            break
        assert a == b


def _on_rule_days(rule: Rule, local: datetime) -> bool:
    if rule.ordinal is None and rule.setpos is None and rule.weekdays:
        return local.weekday() in rule.weekdays
    if rule.ordinal is not None:
        first = local.replace(day=1)
        nth = (local.day - 1) // 7 + 1
        if rule.ordinal > 0:
            return (
                local.weekday() == rule.weekdays[0]
                and nth == rule.ordinal
                and first.month == local.month
            )
        return (
            local.weekday() == rule.weekdays[0] and (local + timedelta(days=7)).month != local.month
        )
    if rule.setpos is not None:
        return local.weekday() < 5
    if rule.monthdays and -1 not in rule.monthdays:
        return local.day in rule.monthdays
    return True


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    selectors,
    st.sampled_from(["", " at 9am", " at 2:30am", " at 17:30"]),
    zones,
    nows,
    st.integers(0, 400),
)
def test_next_occurrence_is_later_keeps_the_time_and_the_days(
    text: str, suffix: str, tz: ZoneInfo, now: datetime, hours_later: int
) -> None:
    due = parse_date_string(text + suffix, tz=tz, now=now)
    assert due is not None and due.rule is not None
    assert due.moment >= now
    completed = now + timedelta(hours=hours_later)
    following = next_occurrence(text + suffix, due.moment, tz=tz, now=completed)
    assert following > due.moment and following > completed
    local_due, local_next = due.moment.astimezone(tz), following.astimezone(tz)
    # The wall-clock time is kept, except where a DST gap swallowed it that day.
    gap = local_next.utcoffset() != (local_next - timedelta(hours=3)).utcoffset()
    assert local_next.time() == local_due.time() or gap
    assert _on_rule_days(due.rule, local_next)


printable = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)
grammar_words = st.lists(
    st.sampled_from(
        [
            "every",
            "every!",
            "other",
            "1st",
            "last",
            "day",
            "workday",
            "monday",
            "jan",
            "3",
            "at",
            "9am",
            "17:30",
            "and",
            ",",
            "starting",
            "until",
            "for",
            "weeks",
            "2",
            "of",
            "the",
            "month",
            "mid",
            "end",
            "in",
            "next",
            "tomorrow",
            "morning",
            "jeden",
            "cada",
            "&",
            "@",
            "-",
            "hours",
            "31st",
            "feb",
            "29",
            "9999",
            "0",
            "on",
            "weekend",
            "year",
        ]
    ),
    max_size=12,
).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(printable, grammar_words), zones, nows, st.sampled_from([None, "en", "de", "es"]))
def test_any_text_reads_or_raises_invalid_date(
    text: str, tz: ZoneInfo, now: datetime, lang: str | None
) -> None:
    started = clock.monotonic()
    try:
        due = parse_date_string(text, tz=tz, now=now, lang=lang, detect=lang is None)
    except InvalidDate:
        due = None
    if due is not None and due.rule is not None:
        with contextlib.suppress(InvalidDate):  # a series with an end may have none
            assert next_occurrence(text, due.moment, tz=tz, now=now) > due.moment
    assert clock.monotonic() - started < 2


@given(st.sampled_from(UNREADABLE + [t for t, _ in ONE_OFF] + [t for _, t, _ in FOREIGN]))
def test_long_inputs_stay_quick(text: str) -> None:
    started = clock.monotonic()
    with contextlib.suppress(InvalidDate):
        parse_date_string(
            (text + " ") * 20, tz=BERLIN, now=datetime(2025, 1, 15, tzinfo=UTC), detect=True
        )
    assert clock.monotonic() - started < 2
