"""The V2 batch writes: ``batch/project``, ``batch/projectGroup``, ``batch/task`` and
``batch/taskParent``.

One request is one write transaction; each object runs in its own savepoint, so a failing
object rolls back only itself and is reported in ``id2error`` under its id, while the others
go on in order (adds, then updates, then deletes). ``id2etag`` holds the new etag of every
object added or updated; deletes add nothing to it.

Update semantics (spec §5 row 1): a null field keeps the stored value, any other value
replaces it; lists (``tags``, ``items``, ``reminders``) are replaced as a whole, so ``[]``
clears. An add whose id is already one of the caller's live objects is applied as an update
(core ``upsert_by_oid``), so a client retrying a request that did reach the server does not
see it fail.

The three object batches share one driver (``_batch``); each kind has a writer that only
translates: wire names and TickTick codes in, core calls, etags out. A task's etag is its
``seq``: core stamps the task when one of its reminders changes or one of its tags is
renamed, and a parent when a sub-task comes or goes through core/hierarchy.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any, Protocol, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import RowMapping
from starlette.requests import Request
from starlette.routing import BaseRoute, Route

from taskhaven.api.ticktick import codes as mapping
from taskhaven.api.ticktick.codes import bounds
from taskhaven.api.ticktick.v2.auth import current_user
from taskhaven.api.ticktick.v2.errors import batch_code
from taskhaven.api.ticktick.v2.http import endpoint, parse
from taskhaven.api.ticktick.v2.models import (
    ChecklistItem,
    GroupAdd,
    GroupBatch,
    ProjectAdd,
    ProjectBatch,
    TaskAdd,
    TaskBatch,
    TaskFields,
    TaskParentBatch,
    TaskParentChange,
    TaskUpdate,
)
from taskhaven.core import (
    groups,
    hierarchy,
    items,
    labels,
    projects,
    reminders,
    sharing,
    snapshot,
)
from taskhaven.core.backend import Backend, Unit
from taskhaven.core.errors import DomainError
from taskhaven.core.ids import new_oid

# --- the driver -------------------------------------------------------------------------------


class _Added(Protocol):
    @property
    def id(self) -> str | None: ...


class _Updated(Protocol):
    @property
    def id(self) -> str: ...


A = TypeVar("A", bound=_Added)
U = TypeVar("U", bound=_Updated)
B = TypeVar("B")

# A task's ``assignee`` when nobody is responsible for it, as TickTick's clients send it.
UNASSIGNED = -1


class Outcome:
    """``id2etag``/``id2error`` of one batch, filled object by object."""

    def __init__(self, unit: Unit) -> None:
        self.unit = unit
        self.id2etag: dict[str, Any] = {}
        self.id2error: dict[str, str] = {}

    def run(self, oid: str, action: Callable[[], Any]) -> None:
        """Run ``action`` in a savepoint; its result (None for deletes) is the etag entry."""
        try:
            with self.unit.savepoint():
                result = action()
        except DomainError as exc:
            self.id2etag.pop(oid, None)
            self.id2error[oid] = batch_code(exc)
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
            self.run(oid, partial(_bounded, spec, partial(add, spec, oid)))
        for change in updates or []:
            self.run(change.id, partial(_bounded, change, partial(update, change)))
        for oid in deletes:
            self.run(oid, partial(delete, oid))

    def answer(self) -> dict[str, Any]:
        return {"id2etag": self.id2etag, "id2error": self.id2error}


def _bounded(spec: Any, action: Callable[[], Any]) -> Any:
    """Each object's text fits its bound before core sees it (``codes/bounds.py``)."""
    bounds.check_object(spec)
    return action()


class Writer(Protocol):
    """What one kind's writer does for the driver; add and update return the new etag."""

    def add(self, spec: Any, oid: str) -> str: ...

    def update(self, spec: Any) -> str: ...

    def delete(self, oid: str) -> None: ...


def _batch(
    model: type[B],
    writer: Callable[[Unit, RowMapping], Writer],
    deletes: Callable[[B], Sequence[str]],
) -> Callable[[Backend, Request, Any], Any]:
    """The endpoint of one kind's batch: adds, updates and deletes in one transaction."""

    def handler(backend: Backend, request: Request, body: Any) -> Any:
        user = current_user(backend, request)
        batch: Any = parse(model, body)
        with backend.write(user["id"]) as unit:
            write = writer(unit, user)
            out = Outcome(unit)
            out.run_all(
                batch.add, write.add, batch.update, write.update, deletes(batch), write.delete
            )
        return out.answer()

    return handler


def _given(**fields: Any) -> dict[str, Any]:
    """The fields a client sent, in order (a null keeps the stored value)."""
    return {key: value for key, value in fields.items() if value is not None}


class _ByOid:
    """Updates and deletes of a kind whose core module looks rows up by string id."""

    def __init__(self, unit: Unit, _user: RowMapping) -> None:
        self.unit = unit

    def find(self, oid: str) -> RowMapping:
        raise NotImplementedError

    def add(self, spec: Any, oid: str) -> str:
        raise NotImplementedError

    def update(self, spec: Any) -> str:
        self.find(spec.id)  # an update needs the object; an add under its id would create it
        return self.add(spec, spec.id)


# --- projects ---------------------------------------------------------------------------------


class ProjectWriter(_ByOid):
    def find(self, oid: str) -> RowMapping:
        return projects.by_oid(self.unit.conn, self.unit.user_id, oid)

    def _changes(self, spec: ProjectAdd) -> dict[str, Any]:
        changes = mapping.project_changes(spec, muted=spec.muted)  # color "" clears it
        if spec.group_id == "NONE":
            changes["group_id"] = None
        elif spec.group_id is not None:
            group = groups.by_oid(self.unit.conn, self.unit.user_id, spec.group_id)
            changes["group_id"] = group["id"]
        return changes

    def add(self, spec: ProjectAdd, oid: str) -> str:
        row = projects.upsert_by_oid(self.unit, oid, self._changes(spec))
        if spec.closed is not None and bool(row["is_archived"]) != spec.closed:
            projects.set_archived(self.unit, row["id"], spec.closed)
        return mapping.etag(projects.get(self.unit.conn, self.unit.user_id, row["id"])["seq"])

    def delete(self, oid: str) -> None:
        sharing.delete_project(self.unit, self.find(oid)["id"])  # a member leaves it


# --- project groups ---------------------------------------------------------------------------


class GroupWriter(_ByOid):
    def find(self, oid: str) -> RowMapping:
        return groups.by_oid(self.unit.conn, self.unit.user_id, oid)

    def add(self, spec: GroupAdd, oid: str) -> str:
        changes = _given(
            name=spec.name,
            sort_order=spec.sort_order,
            view_mode=spec.view_mode,
            show_all=spec.show_all,
        )
        return mapping.etag(groups.upsert_by_oid(self.unit, oid, changes)["seq"])

    def delete(self, oid: str) -> None:
        groups.delete(self.unit, self.find(oid)["id"])


# --- tasks ------------------------------------------------------------------------------------


class TaskWriter:
    """V2 task objects to core item calls: wire names and TickTick codes in, etags out."""

    def __init__(self, unit: Unit, user: RowMapping) -> None:
        self.unit = unit
        self.user = user

    def fields(self, spec: TaskFields, current: Mapping[Any, Any] | None) -> dict[str, Any]:
        """Core item fields for what the client sent (merge: null keeps the stored value)."""
        kind = spec.kind or (current["kind"] if current else "TEXT")
        text = mapping.task_text(spec.content, spec.desc, checklist=kind == "CHECKLIST")
        values = mapping.TaskValues.sent(spec, description=text)
        out, zone = mapping.task_changes(values, current, self.user["timezone"])
        if spec.assignee is not None:
            # A member of the task's project assigns it (docs/sharing.md); TickTick's -1
            # ("nobody") unassigns. null keeps the stored one, as for every task key: clients
            # that send whole tasks (pyticktick sends ``assignee: null`` when unset) must not
            # unassign a task by editing its title.
            out["responsible_uid"] = None if spec.assignee == UNASSIGNED else spec.assignee
        if spec.tags is not None:
            names = [mapping.tag_name(mapping.check_tag_label(raw, "tags")) for raw in spec.tags]
            out["labels"] = labels.ensure(self.unit, names, shown=mapping.tag_name_from_label_name)
        if spec.items is not None:
            entries = [self._entry(item, zone) for item in spec.items]
            build = partial(mapping.checklist_entry, now=self.unit.now)
            out["checklist"] = items.merge_checklist(current, entries, build)
        return out

    @staticmethod
    def _entry(item: ChecklistItem, zone: ZoneInfo) -> dict[str, Any]:
        return mapping.checklist_changes(
            item, id=item.id, status=item.status, completed_time=item.completed_time, zone=zone
        )

    def _write(
        self, spec: TaskFields, oid: str, current: RowMapping | None, parent: str | None
    ) -> str:
        conn, user_id = self.unit.conn, self.unit.user_id
        changes = self.fields(spec, current)
        if spec.project_id is not None or current is None:
            changes["project_id"] = projects.by_ref(conn, user_id, spec.project_id)["id"]
        if parent is not None:
            changes["parent_id"] = items.by_oid(conn, user_id, parent)["id"]
        row = items.upsert_by_oid(self.unit, oid, changes)
        if spec.reminders is not None:
            wanted = {r.id or new_oid(): mapping.trigger_offset(r.trigger) for r in spec.reminders}
            reminders.replace_offsets(self.unit, row["id"], wanted)
        return mapping.etag(items.get(conn, user_id, row["id"])["seq"])

    def add(self, spec: TaskAdd, oid: str) -> str:
        current = items.find_by_oid(self.unit.conn, self.unit.user_id, spec.id)
        # The parent is only taken by a real add; an add that updates keeps the tree.
        return self._write(spec, oid, current, spec.parent_id if current is None else None)

    def update(self, spec: TaskUpdate) -> str:
        current = items.by_oid(self.unit.conn, self.unit.user_id, spec.id)
        return self._write(spec, spec.id, current, None)

    def delete(self, oid: str) -> None:
        items.delete(self.unit, items.by_oid(self.unit.conn, self.unit.user_id, oid)["id"])


batch_project = _batch(ProjectBatch, ProjectWriter, lambda batch: batch.delete or [])
batch_group = _batch(GroupBatch, GroupWriter, lambda batch: batch.delete or [])
batch_task = _batch(
    TaskBatch, TaskWriter, lambda batch: [gone.task_id for gone in batch.delete or []]
)


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
        found = items.find_by_oid(unit.conn, unit.user_id, change.old_parent_id)
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
                    snapshot.item_oids(unit.conn, unit.user_id, [parent]).get(parent)
                    if parent is not None
                    else None
                ),
                "childIds": kids if kids or as_parent else None,
                "etag": mapping.etag(row["seq"]),
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
