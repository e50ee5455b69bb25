"""The V2 batch writes: ``batch/project``, ``batch/projectGroup``, ``batch/task`` and
``batch/taskParent``.

One request is one write transaction; each object runs in its own savepoint, so a failing
object rolls back only itself and is reported in ``id2error`` under its id, while the others
go on in order (adds, then updates, then deletes). ``id2etag`` holds the new etag of every
object added or updated; deletes add nothing to it.

Update semantics (spec §5 row 1): a null field keeps the stored value, any other value
replaces it; lists (``tags``, ``items``, ``reminders``) are replaced as a whole, so ``[]``
clears. An add whose id is already one of the caller's live objects is applied as an update,
so a client retrying a request that did reach the server does not see it fail.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from functools import partial
from typing import Any, Protocol, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import RowMapping
from starlette.requests import Request
from starlette.routing import BaseRoute, Route

from taskhaven.api.ticktick import codes as mapping
from taskhaven.api.ticktick.v2 import render
from taskhaven.api.ticktick.v2.auth import current_user
from taskhaven.api.ticktick.v2.errors import batch_code
from taskhaven.api.ticktick.v2.http import endpoint, parse
from taskhaven.api.ticktick.v2.models import (
    GroupAdd,
    GroupBatch,
    GroupUpdate,
    ProjectAdd,
    ProjectBatch,
    ProjectUpdate,
    Reminder,
    TaskAdd,
    TaskBatch,
    TaskFields,
    TaskParentBatch,
    TaskParentChange,
    TaskUpdate,
)
from taskhaven.core import (
    dates,
    groups,
    hierarchy,
    items,
    labels,
    projects,
    reminders,
    snapshot,
)
from taskhaven.core.backend import Backend, Unit
from taskhaven.core.errors import DomainError, InvalidDateArgument, NotFound
from taskhaven.core.ids import inbox_oid, new_oid
from taskhaven.store.schema import items as items_table
from taskhaven.store.schema import labels as labels_table

# --- the per-object frame ---------------------------------------------------------------------


class _Added(Protocol):
    @property
    def id(self) -> str | None: ...


class _Updated(Protocol):
    @property
    def id(self) -> str: ...


A = TypeVar("A", bound=_Added)
U = TypeVar("U", bound=_Updated)


class Outcome:
    """``id2etag``/``id2error`` of one batch, filled object by object."""

    def __init__(self, unit: Unit, on_error: Callable[[], None] | None = None) -> None:
        self.unit = unit
        self.id2etag: dict[str, Any] = {}
        self.id2error: dict[str, str] = {}
        self._on_error = on_error

    def run(self, oid: str, action: Callable[[], Any]) -> None:
        """Run ``action`` in a savepoint; its result (None for deletes) is the etag entry."""
        try:
            with self.unit.savepoint():
                result = action()
        except DomainError as exc:
            self.id2etag.pop(oid, None)
            self.id2error[oid] = batch_code(exc)
            if self._on_error is not None:
                self._on_error()  # caches may hold rows the savepoint just rolled back
            return
        self.id2error.pop(oid, None)
        if result is not None:
            self.id2etag[oid] = result

    def run_all(
        self,
        adds: Sequence[A] | None,
        add: Callable[[A, str], str],
        updates: Sequence[U] | None,
        update: Callable[[U], str],
        deletes: Sequence[str],
        delete: Callable[[str], None],
    ) -> None:
        """Adds (under the client's id, else a new one), then updates, then deletes, each
        in the order sent and each on its own (``run``)."""
        for spec in adds or []:
            oid = spec.id or new_oid()
            self.run(oid, partial(add, spec, oid))
        for change in updates or []:
            self.run(change.id, partial(update, change))
        for oid in deletes:
            self.run(oid, partial(delete, oid))

    def answer(self) -> dict[str, Any]:
        return {"id2etag": self.id2etag, "id2error": self.id2error}


def _existing(finder: Callable[[], RowMapping], oid: str | None) -> RowMapping | None:
    """The caller's live object with a client-chosen id, if there is one."""
    if oid is None:
        return None
    try:
        return finder()
    except NotFound:
        return None


# --- projects ---------------------------------------------------------------------------------


def _project_changes(unit: Unit, spec: ProjectAdd, *, group: Any) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if spec.name is not None:
        changes["name"] = spec.name
    if spec.color is not None:
        changes["color"] = mapping.normalise_color(spec.color)
    if group == "NONE":
        changes["group_id"] = None
    elif group is not None:
        changes["group_id"] = groups.by_oid(unit.conn, unit.user_id, group)["id"]
    if spec.kind is not None:
        changes["kind"] = spec.kind
    if spec.view_mode is not None:
        changes["view_mode"] = spec.view_mode
    if spec.sort_order is not None:
        changes["item_order"] = spec.sort_order
    if spec.muted is not None:
        changes["muted"] = spec.muted
    return changes


def _archive(unit: Unit, row: RowMapping, closed: bool | None) -> None:
    if closed is not None and bool(row["is_archived"]) != closed:
        projects.set_archived(unit, row["id"], closed)


def _update_project(unit: Unit, row: RowMapping, spec: ProjectAdd) -> str:
    changes = _project_changes(unit, spec, group=spec.group_id)
    projects.update_project(unit, row["id"], changes)
    _archive(unit, row, spec.closed)
    return mapping.etag(projects.get(unit.conn, unit.user_id, row["id"])["seq"])


def _add_project(unit: Unit, spec: ProjectAdd, oid: str) -> str:
    row = _existing(lambda: projects.by_oid(unit.conn, unit.user_id, oid), spec.id)
    if row is not None:
        return _update_project(unit, row, spec)
    changes = _project_changes(unit, spec, group=spec.group_id)
    row = projects.add(
        unit,
        name=changes.get("name"),
        color=changes.get("color"),
        item_order=changes.get("item_order"),
        oid=oid,
        group_id=changes.get("group_id"),
        kind=changes.get("kind"),
        view_mode=changes.get("view_mode"),
    )
    if spec.muted:
        row = projects.update_project(unit, row["id"], {"muted": True})
    _archive(unit, row, spec.closed)
    return mapping.etag(projects.get(unit.conn, unit.user_id, row["id"])["seq"])


def _update_project_by_oid(unit: Unit, spec: ProjectUpdate) -> str:
    return _update_project(unit, projects.by_oid(unit.conn, unit.user_id, spec.id), spec)


def _delete_project(unit: Unit, oid: str) -> None:
    projects.delete(unit, projects.by_oid(unit.conn, unit.user_id, oid)["id"])


def batch_project(backend: Backend, request: Request, body: Any) -> Any:
    user = current_user(backend, request)
    batch = parse(ProjectBatch, body)
    with backend.write(user["id"]) as unit:
        out = Outcome(unit)
        out.run_all(
            batch.add,
            partial(_add_project, unit),
            batch.update,
            partial(_update_project_by_oid, unit),
            batch.delete or [],
            partial(_delete_project, unit),
        )
    return out.answer()


# --- project groups ---------------------------------------------------------------------------


def _group_changes(spec: GroupAdd) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if spec.name is not None:
        changes["name"] = spec.name
    if spec.sort_order is not None:
        changes["sort_order"] = spec.sort_order
    if spec.view_mode is not None:
        changes["view_mode"] = spec.view_mode
    if spec.show_all is not None:
        changes["show_all"] = spec.show_all
    return changes


def _update_group(unit: Unit, row: RowMapping, spec: GroupAdd) -> str:
    return mapping.etag(groups.update_group(unit, row["id"], _group_changes(spec))["seq"])


def _add_group(unit: Unit, spec: GroupAdd, oid: str) -> str:
    row = _existing(lambda: groups.by_oid(unit.conn, unit.user_id, oid), spec.id)
    if row is not None:
        return _update_group(unit, row, spec)
    changes = _group_changes(spec)
    row = groups.add(
        unit,
        name=changes.get("name"),
        oid=oid,
        sort_order=changes.get("sort_order"),
        view_mode=changes.get("view_mode"),
        show_all=changes.get("show_all", True),
    )
    return mapping.etag(row["seq"])


def _update_group_by_oid(unit: Unit, spec: GroupUpdate) -> str:
    return _update_group(unit, groups.by_oid(unit.conn, unit.user_id, spec.id), spec)


def _delete_group(unit: Unit, oid: str) -> None:
    groups.delete(unit, groups.by_oid(unit.conn, unit.user_id, oid)["id"])


def batch_group(backend: Backend, request: Request, body: Any) -> Any:
    user = current_user(backend, request)
    batch = parse(GroupBatch, body)
    with backend.write(user["id"]) as unit:
        out = Outcome(unit)
        out.run_all(
            batch.add,
            partial(_add_group, unit),
            batch.update,
            partial(_update_group_by_oid, unit),
            batch.delete or [],
            partial(_delete_group, unit),
        )
    return out.answer()


# --- tasks ------------------------------------------------------------------------------------


def _entry_order(given: int | None, previous: Mapping[str, Any] | None, position: int) -> Any:
    """A new checklist entry without an order goes where it was listed."""
    if given is not None or previous is not None:
        return given
    return position


def task_etag(unit: Unit, row: Mapping[Any, Any]) -> str:
    """The etag batch/check shows: a task's reminders are part of it (render.task)."""
    seqs = snapshot.reminder_seqs(unit.conn, unit.user_id, [row["id"]])
    return mapping.etag(max(row["seq"], seqs.get(row["id"], 0)))


class TaskWriter:
    """Turns V2 task objects into core item calls for one batch."""

    def __init__(self, unit: Unit, user: RowMapping) -> None:
        self.unit = unit
        self.user = user
        self._tags: dict[str, int] | None = None

    @property
    def conn(self) -> Any:
        return self.unit.conn

    def forget(self) -> None:
        """Drop cached lookups (after a savepoint rolled back rows they may name)."""
        self._tags = None

    # -- lookups

    def project(self, ref: str | None) -> RowMapping:
        user_id = self.unit.user_id
        if ref is None or ref == inbox_oid(user_id):
            return projects.inbox(self.conn, user_id)
        if ref.startswith("inbox"):
            raise NotFound("project")  # someone else's inbox
        return projects.by_oid(self.conn, user_id, ref)

    def label_ids(self, tags: Sequence[str]) -> list[int]:
        """Label ids for tag names; a tag nobody created yet is created (spec §5 row 11)."""
        if self._tags is None:
            self._tags = {}
            for row in snapshot.live_rows(self.conn, labels_table, self.unit.user_id):
                self._tags.setdefault(mapping.tag_name_from_label_name(row["name"]), row["id"])
        found: list[int] = []
        for raw in tags:
            name = mapping.tag_name(mapping.check_tag_label(raw, "tags"))
            label_id = self._tags.get(name)
            if label_id is None:
                label_id = labels.add(self.unit, name=name)["id"]
                self._tags[name] = label_id
            if label_id not in found:
                found.append(label_id)
        return found

    # -- field translation

    def _zone(self, spec: TaskFields, current: Mapping[Any, Any] | None) -> ZoneInfo:
        name = spec.time_zone or (current["time_zone"] if current else None)
        return ZoneInfo(name or self.user["timezone"] or "UTC")

    def _utc(self, moment: datetime, zone: ZoneInfo, argument: str) -> datetime:
        """Naive moments are wall-clock time in the task's zone (spec §5 row 6)."""
        try:
            return dates.to_utc(moment, zone)
        except (ValueError, OverflowError) as exc:
            raise InvalidDateArgument(argument) from exc

    def fields(self, spec: TaskFields, current: Mapping[Any, Any] | None) -> dict[str, Any]:
        """Core item fields for what the client sent (merge: null keeps the stored value)."""
        out: dict[str, Any] = {}
        if spec.title is not None or current is None:
            out["content"] = spec.title or ""
        if spec.kind is not None:
            out["kind"] = spec.kind
        kind = spec.kind or (current["kind"] if current else "TEXT")
        # CHECKLIST tasks keep their text in desc, the others in content; one core field.
        first, second = (
            (spec.desc, spec.content) if kind == "CHECKLIST" else (spec.content, spec.desc)
        )
        text = first if first is not None else second
        if text is not None:
            out["description"] = text
        if spec.time_zone is not None:
            out["time_zone"] = mapping.check_time_zone(spec.time_zone)
        zone = self._zone(spec, current)
        out.update(self._dates(spec, current, zone))
        if spec.is_floating is not None:
            out["is_floating"] = spec.is_floating
        if spec.repeat_flag is not None:
            out["repeat_flag"] = mapping.check_repeat_flag(spec.repeat_flag)
        if spec.repeat_from is not None:
            out["repeat_from"] = spec.repeat_from
        if spec.priority is not None:
            out["priority"] = mapping.priority_from_ticktick(spec.priority)
        if spec.progress is not None:
            out["progress"] = spec.progress
        if spec.sort_order is not None:
            out["item_order"] = spec.sort_order
        if spec.status is not None:
            out["status"] = spec.status
        if spec.completed_time is not None:
            # Used when closing, or to correct a closed task's time; reopening clears it.
            out["completed_at"] = self._utc(spec.completed_time, zone, "completedTime")
        if spec.tags is not None:
            out["labels"] = self.label_ids(spec.tags)
        if spec.items is not None:
            out["checklist"] = self._checklist(spec, current, zone)
        return out

    def _dates(
        self, spec: TaskFields, current: Mapping[Any, Any] | None, zone: ZoneInfo
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        stored_all_day = bool(current["all_day"]) if current else False
        all_day = spec.is_all_day if spec.is_all_day is not None else stored_all_day
        due = spec.due_date if spec.due_date is not None else spec.start_date
        try:
            if due is not None:
                moment = self._utc(due, zone, "dueDate")
                out["due_at"] = mapping.whole_day_to_core(moment, zone) if all_day else moment
                out["all_day"] = all_day
            elif spec.is_all_day is not None and current and current["due_at"] is not None:
                if spec.is_all_day != stored_all_day:
                    moment = current["due_at"]
                    if spec.is_all_day:
                        moment = mapping.whole_day_to_core(moment, zone)
                    out["due_at"] = moment
                out["all_day"] = spec.is_all_day
        except OverflowError as exc:
            raise InvalidDateArgument("dueDate") from exc
        if spec.start_date is not None:
            out["start_at"] = self._utc(spec.start_date, zone, "startDate")
        return out

    def _checklist(
        self, spec: TaskFields, current: Mapping[Any, Any] | None, zone: ZoneInfo
    ) -> list[dict[str, Any]]:
        previous = {
            entry["id"]: entry
            for entry in (current["checklist"] if current else None) or []
            if isinstance(entry, dict) and isinstance(entry.get("id"), str)
        }
        result: dict[str, dict[str, Any]] = {}
        for position, item in enumerate(spec.items or []):
            prev = previous.get(item.id) if item.id else None
            completed = (
                self._utc(item.completed_time, zone, "items.completedTime")
                if item.completed_time is not None
                else None
            )
            entry = mapping.checklist_entry(
                {
                    "id": item.id,
                    "title": item.title,
                    "status": item.status,
                    "sort_order": _entry_order(item.sort_order, prev, position),
                    "start_date": item.start_date,
                    "is_all_day": item.is_all_day,
                    "time_zone": item.time_zone,
                    "completed_at": completed,
                },
                prev,
                self.unit.now,
            )
            result[entry["id"]] = entry  # a repeated id: the later entry wins
        return list(result.values())

    def set_reminders(self, item_id: int, wanted: Sequence[Reminder]) -> None:
        """Make the task's V2-visible reminders exactly ``wanted`` (matched by id).

        Location reminders have no V2 form: a V2 client never sees them, so it cannot mean
        to remove them, and they are kept.
        """
        item = items.get(self.conn, self.unit.user_id, item_id)
        existing = reminders.for_item(self.conn, self.unit.user_id, item_id)
        by_oid = {row["oid"]: row for row in existing}
        seen = {r["id"]: r["trigger"] for r in render.reminder_list(item, existing)}
        kept: set[str] = set()
        for reminder in {r.id or new_oid(): r for r in wanted}.items():
            oid, spec = reminder
            trigger = spec.trigger.strip()
            row = by_oid.get(oid)
            if row is None:
                reminders.add(
                    self.unit,
                    item_id=item_id,
                    type="relative",
                    trigger=trigger,
                    oid=oid,
                    require_due=False,
                )
                continue
            kept.add(oid)
            if seen.get(oid) != trigger:
                reminders.update_reminder(
                    self.unit,
                    row["id"],
                    {"type": "relative", "trigger": trigger},
                    require_due=False,
                )
        for row in existing:
            if row["oid"] in seen and row["oid"] not in kept:
                reminders.delete(self.unit, row["id"])

    def etag(self, item_id: int) -> str:
        return task_etag(self.unit, items.get(self.conn, self.unit.user_id, item_id))

    # -- the three operations

    def add(self, spec: TaskAdd, oid: str) -> str:
        row = _existing(lambda: items.by_oid(self.conn, self.unit.user_id, oid), spec.id)
        if row is not None:
            return self.update(row, spec)
        project = self.project(spec.project_id)
        fields = self.fields(spec, None)
        content = fields.pop("content")
        row = items.add(self.unit, content=content, project_id=project["id"], oid=oid, **fields)
        if spec.parent_id is not None:
            parent = items.by_oid(self.conn, self.unit.user_id, spec.parent_id)
            hierarchy.set_parent(self.unit, row["id"], parent["id"])
        if spec.reminders:
            self.set_reminders(row["id"], spec.reminders)
        return self.etag(row["id"])

    def update(self, row: RowMapping, spec: TaskFields) -> str:
        changes = self.fields(spec, row)
        if spec.project_id is not None:
            target = self.project(spec.project_id)
            if target["id"] != row["project_id"]:
                changes["project_id"] = target["id"]
                # The parent stays behind; unsetting first stamps it, so incremental
                # readers learn that its list of sub-tasks changed.
                hierarchy.unset_parent(self.unit, row["id"])
        items.update_item(self.unit, row["id"], changes)
        if spec.reminders is not None:
            self.set_reminders(row["id"], spec.reminders)
        return self.etag(row["id"])

    def update_by_oid(self, spec: TaskUpdate) -> str:
        return self.update(items.by_oid(self.conn, self.unit.user_id, spec.id), spec)

    def delete(self, oid: str) -> None:
        items.delete(self.unit, items.by_oid(self.conn, self.unit.user_id, oid)["id"])


def batch_task(backend: Backend, request: Request, body: Any) -> Any:
    user = current_user(backend, request)
    batch = parse(TaskBatch, body)
    with backend.write(user["id"]) as unit:
        writer = TaskWriter(unit, user)
        out = Outcome(unit, on_error=writer.forget)
        out.run_all(
            batch.add,
            writer.add,
            batch.update,
            writer.update_by_oid,
            [gone.task_id for gone in batch.delete or []],
            writer.delete,
        )
    return out.answer()


# --- sub-tasks --------------------------------------------------------------------------------


def _parent_change(unit: Unit, change: TaskParentChange, touched: dict[int, bool]) -> None:
    """Apply one set/unset; ``touched`` records each task and whether it was a parent."""
    child = items.by_oid(unit.conn, unit.user_id, change.task_id)
    if change.parent_id is not None:
        parent = items.by_oid(unit.conn, unit.user_id, change.parent_id)
        hierarchy.set_parent(unit, child["id"], parent["id"])
        touched.setdefault(child["id"], False)
        touched[parent["id"]] = True
        return
    old = hierarchy.unset_parent(unit, child["id"])
    touched.setdefault(child["id"], False)
    if old is None and change.old_parent_id is not None:
        found = _existing(
            lambda: items.by_oid(unit.conn, unit.user_id, change.old_parent_id or ""),
            change.old_parent_id,
        )
        old = found["id"] if found is not None else None
    if old is not None:
        touched[old] = True


def batch_task_parent(backend: Backend, request: Request, body: Any) -> Any:
    """Answers, per task touched (child and parent), ``{id, parentId, childIds, etag}``."""
    user = current_user(backend, request)
    changes = parse(TaskParentBatch, body)
    with backend.write(user["id"]) as unit:
        touched: dict[int, bool] = {}
        out = Outcome(unit)
        for change in changes:
            out.run(change.task_id, partial(_parent_change, unit, change, touched))
        id2etag: dict[str, Any] = {}
        for item_id, as_parent in touched.items():
            row = items.get(unit.conn, unit.user_id, item_id, live=False)
            kids = hierarchy.child_oids(unit.conn, unit.user_id, [item_id]).get(item_id, [])
            parent = row["parent_id"]
            id2etag[row["oid"]] = {
                "id": row["oid"],
                "parentId": (
                    snapshot.oids(unit.conn, items_table, unit.user_id, [parent]).get(parent)
                    if parent is not None
                    else None
                ),
                "childIds": kids if kids or as_parent else None,
                "etag": task_etag(unit, row),
            }
    return {"id2etag": id2etag, "id2error": out.id2error}


def routes(prefix: str) -> list[BaseRoute]:
    return [
        Route(prefix + "/batch/project", endpoint(batch_project, body=True), methods=["POST"]),
        Route(prefix + "/batch/projectGroup", endpoint(batch_group, body=True), methods=["POST"]),
        Route(prefix + "/batch/task", endpoint(batch_task, body=True), methods=["POST"]),
        Route(
            prefix + "/batch/taskParent", endpoint(batch_task_parent, body=True), methods=["POST"]
        ),
    ]
