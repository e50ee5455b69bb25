"""How query strings are classified (the item matching runs against a server in tests/v6)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taskhaven.core.errors import InvalidArgument
from taskhaven.core.queries import (
    DATE,
    KINDS,
    LABEL,
    OVERDUE,
    PRIORITY,
    PROJECT,
    UNKNOWN,
    check_queries,
    classify,
)

NOW = datetime(2024, 3, 20, 22, 30, tzinfo=UTC)
ATHENS = ZoneInfo("Europe/Athens")  # already the 21st there


@pytest.mark.parametrize(("text", "priority"), [("p1", 4), ("P2", 3), ("p3", 2), (" p4 ", 1)])
def test_p1_is_the_most_urgent(text: str, priority: int) -> None:
    query = classify(text, tz=ATHENS, now=NOW)
    assert (query.kind, query.priority) == (PRIORITY, priority)


@pytest.mark.parametrize(
    ("text", "kind", "name", "sub"),
    [
        ("@work", LABEL, "work", False),
        ("#Home", PROJECT, "Home", False),
        ("##Home", PROJECT, "Home", True),
        ("overdue", OVERDUE, None, False),
        ("OD", OVERDUE, None, False),
        ("@", UNKNOWN, None, False),
        ("#", UNKNOWN, None, False),
        ("p5", UNKNOWN, None, False),
        ("no date", UNKNOWN, None, False),
    ],
)
def test_kinds(text: str, kind: str, name: str | None, sub: bool) -> None:
    query = classify(text, tz=ATHENS, now=NOW)
    assert (query.kind, query.name, query.with_subprojects) == (kind, name, sub)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("today", date(2024, 3, 21)),
        ("tomorrow", date(2024, 3, 22)),
        ("8 Oct", date(2024, 10, 8)),
        ("2007-4-29T10:13", date(2007, 4, 29)),
        ("2024-03-25", date(2024, 3, 25)),
    ],
)
def test_dates_are_days_in_the_users_zone(text: str, day: date) -> None:
    query = classify(text, tz=ATHENS, now=NOW)
    assert (query.kind, query.day) == (DATE, day)


@given(st.text(max_size=80))
def test_any_text_gets_a_kind(text: str) -> None:
    assert classify(text, tz=ATHENS, now=NOW).kind in KINDS


def test_check_queries() -> None:
    assert check_queries(["p1", "today"]) == ["p1", "today"]
    for bad in ("p1", [1], ["x"] * 51, ["x" * 256], {"p1": 1}):
        with pytest.raises(InvalidArgument):
            check_queries(bad)
