"""Tests for taskhaven.core.dates: free-text dates, recurrence, ISO input and zones.

Expected moments are written as Sync API timestamps (format_v6) because that is how the
grammar's reference examples are written."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taskhaven.api.todoist.v6.timestamps import format_v6
from taskhaven.core.dates import (
    Due,
    InvalidDate,
    date_string_to_rrule,
    is_recurring,
    next_occurrence,
    next_rrule_occurrence,
    parse_date_string,
    parse_iso,
    rrule_to_date_string,
    to_utc,
)
from tests.moments import ZONES

UTC_ZONE = ZoneInfo("UTC")
ATHENS = ZoneInfo("Europe/Athens")  # UTC+3 in summer 2016 (EEST), UTC+2 in winter
NEW_YORK = ZoneInfo("America/New_York")
CHICAGO = ZoneInfo("America/Chicago")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")

# Wednesday 18 May 2016, 10:00 UTC (13:00 in Athens).
NOW = datetime(2016, 5, 18, 10, 0, tzinfo=UTC)


def v6(text: str, tz: ZoneInfo = UTC_ZONE, *, now: datetime = NOW, next_week_day: int = 1) -> str:
    """Parse `text` and render its moment the way the Sync API sends it."""
    due = parse_date_string(text, tz=tz, now=now, next_week_day=next_week_day)
    assert due is not None
    rendered = format_v6(due.moment)
    assert rendered is not None
    return rendered


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, us: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, us, tzinfo=UTC)


# --------------------------------------------------------------------------------------------
# parse_date_string
# --------------------------------------------------------------------------------------------


class TestParseDateStringBasics:
    @pytest.mark.parametrize("text", ["", " ", "\t\n", "no date", "No Due Date"])
    def test_empty_means_no_date(self, text: str) -> None:
        assert parse_date_string(text, tz=ATHENS, now=NOW) is None

    def test_result_shape(self) -> None:
        due = parse_date_string("today", tz=UTC_ZONE, now=NOW)
        assert due == Due(moment=utc(2016, 5, 18, 23, 59, 59), all_day=True, recurring=False)
        assert due.moment.tzinfo is UTC

    def test_moment_is_always_utc(self) -> None:
        due = parse_date_string("tomorrow @ 10", tz=ATHENS, now=NOW)
        assert due is not None
        assert due.moment.utcoffset() == timedelta(0)

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("today", "Wed 18 May 2016 23:59:59 +0000"),
            ("Today", "Wed 18 May 2016 23:59:59 +0000"),
            ("tod", "Wed 18 May 2016 23:59:59 +0000"),
            ("tomorrow", "Thu 19 May 2016 23:59:59 +0000"),
            ("tom", "Thu 19 May 2016 23:59:59 +0000"),
            ("yesterday", "Tue 17 May 2016 23:59:59 +0000"),
        ],
    )
    def test_relative_days_utc(self, text: str, expected: str) -> None:
        assert v6(text) == expected

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("today", "Wed 18 May 2016 20:59:59 +0000"),
            ("tomorrow", "Thu 19 May 2016 20:59:59 +0000"),
            ("yesterday", "Tue 17 May 2016 20:59:59 +0000"),
            ("2016-10-08", "Sat 08 Oct 2016 20:59:59 +0000"),
            ("2014-10-08", "Wed 08 Oct 2014 20:59:59 +0000"),  # the spec's own example
            ("2016-12-08", "Thu 08 Dec 2016 21:59:59 +0000"),  # winter: UTC+2
        ],
    )
    def test_whole_day_in_athens_is_local_end_of_day(self, text: str, expected: str) -> None:
        assert v6(text, ATHENS) == expected

    def test_today_follows_the_users_local_date(self) -> None:
        late = utc(2016, 5, 18, 22, 30)  # already 01:30 on Thursday in Athens
        assert v6("today", ATHENS, now=late) == "Thu 19 May 2016 20:59:59 +0000"
        assert v6("today", UTC_ZONE, now=late) == "Wed 18 May 2016 23:59:59 +0000"
        # West of UTC the end of the local day falls on the next UTC day.
        assert v6("today", LOS_ANGELES) == "Thu 19 May 2016 06:59:59 +0000"

    def test_all_day_flag(self) -> None:
        for text in ("today", "fri", "8 oct", "in 2 days", "2016-06-01"):
            due = parse_date_string(text, tz=ATHENS, now=NOW)
            assert due is not None and due.all_day and not due.recurring, text
        for text in ("today @ 10", "fri 10am", "2016-06-01T10:00", "14:30"):
            due = parse_date_string(text, tz=ATHENS, now=NOW)
            assert due is not None and not due.all_day and not due.recurring, text

    def test_other_languages_fall_back_to_english(self) -> None:
        for lang in ("de", "fr", "ja"):
            due = parse_date_string("tomorrow", tz=UTC_ZONE, now=NOW, lang=lang)
            assert due is not None
            assert due.moment == utc(2016, 5, 19, 23, 59, 59)

    def test_naive_now_is_read_as_utc(self) -> None:
        assert v6("today", ATHENS, now=datetime(2016, 5, 18, 10, 0)) == (
            "Wed 18 May 2016 20:59:59 +0000"
        )


class TestWeekdays:
    @pytest.mark.parametrize(
        ("text", "expected_day"),
        [
            # NOW is a Wednesday: the day itself counts as the next Wednesday.
            ("wednesday", 18),
            ("wed", 18),
            ("thursday", 19),
            ("thu", 19),
            ("thurs", 19),
            ("friday", 20),
            ("fri", 20),
            ("saturday", 21),
            ("sat", 21),
            ("sunday", 22),
            ("sun", 22),
            ("monday", 23),
            ("mon", 23),
            ("tuesday", 24),
            ("tue", 24),
            ("tues", 24),
            ("Monday", 23),
            ("MON", 23),
        ],
    )
    def test_next_such_day_on_or_after_today(self, text: str, expected_day: int) -> None:
        due = parse_date_string(text, tz=UTC_ZONE, now=NOW)
        assert due is not None
        assert due.moment == utc(2016, 5, expected_day, 23, 59, 59)

    def test_next_weekday_is_strictly_after_today(self) -> None:
        assert v6("next wednesday") == "Wed 25 May 2016 23:59:59 +0000"
        assert v6("next fri") == "Fri 20 May 2016 23:59:59 +0000"

    def test_weekday_with_time(self) -> None:
        assert v6("fri 10am", ATHENS) == "Fri 20 May 2016 07:00:00 +0000"
        assert v6("monday at 9:15") == "Mon 23 May 2016 09:15:00 +0000"


class TestNextWeekAndOffsets:
    def test_next_week_defaults_to_monday(self) -> None:
        assert v6("next week") == "Mon 23 May 2016 23:59:59 +0000"

    @pytest.mark.parametrize(
        ("next_week_day", "expected"),
        [
            (1, "Mon 23 May 2016 23:59:59 +0000"),
            (3, "Wed 25 May 2016 23:59:59 +0000"),
            (5, "Fri 27 May 2016 23:59:59 +0000"),
            (7, "Sun 29 May 2016 23:59:59 +0000"),
        ],
    )
    def test_next_week_uses_the_users_setting(self, next_week_day: int, expected: str) -> None:
        assert v6("next week", next_week_day=next_week_day) == expected

    def test_next_week_on_a_sunday_is_the_following_day(self) -> None:
        sunday = utc(2016, 5, 22, 12)
        assert v6("next week", now=sunday) == "Mon 23 May 2016 23:59:59 +0000"

    def test_next_week_with_time(self) -> None:
        assert v6("next week @ 10") == "Mon 23 May 2016 10:00:00 +0000"

    def test_bad_next_week_setting(self) -> None:
        with pytest.raises(ValueError, match="next_week_day"):
            parse_date_string("next week", tz=UTC_ZONE, now=NOW, next_week_day=8)

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("in 0 days", "Wed 18 May 2016 23:59:59 +0000"),
            ("in 1 day", "Thu 19 May 2016 23:59:59 +0000"),
            ("in 3 days", "Sat 21 May 2016 23:59:59 +0000"),
            ("in 30 days", "Fri 17 Jun 2016 23:59:59 +0000"),
            ("in 1 week", "Wed 25 May 2016 23:59:59 +0000"),
            ("in 2 weeks", "Wed 01 Jun 2016 23:59:59 +0000"),
            ("in 2 months", "Mon 18 Jul 2016 23:59:59 +0000"),
            ("in 1 year", "Thu 18 May 2017 23:59:59 +0000"),
            ("in 3 days at 18:00", "Sat 21 May 2016 18:00:00 +0000"),
        ],
    )
    def test_in_n_units(self, text: str, expected: str) -> None:
        assert v6(text) == expected


class TestAbsoluteDates:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("2016-06-01", "Wed 01 Jun 2016 23:59:59 +0000"),
            ("2016-6-1", "Wed 01 Jun 2016 23:59:59 +0000"),
            ("2016-06-01T10:00", "Wed 01 Jun 2016 10:00:00 +0000"),
            ("2016-06-01T10:00:30", "Wed 01 Jun 2016 10:00:30 +0000"),
            ("2016-06-01 10:00", "Wed 01 Jun 2016 10:00:00 +0000"),
            # What todoist-python sends for a datetime date_string.
            ("2038-01-19T03:14:07", "Tue 19 Jan 2038 03:14:07 +0000"),
        ],
    )
    def test_iso(self, text: str, expected: str) -> None:
        assert v6(text) == expected

    def test_iso_with_time_is_local(self) -> None:
        assert v6("2016-06-01T10:00", ATHENS) == "Wed 01 Jun 2016 07:00:00 +0000"
        assert v6("2038-01-19T03:14:07", ATHENS) == "Tue 19 Jan 2038 01:14:07 +0000"

    def test_iso_with_explicit_offset_is_absolute(self) -> None:
        assert v6("2016-06-01T10:00Z", ATHENS) == "Wed 01 Jun 2016 10:00:00 +0000"
        assert v6("2016-06-01T10:00+02:00", ATHENS) == "Wed 01 Jun 2016 08:00:00 +0000"

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("8 Oct", "Sat 08 Oct 2016 23:59:59 +0000"),
            ("8 oct", "Sat 08 Oct 2016 23:59:59 +0000"),
            ("8 October", "Sat 08 Oct 2016 23:59:59 +0000"),
            ("8th oct", "Sat 08 Oct 2016 23:59:59 +0000"),
            ("Oct 8", "Sat 08 Oct 2016 23:59:59 +0000"),
            ("october 8th", "Sat 08 Oct 2016 23:59:59 +0000"),
            ("Oct 8 2016", "Sat 08 Oct 2016 23:59:59 +0000"),
            ("Oct 8, 2017", "Sun 08 Oct 2017 23:59:59 +0000"),
            ("8 Oct 2015", "Thu 08 Oct 2015 23:59:59 +0000"),
            ("1 sept", "Thu 01 Sep 2016 23:59:59 +0000"),
            ("18 may", "Wed 18 May 2016 23:59:59 +0000"),  # today still counts
            ("17 may", "Wed 17 May 2017 23:59:59 +0000"),  # already past: next year
            ("29 feb", "Sat 29 Feb 2020 23:59:59 +0000"),  # the next leap year
            ("8 Oct @ 10", "Sat 08 Oct 2016 10:00:00 +0000"),
            ("Oct 8 2016 at 2:30pm", "Sat 08 Oct 2016 14:30:00 +0000"),
        ],
    )
    def test_day_and_month(self, text: str, expected: str) -> None:
        assert v6(text) == expected

    def test_day_and_month_in_athens(self) -> None:
        assert v6("8 Oct", ATHENS) == "Sat 08 Oct 2016 20:59:59 +0000"


class TestTimeSuffixes:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("today @ 10", "Wed 18 May 2016 10:00:00 +0000"),
            ("today @10", "Wed 18 May 2016 10:00:00 +0000"),
            ("today at 10", "Wed 18 May 2016 10:00:00 +0000"),
            ("today at 10:00", "Wed 18 May 2016 10:00:00 +0000"),
            ("today at 10:00:30", "Wed 18 May 2016 10:00:30 +0000"),
            ("today 10am", "Wed 18 May 2016 10:00:00 +0000"),
            ("today 10 am", "Wed 18 May 2016 10:00:00 +0000"),
            ("today 2:30pm", "Wed 18 May 2016 14:30:00 +0000"),
            ("today 2:30 p.m.", "Wed 18 May 2016 14:30:00 +0000"),
            ("today 12am", "Wed 18 May 2016 00:00:00 +0000"),
            ("today 12pm", "Wed 18 May 2016 12:00:00 +0000"),
            ("today 14:30", "Wed 18 May 2016 14:30:00 +0000"),
            ("tomorrow @ 10", "Thu 19 May 2016 10:00:00 +0000"),
            ("tomorrow at 9pm", "Thu 19 May 2016 21:00:00 +0000"),
        ],
    )
    def test_forms(self, text: str, expected: str) -> None:
        assert v6(text) == expected

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("@ 10", "Wed 18 May 2016 10:00:00 +0000"),
            ("at 18:00", "Wed 18 May 2016 18:00:00 +0000"),
            ("10am", "Wed 18 May 2016 10:00:00 +0000"),
            ("2:30pm", "Wed 18 May 2016 14:30:00 +0000"),
            ("14:30", "Wed 18 May 2016 14:30:00 +0000"),
        ],
    )
    def test_time_alone_means_today(self, text: str, expected: str) -> None:
        assert v6(text) == expected

    def test_time_is_local(self) -> None:
        assert v6("today @ 10", ATHENS) == "Wed 18 May 2016 07:00:00 +0000"
        assert v6("2016-12-01 @ 10", ATHENS) == "Thu 01 Dec 2016 08:00:00 +0000"


class TestRecurringDateStrings:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("every day", "Wed 18 May 2016 23:59:59 +0000"),
            ("Every Day", "Wed 18 May 2016 23:59:59 +0000"),
            ("daily", "Wed 18 May 2016 23:59:59 +0000"),
            ("everyday", "Wed 18 May 2016 23:59:59 +0000"),
            ("every 3 days", "Wed 18 May 2016 23:59:59 +0000"),
            ("every other day", "Wed 18 May 2016 23:59:59 +0000"),
            ("every week", "Wed 18 May 2016 23:59:59 +0000"),
            ("weekly", "Wed 18 May 2016 23:59:59 +0000"),
            ("every 2 weeks", "Wed 18 May 2016 23:59:59 +0000"),
            ("every monday", "Mon 23 May 2016 23:59:59 +0000"),
            ("every mon", "Mon 23 May 2016 23:59:59 +0000"),
            ("every wednesday", "Wed 18 May 2016 23:59:59 +0000"),
            ("every fri", "Fri 20 May 2016 23:59:59 +0000"),
            ("every mon, fri", "Fri 20 May 2016 23:59:59 +0000"),
            ("every workday", "Wed 18 May 2016 23:59:59 +0000"),
            ("every month", "Wed 18 May 2016 23:59:59 +0000"),
            ("monthly", "Wed 18 May 2016 23:59:59 +0000"),
            ("every 15th", "Wed 15 Jun 2016 23:59:59 +0000"),
            ("every 18th", "Wed 18 May 2016 23:59:59 +0000"),
            ("every 1st", "Wed 01 Jun 2016 23:59:59 +0000"),
            ("every 22nd", "Sun 22 May 2016 23:59:59 +0000"),
            ("every 3rd", "Fri 03 Jun 2016 23:59:59 +0000"),
            ("every year", "Wed 18 May 2016 23:59:59 +0000"),
            ("yearly", "Wed 18 May 2016 23:59:59 +0000"),
            ("every 8 oct", "Sat 08 Oct 2016 23:59:59 +0000"),
        ],
    )
    def test_first_occurrence_whole_day(self, text: str, expected: str) -> None:
        due = parse_date_string(text, tz=UTC_ZONE, now=NOW)
        assert due is not None
        assert due.recurring and due.all_day
        assert format_v6(due.moment) == expected

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            # NOW is exactly 10:00 UTC: an occurrence at "now" still counts.
            ("every day @ 10", "Wed 18 May 2016 10:00:00 +0000"),
            ("every day at 9", "Thu 19 May 2016 09:00:00 +0000"),
            ("every day 11am", "Wed 18 May 2016 11:00:00 +0000"),
            ("daily @ 9:30", "Thu 19 May 2016 09:30:00 +0000"),
            ("every 3 days at 8", "Sat 21 May 2016 08:00:00 +0000"),
            ("every week at 9pm", "Wed 18 May 2016 21:00:00 +0000"),
            ("weekly @ 8", "Wed 25 May 2016 08:00:00 +0000"),
            ("every wed @ 9", "Wed 25 May 2016 09:00:00 +0000"),
            ("every monday at 14:30", "Mon 23 May 2016 14:30:00 +0000"),
            ("every month @ 8", "Sat 18 Jun 2016 08:00:00 +0000"),
            ("monthly at 11", "Wed 18 May 2016 11:00:00 +0000"),
            ("every 15th @ 10", "Wed 15 Jun 2016 10:00:00 +0000"),
            ("every year @ 9", "Thu 18 May 2017 09:00:00 +0000"),
            ("yearly at 12pm", "Wed 18 May 2016 12:00:00 +0000"),
        ],
    )
    def test_first_occurrence_with_time(self, text: str, expected: str) -> None:
        due = parse_date_string(text, tz=UTC_ZONE, now=NOW)
        assert due is not None
        assert due.recurring and not due.all_day
        assert format_v6(due.moment) == expected

    def test_recurring_in_athens(self) -> None:
        # 13:00 local already: 10:00 local today is gone, tomorrow's is the first.
        assert v6("every day @ 10", ATHENS) == "Thu 19 May 2016 07:00:00 +0000"
        assert v6("every day", ATHENS) == "Wed 18 May 2016 20:59:59 +0000"
        assert v6("every day @ 18", ATHENS) == "Wed 18 May 2016 15:00:00 +0000"


class TestParseErrors:
    @pytest.mark.parametrize(
        "text",
        [
            "blah",
            "someday",
            "every blah",
            "every",
            "every 0 days",
            "every 32nd",
            "every 0th",
            "every 30 feb",
            "31 feb",
            "30 February 2016",
            "2016-02-30",
            "2016-13-01",
            "2016-06-01T25:00",
            "today @ 25",
            "today @ 10:61",
            "today at noonish",
            "13pm",
            "0am",
            "in x days",
            "in 3 fortnights",
            "next",
            "8 Oct 16",
        ],
    )
    def test_unparseable(self, text: str) -> None:
        with pytest.raises(InvalidDate):
            parse_date_string(text, tz=ATHENS, now=NOW)

    def test_out_of_range(self) -> None:
        with pytest.raises(InvalidDate):
            parse_date_string("9999-12-31", tz=LOS_ANGELES, now=NOW)  # 23:59:59 PST is year 10000
        with pytest.raises(InvalidDate):
            parse_date_string("in 99999999 days", tz=UTC_ZONE, now=NOW)
        with pytest.raises(InvalidDate):
            next_occurrence("every year", utc(9999, 6, 30), tz=UTC_ZONE, now=NOW)
        with pytest.raises(InvalidDate):
            to_utc(datetime(9999, 12, 31, 23), LOS_ANGELES)

    def test_invalid_date_is_a_value_error(self) -> None:
        with pytest.raises(ValueError):
            parse_date_string("nonsense", tz=UTC_ZONE, now=NOW)


# --------------------------------------------------------------------------------------------
# is_recurring
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("every day", True),
        ("Every Monday @ 10", True),
        ("every 3 days", True),
        ("daily", True),
        ("weekly @ 9", True),
        ("monthly", True),
        ("yearly", True),
        ("  every day", True),
        ("today", False),
        ("tomorrow @ 10", False),
        ("everything", False),
        ("", False),
        (None, False),
    ],
)
def test_is_recurring(text: str | None, expected: bool) -> None:
    assert is_recurring(text) is expected


# --------------------------------------------------------------------------------------------
# next_occurrence
# --------------------------------------------------------------------------------------------


class TestNextOccurrence:
    def test_every_day_whole_day(self) -> None:
        current = utc(2016, 5, 18, 20, 59, 59)  # "today" in Athens
        result = next_occurrence("every day", current, tz=ATHENS, now=NOW)
        assert format_v6(result) == "Thu 19 May 2016 20:59:59 +0000"

    @pytest.mark.parametrize(
        ("text", "current", "expected"),
        [
            ("every 3 days", utc(2016, 5, 18, 23, 59, 59), utc(2016, 5, 21, 23, 59, 59)),
            ("every week", utc(2016, 5, 18, 23, 59, 59), utc(2016, 5, 25, 23, 59, 59)),
            ("every 2 weeks", utc(2016, 5, 18, 23, 59, 59), utc(2016, 6, 1, 23, 59, 59)),
            ("every monday", utc(2016, 5, 23, 23, 59, 59), utc(2016, 5, 30, 23, 59, 59)),
            ("every mon, fri", utc(2016, 5, 23, 23, 59, 59), utc(2016, 5, 27, 23, 59, 59)),
            ("every workday", utc(2016, 5, 20, 23, 59, 59), utc(2016, 5, 23, 23, 59, 59)),
            ("every month", utc(2016, 5, 18, 23, 59, 59), utc(2016, 6, 18, 23, 59, 59)),
            ("every month", utc(2016, 1, 31, 23, 59, 59), utc(2016, 2, 29, 23, 59, 59)),
            ("every 15th", utc(2016, 5, 18, 23, 59, 59), utc(2016, 6, 15, 23, 59, 59)),
            ("every 31st", utc(2016, 5, 31, 23, 59, 59), utc(2016, 7, 31, 23, 59, 59)),
            ("every year", utc(2016, 5, 18, 23, 59, 59), utc(2017, 5, 18, 23, 59, 59)),
            ("every 8 oct", utc(2016, 10, 8, 23, 59, 59), utc(2017, 10, 8, 23, 59, 59)),
            ("daily @ 10", utc(2016, 5, 18, 10), utc(2016, 5, 19, 10)),
        ],
    )
    def test_rules(self, text: str, current: datetime, expected: datetime) -> None:
        assert next_occurrence(text, current, tz=UTC_ZONE, now=current) == expected

    def test_every_monday_from_another_day(self) -> None:
        # A due date moved off the rule snaps back onto it.
        current = utc(2016, 5, 18, 23, 59, 59)  # Wednesday
        result = next_occurrence("every monday", current, tz=UTC_ZONE, now=current)
        assert result == utc(2016, 5, 23, 23, 59, 59)

    def test_keeps_the_local_time_of_day_of_current(self) -> None:
        current = utc(2016, 5, 18, 15, 45)  # 18:45 in Athens, whatever the string says
        result = next_occurrence("every day @ 10", current, tz=ATHENS, now=current)
        assert result == utc(2016, 5, 19, 15, 45)

    def test_dst_end_keeps_local_time(self) -> None:
        # Athens leaves summer time on 30 Oct 2016 at 04:00 local.
        current = utc(2016, 10, 29, 7, 0)  # 10:00 EEST
        result = next_occurrence("every day @ 10", current, tz=ATHENS, now=current)
        assert format_v6(result) == "Sun 30 Oct 2016 08:00:00 +0000"  # 10:00 EET
        assert result.astimezone(ATHENS).time() == time(10, 0)

    def test_dst_start_keeps_local_time(self) -> None:
        # Athens enters summer time on 27 Mar 2016 at 03:00 local.
        current = utc(2016, 3, 26, 8, 0)  # 10:00 EET
        result = next_occurrence("every day @ 10", current, tz=ATHENS, now=current)
        assert format_v6(result) == "Sun 27 Mar 2016 07:00:00 +0000"  # 10:00 EEST

    def test_dst_whole_day_stays_end_of_day(self) -> None:
        current = utc(2016, 11, 5, 3, 59, 59)  # 23:59:59 EDT on Fri 4 Nov
        result = next_occurrence("every day", current, tz=NEW_YORK, now=current)
        assert result == utc(2016, 11, 6, 3, 59, 59)  # still 23:59:59 EDT
        result = next_occurrence("every day", result, tz=NEW_YORK, now=result)
        assert result == utc(2016, 11, 7, 4, 59, 59)  # 23:59:59 EST

    def test_weekly_across_dst(self) -> None:
        current = utc(2016, 3, 7, 14, 0)  # Monday 09:00 EST
        result = next_occurrence("every monday @ 9", current, tz=NEW_YORK, now=current)
        assert result == utc(2016, 3, 14, 13, 0)  # Monday 09:00 EDT

    def test_strictly_after_current(self) -> None:
        current = utc(2016, 5, 18, 10, 0)
        assert next_occurrence("every day", current, tz=UTC_ZONE, now=NOW) > current

    def test_overdue_item_catches_up_to_now(self) -> None:
        current = utc(2016, 5, 10, 20, 59, 59)  # whole-day Athens date, a week overdue
        result = next_occurrence("every day", current, tz=ATHENS, now=NOW)
        assert format_v6(result) == "Wed 18 May 2016 20:59:59 +0000"  # due today again
        result = next_occurrence("every 3 days", current, tz=ATHENS, now=NOW)
        assert format_v6(result) == "Thu 19 May 2016 20:59:59 +0000"  # the series is kept
        result = next_occurrence("every day @ 10", utc(2016, 5, 10, 7), tz=ATHENS, now=NOW)
        assert format_v6(result) == "Thu 19 May 2016 07:00:00 +0000"

    def test_due_in_the_future_is_not_pulled_back(self) -> None:
        current = utc(2016, 6, 1, 23, 59, 59)
        assert next_occurrence("every day", current, tz=UTC_ZONE, now=NOW) == utc(
            2016, 6, 2, 23, 59, 59
        )

    @pytest.mark.parametrize("text", ["today", "tomorrow @ 10", "", "every blah", "every 0 days"])
    def test_non_recurring_or_bad(self, text: str) -> None:
        with pytest.raises(InvalidDate):
            next_occurrence(text, NOW, tz=UTC_ZONE, now=NOW)


# --------------------------------------------------------------------------------------------
# parse_iso / to_utc
# --------------------------------------------------------------------------------------------


class TestParseIso:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("2025-05-26T17:54:36.000+0000", utc(2025, 5, 26, 17, 54, 36)),
            ("2019-11-13T03:00:00+0000", utc(2019, 11, 13, 3)),
            ("2025-01-01T10:00:00Z", utc(2025, 1, 1, 10)),
            ("2025-01-01T10:00:00z", utc(2025, 1, 1, 10)),
            ("2025-01-01T12:00:00+02:00", utc(2025, 1, 1, 10)),
            ("2025-01-01T05:30:00-0430", utc(2025, 1, 1, 10)),
            ("2025-01-01T12:00:00+02", utc(2025, 1, 1, 10)),
            ("2025-01-01 10:00:00Z", utc(2025, 1, 1, 10)),
            ("2025-01-01T10:00Z", utc(2025, 1, 1, 10)),
            ("2025-05-26T17:54:36.123456789Z", utc(2025, 5, 26, 17, 54, 36, 123456)),
            ("2025-05-26T17:54:36.5Z", utc(2025, 5, 26, 17, 54, 36, 500000)),
            ("20250526T175436Z", utc(2025, 5, 26, 17, 54, 36)),
        ],
    )
    def test_aware_strings(self, value: str, expected: datetime) -> None:
        result = parse_iso(value)
        assert result == expected
        assert result.utcoffset() == timedelta(0)

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("2025-01-01T11:00:00", datetime(2025, 1, 1, 11)),
            ("2025-01-01 11:00:00", datetime(2025, 1, 1, 11)),
            ("2025-01-01T11:00", datetime(2025, 1, 1, 11)),
            ("2025-01-01", datetime(2025, 1, 1)),
            ("2025-01-01T11:00:00.250", datetime(2025, 1, 1, 11, 0, 0, 250000)),
        ],
    )
    def test_naive_strings_stay_naive(self, value: str, expected: datetime) -> None:
        result = parse_iso(value)
        assert result == expected
        assert result.tzinfo is None

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (0, utc(1970, 1, 1)),
            (1716740076, utc(2024, 5, 26, 16, 14, 36)),
            (1716740076.5, utc(2024, 5, 26, 16, 14, 36, 500000)),
            (1716740076123, utc(2024, 5, 26, 16, 14, 36, 123000)),
            (1716740076123.0, utc(2024, 5, 26, 16, 14, 36, 123000)),
            ("1716740076", utc(2024, 5, 26, 16, 14, 36)),
            ("1716740076123", utc(2024, 5, 26, 16, 14, 36, 123000)),
        ],
    )
    def test_unix_numbers(self, value: int | float | str, expected: datetime) -> None:
        assert parse_iso(value) == expected

    @pytest.mark.parametrize(
        "value",
        [
            "",
            "garbage",
            "2025-13-01T00:00:00Z",
            "2025-01-01T25:00:00Z",
            "2025-01-01T10:00:00+25:00",
            "2025-01-01T10:00:00+05:75",
            "0001-01-01T00:00:00+01:00",
            float("nan"),
            float("inf"),
            1e300,
            True,
        ],
    )
    def test_rejected(self, value: str | float) -> None:
        with pytest.raises(InvalidDate):
            parse_iso(value)


class TestToUtc:
    def test_naive_in_zone(self) -> None:
        assert to_utc(datetime(2025, 1, 1, 11), CHICAGO) == utc(2025, 1, 1, 17)
        assert to_utc(datetime(2016, 5, 18, 13), ATHENS) == utc(2016, 5, 18, 10)

    def test_naive_without_zone_is_utc(self) -> None:
        result = to_utc(datetime(2025, 1, 1, 11), None)
        assert result == utc(2025, 1, 1, 11)
        assert result.utcoffset() == timedelta(0)

    def test_aware_is_converted(self) -> None:
        aware = datetime(2025, 1, 1, 11, tzinfo=CHICAGO)
        assert to_utc(aware, ATHENS) == utc(2025, 1, 1, 17)
        assert to_utc(aware, None).tzinfo is UTC


# --------------------------------------------------------------------------------------------
# RRULE conversions
# --------------------------------------------------------------------------------------------


class TestDateStringToRrule:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("every day", "RRULE:FREQ=DAILY;INTERVAL=1"),
            ("daily", "RRULE:FREQ=DAILY;INTERVAL=1"),
            ("every day @ 10", "RRULE:FREQ=DAILY;INTERVAL=1"),
            ("every 3 days", "RRULE:FREQ=DAILY;INTERVAL=3"),
            ("every other day", "RRULE:FREQ=DAILY;INTERVAL=2"),
            ("every week", "RRULE:FREQ=WEEKLY;INTERVAL=1"),
            ("weekly", "RRULE:FREQ=WEEKLY;INTERVAL=1"),
            ("every 2 weeks at 9am", "RRULE:FREQ=WEEKLY;INTERVAL=2"),
            ("every monday", "RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO"),
            ("Every Sun", "RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=SU"),
            ("every fri, mon", "RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,FR"),
            ("every workday", "RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,TU,WE,TH,FR"),
            ("every month", "RRULE:FREQ=MONTHLY;INTERVAL=1"),
            ("monthly", "RRULE:FREQ=MONTHLY;INTERVAL=1"),
            ("every 6 months", "RRULE:FREQ=MONTHLY;INTERVAL=6"),
            ("every 15th", "RRULE:FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=15"),
            ("every 1st @ 9", "RRULE:FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=1"),
            ("every year", "RRULE:FREQ=YEARLY;INTERVAL=1"),
            ("yearly", "RRULE:FREQ=YEARLY;INTERVAL=1"),
            ("every 8 oct", "RRULE:FREQ=YEARLY;INTERVAL=1;BYMONTH=10;BYMONTHDAY=8"),
        ],
    )
    def test_recurring(self, text: str, expected: str) -> None:
        assert date_string_to_rrule(text) == expected

    @pytest.mark.parametrize("text", [None, "", "today", "tomorrow @ 10", "every blah", "every"])
    def test_none(self, text: str | None) -> None:
        assert date_string_to_rrule(text) is None


class TestRruleToDateString:
    @pytest.mark.parametrize(
        ("rrule", "expected"),
        [
            ("RRULE:FREQ=DAILY;INTERVAL=1", "every day"),
            ("RRULE:FREQ=DAILY", "every day"),
            ("RRULE:FREQ=DAILY;INTERVAL=2", "every 2 days"),
            ("RRULE:FREQ=WEEKLY;INTERVAL=1", "every week"),
            ("RRULE:FREQ=WEEKLY;INTERVAL=3", "every 3 weeks"),
            ("RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO", "every monday"),
            ("RRULE:FREQ=WEEKLY;BYDAY=FR,MO", "every monday, friday"),
            ("RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,TU,WE,TH,FR", "every workday"),
            ("RRULE:FREQ=WEEKLY;INTERVAL=1;WKST=SU;BYDAY=SA", "every saturday"),
            ("RRULE:FREQ=MONTHLY;INTERVAL=1", "every month"),
            ("RRULE:FREQ=MONTHLY;INTERVAL=2", "every 2 months"),
            ("RRULE:FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=15", "every 15th"),
            ("RRULE:FREQ=MONTHLY;BYMONTHDAY=2", "every 2nd"),
            ("RRULE:FREQ=MONTHLY;BYMONTHDAY=11", "every 11th"),
            ("RRULE:FREQ=MONTHLY;BYMONTHDAY=23", "every 23rd"),
            ("RRULE:FREQ=YEARLY;INTERVAL=1", "every year"),
            ("RRULE:FREQ=YEARLY;INTERVAL=1;BYMONTH=10;BYMONTHDAY=8", "every 8 oct"),
            ("rrule:freq=daily;interval=1", "every day"),
            ("FREQ=DAILY;INTERVAL=1", "every day"),
            # TickTick extensions are tolerated.
            ("RRULE:FREQ=MONTHLY;INTERVAL=1;TT_WORKDAY=1", "every month"),
            ("RRULE:FREQ=MONTHLY;INTERVAL=1;TT_WORKDAY=-1", "every month"),
            ("RRULE:FREQ=WEEKLY;INTERVAL=1;TT_SKIP=WEEKEND", "every week"),
            ("RRULE:FREQ=DAILY;INTERVAL=1;TT_SKIP=WEEKEND", "every workday"),
            # The shapes the whole grammar words.
            ("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", "every other monday"),
            ("RRULE:FREQ=MONTHLY;BYDAY=1MO", "every 1st monday"),
            ("RRULE:FREQ=MONTHLY;BYMONTHDAY=-1", "every last day"),
            ("RRULE:FREQ=MONTHLY;BYMONTHDAY=1,15", "every 1st and 15th"),
            ("RRULE:FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=15", "every 2 months on the 15th"),
            ("RRULE:FREQ=DAILY;UNTIL=20250101", "every day until 2025-01-01"),
        ],
    )
    def test_expressible(self, rrule: str, expected: str) -> None:
        assert rrule_to_date_string(rrule) == expected

    @pytest.mark.parametrize(
        "rrule",
        [
            None,
            "",
            "ERULE:NAME=CUSTOM;BYDATE=20250101,20250105",
            "RRULE:FREQ=HOURLY;INTERVAL=1",
            "RRULE:FREQ=DAILY;UNTIL=20250101T000000Z",
            "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
            "RRULE:FREQ=YEARLY;BYMONTH=2",
            "RRULE:FREQ=DAILY;INTERVAL=0",
            "RRULE:FREQ=DAILY;FREQ=WEEKLY",
            "RRULE:INTERVAL=1",
            "garbage",
        ],
    )
    def test_inexpressible(self, rrule: str | None) -> None:
        assert rrule_to_date_string(rrule) is None


class TestNextRruleOccurrence:
    # Friday 3 Jan 2025, 09:00 in Chicago.
    CURRENT = utc(2025, 1, 3, 15, 0)

    @pytest.mark.parametrize(
        ("rrule", "expected"),
        [
            ("RRULE:FREQ=DAILY;INTERVAL=1", utc(2025, 1, 4, 15)),
            ("RRULE:FREQ=DAILY;INTERVAL=3", utc(2025, 1, 6, 15)),
            ("RRULE:FREQ=WEEKLY;INTERVAL=1", utc(2025, 1, 10, 15)),
            ("RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE", utc(2025, 1, 6, 15)),
            ("RRULE:FREQ=MONTHLY;INTERVAL=1", utc(2025, 2, 3, 15)),
            ("RRULE:FREQ=MONTHLY;BYMONTHDAY=20", utc(2025, 1, 20, 15)),
            ("RRULE:FREQ=YEARLY;INTERVAL=1", utc(2026, 1, 3, 15)),
            ("FREQ=DAILY;INTERVAL=1", utc(2025, 1, 4, 15)),
            ("RRULE:FREQ=DAILY;INTERVAL=1;TT_SKIP=WEEKEND", utc(2025, 1, 6, 15)),
            ("RRULE:FREQ=MONTHLY;INTERVAL=1;TT_WORKDAY=1", utc(2025, 2, 3, 15)),
            ("RRULE:FREQ=DAILY;UNTIL=20250110T000000Z", utc(2025, 1, 4, 15)),
            ("RRULE:FREQ=DAILY;UNTIL=20250110", utc(2025, 1, 4, 15)),
            ("ERULE:NAME=CUSTOM;BYDATE=20250101,20250110,20250105", utc(2025, 1, 5, 15)),
        ],
    )
    def test_rules(self, rrule: str, expected: datetime) -> None:
        assert next_rrule_occurrence(rrule, self.CURRENT, tz=CHICAGO) == expected

    def test_dst_keeps_local_time(self) -> None:
        current = utc(2025, 3, 8, 15, 0)  # Saturday 09:00 CST; DST starts 9 Mar
        result = next_rrule_occurrence("RRULE:FREQ=DAILY;INTERVAL=1", current, tz=CHICAGO)
        assert result == utc(2025, 3, 9, 14, 0)  # 09:00 CDT
        assert result.astimezone(CHICAGO).time() == time(9, 0)

    def test_erule_keeps_local_time_across_dst(self) -> None:
        current = utc(2025, 3, 8, 15, 0)
        result = next_rrule_occurrence("ERULE:NAME=CUSTOM;BYDATE=20250310", current, tz=CHICAGO)
        assert result == utc(2025, 3, 10, 14, 0)

    @pytest.mark.parametrize(
        "rrule",
        [
            "",
            "garbage",
            "RRULE:FREQ=BOGUS",
            "RRULE:TT_SKIP=WEEKEND",
            "RRULE:FREQ=DAILY;COUNT=1",
            "RRULE:FREQ=DAILY;UNTIL=20240101T000000Z",
            "ERULE:NAME=CUSTOM;BYDATE=20240101",
            "ERULE:NAME=CUSTOM;BYDATE=",
            "ERULE:NAME=CUSTOM;BYDATE=2025011",
            "ERULE:NAME=CUSTOM;BYDATE=20250230",
        ],
    )
    def test_rejected(self, rrule: str) -> None:
        with pytest.raises(InvalidDate):
            next_rrule_occurrence(rrule, self.CURRENT, tz=CHICAGO)


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------


modern_aware = st.datetimes(
    min_value=datetime(1990, 1, 1),
    max_value=datetime(2090, 12, 31),
    timezones=st.just(UTC),
)


_UNITS = ("day", "week", "month", "year")
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _interval_form(unit: str, n: int) -> str:
    return f"every {unit}" if n == 1 else f"every {n} {unit}s"


def _weekday_form(days: frozenset[int]) -> str:
    if days == frozenset(range(5)):
        return "every workday"
    if days == frozenset((5, 6)):
        return "every weekend"
    return "every " + ", ".join(_DAYS[d] for d in sorted(days))


canonical_recurring = st.one_of(
    st.builds(_interval_form, st.sampled_from(_UNITS), st.integers(1, 400)),
    st.builds(_weekday_form, st.frozensets(st.integers(0, 6), min_size=1)),
    st.builds(lambda d: "every " + _ordinal(d), st.integers(1, 31)),
)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@given(canonical_recurring)
def test_rrule_round_trip(text: str) -> None:
    rrule = date_string_to_rrule(text)
    assert rrule is not None and rrule.startswith("RRULE:")
    assert rrule_to_date_string(rrule) == text


@given(st.sampled_from(_DAYS), st.sampled_from(["", " @ 10", " at 9:30pm"]))
def test_rrule_round_trip_single_weekday_ignores_time(day: str, suffix: str) -> None:
    rrule = date_string_to_rrule(f"every {day}{suffix}")
    assert rrule == f"RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY={day[:2].upper()}"
    assert rrule_to_date_string(rrule) == f"every {day}"


recurring_strings = st.one_of(
    canonical_recurring,
    st.sampled_from(["daily", "weekly", "monthly", "yearly", "every 29 feb", "every 31st"]),
)
time_suffixes = st.sampled_from(["", " @ 10", " at 2:30am", " 23:15", " at 12pm"])


@settings(max_examples=300, deadline=None)
@given(recurring_strings, time_suffixes, modern_aware, st.sampled_from(ZONES))
def test_next_occurrence_is_strictly_after_current(
    text: str, suffix: str, current: datetime, tz: ZoneInfo
) -> None:
    result = next_occurrence(text + suffix, current, tz=tz, now=current)
    assert result > current
    assert result.utcoffset() == timedelta(0)


@settings(deadline=None)
@given(
    st.sampled_from(["every day", "every 3 days", "every week", "every monday", "every month"]),
    modern_aware,
    st.integers(0, 60 * 24 * 90),
    st.sampled_from(ZONES),
)
def test_next_occurrence_skips_past_occurrences(
    text: str, current: datetime, overdue_minutes: int, tz: ZoneInfo
) -> None:
    now = current + timedelta(minutes=overdue_minutes)
    result = next_occurrence(text, current, tz=tz, now=now)
    assert result > current
    assert result > now


@settings(deadline=None)
@given(modern_aware, st.sampled_from(ZONES), st.integers(1, 30))
def test_every_n_days_keeps_local_wall_clock(current: datetime, tz: ZoneInfo, n: int) -> None:
    local = current.astimezone(tz)
    result = next_occurrence(f"every {n} days", current, tz=tz, now=current).astimezone(tz)
    assert result.date() == local.date() + timedelta(days=n)
    # Wall-clock time is kept unless it falls into a DST gap on the target day.
    wall = datetime.combine(result.date(), local.time().replace(microsecond=0))
    if to_utc(wall, tz).astimezone(tz).replace(tzinfo=None) == wall:
        assert result.time() == local.time().replace(microsecond=0)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.sampled_from(ZONES))
def test_whole_day_dates_end_at_local_midnight(day: date, tz: ZoneInfo) -> None:
    due = parse_date_string(day.isoformat(), tz=tz, now=NOW)
    assert due is not None and due.all_day
    local = due.moment.astimezone(tz)
    assert (local.date(), local.time()) == (day, time(23, 59, 59))
