"""Sync API objects (Todoist v6 style): snake_case on the wire, integer ids, v6 timestamps.

Timestamps stay strings in the wire form ``Fri 26 Sep 2014 08:25:05 +0000``; `parse_timestamp`
turns one into an aware datetime.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from taskhaven.sdk.models._base import WireModel

TIMESTAMP_FORMAT = "%a %d %b %Y %H:%M:%S %z"


def parse_timestamp(text: str) -> datetime:
    """``"Fri 26 Sep 2014 08:25:05 +0000"`` → an aware datetime (English names, always UTC)."""
    return datetime.strptime(text, TIMESTAMP_FORMAT)


class Error(WireModel):
    """A failed command or call: ``{"error_code": 15, "error": "Invalid temporary id"}``."""

    error_code: int
    error: str
    http_code: int | None = None
    error_extra: dict[str, Any] | None = None
    error_tag: str | None = None


class User(WireModel):
    id: int
    token: str
    email: str
    full_name: str
    inbox_project: int
    timezone: str
    tz_offset: tuple[str, int, int, int]
    start_page: str
    start_day: int
    next_week: int
    time_format: int
    date_format: int
    sort_order: int
    default_reminder: str | None
    auto_reminder: int
    mobile_number: str | None
    mobile_host: str | None
    theme: int
    has_push_reminders: bool
    completed_count: int
    completed_today: int
    karma: float
    karma_trend: str
    is_premium: bool
    premium_until: str | None
    is_biz_admin: bool
    business_account_id: int | None
    image_id: str | None
    guide_mode: bool
    restriction: int
    features: dict[str, Any]
    beta: int
    is_dummy: int
    join_date: str
    avatar_small: str | None = None
    avatar_medium: str | None = None
    avatar_big: str | None = None
    avatar_s640: str | None = None


class LoginUser(User):
    """The User of ``login`` and ``register``: also ``api_token`` and a few session fields."""

    api_token: str | None = None
    seq_no: int | None = None
    last_used_ip: str | None = None
    shard_id: int | None = None
    team_inbox: int | None = None


class Project(WireModel):
    id: int
    user_id: int
    name: str
    color: int
    indent: int
    item_order: int
    collapsed: int
    shared: bool
    is_deleted: int
    is_archived: int
    archived_date: str | None
    archived_timestamp: int
    inbox_project: bool | None = None
    team_inbox: bool | None = None


class Item(WireModel):
    id: int
    user_id: int
    project_id: int
    content: str
    date_string: str | None
    date_lang: str
    due_date_utc: str | None
    due_date: str | None
    priority: Literal[1, 2, 3, 4]
    indent: int
    item_order: int
    day_order: int
    collapsed: int
    children: list[int] | None
    labels: list[int]
    assigned_by_uid: int | None
    responsible_uid: int | None
    checked: int
    in_history: int
    is_deleted: int
    is_archived: int
    sync_id: int | None
    date_added: str
    all_day: bool | None = None
    has_notifications: int | None = None
    seq_no: int | None = None
    postpone_count: int | None = None
    complete_count: int | None = None


class Label(WireModel):
    id: int
    uid: int
    name: str
    color: int
    item_order: int
    is_deleted: int


class Filter(WireModel):
    id: int
    user_id: int
    name: str
    query: str
    color: int
    item_order: int
    is_deleted: int


class Note(WireModel):
    """An item note (`item_id` set) or a project note (`item_id` None)."""

    id: int
    posted_uid: int
    project_id: int
    content: str
    file_attachment: dict[str, Any] | None
    uids_to_notify: list[int] | None
    is_deleted: int
    is_archived: int
    posted: str
    item_id: int | None = None


class Reminder(WireModel):
    id: int
    notify_uid: int
    item_id: int
    service: str
    type: Literal["relative", "absolute", "location"]
    date_string: str | None
    date_lang: str | None
    due_date_utc: str | None
    due_date: str | None
    mm_offset: int | None
    minute_offset: int | None
    is_deleted: int
    name: str | None = None
    loc_lat: str | None = None
    loc_long: str | None = None
    loc_trigger: Literal["on_enter", "on_leave"] | None = None
    radius: int | None = None


class LiveNotification(WireModel):
    """A notification; which optional fields are set depends on `notification_type`."""

    notification_key: str
    notification_type: str
    created: int
    from_uid: int
    seq_no: int
    id: int | None = None
    is_unread: int | None = None
    is_deleted: int | None = None
    from_user: dict[str, Any] | None = None
    project_id: int | None = None
    project_name: str | None = None
    invitation_id: int | None = None
    invitation_secret: str | None = None
    state: str | None = None
    reject_email: str | None = None
    removed_name: str | None = None
    removed_uid: int | None = None
    item_id: int | None = None
    item_content: str | None = None
    assigned_by_uid: int | None = None
    responsible_uid: int | None = None
    note_id: int | None = None
    note_content: str | None = None


class Collaborator(WireModel):
    id: int
    email: str
    full_name: str
    timezone: str | None = None
    image_id: str | None = None


class CollaboratorState(WireModel):
    project_id: int
    user_id: int
    state: str
    is_deleted: bool


class NotificationSetting(WireModel):
    notify_push: bool
    notify_email: bool


Status = Literal["ok"] | Error | dict[str, Literal["ok"] | Error]
"""A command's outcome: "ok", an error, or (multi-id commands) one outcome per id."""


class SyncResponse(WireModel):
    """The answer of ``sync``: the resources asked for, and the commands' outcomes."""

    seq_no: int
    seq_no_global: int
    user_id: int = Field(alias="UserId")
    sync_status: dict[str, Status] | None = Field(default=None, alias="SyncStatus")
    temp_id_mapping: dict[str, int] | None = Field(default=None, alias="TempIdMapping")
    web_static_version: int | None = Field(default=None, alias="WebStaticVersion")
    user: User | None = Field(default=None, alias="User")
    projects: list[Project] | None = Field(default=None, alias="Projects")
    items: list[Item] | None = Field(default=None, alias="Items")
    labels: list[Label] | None = Field(default=None, alias="Labels")
    filters: list[Filter] | None = Field(default=None, alias="Filters")
    notes: list[Note] | None = Field(default=None, alias="Notes")
    project_notes: list[Note] | None = Field(default=None, alias="ProjectNotes")
    reminders: list[Reminder] | None = Field(default=None, alias="Reminders")
    locations: list[Any] | None = Field(default=None, alias="Locations")
    live_notifications: list[LiveNotification] | None = Field(
        default=None, alias="LiveNotifications"
    )
    live_notifications_last_read: int | None = Field(
        default=None, alias="LiveNotificationsLastRead"
    )
    day_orders: dict[str, int] | None = Field(default=None, alias="DayOrders")
    day_orders_timestamp: str | None = Field(default=None, alias="DayOrdersTimestamp")
    collaborators: list[Collaborator] | None = Field(default=None, alias="Collaborators")
    collaborator_states: list[CollaboratorState] | None = Field(
        default=None, alias="CollaboratorStates"
    )
    settings_notifications: dict[str, NotificationSetting] | None = Field(
        default=None, alias="SettingsNotifications"
    )

    def errors(self) -> dict[str, Error | dict[str, Error]]:
        """The failed commands by uuid (for multi-id commands: only the failed ids)."""
        failed: dict[str, Error | dict[str, Error]] = {}
        for command_uuid, status in (self.sync_status or {}).items():
            if isinstance(status, Error):
                failed[command_uuid] = status
            elif isinstance(status, dict):
                bad = {key: value for key, value in status.items() if isinstance(value, Error)}
                if bad:
                    failed[command_uuid] = bad
        return failed


class Command(WireModel):
    """One command of a ``sync`` write; `uuid` makes it run once however often it is sent."""

    type: str
    uuid: str
    args: dict[str, Any]
    temp_id: str | None = None

    def wire(self) -> dict[str, Any]:
        data: dict[str, Any] = self.model_dump(mode="json", exclude_none=True)
        return data


# -- the plain calls' answers -----------------------------------------------------------------


class Upload(WireModel):
    file_name: str
    file_size: int
    file_type: str
    file_url: str
    upload_state: str
    tn_l: list[Any] | None = None
    tn_m: list[Any] | None = None
    tn_s: list[Any] | None = None


class UploadEntry(WireModel):
    id: int
    file_name: str | None
    filename: str
    file_size: int
    file_type: str
    file_url: str
    ip: str | None
    item_id: int | None
    note_id: int | None
    project_id: int | None
    uploaded: str
    user_id: int


class QueryResult(WireModel):
    query: str
    type: str
    data: list[Item] | int


class RedirectLink(WireModel):
    link: str


class Streak(WireModel):
    count: int
    start: str
    end: str


class CompletedCount(WireModel):
    completed: int
    id: int


class StatsBucket(WireModel):
    date: str
    items: list[CompletedCount]
    total_completed: int


class Goals(WireModel):
    daily_goal: int
    weekly_goal: int
    ignore_days: list[int]
    vacation_mode: int
    karma_disabled: int
    user_id: int
    current_daily_streak: Streak
    current_weekly_streak: Streak
    max_daily_streak: Streak
    max_weekly_streak: Streak


class ProductivityStats(WireModel):
    karma_last_update: float
    karma_trend: str
    karma: float
    karma_update_reasons: list[Any]
    karma_graph: str
    completed_count: int
    days_items: list[StatsBucket]
    week_items: list[StatsBucket]
    project_colors: dict[str, str]
    goals: Goals


class CompletedEntry(WireModel):
    id: int
    task_id: int
    user_id: int
    project_id: int
    content: str
    completed_date: str
    meta_data: Any
    note_count: int
    notes: list[Note] | None = None


class CompletedItems(WireModel):
    items: list[CompletedEntry]
    projects: dict[str, Project]


class ItemInfo(WireModel):
    item: Item
    project: Project
    notes: list[Note]


class ProjectInfo(WireModel):
    project: Project
    notes: list[Note]


class LabelInfo(WireModel):
    label: Label


class NoteInfo(WireModel):
    note: Note


class FilterInfo(WireModel):
    filter: Filter


class ReminderInfo(WireModel):
    reminder: Reminder


class TemplateStatus(WireModel):
    status: Literal["ok"]


class TemplateFile(WireModel):
    file_name: str
    file_url: str


class BusinessInvitation(WireModel):
    id: int
    secret: str
    email: str
    user_id: int | None
    inviter_id: int
    business_account_id: int | None
    message: str | None
    base_url: str | None


class Backup(WireModel):
    version: str
    url: str
