"""TickTick's spelling of a moment: "2025-05-26T17:54:36.000+0000" (UTC, milliseconds).

Input goes through the core's ISO-8601 reader (``taskhaven.core.dates.parse_iso``), which
reads this spelling and the other shapes TickTick clients send.
"""

from __future__ import annotations

from datetime import UTC, datetime

from taskhaven.core.dates import as_utc


def format_v2(moment: datetime | None) -> str | None:
    """The TickTick timestamp of `moment` (naive is UTC)."""
    if moment is None:
        return None
    m = moment if moment.tzinfo is UTC else as_utc(moment)  # stored moments are UTC already
    return (
        f"{m.year:04d}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:{m.second:02d}"
        f".{m.microsecond // 1000:03d}+0000"
    )
