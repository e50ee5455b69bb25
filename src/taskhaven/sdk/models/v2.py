"""V2 API objects (TickTick's web-app API): tasks, projects, folders, tags, batches.

Answers forbid unknown keys unless validated leniently (``override_forbid_extra``). Requests
send only the fields the caller set; ``None`` sent explicitly means "null" on the wire.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from taskhaven.sdk.models._base import CamelModel

Priority = Literal[0, 1, 3, 5]
Status = Literal[-1, 0, 1, 2]
TaskKind = Literal["TEXT", "NOTE", "CHECKLIST"]
ProjectKind = Literal["TASK", "NOTE"]
ViewMode = Literal["list", "kanban", "timeline"]
SortKey = Literal["sortOrder", "dueDate", "tag", "priority", "project", "none"]
TagSortType = Literal["project", "title", "tag"]
ClosedStatus = Literal["Completed", "Abandoned"]


# -- answers -----------------------------------------------------------------------------------


class SortOptionV2(CamelModel):
    group_by: SortKey
    order_by: SortKey


class ProjectTimelineV2(CamelModel):
    range: str | None
    sort_type: str | None
    sort_option: SortOptionV2


class TaskReminderV2(CamelModel):
    id: str | None = None
    trigger: str


class ItemV2(CamelModel):
    """A checklist item of a task."""

    id: str
    title: str | None = None
    status: Status | None = None
    completed_time: str | None = None
    is_all_day: bool | None = None
    sort_order: int | None = None
    start_date: str | None = None
    time_zone: str | None = None
    snooze_reminder_time: Any = None


class TaskV2(CamelModel):
    id: str
    project_id: str
    etag: str
    title: str | None
    is_floating: bool
    items: list[ItemV2]
    modified_time: datetime
    priority: Priority
    status: Status
    creator: int
    deleted: int
    sort_order: int
    child_ids: list[str] | None = None
    completed_time: datetime | None = None
    content: str | None = None
    created_time: datetime | None = None
    desc: str | None = None
    due_date: datetime | None = None
    is_all_day: bool | None = None
    kind: TaskKind = "TEXT"
    parent_id: str | None = None
    progress: int | None = Field(default=None, ge=0, le=100)
    reminder: str | None = None
    reminders: list[TaskReminderV2] | None = None
    repeat_first_date: datetime | None = None
    repeat_flag: str | None = None
    repeat_from: Literal[0, 1, 2] | None = None
    repeat_task_id: str | None = None
    start_date: datetime | None = None
    tags: list[str] = []
    time_zone: str | None = None
    assignee: Any = None
    attachments: list[Any] = []
    annoying_alert: int | None = None
    column_id: str | None = None
    comment_count: int | None = None
    completed_user_id: int | None = None
    ex_date: list[Any] | None = None
    focus_summaries: list[Any] = []
    img_mode: int | None = None
    is_dirty: bool | None = None
    local: bool | None = None
    remind_time: datetime | None = None


class ProjectV2(CamelModel):
    id: str
    name: str
    etag: str
    group_id: str | None
    in_all: bool
    modified_time: datetime
    sort_option: SortOptionV2 | None
    background: None
    barcode_need_audit: bool
    is_owner: bool
    sort_order: int
    sort_type: str | None
    user_count: int
    closed: Any
    muted: bool
    transferred: Any
    notification_options: Any
    team_id: Any
    permission: Any
    timeline: ProjectTimelineV2 | None
    need_audit: bool
    open_to_team: bool | None
    team_member_permission: Any
    source: int
    show_type: int | None
    reminder_type: int | None
    color: str | None = None
    kind: ProjectKind | None = None
    view_mode: ViewMode | None = None


class ProjectGroupV2(CamelModel):
    """A folder of projects."""

    id: str
    etag: str
    name: str
    sort_option: SortOptionV2 | None
    background: None
    deleted: int
    show_all: bool
    sort_order: int
    sort_type: str
    team_id: Any
    timeline: ProjectTimelineV2 | None
    user_id: int
    view_mode: ViewMode | None = None


class TagV2(CamelModel):
    name: str
    raw_name: str
    label: str
    etag: str
    sort_order: int
    type: int
    color: str | None = None
    parent: str | None = None
    sort_option: SortOptionV2 | None = None
    sort_type: TagSortType = "project"
    timeline: ProjectTimelineV2 | None = None


class DeletedTaskV2(CamelModel):
    task_id: str
    project_id: str | None


class SyncTaskBeanV2(CamelModel):
    update: list[TaskV2]
    add: list[Any]
    delete: list[DeletedTaskV2]
    empty: bool
    tag_update: list[Any]


class SyncTaskOrderBeanV2(CamelModel):
    task_order_by_date: dict[str, Any]
    task_order_by_priority: dict[str, Any]
    task_order_by_project: dict[str, Any]


class SyncOrderBeanV3V2(CamelModel):
    order_by_type: dict[str, Any]


class BatchCheckV2(CamelModel):
    """``GET batch/check/{checkPoint}``: everything (0) or what changed since a checkpoint.

    In an incremental answer `project_profiles`, `project_groups` and `tags` are the whole
    arrays when any member changed (absence = deleted), else None.
    """

    check_point: int
    inbox_id: str
    project_profiles: list[ProjectV2] | None
    project_groups: list[ProjectGroupV2] | None
    tags: list[TagV2] | None
    sync_task_bean: SyncTaskBeanV2
    checks: None
    filters: list[dict[str, Any]] | None
    sync_order_bean: dict[str, Any]
    sync_order_bean_v3: SyncOrderBeanV3V2 = Field(alias="syncOrderBeanV3")
    sync_task_order_bean: SyncTaskOrderBeanV2
    remind_changes: list[Any]


class BatchRespV2(CamelModel):
    """A batch answer: each added or updated object's new etag, each failed one's error."""

    id2etag: dict[str, str]
    id2error: dict[str, str]


class TaskParentEtagV2(CamelModel):
    id: str
    etag: str
    parent_id: str | None = None
    child_ids: list[str] | None = None


class BatchTaskParentRespV2(CamelModel):
    id2etag: dict[str, TaskParentEtagV2]
    id2error: dict[str, str]


class SessionV2(CamelModel):
    """One signed-on session of the user (``GET user/sessions``)."""

    id: str
    current: bool
    created_time: datetime
    last_used_time: datetime | None
    expire_time: datetime
    user_agent: str | None
    ip: str | None


# -- requests ----------------------------------------------------------------------------------


class TaskReminderInV2(CamelModel):
    trigger: str
    id: str | None = None


class ItemInV2(CamelModel):
    """A checklist item to add (no `id`) or update (its `id`)."""

    id: str | None = None
    title: str | None = None
    status: Status | None = None
    completed_time: datetime | None = None
    is_all_day: bool | None = None
    sort_order: int | None = None
    start_date: str | None = None
    time_zone: str | None = None


class _TaskFieldsV2(CamelModel):
    completed_time: datetime | None = None
    content: str | None = None
    desc: str | None = None
    due_date: datetime | None = None
    is_all_day: bool | None = None
    is_floating: bool | None = None
    items: list[ItemInV2] | None = None
    kind: TaskKind | None = None
    reminders: list[TaskReminderInV2] | None = None
    repeat_flag: str | None = None
    repeat_from: Literal[0, 1, 2] | None = None
    priority: Priority | None = None
    progress: int | None = Field(default=None, ge=0, le=100)
    start_date: datetime | None = None
    status: Status | None = None
    time_zone: str | None = None
    tags: list[str] | None = None
    sort_order: int | None = None


class CreateTaskV2(_TaskFieldsV2):
    project_id: str
    title: str
    id: str | None = None


class UpdateTaskV2(_TaskFieldsV2):
    id: str
    project_id: str
    title: str | None = None


class DeleteTaskV2(CamelModel):
    project_id: str
    task_id: str


class PostBatchTaskV2(CamelModel):
    add: list[CreateTaskV2] = []
    update: list[UpdateTaskV2] = []
    delete: list[DeleteTaskV2] = []


class CreateProjectV2(CamelModel):
    name: str
    id: str | None = None
    color: str | None = None
    group_id: str | None = None
    kind: ProjectKind | None = None
    view_mode: ViewMode | None = None
    sort_order: int | None = None


class UpdateProjectV2(CamelModel):
    """`group_id` "NONE" takes the project out of its folder; None keeps it."""

    id: str
    name: str
    color: str | None = None
    group_id: str | None = None
    kind: ProjectKind | None = None
    view_mode: ViewMode | None = None
    sort_order: int | None = None


class PostBatchProjectV2(CamelModel):
    add: list[CreateProjectV2] = []
    update: list[UpdateProjectV2] = []
    delete: list[str] = []


class CreateProjectGroupV2(CamelModel):
    name: str
    id: str | None = None
    list_type: Literal["group"] = "group"


class UpdateProjectGroupV2(CamelModel):
    id: str
    name: str
    list_type: Literal["group"] = "group"


class PostBatchProjectGroupV2(CamelModel):
    add: list[CreateProjectGroupV2] = []
    update: list[UpdateProjectGroupV2] = []
    delete: list[str] = []


class SetTaskParentV2(CamelModel):
    task_id: str
    project_id: str
    parent_id: str


class UnsetTaskParentV2(CamelModel):
    task_id: str
    project_id: str
    old_parent_id: str


class CreateTagV2(CamelModel):
    label: str
    name: str | None = None
    color: str | None = None
    parent: str | None = None
    sort_type: TagSortType | None = None
    sort_order: int | None = None


class UpdateTagV2(CamelModel):
    """`raw_name` names the tag to change; `name` and `label` are its new identity."""

    label: str
    raw_name: str | None = None
    name: str | None = None
    color: str | None = None
    parent: str | None = None
    sort_type: TagSortType | None = None
    sort_order: int | None = None


class PostBatchTagV2(CamelModel):
    add: list[CreateTagV2] = []
    update: list[UpdateTagV2] = []
