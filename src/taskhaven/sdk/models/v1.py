"""V1 API objects (TickTick's Open API): projects, tasks, checklist items, columns.

Dates are plain strings here (``2019-11-13T03:00:00+0000``), as the API sends them. Task
`status` is 0 (open) or 2 (completed); checklist item `status` 0 or 1.
"""

from __future__ import annotations

from typing import Literal

from taskhaven.sdk.models._base import CamelModel

Priority = Literal[0, 1, 3, 5]
ViewMode = Literal["list", "kanban", "timeline"]
ProjectKind = Literal["TASK", "NOTE"]
Permission = Literal["read", "write", "comment"]


class ProjectV1(CamelModel):
    id: str
    name: str
    sort_order: int
    color: str | None = None
    closed: bool | None = None
    group_id: str | None = None
    view_mode: ViewMode | None = None
    permission: Permission | None = None
    kind: ProjectKind | None = None


class ItemV1(CamelModel):
    id: str
    title: str
    status: Literal[0, 1]
    is_all_day: bool
    sort_order: int
    time_zone: str
    completed_time: str | None = None
    start_date: str | None = None


class TaskV1(CamelModel):
    id: str
    project_id: str
    title: str
    is_all_day: bool
    priority: Priority
    sort_order: int
    status: Literal[0, 2]
    time_zone: str
    completed_time: str | None = None
    content: str | None = None
    desc: str | None = None
    due_date: str | None = None
    items: list[ItemV1] | None = None
    reminders: list[str] | None = None
    repeat_flag: str | None = None
    start_date: str | None = None
    etag: str | None = None
    kind: str | None = None
    deleted: int | None = None


class ColumnV1(CamelModel):
    id: str
    project_id: str
    name: str
    sort_order: int


class ProjectDataV1(CamelModel):
    """``GET project/{id}/data``: the project, its open tasks and its kanban columns."""

    project: ProjectV1
    tasks: list[TaskV1]
    columns: list[ColumnV1]


class ItemInV1(CamelModel):
    title: str | None = None
    start_date: str | None = None
    is_all_day: bool | None = None
    sort_order: int | None = None
    time_zone: str | None = None
    status: Literal[0, 1] | None = None
    completed_time: str | None = None


class _TaskFieldsV1(CamelModel):
    content: str | None = None
    desc: str | None = None
    is_all_day: bool | None = None
    start_date: str | None = None
    due_date: str | None = None
    time_zone: str | None = None
    reminders: list[str] | None = None
    repeat_flag: str | None = None
    priority: Priority | None = None
    sort_order: int | None = None
    items: list[ItemInV1] | None = None


class CreateTaskV1(_TaskFieldsV1):
    title: str
    project_id: str


class UpdateTaskV1(_TaskFieldsV1):
    """Fields left unset stay as they are (merge)."""

    id: str
    project_id: str
    title: str | None = None


class CreateProjectV1(CamelModel):
    name: str
    color: str | None = None
    sort_order: int | None = None
    view_mode: ViewMode | None = None
    kind: ProjectKind | None = None


class UpdateProjectV1(CamelModel):
    name: str | None = None
    color: str | None = None
    sort_order: int | None = None
    view_mode: ViewMode | None = None
    kind: ProjectKind | None = None
