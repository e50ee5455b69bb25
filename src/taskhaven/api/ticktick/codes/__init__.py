"""TickTick's codes, shared by the V1 and V2 adapters (architecture §2).

The core keeps one meaning per concept; these modules convert between it and the codes the
TickTick protocols use, one concept per module. Every function is pure, so the tables in
``docs/v2-api.md`` can be checked against it by tests. Import the package
(``from taskhaven.api.ticktick import codes``): it re-exports every public name.
"""

from __future__ import annotations

from taskhaven.api.ticktick.codes.checklist import (
    CHECKLIST_FIELDS,
    MAX_CHECKLIST_TEXT,
    MAX_CHECKLIST_TITLE,
    checklist_entry,
)
from taskhaven.api.ticktick.codes.colours import normalise_color
from taskhaven.api.ticktick.codes.display import (
    project_kind,
    shown_zone,
    task_all_day,
    task_dates,
    task_kind,
)
from taskhaven.api.ticktick.codes.priorities import (
    PRIORITY_FROM_TICKTICK,
    PRIORITY_TO_TICKTICK,
    priority_from_ticktick,
    priority_to_ticktick,
)
from taskhaven.api.ticktick.codes.project_fields import project_changes
from taskhaven.api.ticktick.codes.rules import MAX_RULE, check_repeat_flag, check_time_zone
from taskhaven.api.ticktick.codes.statuses import (
    ABANDONED,
    COMPLETED,
    COMPLETED_ALT,
    OPEN,
    STATUSES,
    check_status,
    checklist_status_to_v1,
    is_closed,
    status_from_ticktick,
    status_to_ticktick,
    status_to_v1,
)
from taskhaven.api.ticktick.codes.tags import (
    MAX_TAG,
    TAG_FORBIDDEN,
    check_tag_label,
    is_tag_label,
    is_tag_name,
    tag_label_from_label_name,
    tag_name,
    tag_name_from_label_name,
)
from taskhaven.api.ticktick.codes.task_fields import (
    TaskValues,
    checklist_changes,
    task_changes,
    task_text,
    task_zone,
    utc,
)
from taskhaven.api.ticktick.codes.timestamps import format_v2
from taskhaven.api.ticktick.codes.triggers import (
    offset_to_trigger,
    offset_trigger,
    task_triggers,
    trigger_offset,
    trigger_to_offset,
)
from taskhaven.api.ticktick.codes.versions import check_point, etag, since_check_point
from taskhaven.api.ticktick.codes.whole_day import (
    CORE_ALL_DAY_CLOCK,
    whole_day_to_core,
    whole_day_to_ticktick,
)

__all__ = [
    "ABANDONED",
    "CHECKLIST_FIELDS",
    "COMPLETED",
    "COMPLETED_ALT",
    "CORE_ALL_DAY_CLOCK",
    "MAX_CHECKLIST_TEXT",
    "MAX_CHECKLIST_TITLE",
    "MAX_RULE",
    "MAX_TAG",
    "OPEN",
    "PRIORITY_FROM_TICKTICK",
    "PRIORITY_TO_TICKTICK",
    "STATUSES",
    "TAG_FORBIDDEN",
    "TaskValues",
    "check_point",
    "check_repeat_flag",
    "check_status",
    "check_tag_label",
    "check_time_zone",
    "checklist_changes",
    "checklist_entry",
    "checklist_status_to_v1",
    "etag",
    "format_v2",
    "is_closed",
    "is_tag_label",
    "is_tag_name",
    "normalise_color",
    "offset_to_trigger",
    "offset_trigger",
    "priority_from_ticktick",
    "priority_to_ticktick",
    "project_changes",
    "project_kind",
    "shown_zone",
    "since_check_point",
    "status_from_ticktick",
    "status_to_ticktick",
    "status_to_v1",
    "tag_label_from_label_name",
    "tag_name",
    "tag_name_from_label_name",
    "task_all_day",
    "task_changes",
    "task_dates",
    "task_kind",
    "task_text",
    "task_triggers",
    "task_zone",
    "trigger_offset",
    "trigger_to_offset",
    "utc",
    "whole_day_to_core",
    "whole_day_to_ticktick",
]
