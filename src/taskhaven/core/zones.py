"""IANA time zone names: the one place a name from the wire becomes a ``ZoneInfo``.

``ZoneInfo`` raises more than ``ZoneInfoNotFoundError`` for hostile names: a tzdata folder
(``America``) raises ``IsADirectoryError``, a name over the file-name limit ``OSError``, a
NUL ``ValueError``. Every caller goes through here, so none of those becomes a 500.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from taskhaven.core import columns
from taskhaven.core.errors import InvalidArgument

MAX_ZONE_NAME = min(columns.length("users", "timezone"), columns.length("items", "time_zone"))
"""No IANA name comes close (the longest is 32 characters)."""


def find(name: object) -> ZoneInfo | None:
    """The zone called ``name``, or None when it is not one."""
    if not isinstance(name, str) or not name or len(name) > MAX_ZONE_NAME:
        return None
    try:
        return ZoneInfo(name)
    except (OSError, ValueError, LookupError):
        # ZoneInfoNotFoundError is a KeyError; IsADirectoryError and too long are OSError.
        return None


def check(name: object, argument: str = "timezone") -> str:
    """``name`` when it is a known zone, else InvalidArgument naming ``argument``."""
    if find(name) is None:
        shown = name[:MAX_ZONE_NAME] if isinstance(name, str) else name
        raise InvalidArgument(argument, f"Unknown time zone: {shown!r}")
    assert isinstance(name, str)
    return name


def zone_or_utc(*names: str | None) -> ZoneInfo:
    """The first of ``names`` that is a zone; UTC when none is (a stored name gone bad)."""
    for name in names:
        found = find(name)
        if found is not None:
            return found
    return ZoneInfo("UTC")
