"""500s the fuzz suite finds that are known defects, fixed separately (issue 11, items 1 and 2).

A 500 whose request matches one of these is counted and printed, not failed. Once the
fixes are merged this table goes (empty it and the suite fails on any 5xx again).
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from typing import Any

from tests.servers import database_kind

TIMEZONE_FIELDS = ("timezone", "timeZone")


def _postgres() -> bool:
    return database_kind() != "sqlite"


def _walk(value: Any) -> Any:
    """Every (key, value) pair anywhere in a request."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key, inner
            yield from _walk(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _walk(inner)


def _long_or_nul(value: Any, limit: int) -> bool:
    return isinstance(value, str) and (len(value) > limit or "\x00" in value)


def _broken_zone(value: Any) -> bool:
    """A time zone ``check_timezone`` lets through to a 500: a tzdata folder, a long name."""
    if not isinstance(value, str):
        return False
    try:
        zoneinfo.ZoneInfo(value)
    except zoneinfo.ZoneInfoNotFoundError:
        return False
    except (OSError, ValueError):
        return True
    return False


def _command_ids(request: dict[str, Any]) -> bool:
    commands = request.get("commands")
    if not _postgres() or not isinstance(commands, list):
        return False
    return any(
        isinstance(cmd, dict) and any(_long_or_nul(cmd.get(k), 128) for k in ("uuid", "temp_id"))
        for cmd in commands
    )


def _time_zone(request: dict[str, Any]) -> bool:
    pairs = list(_walk(request))
    return any(key in TIMEZONE_FIELDS and _broken_zone(value) for key, value in pairs)


def _register(request: dict[str, Any]) -> bool:
    form = request.get("form", {})
    return (
        request.get("call") == "register"
        and _postgres()
        and any(_long_or_nul(form.get(k), 8 if k == "lang" else 255) for k in ("lang", "full_name"))
    )


KNOWN: dict[str, Callable[[dict[str, Any]], bool]] = {
    "a command uuid or temp_id over 128 characters or with NUL (PostgreSQL)": _command_ids,
    "a time zone naming a tzdata folder or over 255 characters": _time_zone,
    "register's lang or full_name unchecked (PostgreSQL)": _register,
}


def known_defect(request: dict[str, Any]) -> str | None:
    """The known defect a 500 for ``request`` is, if any."""
    return next((reason for reason, matches in KNOWN.items() if matches(request)), None)
