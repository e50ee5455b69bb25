"""The task and project field converters V1 and V2 share (codes/task_fields.py,
codes/project_fields.py) and the display rules both renderers follow (codes/display.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taskhaven.api.ticktick import codes
from taskhaven.core.errors import InvalidArgument, InvalidDateArgument

ZONES = st.sampled_from(["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"])
NAIVE = st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2200, 12, 31))
MAYBE = st.none() | NAIVE
FLAG = st.none() | st.booleans()
STORED = {"time_zone": "Asia/Tokyo", "kind": "TEXT"}


# --- task fields ------------------------------------------------------------------------------


def test_new_task_gets_an_empty_title_and_an_update_keeps_it() -> None:
    assert codes.task_changes(codes.TaskValues(), None, None)[0] == {"content": ""}
    assert codes.task_changes(codes.TaskValues(), STORED, None)[0] == {}
    assert codes.task_changes(codes.TaskValues(title="a"), STORED, None)[0] == {"content": "a"}


@pytest.mark.parametrize(
    ("content", "desc", "checklist", "text"),
    [
        ("c", "d", False, "c"),
        ("c", "d", True, "d"),
        (None, "d", False, "d"),
        ("c", None, True, "c"),
        (None, None, True, None),
        ("", "d", False, ""),
    ],
)
def test_text_is_content_or_for_checklists_desc(
    content: str | None, desc: str | None, checklist: bool, text: str | None
) -> None:
    assert codes.task_text(content, desc, checklist=checklist) == text


@pytest.mark.parametrize(
    ("sent", "stored", "user", "zone"),
    [
        ("Europe/Berlin", STORED, "UTC", "Europe/Berlin"),
        (None, STORED, "UTC", "Asia/Tokyo"),
        ("", STORED, "UTC", "Asia/Tokyo"),
        (None, None, "America/New_York", "America/New_York"),
        (None, {"time_zone": None}, None, "UTC"),
    ],
)
def test_zone_is_sent_else_stored_else_the_users(
    sent: str | None, stored: dict[str, Any] | None, user: str | None, zone: str
) -> None:
    assert codes.task_zone(sent, stored, user) == ZoneInfo(zone)
    assert codes.task_changes(codes.TaskValues(time_zone=sent), stored, user)[1] == ZoneInfo(zone)


@given(due=MAYBE, start=MAYBE, all_day=FLAG, zone=ZONES, current=st.booleans())
def test_due_falls_back_on_start_and_a_missing_flag_keeps_the_stored_one(
    due: datetime | None, start: datetime | None, all_day: bool | None, zone: str, current: bool
) -> None:
    values = codes.TaskValues(due_date=due, start_date=start, is_all_day=all_day, time_zone=zone)
    out, shown = codes.task_changes(values, STORED if current else None, "UTC")
    tz = ZoneInfo(zone)
    assert shown == tz
    assert out["time_zone"] == zone
    moment = due if due is not None else start
    if moment is None:
        assert "due_at" not in out
    else:
        assert out["due_at"] == moment.replace(tzinfo=tz).astimezone(UTC)
    if moment is not None or all_day is not None:
        assert out["all_day"] is all_day  # None: core keeps the stored flag
    else:
        assert "all_day" not in out
    if start is None:
        assert "start_at" not in out
    else:
        assert out["start_at"] == start.replace(tzinfo=tz).astimezone(UTC)


@given(moment=NAIVE, zone=ZONES)
def test_aware_moments_keep_their_instant(moment: datetime, zone: str) -> None:
    aware = moment.replace(tzinfo=UTC)
    out, _ = codes.task_changes(codes.TaskValues(due_date=aware, time_zone=zone), None, None)
    assert out["due_at"] == aware


def test_moments_outside_the_calendar_name_their_argument() -> None:
    low = datetime(1, 1, 1, 0, 30)
    for values, argument in [
        (codes.TaskValues(due_date=low), "dueDate"),
        (codes.TaskValues(start_date=low, due_date=datetime(2025, 1, 1)), "startDate"),
        (codes.TaskValues(completed_time=low), "completedTime"),
    ]:
        with pytest.raises(InvalidDateArgument) as caught:
            codes.task_changes(values, None, "Asia/Tokyo")
        assert caught.value.argument == argument


def test_time_zone_and_repeat_flag_are_checked() -> None:
    with pytest.raises(InvalidArgument):
        codes.task_changes(codes.TaskValues(time_zone="Nowhere/Atall"), None, None)
    with pytest.raises(InvalidArgument):
        codes.task_changes(codes.TaskValues(repeat_flag="RRULE:FREQ=NEVER"), None, None)
    out, _ = codes.task_changes(codes.TaskValues(repeat_flag=""), STORED, None)
    assert out == {"repeat_flag": codes.check_repeat_flag("")}


@given(
    priority=st.none() | st.sampled_from(sorted(codes.PRIORITY_FROM_TICKTICK)),
    status=st.none() | st.sampled_from(sorted(codes.STATUSES)),
    order=st.none() | st.integers(-(2**62), 2**62),
    floating=FLAG,
    repeat_from=st.none() | st.integers(0, 2),
    progress=st.none() | st.integers(0, 100),
    kind=st.none() | st.sampled_from(["TEXT", "NOTE", "CHECKLIST"]),
)
def test_codes_convert_and_none_keeps_the_stored_value(
    priority: int | None,
    status: int | None,
    order: int | None,
    floating: bool | None,
    repeat_from: int | None,
    progress: int | None,
    kind: str | None,
) -> None:
    values = codes.TaskValues(
        priority=priority,
        status=status,
        sort_order=order,
        is_floating=floating,
        repeat_from=repeat_from,
        progress=progress,
        kind=kind,
    )
    out, _ = codes.task_changes(values, STORED, None)
    expected = {
        "kind": kind,
        "is_floating": floating,
        "repeat_from": repeat_from,
        "priority": None if priority is None else codes.priority_from_ticktick(priority),
        "progress": progress,
        "item_order": order,
        "status": None if status is None else codes.status_from_ticktick(status),
    }
    assert out == {key: value for key, value in expected.items() if value is not None}


def test_completed_time_is_in_the_tasks_zone() -> None:
    values = codes.TaskValues(completed_time=datetime(2025, 6, 1, 12), time_zone="Europe/Berlin")
    out, _ = codes.task_changes(values, None, None)
    assert out["completed_at"] == datetime(2025, 6, 1, 10, tzinfo=UTC)


def test_checklist_entry_reads_its_completed_time_in_the_tasks_zone() -> None:
    item = SimpleNamespace(
        title="t", sort_order=3, start_date="2025-01-01", is_all_day=True, time_zone=None
    )
    zone = ZoneInfo("Asia/Kolkata")

    def entry(completed: datetime | None) -> dict[str, Any]:
        return codes.checklist_changes(item, id=None, status=1, completed_time=completed, zone=zone)

    assert entry(datetime(2025, 1, 1, 5, 30)) == {
        "id": None,
        "title": "t",
        "status": 1,
        "sort_order": 3,
        "start_date": "2025-01-01",
        "is_all_day": True,
        "time_zone": None,
        "completed_at": datetime(2025, 1, 1, tzinfo=UTC),
    }
    assert entry(None)["completed_at"] is None
    with pytest.raises(InvalidDateArgument):
        entry(datetime(1, 1, 1))


# --- project fields ---------------------------------------------------------------------------


@given(
    name=st.none() | st.text(max_size=10),
    kind=st.none() | st.sampled_from(["TASK", "NOTE"]),
    view=st.none() | st.sampled_from(["list", "kanban", "timeline"]),
    order=st.none() | st.integers(-(2**62), 2**62),
    muted=FLAG,
)
def test_project_fields_sent_are_the_fields_changed(
    name: str | None, kind: str | None, view: str | None, order: int | None, muted: bool | None
) -> None:
    spec = SimpleNamespace(name=name, color=None, kind=kind, view_mode=view, sort_order=order)
    changes = codes.project_changes(spec, muted=muted)
    expected = {"name": name, "kind": kind, "view_mode": view, "item_order": order, "muted": muted}
    assert changes == {key: value for key, value in expected.items() if value is not None}


def test_project_colour_is_normalised_and_empty_clears_it() -> None:
    def spec(color: str | None) -> SimpleNamespace:
        return SimpleNamespace(name=None, color=color, kind=None, view_mode=None, sort_order=None)

    assert codes.project_changes(spec("#FFAA00")) == {"color": codes.normalise_color("#FFAA00")}
    assert codes.project_changes(spec("")) == {"color": codes.normalise_color("")}
    assert codes.project_changes(spec(None)) == {}


# --- display ----------------------------------------------------------------------------------


def _row(**fields: Any) -> dict[str, Any]:
    return {"due_at": None, "start_at": None, "all_day": False, "kind": "TEXT"} | fields


def test_unknown_zone_and_kinds_are_shown_as_defaults() -> None:
    assert codes.shown_zone("Nowhere/Atall") == ZoneInfo("UTC")
    assert codes.shown_zone(None) == ZoneInfo("UTC")
    assert codes.shown_zone("Europe/Berlin") == ZoneInfo("Europe/Berlin")
    assert codes.task_kind(_row(kind="CHECKLIST")) == "CHECKLIST"
    assert codes.task_kind(_row(kind="ODD")) == "TEXT"
    assert codes.project_kind(_row(kind="NOTE")) == "NOTE"
    assert codes.project_kind(_row(kind="ODD")) == "TASK"


def test_without_a_due_date_there_are_no_dates_and_no_whole_day() -> None:
    row = _row(all_day=True, start_at=datetime(2025, 1, 1, tzinfo=UTC))
    assert codes.task_dates(row, ZoneInfo("UTC")) == (None, None)
    assert codes.task_all_day(row) is False


@given(due=NAIVE, gap=st.integers(-(10**6), 10**6), aware=st.booleans())
def test_start_is_shown_only_up_to_the_due_date(due: datetime, gap: int, aware: bool) -> None:
    start = due + timedelta(seconds=gap)
    if aware:
        due = due.replace(tzinfo=UTC)
    row = _row(due_at=due, start_at=start)
    shown_start, shown_due = codes.task_dates(row, ZoneInfo("UTC"))
    assert shown_due == codes.format_v2(due)
    assert shown_start == (codes.format_v2(start) if gap <= 0 else shown_due)
    assert codes.task_all_day(row) is False


def test_a_whole_day_is_named_by_its_local_midnight() -> None:
    zone = ZoneInfo("Europe/Berlin")
    due = codes.whole_day_to_core(datetime(2025, 3, 1, tzinfo=zone), zone)
    row = _row(due_at=due, all_day=True)
    assert (
        codes.task_dates(row, zone) == (codes.format_v2(datetime(2025, 2, 28, 23, tzinfo=UTC)),) * 2
    )
    assert codes.task_all_day(row) is True


def test_values_sent_take_same_named_fields_and_what_the_version_read() -> None:
    body = SimpleNamespace(title="t", priority=3, due_date="2025-01-01", content="c")
    read = datetime(2025, 1, 1)
    values = codes.TaskValues.sent(body, due_date=read, description="d")
    assert values == codes.TaskValues(title="t", priority=3, due_date=read, description="d")
