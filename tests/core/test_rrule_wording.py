"""RRULEs the grammar cannot say read as faithful English; "for N times" is COUNT."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from taskhaven.core.dates import (
    count_used,
    date_string_to_rrule,
    describe_rrule,
    next_occurrence,
    rrule_to_date_string,
)

BERLIN = ZoneInfo("Europe/Berlin")

# (repeatFlag, the words it reads as, whether the grammar reads the words back to it)
WORDED = [
    ("RRULE:FREQ=DAILY;INTERVAL=1;COUNT=5", "every day for 5 times", True),
    ("RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;COUNT=3", "every monday for 3 times", True),
    ("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;COUNT=1", "every other friday for 1 time", True),
    (
        "RRULE:FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=1,15;COUNT=6",
        "every 1st and 15th for 6 times",
        True,
    ),
    ("RRULE:FREQ=DAILY;INTERVAL=1;BYHOUR=9;BYMINUTE=0", "every day at 9:00", False),
    ("RRULE:FREQ=DAILY;INTERVAL=1;BYHOUR=9,17", "every day at 9:00, 17:00", False),
    ("RRULE:FREQ=YEARLY;BYMONTH=1,3;BYHOUR=9", "every jan, mar at 9:00", False),
    ("RRULE:FREQ=YEARLY;INTERVAL=1;BYMONTH=6,12;BYMONTHDAY=1", "every jun, dec on the 1st", False),
    (
        "RRULE:FREQ=MONTHLY;INTERVAL=1;BYDAY=1MO,-1FR",
        "every month on 1st monday, last friday",
        False,
    ),
    ("RRULE:FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=-2", "every 2 months on the 2nd last day", False),
    (
        "RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;BYMONTH=1,2",
        "every week on monday in jan, feb",
        False,
    ),
    (
        "RRULE:FREQ=DAILY;INTERVAL=1;UNTIL=20270131T170000Z",
        "every day until 2027-01-31 17:00 UTC",
        False,
    ),
    (
        "RRULE:FREQ=DAILY;INTERVAL=1;UNTIL=20270131T120000",
        "every day until 2027-01-31 12:00",
        False,
    ),
    (
        "RRULE:FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=2",
        "every month on monday, tuesday (2nd of those)",
        False,
    ),
    (
        "RRULE:FREQ=DAILY;INTERVAL=1;BYHOUR=7;TT_SKIP=WEEKEND",
        "every day at 7:00 skipping weekends",
        False,
    ),
    ("ERULE:NAME=CUSTOM;BYDATE=20270103,20270214", "on 3 jan 2027, 14 feb 2027", False),
]


@pytest.mark.parametrize(("rrule", "words", "round_trips"), WORDED)
def test_every_rrule_reads_as_faithful_words(rrule: str, words: str, round_trips: bool) -> None:
    assert describe_rrule(rrule) == words
    back = date_string_to_rrule(words, today=date(2026, 11, 30))
    if round_trips:
        assert rrule_to_date_string(rrule) == words
        assert back is not None
        assert set(back.removeprefix("RRULE:").split(";")) == set(
            rrule.removeprefix("RRULE:").split(";")
        )
    else:
        assert rrule_to_date_string(rrule) is None
        assert back is None or back != rrule


def test_from_completion_is_every_bang() -> None:
    assert describe_rrule("RRULE:FREQ=DAILY;BYHOUR=8", from_completion=True) == (
        "every! day at 8:00"
    )


@pytest.mark.parametrize(
    "rrule",
    ["RRULE:FREQ=HOURLY", "RRULE:FREQ=DAILY;BYSECOND=5", "RRULE:FREQ=DAILY;X-FOO=1", "nonsense"],
)
def test_what_no_words_can_say_is_none(rrule: str) -> None:
    assert describe_rrule(rrule) is None


@pytest.mark.parametrize(
    ("text", "rrule"),
    [
        ("every day for 5 times", "RRULE:FREQ=DAILY;INTERVAL=1;COUNT=5"),
        ("every other monday for two times", "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;COUNT=2"),
        ("every! 3 days for 4 times", "RRULE:FREQ=DAILY;INTERVAL=3;COUNT=4"),
        ("every 15th for 12 times at 9am", "RRULE:FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=15;COUNT=12"),
    ],
)
def test_for_n_times_is_count(text: str, rrule: str) -> None:
    assert date_string_to_rrule(text, today=date(2026, 11, 30)) == rrule


@pytest.mark.parametrize("text", ["every day for 0 times", "every day until jan 3 for 2 times"])
def test_count_refused(text: str) -> None:
    assert date_string_to_rrule(text, today=date(2026, 11, 30)) is None


def test_a_count_series_ends_after_its_occurrences() -> None:
    now = datetime(2026, 11, 30, 8, 0, tzinfo=BERLIN)
    nxt = next_occurrence("every day for 2 times", now, tz=BERLIN, now=now)
    assert nxt.astimezone(BERLIN).date() == date(2026, 12, 1)
    with pytest.raises(ValueError):
        next_occurrence("every day for 1 time", now, tz=BERLIN, now=now)


def test_count_used() -> None:
    assert (
        count_used("RRULE:FREQ=DAILY;INTERVAL=1;COUNT=3") == "RRULE:FREQ=DAILY;INTERVAL=1;COUNT=2"
    )
    assert count_used("RRULE:FREQ=DAILY;INTERVAL=1;COUNT=1") is None
    assert count_used("RRULE:FREQ=DAILY;INTERVAL=1") is None
    assert count_used(None) is None
