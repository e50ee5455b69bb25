"""TickTick's timestamp spelling, shared by V1 and V2: format_v2 out, the core's parse_iso in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given

from taskhaven.api.ticktick.codes import format_v2
from taskhaven.core.dates import parse_iso
from tests.moments import aware_datetimes

CHICAGO = ZoneInfo("America/Chicago")


def test_format_v2() -> None:
    assert format_v2(datetime(2025, 5, 26, 17, 54, 36, tzinfo=UTC)) == (
        "2025-05-26T17:54:36.000+0000"
    )
    assert format_v2(datetime(2025, 5, 26, 17, 54, 36, 123999, tzinfo=UTC)) == (
        "2025-05-26T17:54:36.123+0000"
    )
    local = datetime(2025, 1, 1, 11, 0, tzinfo=CHICAGO)
    assert format_v2(local) == "2025-01-01T17:00:00.000+0000"


def test_none_passes_through() -> None:
    assert format_v2(None) is None


def test_naive_is_taken_as_utc() -> None:
    assert format_v2(datetime(2025, 5, 26, 17, 54, 36)) == "2025-05-26T17:54:36.000+0000"


@given(aware_datetimes)
def test_format_v2_round_trips_to_the_millisecond(moment: datetime) -> None:
    text = format_v2(moment)
    assert text is not None
    parsed = parse_iso(text)
    assert parsed == moment.astimezone(UTC).replace(microsecond=moment.microsecond // 1000 * 1000)
    assert parsed.utcoffset() == timedelta(0)
