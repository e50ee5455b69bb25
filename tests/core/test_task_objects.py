"""Core operations for clients that send whole task objects (TickTick V1 and V2): upserts by
string id, tags created on first use, checklists and reminder offsets sent whole, whole-day
switching, and the stamps that make a task's etag its ``seq``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taskhaven.core import changes, groups, items, labels, projects, reminders, snapshot
from taskhaven.core.backend import Backend
from taskhaven.core.errors import InvalidArgument, MissingArgument, NotFound
from taskhaven.core.ids import inbox_oid, new_oid
from taskhaven.core.reminders import Offset
from tests.core.test_items import SETTINGS, ZONES, fetch, utc

# --------------------------------------------------------------------------------------------
# Add under an existing id is an update
# --------------------------------------------------------------------------------------------


def test_item_upsert_adds_then_updates_the_same_item(backend: Backend, user_id: int) -> None:
    oid = new_oid()
    with backend.write(user_id) as unit:
        first = items.upsert_by_oid(unit, oid, {"priority": 2})
        again = items.upsert_by_oid(unit, oid, {"content": "retried", "priority": 4})
    assert again["id"] == first["id"] and first["oid"] == oid
    assert (first["content"], again["content"], again["priority"]) == ("", "retried", 4)
    with backend.read() as conn:
        assert first["project_id"] == projects.inbox(conn, user_id)["id"]
        assert items.find_by_oid(conn, user_id, oid) is not None
        assert items.find_by_oid(conn, user_id, new_oid()) is None
        assert items.find_by_oid(conn, user_id, None) is None


def test_item_upsert_over_a_deleted_id_is_refused(backend: Backend, user_id: int) -> None:
    oid = new_oid()
    with backend.write(user_id) as unit:
        items.delete(unit, items.upsert_by_oid(unit, oid, {})["id"])
    with pytest.raises(InvalidArgument), backend.write(user_id) as unit:
        items.upsert_by_oid(unit, oid, {"content": "back"})


def test_project_and_group_upserts(backend: Backend, user_id: int) -> None:
    project_oid, group_oid = new_oid(), new_oid()
    with backend.write(user_id) as unit:
        group = groups.upsert_by_oid(unit, group_oid, {"name": "G"})
        same_group = groups.upsert_by_oid(unit, group_oid, {"name": "G2"})
        project = projects.upsert_by_oid(unit, project_oid, {"name": "P", "muted": True})
        same = projects.upsert_by_oid(
            unit, project_oid, {"name": "P2", "group_id": group["id"], "muted": False}
        )
    assert (group["id"], same_group["name"]) == (same_group["id"], "G2")
    assert project["muted"] and project["oid"] == project_oid
    assert (same["id"], same["name"], same["group_id"], same["muted"]) == (
        project["id"],
        "P2",
        group["id"],
        False,
    )


def test_project_references(backend: Backend, user_id: int) -> None:
    with backend.write(user_id) as unit:
        listed = projects.add(unit, name="Listed")
    with backend.read() as conn:
        inbox = projects.inbox(conn, user_id)
        assert projects.by_ref(conn, user_id, None)["id"] == inbox["id"]
        assert projects.by_ref(conn, user_id, inbox_oid(user_id))["id"] == inbox["id"]
        assert projects.by_ref(conn, user_id, listed["oid"])["id"] == listed["id"]
        with pytest.raises(NotFound):
            projects.by_ref(conn, user_id, inbox_oid(user_id + 1))


# --------------------------------------------------------------------------------------------
# Tags created on first use
# --------------------------------------------------------------------------------------------

NAMES = st.lists(st.sampled_from(["a", "b", "c", "work", "home"]), max_size=8)


@SETTINGS
@given(first=NAMES, second=NAMES)
def test_ensure_creates_each_name_once_and_keeps_order(
    backend: Backend, user_id: int, first: list[str], second: list[str]
) -> None:
    # Names of this example only: the labels of earlier examples stay in the account.
    prefix = new_oid()[-8:]  # the counter part: differs within one second
    first, second = [prefix + n for n in first], [prefix + n for n in second]
    with backend.write(user_id) as unit:
        ids = labels.ensure(unit, first, shown=str.lower)
        more = labels.ensure(unit, second, shown=str.lower)
        live = {
            label["name"]: label["id"]
            for label in labels.live(unit.conn, user_id)
            if label["name"].startswith(prefix)
        }
    assert set(live) == set(first) | set(second)
    assert ids == [live[name] for name in dict.fromkeys(first)]
    assert more == [live[name] for name in dict.fromkeys(second)]


def test_ensure_finds_a_label_by_the_form_the_client_sees(backend: Backend, user_id: int) -> None:
    with backend.write(user_id) as unit:
        existing = labels.add(unit, name="Some Label")["id"]
        ids = labels.ensure(unit, ["some_label"], shown=lambda name: name.lower().replace(" ", "_"))
        assert ids == [existing]
        assert len(labels.live(unit.conn, unit.user_id)) == 1


# --------------------------------------------------------------------------------------------
# Checklists sent whole
# --------------------------------------------------------------------------------------------


def build(fields: Mapping[str, Any], previous: Mapping[str, Any] | None) -> dict[str, Any]:
    """A stand-in for a client family's entry codec: ``fields`` (None = keep) over previous."""
    entry = dict(previous or {"title": "", "sort_order": 0})
    entry.update({key: value for key, value in fields.items() if value is not None})
    entry["id"] = entry.get("id") or new_oid()
    return entry


ENTRY = st.fixed_dictionaries(
    {
        "id": st.sampled_from([None, "a" * 24, "b" * 24, "c" * 24]),
        "title": st.none() | st.text("xyz", max_size=3),
        "sort_order": st.none() | st.integers(-5, 5),
    }
)


@given(
    stored=st.lists(st.sampled_from(["a" * 24, "b" * 24]), unique=True),
    sent=st.lists(ENTRY, max_size=6),
)
def test_merge_checklist(stored: list[str], sent: list[dict[str, Any]]) -> None:
    current = {"checklist": [{"id": i, "title": "kept", "sort_order": 9} for i in stored]}
    merged = items.merge_checklist(current, sent, build)
    ids = [entry["id"] for entry in merged]
    assert len(ids) == len(set(ids))
    named = [e["id"] for e in sent if e["id"]]
    assert set(named) <= set(ids)
    assert len(merged) == len(dict.fromkeys(named)) + sum(1 for e in sent if not e["id"])
    for oid in set(named):
        position, last = max((p, e) for p, e in enumerate(sent) if e["id"] == oid)
        got = next(entry for entry in merged if entry["id"] == oid)
        if last["title"] is None:
            assert got["title"] == ("kept" if oid in stored else "")
        if last["sort_order"] is not None:
            assert got["sort_order"] == last["sort_order"]
        elif oid not in stored:
            assert got["sort_order"] == position  # a new entry goes where it was listed
        else:
            assert got["sort_order"] == 9


# --------------------------------------------------------------------------------------------
# Reminder offsets sent whole
# --------------------------------------------------------------------------------------------

OFFSETS = st.dictionaries(
    st.sampled_from(["1" * 24, "2" * 24, "3" * 24]),
    st.builds(
        Offset,
        st.sampled_from([0, 30, 1440, -540]),
        st.none() | st.sampled_from(["a spelling", "another spelling"]),
    ),
    max_size=3,
)


@SETTINGS
@given(rounds=st.lists(OFFSETS, min_size=1, max_size=4))
def test_replace_offsets_leaves_exactly_what_was_sent(
    backend: Backend, user_id: int, rounds: list[dict[str, Offset]]
) -> None:
    with backend.write(user_id) as unit:
        item = items.add(unit, content="r", due_at=datetime(2030, 1, 1, 9, tzinfo=UTC))
        place = reminders.add(unit, item_id=item["id"], loc_lat="1.5", loc_long="2.5")
    used: set[str] = set()
    current: dict[str, Offset] = {}
    for sent in rounds:
        # The id of a deleted reminder stays taken on its task: a removed id comes back new.
        wanted = {k if k in current or k not in used else new_oid(): v for k, v in sent.items()}
        used.update(wanted)
        current = wanted
        with backend.write(user_id) as unit:
            reminders.replace_offsets(unit, item["id"], wanted)
            found = reminders.for_item(unit.conn, user_id, item["id"])
            row = items.get(unit.conn, user_id, item["id"])
        assert reminders.offsets(row, found) == wanted
        # A location reminder has no offset: the client cannot see it, so it stays.
        assert place["id"] in {r["id"] for r in found}


def test_absolute_reminders_show_as_offsets_from_the_due_moment() -> None:
    due = datetime(2030, 1, 1, 9, tzinfo=UTC)
    item = {"due_at": due}
    found = [
        {"oid": "a", "type": "absolute", "due_at": due - timedelta(hours=1), "trigger": None},
        {"oid": "b", "type": "relative", "due_at": None, "minute_offset": 0, "trigger": None},
        {"oid": "c", "type": "location", "due_at": None, "trigger": None},
    ]
    assert reminders.offsets(item, found) == {"a": Offset(60), "b": Offset(0)}
    assert reminders.offsets({"due_at": None}, found) == {"b": Offset(0)}


def test_an_unchanged_offset_leaves_an_absolute_reminder_alone(
    backend: Backend, user_id: int
) -> None:
    """A client that sends back the offset it was shown changes nothing."""
    due = datetime(2030, 1, 1, 9, tzinfo=UTC)
    with backend.write(user_id) as unit:
        item = items.add(unit, content="a", due_at=due)
        fixed = reminders.add(unit, item_id=item["id"], due_at=due - timedelta(hours=1))
    with backend.write(user_id) as unit:
        reminders.replace_offsets(unit, item["id"], {fixed["oid"]: Offset(60)})
        after = reminders.get(unit.conn, user_id, fixed["id"])
    assert (after["type"], after["seq"]) == ("absolute", fixed["seq"])


def test_a_spelling_goes_with_its_offset(backend: Backend, user_id: int) -> None:
    """The stored ``trigger`` is a client's spelling of ``minute_offset``: it needs the
    offset, and a new offset without a spelling drops the old one."""
    with backend.write(user_id) as unit:
        item = items.add(unit, content="s", due_at=datetime(2030, 1, 1, 9, tzinfo=UTC))
        row = reminders.add(unit, item_id=item["id"], minute_offset=-540, trigger="P0DT9H")
        assert (row["minute_offset"], row["trigger"]) == (-540, "P0DT9H")
        row = reminders.update_reminder(unit, row["id"], {"minute_offset": 15})
        assert (row["minute_offset"], row["trigger"]) == (15, None)
    with pytest.raises(MissingArgument), backend.write(user_id) as unit:
        reminders.add(unit, item_id=item["id"], trigger="TRIGGER:-PT5M")
    with pytest.raises(InvalidArgument), backend.write(user_id) as unit:
        reminders.add(unit, item_id=item["id"], minute_offset=5, trigger="x" * 65)


# --------------------------------------------------------------------------------------------
# Whole-day switching
# --------------------------------------------------------------------------------------------


@SETTINGS
@given(
    zone=st.sampled_from(ZONES),
    moment=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1)),
)
def test_whole_day_on_is_the_end_of_the_local_day_and_off_keeps_it(
    backend: Backend, user_id: int, zone: str, moment: datetime
) -> None:
    due = moment.replace(tzinfo=UTC, microsecond=0)
    local = ZoneInfo(zone)
    end = datetime.combine(due.astimezone(local).date(), time(23, 59, 59), local)
    with backend.write(user_id) as unit:
        row = items.add(unit, content="d", time_zone=zone, due_at=due, all_day=True)
        assert utc(row["due_at"]) == end and row["all_day"]
        row = items.update_item(unit, row["id"], {"all_day": False})
        assert utc(row["due_at"]) == end and not row["all_day"]
        row = items.update_item(unit, row["id"], {"due_at": due, "all_day": None})
        assert utc(row["due_at"]) == due and not row["all_day"]  # None keeps the flag
        row = items.update_item(unit, row["id"], {"all_day": True})
        assert utc(row["due_at"]) == end and row["all_day"]
        row = items.update_item(unit, row["id"], {"due_at": due, "all_day": None})
        assert utc(row["due_at"]) == end and row["all_day"]


def test_whole_day_without_a_date_changes_nothing(backend: Backend, user_id: int) -> None:
    with backend.write(user_id) as unit:
        row = items.add(unit, content="undated", repeat_flag="RRULE:FREQ=DAILY")
        after = items.update_item(unit, row["id"], {"all_day": True})
    assert (after["due_at"], after["all_day"], after["date_string"]) == (
        None,
        False,
        row["date_string"],
    )


# --------------------------------------------------------------------------------------------
# Reminders and labels stamp their task
# --------------------------------------------------------------------------------------------


def test_reminder_and_label_changes_stamp_the_task(backend: Backend, user_id: int) -> None:
    due = datetime(2030, 1, 1, tzinfo=UTC)
    with backend.write(user_id) as unit:
        label = labels.add(unit, name="old")["id"]
        item = items.add(unit, content="t", labels=[label], due_at=due)
        other = items.add(unit, content="other")
    made: list[int] = []
    # (change, whether it changes the item row itself: deleting a label strips it)
    steps: list[tuple[Callable[[Any], Any], bool]] = [
        (lambda u: made.append(reminders.add(u, item_id=item["id"], minute_offset=5)["id"]), False),
        (lambda u: reminders.update_reminder(u, made[0], {"minute_offset": 10}), False),
        (lambda u: reminders.delete(u, made[0]), False),
        (lambda u: reminders.replace_offsets(u, item["id"], {new_oid(): Offset(0)}), False),
        (lambda u: labels.rename(u, label, "new"), False),
        (lambda u: labels.update_label(u, label, {"name": "newer"}), False),
        (lambda u: labels.delete(u, label), True),
    ]
    before = fetch(backend, user_id, item["id"])
    for step, row_changes in steps:
        with backend.read() as conn:
            since = changes.cursor(conn)
        with backend.write(user_id) as unit:
            step(unit)
        row = fetch(backend, user_id, item["id"])
        assert row["seq"] > before["seq"], step
        assert (row["modified_at"] != before["modified_at"]) == row_changes, step
        with backend.read() as conn:
            changed = {r["id"] for r in snapshot.tasks_changed_since(conn, user_id, since)}
        assert item["id"] in changed and other["id"] not in changed
        before = row


def test_a_label_change_that_no_task_shows_stamps_no_task(backend: Backend, user_id: int) -> None:
    with backend.write(user_id) as unit:
        label = labels.add(unit, name="plain")["id"]
        item = items.add(unit, content="t", labels=[label])
    with backend.write(user_id) as unit:
        labels.update_label(unit, label, {"color": "#112233", "item_order": 7})
    assert fetch(backend, user_id, item["id"])["seq"] == item["seq"]


def test_moving_a_sub_task_away_stamps_the_parent(backend: Backend, user_id: int) -> None:
    with backend.write(user_id) as unit:
        parent = items.add(unit, content="parent")
        child = items.add(unit, content="child", parent_id=parent["id"])
        elsewhere = projects.add(unit, name="Elsewhere")
    seen = fetch(backend, user_id, parent["id"])["seq"]
    with backend.write(user_id) as unit:
        items.update_item(unit, child["id"], {"project_id": elsewhere["id"]})
    assert fetch(backend, user_id, parent["id"])["seq"] > seen
    assert fetch(backend, user_id, child["id"])["parent_id"] is None
