"""The sizes of stored text, read from the schema: the one place the wire learns them.

Adapters may not import ``store`` (import-linter), so every length a protocol checks a string
against comes from here; a new or resized ``String`` column is covered without another edit.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from sqlalchemy import String

from taskhaven.core.errors import InvalidArgument
from taskhaven.store.schema import metadata

MAX_WIRE_TEXT = 1024 * 1024
"""The longest string any field may carry (a ``Text`` column: descriptions, notes)."""


@cache
def lengths() -> Mapping[tuple[str, str], int]:
    """``(table, column)`` → the length of every sized ``String`` column in the schema."""
    found: dict[tuple[str, str], int] = {}
    for table in metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, String) and column.type.length:
                found[(table.name, column.name)] = column.type.length
    return found


def length(table: str, column: str) -> int:
    """The length of ``table.column``; a KeyError for a column that has none (a bug)."""
    return lengths()[(table, column)]


def has_nul(value: Any) -> bool:
    """True when ``value`` or any string inside it (keys included) contains NUL."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(has_nul(v) for v in value)
    return False


def check(value: Any, table: str, column: str, argument: str | None = None) -> str:
    """``value`` when it is a string that fits ``table.column`` and holds no NUL
    (PostgreSQL refuses NUL in text; refusing it everywhere keeps both databases alike)."""
    name = argument or column
    if not isinstance(value, str):
        raise InvalidArgument(name, f"Invalid argument value: {name} (must be text)")
    if "\x00" in value:
        raise InvalidArgument(name, f"Invalid argument value: {name} (contains NUL)")
    limit = length(table, column)
    if len(value) > limit:
        raise InvalidArgument(
            name, f"Invalid argument value: {name} (longer than {limit} characters)"
        )
    return value
