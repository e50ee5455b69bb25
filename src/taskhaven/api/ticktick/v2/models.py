"""Request bodies of the V2 batch endpoints, as pydantic models.

The models check the *shape* of a request: JSON types, 24-hex ids, the wire's enumerations,
list sizes, and every string's length and characters (each text field names its bound,
``api/ticktick/codes/bounds.py``). A request that fails them is answered 400 as a whole,
because an error for one object can only be reported under a well-formed object id.
Everything else about *values* (names, colours, zones, rules, limits) is the core's to judge,
per object, so one bad task does not sink the others of its batch.

Like TickTick's own clients, every model treats ``""`` as null, accepts each key in
camelCase or snake_case, and ignores keys it does not know (the web app sends many more).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel

from taskhaven.api.ticktick.codes import bounds
from taskhaven.api.ticktick.codes.bounds import Fits, PerObject
from taskhaven.core import columns
from taskhaven.core.dates import InvalidDate, parse_iso
from taskhaven.core.limits import MAX_PER_ITEM

MAX_BATCH = 1000  # objects per list in one request

_OID = re.compile(r"[0-9a-fA-F]{24}")
_INBOX = re.compile(r"inbox[0-9]{1,19}")


def _oid(value: Any) -> str:
    if not isinstance(value, str) or not _OID.fullmatch(value):
        raise ValueError("must be a 24-hex object id")
    return value.lower()


def _project_ref(value: Any) -> str:
    if isinstance(value, str) and _INBOX.fullmatch(value):
        return value
    try:
        return _oid(value)
    except ValueError:
        raise ValueError("must be a 24-hex object id or inbox<digits>") from None


def _moment(value: Any) -> datetime:
    """What pydantic's datetime accepts, via the core's one parser (naive stays naive)."""
    if isinstance(value, datetime):
        return value
    try:
        return parse_iso(value)
    except (InvalidDate, OverflowError) as exc:
        raise ValueError(str(exc)) from exc


def _string(value: Any) -> Any:
    """Strings stay strings: no silent coercion of numbers into names."""
    if value is not None and not isinstance(value, str):
        raise ValueError("must be a string")
    return value


Oid = Annotated[str, BeforeValidator(_oid), bounds.OID]
ProjectRef = Annotated[str, BeforeValidator(_project_ref), bounds.OID]
Moment = Annotated[datetime, BeforeValidator(_moment), bounds.TIMESTAMP]
Colour = Annotated[str, BeforeValidator(_string), bounds.COLOUR]
ObjectColour = Annotated[str, BeforeValidator(_string), PerObject(columns.COLOUR)]
Tag = Annotated[str, BeforeValidator(_string), bounds.TAG]
TaskTag = Annotated[str, BeforeValidator(_string), PerObject(bounds.TAG.bound)]
TaskText = Annotated[str, BeforeValidator(_string), bounds.per_object("items", "content")]
TimeZone = Annotated[str, BeforeValidator(_string), bounds.per_object("items", "time_zone")]
Priority = Literal[0, 1, 3, 5]
Status = Literal[-1, 0, 1, 2]
ViewMode = Literal["list", "kanban", "timeline"]


def _repeat_from(value: Any) -> Any:
    """TickTick sends repeatFrom as a string ("2"); ints pass too."""
    if isinstance(value, str) and value in ("0", "1", "2"):
        return int(value)
    return value


class WireModel(BaseModel):
    """Base of every request model: camelCase aliases, ``""`` is null, unknown keys ignored."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="ignore",
        frozen=True,
    )

    @model_validator(mode="before")
    @classmethod
    def _empty_strings_are_null(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: (None if v == "" else v) for k, v in data.items()}
        return data


# --- projects ---------------------------------------------------------------------------------


class ProjectAdd(WireModel):
    id: Oid | None = None
    name: Annotated[str, BeforeValidator(_string), bounds.per_object("projects", "name")] | None = (
        None
    )
    color: ObjectColour | None = None
    group_id: Oid | None = None
    kind: Literal["TASK", "NOTE", "task", "note"] | None = None
    view_mode: ViewMode | None = None
    sort_order: int | None = None
    closed: bool | None = None
    muted: bool | None = None


class ProjectUpdate(ProjectAdd):
    id: Oid
    # An object id moves the project into that group, "NONE" takes it out, null keeps it.
    group_id: Literal["NONE"] | Oid | None = None  # type: ignore[assignment]


class ProjectBatch(WireModel):
    add: list[ProjectAdd] | None = Field(default=None, max_length=MAX_BATCH)
    update: list[ProjectUpdate] | None = Field(default=None, max_length=MAX_BATCH)
    delete: list[Oid] | None = Field(default=None, max_length=MAX_BATCH)


# --- project groups ---------------------------------------------------------------------------


class GroupAdd(WireModel):
    id: Oid | None = None
    name: (
        Annotated[str, BeforeValidator(_string), bounds.per_object("project_groups", "name")] | None
    ) = None
    list_type: Literal["group"] | None = None
    sort_order: int | None = None
    view_mode: ViewMode | None = None
    show_all: bool | None = None


class GroupUpdate(GroupAdd):
    id: Oid


class GroupBatch(WireModel):
    add: list[GroupAdd] | None = Field(default=None, max_length=MAX_BATCH)
    update: list[GroupUpdate] | None = Field(default=None, max_length=MAX_BATCH)
    delete: list[Oid] | None = Field(default=None, max_length=MAX_BATCH)


# --- tasks ------------------------------------------------------------------------------------


class ChecklistItem(WireModel):
    id: Oid | None = None
    title: Annotated[str, BeforeValidator(_string), PerObject(columns.CHECKLIST_TITLE)] | None = (
        None
    )
    status: Status | None = None
    sort_order: int | None = None
    start_date: (
        Annotated[str, BeforeValidator(_string), PerObject(columns.CHECKLIST_TEXT)] | None
    ) = None
    is_all_day: bool | None = None
    time_zone: (
        Annotated[str, BeforeValidator(_string), PerObject(columns.CHECKLIST_TEXT)] | None
    ) = None
    completed_time: Moment | None = None


class Reminder(WireModel):
    id: Oid | None = None
    trigger: Annotated[str, BeforeValidator(_string), bounds.per_object("reminders", "trigger")]


class TaskFields(WireModel):
    """What a task add and a task update share (server-managed keys are not listed:
    etag, modifiedTime, createdTime, creator, deleted, childIds are never taken)."""

    project_id: ProjectRef | None = None
    title: TaskText | None = None
    content: TaskText | None = None
    desc: (
        Annotated[str, BeforeValidator(_string), bounds.per_object("items", "description")] | None
    ) = None
    kind: Literal["TEXT", "NOTE", "CHECKLIST"] | None = None
    start_date: Moment | None = None
    due_date: Moment | None = None
    is_all_day: bool | None = None
    is_floating: bool | None = None
    time_zone: TimeZone | None = None
    repeat_flag: (
        Annotated[str, BeforeValidator(_string), bounds.per_object("items", "repeat_flag")] | None
    ) = None
    repeat_from: Annotated[Literal[0, 1, 2] | None, BeforeValidator(_repeat_from)] = None
    priority: Priority | None = None
    progress: int | None = None
    assignee: int | None = None
    status: Status | None = None
    completed_time: Moment | None = None
    sort_order: int | None = None
    tags: list[TaskTag] | None = Field(default=None, max_length=MAX_PER_ITEM)
    items: list[ChecklistItem] | None = Field(default=None, max_length=MAX_PER_ITEM)
    reminders: list[Reminder] | None = Field(default=None, max_length=MAX_PER_ITEM)


class TaskAdd(TaskFields):
    id: Oid | None = None
    parent_id: Oid | None = None


class TaskUpdate(TaskFields):
    id: Oid


class TaskDelete(WireModel):
    task_id: Oid
    project_id: ProjectRef | None = None


class TaskBatch(WireModel):
    add: list[TaskAdd] | None = Field(default=None, max_length=MAX_BATCH)
    update: list[TaskUpdate] | None = Field(default=None, max_length=MAX_BATCH)
    delete: list[TaskDelete] | None = Field(default=None, max_length=MAX_BATCH)
    # Attachments are not stored; the keys are accepted so the client's requests pass.
    add_attachments: Annotated[list[Any], Fits(columns.PATH)] | None = None
    update_attachments: Annotated[list[Any], Fits(columns.PATH)] | None = None


class TaskParentChange(WireModel):
    """One element of ``batch/taskParent``: ``parentId`` sets, ``oldParentId`` unsets."""

    task_id: Oid
    project_id: ProjectRef | None = None
    parent_id: Oid | None = None
    old_parent_id: Oid | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> TaskParentChange:
        if (self.parent_id is None) == (self.old_parent_id is None):
            raise ValueError("give exactly one of parentId and oldParentId")
        return self


TaskParentBatch = Annotated[list[TaskParentChange], Field(max_length=MAX_BATCH)]


# --- tags -------------------------------------------------------------------------------------


class TagAdd(WireModel):
    label: Tag | None = None
    name: Tag | None = None
    color: Colour | None = None
    parent: Annotated[str, BeforeValidator(_string), bounds.column("labels", "parent")] | None = (
        None
    )
    sort_type: Literal["project", "title", "tag"] | None = None
    sort_order: int | None = None


class TagUpdate(TagAdd):
    raw_name: (
        Annotated[str, BeforeValidator(_string), bounds.column("labels", "raw_name")] | None
    ) = None


class TagBatch(WireModel):
    add: list[TagAdd] | None = Field(default=None, max_length=MAX_BATCH)
    update: list[TagUpdate] | None = Field(default=None, max_length=MAX_BATCH)


class TagRename(WireModel):
    name: Tag
    new_name: Tag
