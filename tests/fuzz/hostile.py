"""Hypothesis strategies for values a careless client or an attacker sends."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

HUGE = 70_000

_TEXTS = [
    "", " ", "\x00", "a\x00b", "\t\r\n", "America", "Etc", "Europe/", "UTC/../Europe/Rome",
    "../../etc/passwd", "inbox0", "inbox", "$temp", "null", "None", "NaN", "-1", "0", "1.5",
    "9" * 40, "9" * 5000, "²", "1²", "1e309", "-9223372036854775809", "2024-02-30", "٣٤",
    "2024-13-45T25:61",
    "\u202eevil", "🎉" * 10, "\ufeff", "<script>alert(1)</script>", "'; DROP TABLE users; --",
    "%s%n%x", "%00", "a" * 129, "a" * 256, "é" * 300, "x" * HUGE, "#" * 8, "#zzzzzz",
    "every", "every 0 days", "every -1 day", "FREQ=DAILY;INTERVAL=0", "RRULE:FREQ=SECONDLY",
]  # fmt: skip
_NUMBERS = [
    -1, 0, 1, -(2**31) - 1, 2**31, 2**53 + 1, 2**63 - 1, 2**63, 2**64, -(2**63) - 1, 10**30,
    1.5, -0.0, 1e308, -1e308, 5e-324,
]  # fmt: skip
# Not JSON numbers at all: Python's json writes them, a strict parser must refuse them.
_NOT_JSON = [float("inf"), float("-inf"), float("nan")]


def texts() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(_TEXTS), st.text(max_size=30))


def _nest(depth: int) -> Any:
    value: Any = 1
    for n in range(depth):
        value = [value] if n % 2 else {"a": value}
    return value


def values() -> st.SearchStrategy[Any]:
    """Any hostile JSON value: huge, NUL, unicode, wrong type, negative, overflow, nested."""
    scalars = st.one_of(texts(), st.sampled_from(_NUMBERS), st.integers(), st.booleans(), st.none())
    nested = st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts(), inner, max_size=3),
        max_leaves=6,
    )
    return st.one_of(
        scalars,
        nested,
        st.sampled_from(_NOT_JSON),
        st.integers(40, 400).map(_nest),
        st.just(list(range(5000))),
    )


def form_values() -> st.SearchStrategy[str]:
    """What a form field or a query parameter can carry: text, numbers and JSON as text."""
    return st.one_of(texts(), values().map(lambda v: v if isinstance(v, str) else json.dumps(v)))


# Values aimed at one kind of field, by a part of its name.
_AIMED = {
    "zone": ["America", "Etc", "Europe", "posix", "right", "posix/Europe", "Europe/Rome/x",
             "/etc/passwd", "../zoneinfo/UTC", "UTC\x00", "z" * 300, "Europe/" + "x" * 300],
    "date": ["0000-00-00", "9999-12-31T23:59:59", "10000-01-01", "2024-02-29T24:00:00",
             "-0001-01-01", "1970-01-01T00:00:00+25:00", "every 99999999 days", "every day",
             "2030-01-01T10:00:00.000+0000", 0, -1, 2**63, "Fri 26 Sep 2014 08:25:05 +0000"],
    "color": ["#", "#ffffffff", "red", "#GGGGGG", -1, 99, 2**63, "#fff"],
    "lang": ["xx", "en" * 10, "\x00", "zh_CN", "../../en"],
    "name": ["a" * 256, "\x00", " ", "🎉" * 300],
    "id": [0, -1, 2**63, "0", "-1", "$x", "inbox", "inbox0", "a" * 200, "f" * 24, "ff" * 64],
}  # fmt: skip


def aimed(name: str) -> st.SearchStrategy[Any]:
    """Hostile values for the field ``name``: the general ones and those aimed at its kind."""
    lowered = name.lower()
    extra = [v for part, found in _AIMED.items() if part in lowered for v in found]
    if not extra:
        return values()
    return st.one_of(st.sampled_from(extra), st.sampled_from(extra), values())


def aimed_text(name: str) -> st.SearchStrategy[str]:
    return aimed(name).map(lambda v: v if isinstance(v, str) else json.dumps(v))
