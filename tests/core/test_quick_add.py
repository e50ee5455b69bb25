"""A quick-add line split into content, date, priority, project, labels and note."""

from __future__ import annotations

import time as clock
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taskhaven.core.dates import rule_to_rrule
from taskhaven.core.dates.quickadd import parse_quick_add

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2025, 1, 15, 10, 0, tzinfo=UTC)  # Wednesday, 11:00 in Berlin


def test_the_issue_line() -> None:
    q = parse_quick_add("Pay rent every 1st at 9am p1 #Home @bills //note", tz=BERLIN, now=NOW)
    assert q.content == "Pay rent"
    assert q.date_string == "every 1st at 9am"
    assert q.due is not None and q.due.rule is not None
    assert rule_to_rrule(q.due.rule) == "RRULE:FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=1"
    assert f"{q.due.moment.astimezone(BERLIN):%Y-%m-%d %H:%M}" == "2025-02-01 09:00"
    assert (q.priority, q.project, q.labels, q.note) == (4, "Home", ("bills",), "note")


@pytest.mark.parametrize(
    ("line", "content", "date_string"),
    [
        ("Buy milk", "Buy milk", None),
        ("Buy milk tomorrow", "Buy milk", "tomorrow"),
        ("Call mom tomorrow at 5pm about the party", "Call mom about the party", "tomorrow at 5pm"),
        ("Call Tom", "Call Tom", None),
        ("Water plants every other monday", "Water plants", "every other monday"),
        ("Report end of month p2", "Report", "end of month"),
        ("Standup every weekday at 9:30", "Standup", "every weekday at 9:30"),
        ("Renew passport in 2 weeks #Admin", "Renew passport", "in 2 weeks"),
        ("Read 3 chapters", "Read 3 chapters", None),
    ],
)
def test_lines(line: str, content: str, date_string: str | None) -> None:
    q = parse_quick_add(line, tz=BERLIN, now=NOW)
    assert (q.content, q.date_string) == (content, date_string)


def test_words_in_the_chosen_language() -> None:
    q = parse_quick_add("Miete zahlen jeden 1. um 9 Uhr #Haus", tz=BERLIN, now=NOW, lang="de")
    assert (q.content, q.date_string, q.project) == ("Miete zahlen", "jeden 1. um 9 Uhr", "Haus")


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=120))
def test_any_line_splits_quickly(line: str) -> None:
    started = clock.monotonic()
    q = parse_quick_add(line, tz=BERLIN, now=NOW)
    assert 1 <= q.priority <= 4
    assert clock.monotonic() - started < 3
