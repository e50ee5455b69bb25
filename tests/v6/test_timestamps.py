"""The Sync API's one timestamp codec: format_v6 out, parse_v6 in."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taskhaven.api.todoist.v6.timestamps import (
    Formats,
    format_v6,
    parse_bound,
    parse_v6,
    utc_argument,
)
from taskhaven.core.dates import InvalidDate
from taskhaven.core.errors import InvalidDateArgument
from tests.moments import aware_datetimes

ATHENS = ZoneInfo("Europe/Athens")


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, us: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, us, tzinfo=UTC)


class TestFormatV6:
    @given(
        moments=st.lists(
            st.one_of(
                st.none(),
                st.datetimes(),
                st.datetimes(timezones=st.just(UTC)),
                aware_datetimes,
                # many moments on a few days: the per-day part is reused
                st.datetimes(datetime(2024, 2, 28), datetime(2024, 3, 2), timezones=st.just(UTC)),
            ),
            max_size=30,
        )
    )
    def test_formats_remembers_exactly_format_v6(self, moments: list[datetime | None]) -> None:
        formats = Formats()
        for moment in moments + moments:  # each once unseen, then seen
            assert formats[moment] == format_v6(moment)

    def test_format_v6(self) -> None:
        assert format_v6(utc(2014, 9, 26, 8, 25, 5)) == "Fri 26 Sep 2014 08:25:05 +0000"
        assert format_v6(utc(2016, 5, 18, 10, 15, 0, 999999)) == "Wed 18 May 2016 10:15:00 +0000"

    def test_format_v6_converts_to_utc(self) -> None:
        local = datetime(2014, 10, 8, 23, 59, 59, tzinfo=ATHENS)
        assert format_v6(local) == "Wed 08 Oct 2014 20:59:59 +0000"

    def test_format_v6_ignores_locale(self) -> None:
        every_day = [format_v6(utc(2024, 1, 1) + timedelta(days=i)) for i in range(7)]
        assert [s[:3] for s in every_day if s] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        months = [format_v6(utc(2024, m, 1)) for m in range(1, 13)]
        assert [s[7:10] for s in months if s] == [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ]  # fmt: skip

    def test_none_passes_through(self) -> None:
        assert format_v6(None) is None

    def test_naive_is_taken_as_utc(self) -> None:
        assert format_v6(datetime(2014, 9, 26, 8, 25, 5)) == "Fri 26 Sep 2014 08:25:05 +0000"


class TestParseV6:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("2016-05-18T10:15", utc(2016, 5, 18, 10, 15)),
            ("2016-05-18T10:15:30", utc(2016, 5, 18, 10, 15, 30)),
            ("2012-3-24T23:59", utc(2012, 3, 24, 23, 59)),
            ("2012-03-04T9:05", utc(2012, 3, 4, 9, 5)),
            ("2016-05-18", utc(2016, 5, 18, 23, 59, 59)),
            ("2016-5-8", utc(2016, 5, 8, 23, 59, 59)),
            ("2038-01-19T03:14:07", utc(2038, 1, 19, 3, 14, 7)),
            (" 2016-05-18T10:15 ", utc(2016, 5, 18, 10, 15)),
            ("2016-05-18 10:15", utc(2016, 5, 18, 10, 15)),
            ("2016-05-18T10:15:30.250000", utc(2016, 5, 18, 10, 15, 30, 250000)),
            ("2016-05-18T10:15Z", utc(2016, 5, 18, 10, 15)),
            # The v6 timestamp a client echoes back from an object it synced.
            ("Fri 26 Sep 2014 08:25:05 +0000", utc(2014, 9, 26, 8, 25, 5)),
            (" fri 26 sep 2014 08:25:05 +0000 ", utc(2014, 9, 26, 8, 25, 5)),
            ("Mon 1 Sep 2014 8:05:05 +0000", utc(2014, 9, 1, 8, 5, 5)),
        ],
    )
    def test_accepted(self, value: str, expected: datetime) -> None:
        result = parse_v6(value)
        assert result == expected
        assert result.utcoffset() == timedelta(0)

    @pytest.mark.parametrize(
        "value",
        [
            "",
            "tomorrow",
            "2016-13-01T10:00",
            "2016-02-30",
            "2016-05-18T24:00",
            "2016-05-18T10",
            "1716740076",
            "Fri 31 Sep 2014 08:25:05 +0000",
            "Fri 26 Sep 2014 08:25:60 +0000",
            "Fri 26 Sep 2014 08:25:05 +0200",
            "Fry 26 Sep 2014 08:25:05 +0000",
            "Friday 26 September 2014 08:25:05 +0000",
        ],
    )
    def test_rejected(self, value: str) -> None:
        with pytest.raises(InvalidDate):
            parse_v6(value)

    @pytest.mark.parametrize("value", [None, 1716740076, 1.5, True, ["2016-05-18"]])
    def test_only_text(self, value: object) -> None:
        with pytest.raises(InvalidDate):
            parse_v6(value)

    def test_argument_errors_name_the_argument(self) -> None:
        with pytest.raises(InvalidDateArgument) as caught:
            utc_argument("someday", "due_date_utc")
        assert caught.value.argument == "due_date_utc"


class TestParseBound:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("2016-05-18T10:15", utc(2016, 5, 18, 10, 15)),
            ("2016-05-18", utc(2016, 5, 18)),  # a lower or upper bound: the day's midnight
            (" 2016-05-18T12:15+02:00 ", utc(2016, 5, 18, 10, 15)),
            ("1463566500", utc(2016, 5, 18, 10, 15)),
        ],
    )
    def test_accepted(self, value: str, expected: datetime) -> None:
        result = parse_bound(value)
        assert result == expected
        assert result.utcoffset() == timedelta(0)

    @pytest.mark.parametrize("value", ["", "yesterday", "2016-02-30"])
    def test_rejected(self, value: str) -> None:
        with pytest.raises(InvalidDate):
            parse_bound(value)


@given(aware_datetimes)
def test_format_v6_round_trips_to_the_second(moment: datetime) -> None:
    text = format_v6(moment)
    assert text is not None
    parsed = datetime.strptime(text, "%a %d %b %Y %H:%M:%S %z")
    # Compare in UTC: PEP 495 makes ambiguous (fold) local times unequal to other zones.
    assert parsed == moment.astimezone(UTC).replace(microsecond=0)
    assert parsed.utcoffset() == timedelta(0)


@given(aware_datetimes)
def test_parse_v6_reads_back_what_format_v6_wrote(moment: datetime) -> None:
    text = format_v6(moment)
    assert text is not None
    parsed = parse_v6(text)
    assert parsed == moment.astimezone(UTC).replace(microsecond=0)
    assert parsed.utcoffset() == timedelta(0)
    assert format_v6(parsed) == text


@given(
    st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31)),
    st.sampled_from(["minutes", "seconds", "short", "date"]),
)
def test_parse_v6_accepts_every_layout(value: datetime, layout: str) -> None:
    y, mo, d, h, mi, s = value.year, value.month, value.day, value.hour, value.minute, value.second
    if layout == "minutes":
        text, expected = f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}", value.replace(second=0)
    elif layout == "seconds":
        text, expected = f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}", value
    elif layout == "short":
        text, expected = f"{y:04d}-{mo}-{d}T{h:02d}:{mi:02d}", value.replace(second=0)
    else:
        text = f"{y:04d}-{mo:02d}-{d:02d}"
        expected = datetime.combine(value.date(), time(23, 59, 59))
    expected = expected.replace(microsecond=0, tzinfo=UTC)
    assert parse_v6(text) == expected


@given(st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31)))
def test_parse_v6_reads_python_isoformat(value: datetime) -> None:
    # todoist-python serializes datetime objects with isoformat().
    assert parse_v6(value.isoformat()) == value.replace(tzinfo=UTC)
