"""Request bodies of the V1 API (spec §1.4). pyticktick sends every key, unset ones as null;
null means "leave unchanged" in updates (spec §5 #2). Unknown keys are ignored. Every text
field names its bound (``api/ticktick/codes/bounds.py``): an over-long value or NUL is a 400."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.alias_generators import to_camel

from taskhaven.api.ticktick.codes import bounds
from taskhaven.api.ticktick.codes.bounds import Fits
from taskhaven.core import columns

MAX_LIST = 500


def _string(value: Any) -> Any:
    if value is not None and not isinstance(value, str):
        raise ValueError("must be a string")
    return value


def _status(value: Any) -> Any:
    """Checklist status arrives as a JSON boolean from pyticktick, 0/1 from others."""
    if value is None or isinstance(value, bool):
        return value
    if value in (0, 1):
        return bool(value)
    raise ValueError("must be true/false or 0/1")


Oid = Annotated[str | None, BeforeValidator(_string), bounds.OID]
Moment = Annotated[str | None, BeforeValidator(_string), bounds.TIMESTAMP]
TaskText = Annotated[str | None, BeforeValidator(_string), bounds.column("items", "content")]
TimeZone = Annotated[str | None, BeforeValidator(_string), bounds.column("items", "time_zone")]
Order = Annotated[int | None, Field(ge=-(2**63), lt=2**63, strict=True)]


class _Body(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


class ProjectFields(_Body):
    name: Annotated[str | None, BeforeValidator(_string), bounds.column("projects", "name")] = None
    color: Annotated[str | None, BeforeValidator(_string), bounds.COLOUR] = None
    sort_order: Order = None
    view_mode: Literal["list", "kanban", "timeline"] | None = None
    kind: Literal["TASK", "NOTE"] | None = None


class CreateProject(ProjectFields):
    name: Annotated[str, BeforeValidator(_string), bounds.column("projects", "name")]


class Item(_Body):
    id: Oid = None
    title: Annotated[str | None, BeforeValidator(_string), Fits(columns.CHECKLIST_TITLE)] = None
    start_date: Moment = None
    is_all_day: bool | None = None
    sort_order: Order = None
    time_zone: Annotated[str | None, BeforeValidator(_string), Fits(columns.CHECKLIST_TEXT)] = None
    status: Annotated[bool | None, BeforeValidator(_status)] = None
    completed_time: Moment = None


class TaskFields(_Body):
    title: TaskText = None
    content: TaskText = None
    desc: Annotated[str | None, BeforeValidator(_string), bounds.column("items", "description")] = (
        None
    )
    is_all_day: bool | None = None
    start_date: Moment = None
    due_date: Moment = None
    time_zone: TimeZone = None
    reminders: (
        Annotated[
            list[Annotated[str, BeforeValidator(_string)]],
            Field(max_length=MAX_LIST),
            bounds.column("reminders", "trigger"),
        ]
        | None
    ) = None
    repeat_flag: Annotated[
        str | None, BeforeValidator(_string), bounds.column("items", "repeat_flag")
    ] = None
    priority: Literal[0, 1, 3, 5] | None = None
    sort_order: Order = None
    items: Annotated[list[Item], Field(max_length=MAX_LIST)] | None = None


class CreateTask(TaskFields):
    id: Oid = None
    title: Annotated[str, BeforeValidator(_string), bounds.column("items", "content")]
    project_id: Annotated[str, BeforeValidator(_string), bounds.OID]


class UpdateTask(TaskFields):
    id: Oid = None
    project_id: Oid = None
