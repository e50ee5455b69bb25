"""Reminder triggers (api/ticktick/codes/triggers.py): TickTick's iCalendar text for the
core's minute offsets, shared by V1 and V2."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taskhaven.api.ticktick import codes
from taskhaven.core import items, reminders, users
from taskhaven.core.backend import Backend
from taskhaven.core.errors import InvalidArgument
from taskhaven.core.ids import new_oid
from taskhaven.core.reminders import Offset
from tests.conftest import PASSWORD, new_email

OFFSETS = st.integers(min_value=-reminders.MAX_OFFSET, max_value=reminders.MAX_OFFSET)


@given(offset=OFFSETS)
def test_trigger_and_offset_round_trip(offset: int) -> None:
    trigger = codes.offset_to_trigger(offset)
    assert codes.trigger_to_offset(trigger) == offset
    assert codes.trigger_offset(trigger) == Offset(offset)  # the usual spelling is not kept
    assert codes.offset_trigger(Offset(offset)) == trigger


@pytest.mark.parametrize(
    ("trigger", "offset"),
    [
        ("TRIGGER:-PT30M", 30),
        ("TRIGGER:PT0S", 0),
        ("TRIGGER:P0DT9H0M0S", -540),
        ("TRIGGER:-P1D", 1440),
        ("TRIGGER:-P1W", 10080),
        ("TRIGGER:+PT5M", -5),
    ],
)
def test_trigger_examples(trigger: str, offset: int) -> None:
    assert codes.trigger_to_offset(trigger) == offset


@pytest.mark.parametrize(
    "trigger",
    ["", "TRIGGER:", "TRIGGER:P", "TRIGGER:PT", "TRIGGER:-PT30S", "-PT30M", 30, None],
)
def test_bad_triggers(trigger: Any) -> None:
    with pytest.raises(InvalidArgument):
        codes.trigger_to_offset(trigger)
    with pytest.raises(InvalidArgument):
        codes.trigger_offset(trigger)


def test_a_trigger_beyond_the_largest_offset_is_refused() -> None:
    days = reminders.MAX_OFFSET // 1440 + 1
    with pytest.raises(InvalidArgument):
        codes.trigger_to_offset(f"TRIGGER:-P{days}D")


@given(
    offset=OFFSETS,
    spelling=st.sampled_from(["TRIGGER:-P{d}DT{h}H{m}M0S", " TRIGGER:-PT{t}M ", "TRIGGER:-PT{t}M"]),
)
def test_a_clients_own_spelling_is_kept_and_read_back(offset: int, spelling: str) -> None:
    if offset < 0:
        spelling = spelling.replace("-P", "P")
    whole = abs(offset)
    text = spelling.format(d=whole // 1440, h=whole % 1440 // 60, m=whole % 60, t=whole)
    got = codes.trigger_offset(text)
    assert got.minute_offset == offset
    assert codes.offset_trigger(got) == text.strip()


def test_what_a_client_sees_of_each_kind_of_reminder() -> None:
    due = datetime(2030, 1, 1, 9, tzinfo=UTC)
    item = {"due_at": due}
    found = [
        {"oid": "a", "type": "absolute", "due_at": due - timedelta(hours=1), "trigger": None},
        {"oid": "b", "type": "relative", "minute_offset": 0, "trigger": None},
        {"oid": "c", "type": "relative", "minute_offset": -540, "trigger": "TRIGGER:P0DT9H"},
        {"oid": "d", "type": "location", "due_at": None, "trigger": None},
    ]
    assert codes.task_triggers(item, found) == {
        "a": "TRIGGER:-PT60M",
        "b": "TRIGGER:PT0S",
        "c": "TRIGGER:P0DT9H",
    }


def test_triggers_written_through_the_core_read_back_as_sent(core_backend: Backend) -> None:
    """What a V2 (or V1) task write does: parse the triggers, replace the task's reminders
    with the offsets, and read them back as the client wrote them."""
    user, _token = users.register(core_backend, email=new_email(), password=PASSWORD)
    core_user_id = int(user["id"])
    sent = {
        new_oid(): "TRIGGER:-PT30M",
        new_oid(): " TRIGGER:P0DT9H0M0S ",
        new_oid(): "TRIGGER:PT0S",
    }
    with core_backend.write(core_user_id) as unit:
        item = items.add(unit, content="t")
        wanted = {oid: codes.trigger_offset(text) for oid, text in sent.items()}
        reminders.replace_offsets(unit, item["id"], wanted)
        found = reminders.for_item(unit.conn, core_user_id, item["id"])
    assert codes.task_triggers(item, found) == {k: v.strip() for k, v in sent.items()}
    assert [(r["minute_offset"], r["trigger"]) for r in found] == [
        (30, None),
        (-540, "TRIGGER:P0DT9H0M0S"),
        (0, None),
    ]
