"""core.items: the rules both protocols share, checked without HTTP."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import RowMapping

from taskhaven.core import dates, items, projects, users
from taskhaven.core.backend import Backend, Unit
from taskhaven.core.errors import DomainError, InvalidArgument, InvalidDateArgument, NotFound
from taskhaven.core.ids import new_oid
from taskhaven.core.status import Status
from tests.conftest import PASSWORD, new_email

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ZONES = ["UTC", "Europe/Athens", "America/New_York", "Asia/Kolkata", "Pacific/Kiritimati"]


@pytest.fixture
def write(backend: Backend, user_id: int) -> Callable[[], Any]:
    """A write unit for the test user: ``with write() as unit: ...``."""

    def make() -> Any:
        return backend.write(user_id)

    return make


def fetch(backend: Backend, user_id: int, item_id: int) -> RowMapping:
    with backend.read() as conn:
        return items.get(conn, user_id, item_id, live=False)


def utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def set_zone(write: Callable[[], Any], zone: str) -> None:
    with write() as unit:
        users.update_user(unit, {"timezone": zone})


# --------------------------------------------------------------------------------------------
# Change stamps
# --------------------------------------------------------------------------------------------


def test_every_write_stamps_the_row(backend: Backend, user_id: int, write: Any) -> None:
    with write() as unit:
        item_id = items.add(unit, content="stamped")["id"]
        other = projects.add(unit, name="Other")["id"]
    steps: list[Callable[[Unit], None]] = [
        lambda u: items.update_item(u, item_id, {"priority": 3}),
        lambda u: items.set_order_indent(u, item_id, 5, 2),
        lambda u: items.set_day_order(u, item_id, 4),
        lambda u: items.complete(u, item_id, force_history=False),
        lambda u: items.uncomplete(u, item_id),
        lambda u: items.move(u, item_id, other),
        lambda u: items.set_status(u, item_id, Status.WONT_DO),
        lambda u: items.set_status(u, item_id, 0),
        lambda u: items.close(u, item_id),
        lambda u: items.delete(u, item_id),
    ]
    seen = fetch(backend, user_id, item_id)["seq"]
    for step in steps:
        with write() as unit:
            step(unit)
        row = fetch(backend, user_id, item_id)
        assert row["seq"] > seen, step
        seen = row["seq"]
    assert row["is_deleted"]


# --------------------------------------------------------------------------------------------
# Dates and recurrence agree across protocols
# --------------------------------------------------------------------------------------------

FREQS = ["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


@st.composite
def expressible_rrules(draw: st.DrawFn) -> str:
    """RRULEs a date string can say, in the canonical form core.dates writes."""
    if draw(st.booleans()):
        freq = draw(st.sampled_from(FREQS))
        return f"RRULE:FREQ={freq};INTERVAL={draw(st.integers(1, 30))}"
    chosen = draw(st.sets(st.sampled_from(DAYS), min_size=1))
    byday = ",".join(day for day in DAYS if day in chosen)
    return f"RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY={byday}"


@SETTINGS
@given(rrule=expressible_rrules(), hour=st.integers(0, 23))
def test_a_repeat_flag_gets_a_date_string_saying_the_same(
    backend: Backend, user_id: int, write: Any, rrule: str, hour: int
) -> None:
    due = datetime.combine(datetime.now(UTC).date() + timedelta(days=3), time(hour), UTC)
    with write() as unit:
        row = items.add(unit, content="v2 task", due_at=due, repeat_flag=rrule)
    assert row["repeat_flag"] == rrule
    assert dates.is_recurring(row["date_string"])
    assert dates.date_string_to_rrule(row["date_string"]) == rrule
    assert utc(row["due_at"]) == due and not row["all_day"]


@SETTINGS
@given(
    text=st.sampled_from(
        ["every day", "every 3 days", "every week", "every monday, friday", "every 15th"]
    ),
    clock=st.sampled_from(["", " @ 10", " at 7:30pm"]),
)
def test_a_recurring_date_string_sets_the_repeat_flag(
    backend: Backend, user_id: int, write: Any, text: str, clock: str
) -> None:
    with write() as unit:
        row = items.add(unit, content="v6 task", date_string=text + clock)
    assert row["date_string"] == text + clock
    assert row["repeat_flag"] == dates.date_string_to_rrule(text)
    assert row["repeat_flag"] and row["repeat_flag"].startswith("RRULE:")
    with write() as unit:
        row = items.update_item(unit, row["id"], {"date_string": "tomorrow"})
    assert row["repeat_flag"] is None and not items.is_recurring(row)


@SETTINGS
@given(
    zone=st.sampled_from(ZONES),
    day=st.dates(min_value=datetime(2000, 1, 1).date(), max_value=datetime(2090, 12, 31).date()),
    clock=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    all_day=st.booleans(),
)
def test_a_bare_due_moment_gets_a_label_that_parses_back_to_it(
    backend: Backend,
    user_id: int,
    write: Any,
    zone: str,
    day: Any,
    clock: time,
    all_day: bool,
) -> None:
    set_zone(write, zone)
    tz = ZoneInfo(zone)
    local = datetime.combine(day, time(23, 59, 59) if all_day else clock, tz)
    due = local.astimezone(UTC)
    with write() as unit:
        row = items.add(unit, content="labelled", due_at=due)
        parsed = items.parse_date_string(unit, row["date_string"])
    assert utc(row["due_at"]) == due and bool(row["all_day"]) == all_day
    assert parsed is not None and not parsed.recurring
    # Wall-clock times skipped by a DST change have no single reading; the rest round-trip.
    if local.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == local.replace(tzinfo=None):
        assert parsed.moment == due and parsed.all_day == all_day


@SETTINGS
@given(text=st.text(max_size=40))
def test_any_date_string_is_understood_or_refused_cleanly(
    backend: Backend, user_id: int, write: Any, text: str
) -> None:
    try:
        with write() as unit:
            row = items.add(unit, content="fuzz", date_string=text)
    except (InvalidDateArgument, InvalidArgument):
        return
    if row["due_at"] is None:
        assert row["date_string"] is None
    else:
        assert row["date_string"] == text


def test_explicit_due_at_wins_and_the_string_stays_the_label(write: Any) -> None:
    due = datetime(2031, 5, 6, 7, 8, tzinfo=UTC)
    with write() as unit:
        row = items.add(unit, content="x", date_string="every day @ 10", due_at=due)
    assert utc(row["due_at"]) == due and row["date_string"] == "every day @ 10"
    assert row["repeat_flag"] == "RRULE:FREQ=DAILY;INTERVAL=1"


def test_naive_datetimes_are_refused(write: Any) -> None:
    with pytest.raises(InvalidArgument), write() as unit:
        items.add(unit, content="x", due_at=datetime(2031, 1, 1, 10, 0))


def test_close_with_only_a_repeat_flag_catches_up_to_now(
    backend: Backend, user_id: int, write: Any
) -> None:
    overdue = datetime.now(UTC).replace(microsecond=0) - timedelta(days=10, hours=1)
    with write() as unit:
        # An RRULE no date string can say (BYHOUR), as a V2 client may send it.
        rule = "RRULE:FREQ=DAILY;INTERVAL=1;BYHOUR=8"
        row = items.add(unit, content="v2 daily", due_at=overdue, repeat_flag=rule)
        # Described for reading; closing follows the rule, not the words.
        assert row["date_string"] == "every day at 8:00"
        items.close(unit, row["id"])
    row = fetch(backend, user_id, row["id"])
    due = utc(row["due_at"])
    assert due is not None and datetime.now(UTC) < due <= datetime.now(UTC) + timedelta(days=1)
    assert row["status"] == Status.OPEN and row["completed_at"] is not None


def test_closing_a_non_recurring_item_through_update_date_complete_is_refused(
    write: Any,
) -> None:
    with write() as unit:
        row = items.add(unit, content="once", date_string="tomorrow")
    with pytest.raises(InvalidArgument), write() as unit:
        items.update_date_complete(
            unit, row["id"], new_date=None, date_string=None, is_forward=True
        )


# --------------------------------------------------------------------------------------------
# Status (the V2 path) and counters
# --------------------------------------------------------------------------------------------


def test_set_status_paths_and_counters(backend: Backend, user_id: int, write: Any) -> None:
    when = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    with write() as unit:
        item_id = items.add(unit, content="status")["id"]
        items.set_status(unit, item_id, 2, completed_at=when)
    row = fetch(backend, user_id, item_id)
    assert (row["status"], row["in_history"], utc(row["completed_at"])) == (2, True, when)
    assert row["completed_by"] == user_id

    with write() as unit:
        items.set_status(unit, item_id, 1)  # closed stays closed: counted once
        items.set_status(unit, item_id, 0)
    row = fetch(backend, user_id, item_id)
    assert (row["status"], row["in_history"], row["completed_at"]) == (0, False, None)

    with write() as unit:
        items.set_status(unit, item_id, Status.WONT_DO)
        user = users.get(unit.conn, user_id)
    row = fetch(backend, user_id, item_id)
    assert row["status"] == -1 and row["in_history"] and row["completed_at"] is not None
    assert user["completed_count"] == 1  # "won't do" is not a completion

    for bad in (3, -2, True, "2", None):
        with pytest.raises(InvalidArgument), write() as unit:
            items.set_status(unit, item_id, bad)  # type: ignore[arg-type]


def test_completed_count_never_goes_negative(backend: Backend, user_id: int, write: Any) -> None:
    with write() as unit:
        row = items.add(unit, content="undo", date_string="every day")
        items.update_date_complete(
            unit, row["id"], new_date=None, date_string=None, is_forward=False
        )
        assert users.get(unit.conn, user_id)["completed_count"] == 0


# --------------------------------------------------------------------------------------------
# Validation, ids, trees
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"priority": 0}, InvalidArgument),
        ({"priority": 5}, InvalidArgument),
        ({"indent": 5}, InvalidArgument),
        ({"progress": 101}, InvalidArgument),
        ({"kind": "TODO"}, InvalidArgument),
        ({"time_zone": "Mars/Olympus"}, InvalidArgument),
        ({"labels": [10**12]}, NotFound),
        ({"labels": "1"}, InvalidArgument),
        ({"checklist": [1]}, InvalidArgument),
        ({"responsible_uid": 10**12}, NotFound),
        ({"parent_id": 10**12}, NotFound),
        ({"date_lang": "xx"}, InvalidArgument),
        ({"date_string": "the 32nd of never"}, InvalidDateArgument),
        ({"repeat_flag": "R" * 600}, InvalidArgument),
    ],
)
def test_bad_values_are_domain_errors(
    write: Any, fields: dict[str, Any], error: type[DomainError]
) -> None:
    with pytest.raises(error), write() as unit:
        items.add(unit, content="x", **fields)


def test_unknown_field_names_are_a_programming_error(write: Any) -> None:
    with pytest.raises(TypeError), write() as unit:
        items.add(unit, content="x", checked=1)


def test_client_chosen_string_ids(backend: Backend, user_id: int, write: Any) -> None:
    oid = new_oid()
    with write() as unit:
        row = items.add(unit, content="mine", oid=oid)
    assert row["oid"] == oid
    with backend.read() as conn:
        assert items.by_oid(conn, user_id, oid)["id"] == row["id"]
    for bad in (oid, "not-an-object-id"):
        with pytest.raises(InvalidArgument), write() as unit:
            items.add(unit, content="clash", oid=bad)


def test_parent_links_stay_a_tree_within_one_project(write: Any) -> None:
    with write() as unit:
        top = items.add(unit, content="top")["id"]
        child = items.add(unit, content="child", parent_id=top)["id"]
        grandchild = items.add(unit, content="grandchild", parent_id=child)["id"]
        elsewhere = projects.add(unit, name="Elsewhere")["id"]
        stranger = items.add(unit, content="stranger", project_id=elsewhere)["id"]
    with pytest.raises(InvalidArgument), write() as unit:
        items.update_item(unit, top, {"parent_id": grandchild})
    with pytest.raises(InvalidArgument), write() as unit:
        items.update_item(unit, stranger, {"parent_id": top})


def test_delete_follows_parent_links_and_is_idempotent(
    backend: Backend, user_id: int, write: Any
) -> None:
    with write() as unit:
        top = items.add(unit, content="top")["id"]
        child = items.add(unit, content="child", parent_id=top)["id"]
        items.delete(unit, top)
        items.delete(unit, child)  # already gone with its parent: fine
    assert fetch(backend, user_id, child)["is_deleted"]
    with pytest.raises(NotFound), write() as unit:
        items.update_item(unit, child, {"content": "back?"})


def test_another_users_items_do_not_exist(backend: Backend, write: Any) -> None:
    other_id = users.register(backend, email=new_email(), password=PASSWORD)[0]["id"]
    with backend.write(other_id) as unit:
        theirs = items.add(unit, content="private")["id"]
    for action in (
        lambda u: items.update_item(u, theirs, {"content": "x"}),
        lambda u: items.delete(u, theirs),
        lambda u: items.close(u, theirs),
        lambda u: items.set_day_order(u, theirs, 1),
    ):
        with pytest.raises(NotFound), write() as unit:
            action(unit)


def test_day_orders_timestamp_only_moves_forward(
    backend: Backend, user_id: int, write: Any
) -> None:
    with write() as unit:
        item_id = items.add(unit, content="today")["id"]
    stamps = []
    for order in range(5):
        with write() as unit:
            items.set_day_order(unit, item_id, order)
            stamps.append(float(users.get(unit.conn, user_id)["day_orders_ts"]))
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)


# --------------------------------------------------------------------------------------------
# Parent links and the Sync API's flat tree describe the same tree
# --------------------------------------------------------------------------------------------


def parents(backend: Backend, user_id: int, *ids: int) -> list[int | None]:
    return [fetch(backend, user_id, item_id)["parent_id"] for item_id in ids]


def test_indents_from_the_sync_api_set_parent_links(
    backend: Backend, user_id: int, write: Any
) -> None:
    with write() as unit:
        project = projects.add(unit, name="Tree")["id"]
        a, b, c, d = (
            items.add(unit, content=name, project_id=project, item_order=n, indent=indent)["id"]
            for n, (name, indent) in enumerate([("a", 1), ("b", 2), ("c", 3), ("d", 1)], 1)
        )
    assert parents(backend, user_id, a, b, c, d) == [None, a, b, None]
    with write() as unit:
        items.set_order_indent(unit, b, 2, 1)  # b out-dented: c follows it, a is childless
    assert parents(backend, user_id, a, b, c, d) == [None, None, b, None]
    with write() as unit:
        # d slides in above c (ties in item_order go by id, as every reader orders them).
        items.update_item(unit, d, {"item_order": 2, "indent": 2})
    assert parents(backend, user_id, b, d, c) == [None, b, d]


def test_a_parent_link_places_the_item_in_the_flat_tree(
    backend: Backend, user_id: int, write: Any
) -> None:
    with write() as unit:
        project = projects.add(unit, name="Tree")["id"]
        top = items.add(unit, content="top", project_id=project)["id"]
        after = items.add(unit, content="after", project_id=project)["id"]
        child = items.add(unit, content="child", project_id=project, parent_id=top)
    top_row, after_row = fetch(backend, user_id, top), fetch(backend, user_id, after)
    assert child["indent"] == 2
    assert top_row["item_order"] < child["item_order"] < after_row["item_order"]
    with write() as unit:
        items.update_item(unit, child["id"], {"parent_id": None})
    row = fetch(backend, user_id, child["id"])
    assert row["parent_id"] is None and row["indent"] == 1


def test_uncomplete_keeps_or_restores_a_sub_items_place(
    backend: Backend, user_id: int, write: Any
) -> None:
    with write() as unit:
        project = projects.add(unit, name="Tree")["id"]
        top = items.add(unit, content="top", project_id=project)["id"]
        sub = items.add(unit, content="sub", project_id=project, parent_id=top)["id"]
        items.add(unit, content="last", project_id=project)
    place = fetch(backend, user_id, sub)["item_order"]
    with write() as unit:
        items.close(unit, sub)  # a sub-item: checked, stays in the list
        items.uncomplete(unit, sub)
    row = fetch(backend, user_id, sub)
    assert (row["status"], row["item_order"], row["parent_id"]) == (0, place, top)

    with write() as unit:
        items.complete(unit, sub, force_history=True)
        items.uncomplete(unit, sub)  # back from history: under its parent again
    row = fetch(backend, user_id, sub)
    assert (row["status"], row["in_history"], row["parent_id"], row["indent"]) == (
        0,
        False,
        top,
        2,
    )


def test_completed_today_counts_the_users_local_day(
    backend: Backend, user_id: int, write: Any
) -> None:
    set_zone(write, "Pacific/Kiritimati")  # UTC+14
    now = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)  # 2 Jan, 02:00 local
    moments = {
        "yesterday local, today in UTC": datetime(2030, 1, 1, 9, 0, tzinfo=UTC),
        "today local": datetime(2030, 1, 1, 11, 0, tzinfo=UTC),
        "today local, won't do": datetime(2030, 1, 1, 11, 30, tzinfo=UTC),
    }
    with write() as unit:
        for name, moment in moments.items():
            item_id = items.add(unit, content=name)["id"]
            status = Status.WONT_DO if "won't" in name else Status.DONE
            items.set_status(unit, item_id, status, completed_at=moment)
    with backend.read() as conn:
        assert users.completed_today(conn, users.get(conn, user_id), now) == 1
