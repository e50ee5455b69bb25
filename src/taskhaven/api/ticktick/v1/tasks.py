"""``task`` endpoints: read, create, update, complete, delete one task."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import RowMapping

from taskhaven.api.ticktick import codes
from taskhaven.api.ticktick.v1 import render
from taskhaven.api.ticktick.v1.errors import V1Error
from taskhaven.api.ticktick.v1.http import Call, parse
from taskhaven.api.ticktick.v1.models import CreateTask, Item, TaskFields, UpdateTask
from taskhaven.core import dates, items, projects, reminders, users
from taskhaven.core.backend import Unit
from taskhaven.core.errors import InvalidDateArgument, NotFound
from taskhaven.core.ids import is_oid, new_oid
from taskhaven.core.reminders import Offset


def _task(
    unit_or_conn: Any, user_id: int, project_ref: str, task_id: str, *, live: bool = True
) -> RowMapping:
    """The user's task ``task_id`` in project ``project_ref``; not found otherwise."""
    conn = unit_or_conn.conn if isinstance(unit_or_conn, Unit) else unit_or_conn
    project = projects.by_ref(conn, user_id, project_ref)
    if not is_oid(task_id):
        raise NotFound("task")
    row = items.by_oid(conn, user_id, task_id, live=live)
    if row["project_id"] != project["id"]:
        raise NotFound("task")
    return row


def _render(conn: Any, user_id: int, row: RowMapping) -> dict[str, Any]:
    return render.tasks(conn, users.get(conn, user_id), [row])[0]


class Fields:
    """V1 task fields into core item fields (merge: None keeps the stored value)."""

    def __init__(self, unit: Unit, user: RowMapping) -> None:
        self.unit = unit
        self.user = user

    def _zone(self, spec: TaskFields, current: Mapping[Any, Any] | None) -> ZoneInfo:
        name = spec.time_zone or (current["time_zone"] if current else None)
        return ZoneInfo(name or self.user["timezone"] or "UTC")

    @staticmethod
    def _moment(text: str, zone: ZoneInfo, argument: str) -> datetime:
        """Naive text is wall-clock time in the task's zone (spec §5 #6)."""
        try:
            return dates.to_utc(dates.parse_iso(text), zone)
        except (ValueError, OverflowError) as exc:
            raise InvalidDateArgument(argument) from exc

    def convert(self, spec: TaskFields, current: Mapping[Any, Any] | None) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if spec.title is not None or current is None:
            out["content"] = spec.title or ""
        text = spec.content if spec.content is not None else spec.desc
        if text is not None:
            out["description"] = text
        if spec.time_zone is not None:
            out["time_zone"] = codes.check_time_zone(spec.time_zone)
        zone = self._zone(spec, current)
        due = spec.due_date if spec.due_date is not None else spec.start_date
        if due is not None:
            out["due_at"] = self._moment(due, zone, "dueDate")
        if due is not None or spec.is_all_day is not None:
            out["all_day"] = spec.is_all_day  # core: None keeps the stored flag
        if spec.start_date is not None:
            out["start_at"] = self._moment(spec.start_date, zone, "startDate")
        if spec.repeat_flag is not None:
            out["repeat_flag"] = codes.check_repeat_flag(spec.repeat_flag)
        if spec.priority is not None:
            out["priority"] = codes.priority_from_ticktick(spec.priority)
        if spec.sort_order is not None:
            out["item_order"] = spec.sort_order
        if spec.items is not None:
            entries = [self._entry(item, zone) for item in spec.items]
            build = partial(codes.checklist_entry, now=self.unit.now)
            out["checklist"] = items.merge_checklist(current, entries, build)
            if spec.items and (current is None or current["kind"] == "TEXT"):
                out["kind"] = "CHECKLIST"
        return out

    def _entry(self, item: Item, zone: ZoneInfo) -> dict[str, Any]:
        completed = (
            self._moment(item.completed_time, zone, "items.completedTime")
            if item.completed_time is not None
            else None
        )
        return {
            "id": item.id if is_oid(item.id) else None,
            "title": item.title,
            "status": None if item.status is None else int(item.status),
            "sort_order": item.sort_order,
            "start_date": item.start_date,
            "is_all_day": item.is_all_day,
            "time_zone": item.time_zone,
            "completed_at": completed,
        }

    def set_reminders(self, item_id: int, wanted: list[str]) -> None:
        """The task's triggers become exactly ``wanted`` (V1 sends them all, without ids):
        a trigger the task already has keeps its reminder's id."""
        conn, user_id = self.unit.conn, self.unit.user_id
        item = items.get(conn, user_id, item_id)
        shown = codes.task_triggers(item, reminders.for_item(conn, user_id, item_id))
        by_trigger: dict[str, str] = {}
        for oid, trigger in shown.items():
            by_trigger.setdefault(trigger, oid)
        keep: dict[str, Offset] = {}
        for trigger in dict.fromkeys(t.strip() for t in wanted):
            keep[by_trigger.get(trigger) or new_oid()] = codes.trigger_offset(trigger)
        reminders.replace_offsets(self.unit, item_id, keep)


def get_task(call: Call) -> Any:
    """A task; a deleted one still answers, with ``deleted: 1`` (spec §5 #4)."""
    with call.backend.read() as conn:
        row = _task(
            conn, call.user_id, call.params["project_id"], call.params["task_id"], live=False
        )
        return _render(conn, call.user_id, row)


def _write(
    unit: Unit, spec: TaskFields, oid: str, current: RowMapping | None, project_ref: str | None
) -> dict[str, Any]:
    """Add the task under ``oid`` or, when the user has a live task with it, update that."""
    user = users.get(unit.conn, unit.user_id)
    fields = Fields(unit, user)
    changes = fields.convert(spec, current)
    if project_ref is not None or current is None:
        changes["project_id"] = projects.by_ref(unit.conn, unit.user_id, project_ref)["id"]
    row = items.upsert_by_oid(unit, oid, changes)
    if spec.reminders is not None:
        fields.set_reminders(row["id"], spec.reminders)
    return _render(unit.conn, unit.user_id, items.get(unit.conn, unit.user_id, row["id"]))


def create_task(call: Call) -> Any:
    """A well-formed unused ``id`` is kept; the id of one of the user's live tasks updates
    that task (a retried create does not fail)."""
    spec = parse(CreateTask, call.body)
    oid = spec.id if spec.id is not None and is_oid(spec.id) else new_oid()
    with call.backend.write(call.user_id) as unit:
        current = items.find_by_oid(unit.conn, call.user_id, oid)
        return _write(unit, spec, oid, current, spec.project_id)


def update_task(call: Call) -> Any:
    """Merge: a null field keeps the stored value (spec §5 #2). A ``projectId`` other than
    the task's moves it there."""
    spec = parse(UpdateTask, call.body)
    task_id = call.params["task_id"]
    if spec.id is not None and spec.id != task_id:
        raise V1Error(400, "invalid_parameter", "The id in the body is not the id in the path")
    if not is_oid(task_id):
        raise NotFound("task")
    with call.backend.write(call.user_id) as unit:
        current = items.by_oid(unit.conn, call.user_id, task_id)
        return _write(unit, spec, task_id, current, spec.project_id)


def complete_task(call: Call) -> None:
    """What the apps do on tap: a recurring task moves to its next date."""
    with call.backend.write(call.user_id) as unit:
        row = _task(unit, call.user_id, call.params["project_id"], call.params["task_id"])
        items.close(unit, row["id"])


def delete_task(call: Call) -> None:
    with call.backend.write(call.user_id) as unit:
        row = _task(unit, call.user_id, call.params["project_id"], call.params["task_id"])
        items.delete(unit, row["id"])
