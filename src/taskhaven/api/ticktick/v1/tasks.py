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

    @staticmethod
    def _moment(text: str | None, argument: str) -> datetime | None:
        """V1 sends text; naive text stays naive, wall-clock time in the task's zone."""
        if text is None:
            return None
        try:
            return dates.parse_iso(text)
        except (ValueError, OverflowError) as exc:
            raise InvalidDateArgument(argument) from exc

    def convert(self, spec: TaskFields, current: Mapping[Any, Any] | None) -> dict[str, Any]:
        # V1 has no kind on input: its text is content, else desc, whatever the kind.
        values = codes.TaskValues.sent(
            spec,
            description=codes.task_text(spec.content, spec.desc, checklist=False),
            # A start date standing in for the due date is read as the due date.
            due_date=self._moment(
                spec.due_date if spec.due_date is not None else spec.start_date, "dueDate"
            ),
            start_date=self._moment(spec.start_date, "startDate"),
        )
        out, zone = codes.task_changes(values, current, self.user["timezone"])
        if spec.items is not None:
            entries = [self._entry(item, zone) for item in spec.items]
            build = partial(codes.checklist_entry, now=self.unit.now)
            out["checklist"] = items.merge_checklist(current, entries, build)
            if spec.items and (current is None or current["kind"] == "TEXT"):
                out["kind"] = "CHECKLIST"
        return out

    def _entry(self, item: Item, zone: ZoneInfo) -> dict[str, Any]:
        return codes.checklist_changes(
            item,
            id=item.id if is_oid(item.id) else None,
            status=None if item.status is None else int(item.status),
            completed_time=self._moment(item.completed_time, "items.completedTime"),
            zone=zone,
        )

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
