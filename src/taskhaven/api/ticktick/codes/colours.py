"""Colours: stored as lowercase ``#rrggbb``; input may be any CSS colour."""

from __future__ import annotations

from typing import Any

from pydantic_extra_types.color import Color

from taskhaven.core import columns
from taskhaven.core.errors import InvalidArgument


def normalise_color(value: Any, argument: str = "color") -> str | None:
    """``None`` and ``""`` mean "no colour"; alpha is dropped (TickTick has none)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > columns.COLOUR.limit:
        raise InvalidArgument(argument)
    try:
        rgb = Color(value.strip()).as_rgb_tuple(alpha=False)
    except (ValueError, TypeError) as exc:  # PydanticCustomError is a ValueError
        raise InvalidArgument(argument, f"Invalid argument value: {argument} ({value!r})") from exc
    return "#" + "".join(f"{int(part):02x}" for part in rgb[:3])
