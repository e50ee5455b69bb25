"""The Sync API's colour indexes; the core stores colours as ``#rrggbb``."""

from __future__ import annotations

from taskhaven.core.errors import InvalidArgument

PROJECT_PALETTE = (
    "#95ef63", "#ff8581", "#ffc471", "#f9ec75", "#a8c8e4", "#d2b8a3", "#e2a8e4", "#cccccc",
    "#fb886e", "#ffcc00", "#74e8d3", "#3bd5fb", "#dc4fad", "#ac193d", "#d24726", "#82ba00",
    "#03b3b2", "#008299", "#5db2ff", "#0072c6", "#000000", "#777777",
)  # fmt: skip
LABEL_PALETTE = (
    "#019412", "#a39d01", "#e73d02", "#e702a4", "#9902e7", "#1d02e7", "#0082c5", "#555555",
    "#008299", "#03b3b2", "#ac193d", "#82ba00", "#111111",
)  # fmt: skip
DEFAULT_PROJECT_COLOR = 7
DEFAULT_LABEL_COLOR = 7


def to_hex(index: object, palette: tuple[str, ...], argument: str = "color") -> str:
    if isinstance(index, str) and index.isdecimal() and len(index) <= 3:
        index = int(index)
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(palette):
        raise InvalidArgument(argument)
    return palette[index]


def _rgb(value: str) -> tuple[int, int, int]:
    return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)


def to_index(color: str | None, palette: tuple[str, ...], default: int) -> int:
    """The palette entry nearest to a stored colour (colours set by other APIs are free)."""
    if not color:
        return default
    color = color.lower()
    if color in palette:
        return palette.index(color)
    try:
        r, g, b = _rgb(color)
    except ValueError:
        return default

    def distance(entry: str) -> int:
        er, eg, eb = _rgb(entry)
        return (er - r) ** 2 + (eg - g) ** 2 + (eb - b) ** 2

    return min(range(len(palette)), key=lambda i: distance(palette[i]))
