"""Request bodies of the V1 API (spec §1.4). pyticktick sends every key, unset ones as null;
null means "leave unchanged" in updates (spec §5 #2). Unknown keys are ignored."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.alias_generators import to_camel

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


Text = Annotated[str | None, BeforeValidator(_string)]
Order = Annotated[int | None, Field(ge=-(2**63), lt=2**63, strict=True)]


class _Body(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


class ProjectFields(_Body):
    name: Text = None
    color: Text = None
    sort_order: Order = None
    view_mode: Literal["list", "kanban", "timeline"] | None = None
    kind: Literal["TASK", "NOTE"] | None = None


class CreateProject(ProjectFields):
    name: Annotated[str, BeforeValidator(_string)]


class Item(_Body):
    id: Text = None
    title: Text = None
    start_date: Text = None
    is_all_day: bool | None = None
    sort_order: Order = None
    time_zone: Text = None
    status: Annotated[bool | None, BeforeValidator(_status)] = None
    completed_time: Text = None


class TaskFields(_Body):
    title: Text = None
    content: Text = None
    desc: Text = None
    is_all_day: bool | None = None
    start_date: Text = None
    due_date: Text = None
    time_zone: Text = None
    reminders: (
        Annotated[list[Annotated[str, BeforeValidator(_string)]], Field(max_length=MAX_LIST)] | None
    ) = None
    repeat_flag: Text = None
    priority: Literal[0, 1, 3, 5] | None = None
    sort_order: Order = None
    items: Annotated[list[Item], Field(max_length=MAX_LIST)] | None = None


class CreateTask(TaskFields):
    id: Text = None
    title: Annotated[str, BeforeValidator(_string)]
    project_id: Annotated[str, BeforeValidator(_string)]


class UpdateTask(TaskFields):
    id: Text = None
    project_id: Text = None
