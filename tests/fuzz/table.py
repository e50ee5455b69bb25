"""The one table of everything the wire can carry, that the fuzz suite feeds hostile values.

- Sync API commands: every command type and the names of its arguments (``uuid``,
  ``temp_id`` and ``type`` are fuzzed for every command too).
- Sync API plain calls: every call of ``HANDLERS`` and its parameters.
- V2 and V1: every route with a body or a parameter; body fields come from the pydantic
  models the adapters validate with, so a field added to a model is fuzzed without a word
  here. Nested models (a task's checklist entries and reminders) are targets of their own.

``tests/fuzz/test_table.py`` fails when a command type, call or route is missing here.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from taskhaven.api.ticktick.v1 import models as v1
from taskhaven.api.ticktick.v2 import models as v2

# Names whose plausible value is one of the account's ids (a list for the plural ones).
ID_NAMES = frozenset(
    {"id", "item_id", "project_id", "label_id", "note_id", "filter_id", "reminder_id",
     "to_project", "parent_id", "notify_uid", "responsible_uid", "assigned_by_uid", "last_id",
     "invitation_id"}
)  # fmt: skip
ID_LIST_NAMES = frozenset({"ids", "uids_to_notify", "labels"})

_ITEM = ("content", "project_id", "date_string", "date_lang", "due_date_utc", "due_date",
         "priority", "indent", "item_order", "day_order", "collapsed", "labels", "note",
         "assigned_by_uid", "responsible_uid", "checked", "in_history", "parent_id")  # fmt: skip
_GOALS = ("daily_goal", "weekly_goal", "ignore_days", "vacation_mode", "karma_disabled")
_PROJECT = ("name", "color", "indent", "item_order", "collapsed", "is_archived")
_REMINDER = ("item_id", "type", "service", "notify_uid", "date_string", "date_lang",
             "due_date_utc", "due_date", "minute_offset", "mm_offset", "name", "loc_lat",
             "loc_long", "loc_trigger", "radius")  # fmt: skip
_PREFS = ("email", "full_name", "password", "timezone", "date_format", "time_format",
          "start_day", "start_page", "next_week", "sort_order", "mobile_number", "mobile_host",
          "default_reminder", "auto_reminder", "theme", "lang")  # fmt: skip

SYNC_COMMANDS: dict[str, tuple[str, ...]] = {
    "project_add": _PROJECT,
    "project_update": ("id", *_PROJECT),
    "project_update_orders_indents": ("ids_to_orders_indents",),
    "project_delete": ("ids",),
    "project_archive": ("id", "ids"),
    "project_unarchive": ("id", "ids"),
    "item_add": _ITEM,
    "item_update": ("id", *_ITEM),
    "item_delete": ("ids",),
    "item_move": ("project_items", "to_project"),
    "item_complete": ("ids", "force_history"),
    "item_uncomplete": ("ids", "update_item_orders", "restore_state"),
    "item_uncomplete_update_meta": ("project_id", "ids_to_metas"),
    "item_close": ("id",),
    "item_update_date_complete": ("id", "new_date_utc", "date_string", "is_forward"),
    "item_update_orders_indents": ("ids_to_orders_indents",),
    "item_update_day_orders": ("ids_to_orders",),
    "label_add": ("name", "color", "item_order"),
    "label_register": ("name", "color", "item_order"),
    "label_update": ("id", "name", "color", "item_order"),
    "label_delete": ("id",),
    "label_update_orders": ("id_order_mapping",),
    "note_add": ("item_id", "project_id", "content", "file_attachment", "uids_to_notify"),
    "note_update": ("id", "content", "file_attachment"),
    "note_delete": ("id",),
    "filter_add": ("name", "query", "color", "item_order"),
    "filter_update": ("id", "name", "query", "color", "item_order"),
    "filter_delete": ("id",),
    "filter_update_orders": ("id_order_mapping",),
    "reminder_add": _REMINDER,
    "reminder_update": ("id", *_REMINDER),
    "reminder_delete": ("id",),
    "clear_locations": (),
    "user_update": _PREFS,
    "update_goals": ("daily_goal", "weekly_goal", "ignore_days", "vacation_mode", "karma_disabled"),
    "live_notifications_mark_as_read": ("seq_no",),
    "live_notifications_mark_read": ("id",),
    "live_notifications_mark_unread": ("id",),
    "live_notifications_mark_read_all": (),
    "share_project": ("project_id", "email"),
    "accept_invitation": ("invitation_id", "invitation_secret"),
    "reject_invitation": ("invitation_id", "invitation_secret"),
    "delete_invitation": ("invitation_id",),
    "delete_collaborator": ("project_id", "email"),
    "take_ownership": ("project_id",),
}

# Sync API calls other than ``sync`` (fuzzed through its commands and these parameters).
SYNC_CALL = ("seq_no", "seq_no_global", "resource_types", "commands", "day_orders_timestamp")
_ADD_ITEM = ("content", "project_id", "date_string", "priority", "indent", "item_order",
             "labels", "note", "assigned_by_uid", "responsible_uid")  # fmt: skip
_COMPLETED = ("project_id", "limit", "offset", "until", "since", "annotate_notes")
PLAIN_CALLS: dict[str, tuple[str, ...]] = {
    "sync": SYNC_CALL,
    "login": ("email", "password"),
    "login_with_google": ("email", "oauth2_token", "auto_signup", "full_name", "timezone"),
    "register": ("email", "full_name", "password", "timezone", "lang"),
    "delete_user": ("current_password", "reason_for_delete", "in_background"),
    "export_data": ("current_password",),
    "add_item": _ADD_ITEM,
    "get_item": ("item_id", "all_data"),
    "get_project": ("project_id", "all_data"),
    "get_label": ("label_id", "all_data"),
    "get_note": ("note_id", "all_data"),
    "get_filter": ("filter_id", "all_data"),
    "get_reminder": ("reminder_id", "all_data"),
    "get_completed_items": _COMPLETED,
    "get_all_completed_items": _COMPLETED,
    "get_productivity_stats": (),
    "get_redirect_link": ("path", "hash"),
    "query": ("queries", "as_count"),
    "quick/add": ("text", "note", "reminder"),
    "templates/export_as_file": ("project_id",),
    "templates/export_as_url": ("project_id",),
    "templates/import_into_project": ("project_id", "file"),
    "update_notification_setting": ("notification_type", "service", "dont_notify"),
    "update_notification_settings": ("notification_type", "service", "dont_notify"),
    "upload_file": ("file_name", "file_size", "file_type"),
    "uploads/add": ("file_name", "file_size", "file_type"),
    "uploads/get": ("limit", "last_id"),
    "uploads/delete": ("file_url",),
    "uploads/files/{name}": ("name",),
    "backups/get": (),
    "business/users/invite": ("email_list",),
    "business/users/accept_invitation": ("id", "secret"),
    "business/users/reject_invitation": ("id", "secret"),
}


@dataclass(frozen=True)
class Route:
    """One JSON route: where its hostile fields go.

    ``body`` is where the fuzzed object sits in the JSON body: () for the body itself,
    ("add", 0) for the first entry of a batch's ``add`` list, and so on. ``query`` names
    query parameters and ``path`` the path parameters (``{name}`` in ``path_template``).
    """

    method: str
    path_template: str
    model: type[BaseModel] | None = None
    body: tuple[str | int, ...] = ()
    query: tuple[str, ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        """The body's wire names (aliases), from the model the adapter validates with."""
        if self.model is None:
            return ()
        return tuple(f.alias or name for name, f in self.model.model_fields.items())

    @property
    def path_params(self) -> tuple[str, ...]:
        return tuple(part[1:-1] for part in self.path_template.split("/") if part[:1] == "{")

    @property
    def name(self) -> str:
        where = "/".join(str(p) for p in self.body)
        return f"{self.method} {self.path_template}" + (f" [{where}]" if where else "")


V2_ROUTES: tuple[Route, ...] = (
    Route("POST", "/user/signon", query=("wc", "remember")),
    Route("POST", "/user/sign/mfa/code/verify"),
    Route("GET", "/user/profile"),
    Route("GET", "/user/status"),
    Route("GET", "/statistics/general"),
    Route("GET", "/user/sessions"),
    Route("DELETE", "/user/sessions/{session_id}"),
    Route("GET", "/batch/check/{check_point}"),
    Route("GET", "/project/all/closed", query=("from", "to", "limit", "status", "projectId")),
    Route("POST", "/batch/project", v2.ProjectAdd, ("add", 0)),
    Route("POST", "/batch/project", v2.ProjectUpdate, ("update", 0)),
    Route("POST", "/batch/project", v2.ProjectBatch),
    Route("POST", "/batch/projectGroup", v2.GroupAdd, ("add", 0)),
    Route("POST", "/batch/projectGroup", v2.GroupUpdate, ("update", 0)),
    Route("POST", "/batch/projectGroup", v2.GroupBatch),
    Route("POST", "/batch/task", v2.TaskAdd, ("add", 0)),
    Route("POST", "/batch/task", v2.TaskUpdate, ("update", 0)),
    Route("POST", "/batch/task", v2.TaskDelete, ("delete", 0)),
    Route("POST", "/batch/task", v2.ChecklistItem, ("add", 0, "items", 0)),
    Route("POST", "/batch/task", v2.Reminder, ("add", 0, "reminders", 0)),
    Route("POST", "/batch/task", v2.TaskBatch),
    Route("POST", "/batch/taskParent", v2.TaskParentChange, (0,)),
    Route("POST", "/batch/tag", v2.TagAdd, ("add", 0)),
    Route("POST", "/batch/tag", v2.TagUpdate, ("update", 0)),
    Route("POST", "/batch/tag", v2.TagBatch),
    Route("PUT", "/tag/rename", v2.TagRename),
    Route("DELETE", "/tag", query=("name",)),
    Route("GET", "/task/{task_id}", query=("projectId",)),
)
# Not fuzzed: ``/user/signout`` ends the session every other request of the run uses.
V2_NOT_FUZZED = frozenset({"/user/signout"})

V1_ROUTES: tuple[Route, ...] = (
    Route("GET", "/project"),
    Route("POST", "/project", v1.CreateProject),
    Route("GET", "/project/{project_id}"),
    Route("POST", "/project/{project_id}", v1.ProjectFields),
    Route("DELETE", "/project/{project_id}"),
    Route("GET", "/project/{project_id}/data"),
    Route("GET", "/project/{project_id}/task/{task_id}"),
    Route("DELETE", "/project/{project_id}/task/{task_id}"),
    Route("POST", "/project/{project_id}/task/{task_id}/complete"),
    Route("POST", "/task", v1.CreateTask),
    Route("POST", "/task", v1.Item, ("items", 0)),
    Route("POST", "/task/{task_id}", v1.UpdateTask),
)
