"""The cross-protocol mappings, checked against the validators strict V2 clients run."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError
from pyticktick.models.pydantic import Color as ClientColor
from pyticktick.models.v2.types import (
    ETag,
    ICalTrigger,
    TagLabel,
    TagName,
    TTRRule,
    convert_ical_trigger,
)

from taskhaven.api.ticktick import codes as mapping
from taskhaven.core import reminders
from taskhaven.core.errors import InvalidArgument
from taskhaven.core.status import Status

TAG_NAME = TypeAdapter(TagName)
TAG_LABEL = TypeAdapter(TagLabel)
ETAG = TypeAdapter(ETag)
TRIGGER = TypeAdapter(ICalTrigger)
RRULE = TypeAdapter(TTRRule)
COLOR = TypeAdapter(ClientColor)


def test_priority_table_is_a_bijection() -> None:
    for core, wire in [(1, 0), (2, 1), (3, 3), (4, 5)]:
        assert mapping.priority_to_ticktick(core) == wire
        assert mapping.priority_from_ticktick(wire) == core


@pytest.mark.parametrize("bad", [2, 4, -1, 6, True, "3", None])
def test_priority_outside_the_ticktick_codes_is_refused(bad: object) -> None:
    with pytest.raises(InvalidArgument):
        mapping.priority_from_ticktick(bad)


def test_stored_priority_out_of_range_reads_as_none() -> None:
    assert mapping.priority_to_ticktick(0) == 0
    assert mapping.priority_to_ticktick(99) == 0


@pytest.mark.parametrize(("status", "v1"), [(0, 0), (1, 2), (2, 2), (-1, 2)])
def test_v1_sees_every_closed_state_as_2(status: int, v1: int) -> None:
    assert mapping.check_status(status) == status
    assert mapping.status_to_v1(status) == v1
    assert mapping.is_closed(status) is (status != 0)


@pytest.mark.parametrize("bad", [3, -2, True, "0", None])
def test_unknown_status_is_refused(bad: object) -> None:
    with pytest.raises(InvalidArgument):
        mapping.check_status(bad)
    with pytest.raises(InvalidArgument):
        mapping.status_from_ticktick(bad)


@pytest.mark.parametrize(
    ("code", "status"),
    [(-1, Status.WONT_DO), (0, Status.OPEN), (1, Status.DONE_ALT), (2, Status.DONE)],
)
def test_each_task_code_is_one_core_status_and_back(code: int, status: Status) -> None:
    assert mapping.status_from_ticktick(code) is status
    assert mapping.status_to_ticktick(status) == code
    assert mapping.status_to_ticktick(int(status)) == code


def test_a_stored_status_no_code_names_reads_as_completed() -> None:
    assert mapping.status_to_ticktick(7) == mapping.COMPLETED


@given(st.integers(-reminders.MAX_OFFSET, reminders.MAX_OFFSET))
def test_minute_offsets_round_trip_through_triggers_the_client_parses(minutes: int) -> None:
    """V2 renders the core's reminder triggers as they are: strict clients must parse them."""
    trigger = mapping.offset_to_trigger(minutes)
    assert mapping.trigger_to_offset(trigger) == minutes
    assert TRIGGER.validate_python(trigger) == trigger
    assert convert_ical_trigger(trigger) == timedelta(minutes=-minutes)


@pytest.mark.parametrize(
    ("trigger", "minutes"),
    [
        ("TRIGGER:PT0S", 0),
        ("TRIGGER:-PT5M", 5),
        ("TRIGGER:-PT30M", 30),
        ("TRIGGER:-PT60M", 60),
        ("TRIGGER:-P0DT15H0M0S", 900),
        ("TRIGGER:-P1DT15H0M0S", 2340),
        ("TRIGGER:P0DT9H0M0S", -540),
        ("TRIGGER:-P1W", 10080),
    ],
)
def test_the_triggers_ticktick_clients_send(trigger: str, minutes: int) -> None:
    assert mapping.trigger_to_offset(trigger) == minutes
    assert convert_ical_trigger(trigger) == timedelta(minutes=-minutes)


@given(
    sign=st.sampled_from(["", "-", "+"]),
    weeks=st.none() | st.integers(0, 60),
    days=st.none() | st.integers(0, 300),
    hours=st.none() | st.integers(0, 200),
    minutes=st.none() | st.integers(0, 5000),
    seconds=st.none() | st.sampled_from([0, 60, 120, 3600]),
)
def test_every_trigger_the_core_accepts_the_client_reads_the_same(
    sign: str,
    weeks: int | None,
    days: int | None,
    hours: int | None,
    minutes: int | None,
    seconds: int | None,
) -> None:
    text = f"TRIGGER:{sign}P"
    text += "".join(f"{v}{u}" for v, u in ((weeks, "W"), (days, "D")) if v is not None)
    clock = "".join(
        f"{v}{u}" for v, u in ((hours, "H"), (minutes, "M"), (seconds, "S")) if v is not None
    )
    if clock:
        text += "T" + clock
    try:
        offset = mapping.trigger_to_offset(text)
    except InvalidArgument:
        return
    assert convert_ical_trigger(text) == timedelta(minutes=-offset)


@pytest.mark.parametrize(
    ("given_", "stored"),
    [
        ("Blue", "#0000ff"),
        ("#F18181", "#f18181"),
        ("#abc", "#aabbcc"),
        ("rgb(1, 2, 3)", "#010203"),
        ("rgba(1, 2, 3, 0.5)", "#010203"),
        ("hsl(120, 100%, 50%)", "#00ff00"),
        (None, None),
        ("", None),
    ],
)
def test_colours_are_normalised(given_: str | None, stored: str | None) -> None:
    assert mapping.normalise_color(given_) == stored


@given(st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255)))
def test_normalised_colours_are_what_the_client_would_send(rgb: tuple[int, int, int]) -> None:
    css = "rgb({}, {}, {})".format(*rgb)
    stored = mapping.normalise_color(css)
    assert stored is not None and re.fullmatch(r"#[0-9a-f]{6}", stored)
    assert str(COLOR.validate_python(css)) == stored
    assert mapping.normalise_color(stored) == stored


@pytest.mark.parametrize("bad", ["not-a-colour", "#12", "rgb(300, 0, 0)", 5, "x" * 100])
def test_bad_colours_are_refused(bad: object) -> None:
    with pytest.raises(InvalidArgument):
        mapping.normalise_color(bad)


@given(st.text(max_size=300))
def test_any_label_name_becomes_a_tag_the_client_accepts(name: str) -> None:
    label = mapping.tag_label_from_label_name(name)
    tag = mapping.tag_name_from_label_name(name)
    assert TAG_LABEL.validate_python(label) == label
    assert TAG_NAME.validate_python(tag) == tag
    assert mapping.is_tag_label(label)
    assert mapping.is_tag_name(tag)
    assert mapping.tag_name_from_label_name(label) == tag


@given(st.text(min_size=1, max_size=50))
def test_our_tag_rules_match_the_clients(text: str) -> None:
    try:
        TAG_LABEL.validate_python(text)
        client_label = True
    except ValidationError:
        client_label = False
    assert mapping.is_tag_label(text) is client_label or (
        # We also refuse what Python alone calls whitespace (stricter, never looser).
        not mapping.is_tag_label(text) and any(ch.isspace() for ch in text)
    )
    if mapping.is_tag_name(text):
        assert TAG_NAME.validate_python(text) == text


@pytest.mark.parametrize("bad", ["a b", "a/b", "x#", "", "a\tb", 'q"', "a|b", None])
def test_bad_tag_labels_are_refused(bad: object) -> None:
    with pytest.raises(InvalidArgument):
        mapping.check_tag_label(bad)


def test_label_names_sanitise_predictably() -> None:
    assert mapping.tag_label_from_label_name("Errands & Shopping") == "Errands_&_Shopping"
    assert mapping.tag_name_from_label_name("Errands & Shopping") == "errands_&_shopping"
    assert mapping.tag_name_from_label_name("") == "_"


@given(st.integers(0, 2**62))
def test_etags_are_eight_base36_chars_that_change_with_seq(seq: int) -> None:
    tag = mapping.etag(seq)
    assert ETAG.validate_python(tag) == tag
    assert mapping.etag(seq) == tag
    assert mapping.etag(seq + 1) != tag


def test_etag_is_base36_of_seq() -> None:
    assert mapping.etag(0) == "00000000"
    assert mapping.etag(35) == "0000000z"
    assert mapping.etag(36) == "00000010"


@pytest.mark.parametrize(("raw", "since"), [("0", 0), ("17", 17), (42, 42)])
def test_check_points(raw: object, since: int) -> None:
    assert mapping.since_check_point(raw) == since


@pytest.mark.parametrize("bad", ["-1", "x", "1e3", "²", "9" * 30, True, -5, 2**63])
def test_bad_check_points_are_refused(bad: object) -> None:
    with pytest.raises(InvalidArgument):
        mapping.since_check_point(bad)


@pytest.mark.parametrize(
    "rule",
    [
        "RRULE:FREQ=DAILY;INTERVAL=1",
        "RRULE:FREQ=DAILY;INTERVAL=15;TT_SKIP=WEEKEND",
        "RRULE:FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=-1;TT_WORKDAY=-1",
        "ERULE:NAME=CUSTOM;BYDATE=20250731,20250819",
    ],
)
def test_ticktick_rules_are_accepted(rule: str) -> None:
    assert mapping.check_repeat_flag(rule) == rule
    assert RRULE.validate_python(rule) == rule


@pytest.mark.parametrize("bad", ["FREQ=DAILY", "RRULE:FREQ=SOMETIMES", "RRULE:", "x" * 600, 3])
def test_bad_rules_are_refused(bad: object) -> None:
    with pytest.raises(InvalidArgument):
        mapping.check_repeat_flag(bad)


def test_time_zones() -> None:
    assert mapping.check_time_zone("America/Chicago") == "America/Chicago"
    assert mapping.check_time_zone("") is None
    for bad in ["Mars/Olympus", "../etc/passwd", "x" * 100, 5]:
        with pytest.raises(InvalidArgument):
            mapping.check_time_zone(bad)


ZONES = st.sampled_from(
    ["UTC", "America/Chicago", "Asia/Kolkata", "Pacific/Kiritimati", "Europe/Berlin"]
)


@given(day=st.dates(min_value=date(1971, 1, 1), max_value=date(2200, 12, 31)), zone=ZONES)
def test_whole_days_round_trip_between_midnight_and_end_of_day(day: date, zone: str) -> None:
    tz = ZoneInfo(zone)
    midnight = datetime.combine(day, time(0), tz).astimezone(UTC)
    core = mapping.whole_day_to_core(midnight, tz)
    assert core.astimezone(tz).date() == day
    assert core.astimezone(tz).time() == time(23, 59, 59)
    assert mapping.whole_day_to_ticktick(core, tz) == midnight
    # SQLite hands stored moments back naive (UTC): same answer.
    assert mapping.whole_day_to_ticktick(core.replace(tzinfo=None), tz) == midnight


NOW = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_checklist_entries_get_ids_defaults_and_completion_times() -> None:
    entry = mapping.checklist_entry({"title": "step"}, None, NOW)
    assert re.fullmatch(r"[0-9a-f]{24}", entry["id"])
    assert entry == {
        "id": entry["id"],
        "title": "step",
        "status": 0,
        "sort_order": 0,
        "start_date": None,
        "is_all_day": None,
        "time_zone": None,
        "completed_at": None,
    }
    done = mapping.checklist_entry({"status": 1}, entry, NOW)
    assert done["completed_at"] == "2025-01-02T03:04:05.000+0000"
    assert done["title"] == "step" and done["id"] == entry["id"]
    again = mapping.checklist_entry({"status": 2}, done, NOW.replace(year=2030))
    assert again["completed_at"] == done["completed_at"]  # the first completion is kept
    reopened = mapping.checklist_entry({"status": 0}, again, NOW)
    assert reopened["completed_at"] is None and reopened["status"] == 0


@pytest.mark.parametrize(
    "fields",
    [
        {"id": "nope"},
        {"title": 5},
        {"title": "a\x00b"},
        {"sort_order": True},
        {"sort_order": 2**70},
        {"status": 7},
        {"time_zone": "Mars/Base"},
        {"start_date": "x" * 100},
    ],
)
def test_bad_checklist_fields_are_refused(fields: dict[str, object]) -> None:
    with pytest.raises(InvalidArgument):
        mapping.checklist_entry(fields, None, NOW)
