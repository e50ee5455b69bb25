"""Every Sync API wire field and its bound: command arguments by command type, plain-call
parameters by call. The numbers come from ``core/columns.py`` (the schema's columns, or an
explicit maximum for a field not stored as sent); they are checked before a command or a
call reaches core, so an over-long value, NUL or a lone surrogate is the protocol's
``{"error_code": 16, "error": ...}``, never a database error.

``tests/v6/test_bounds.py`` fails when a command argument or a call parameter of the fuzz
table (which ``tests/fuzz/test_table.py`` keeps complete) has no entry here.
"""

from __future__ import annotations

from collections.abc import Mapping

from taskhaven.core import columns
from taskhaven.core.columns import (
    ATTACHMENT,
    COLOUR,
    DOCUMENT,
    ID,
    JSON_PARAM,
    NUMBER,
    PASSWORD,
    PATH,
    PREF_TEXT,
    TIMESTAMP,
    TOKEN,
    UNSTORED,
    Bound,
    column,
)
from taskhaven.core.errors import InvalidArgument

Fields = Mapping[str, Bound]

_ITEM: Fields = {
    "id": ID,
    "content": column("items", "content"),
    "project_id": ID,
    "date_string": column("items", "date_string"),
    "date_lang": column("items", "date_lang"),
    "due_date_utc": TIMESTAMP,
    "due_date": TIMESTAMP,
    "priority": NUMBER,
    "indent": NUMBER,
    "item_order": NUMBER,
    "day_order": NUMBER,
    "collapsed": NUMBER,
    "labels": ID,
    "note": column("notes", "content"),
    "assigned_by_uid": ID,
    "responsible_uid": ID,
    "checked": NUMBER,
    "in_history": NUMBER,
    "parent_id": ID,
}
_PROJECT: Fields = {
    "id": ID,
    "name": column("projects", "name"),
    "color": COLOUR,
    "indent": NUMBER,
    "item_order": NUMBER,
    "collapsed": NUMBER,
    "is_archived": NUMBER,
}
_LABEL: Fields = {
    "id": ID,
    "name": column("labels", "name"),
    "color": COLOUR,
    "item_order": NUMBER,
}
_NOTE: Fields = {
    "id": ID,
    "item_id": ID,
    "project_id": ID,
    "content": column("notes", "content"),
    "file_attachment": ATTACHMENT,
    "uids_to_notify": ID,
}
_FILTER: Fields = {
    "id": ID,
    "name": column("filters", "name"),
    "query": column("filters", "query"),
    "color": COLOUR,
    "item_order": NUMBER,
}
_REMINDER: Fields = {
    "id": ID,
    "item_id": ID,
    "type": column("reminders", "type"),
    "service": column("reminders", "service"),
    "notify_uid": ID,
    "date_string": column("reminders", "date_string"),
    "date_lang": column("reminders", "date_lang"),
    "due_date_utc": TIMESTAMP,
    "due_date": TIMESTAMP,
    "minute_offset": NUMBER,
    "mm_offset": NUMBER,
    "name": column("reminders", "name"),
    "loc_lat": column("reminders", "loc_lat"),
    "loc_long": column("reminders", "loc_long"),
    "loc_trigger": column("reminders", "loc_trigger"),
    "radius": NUMBER,
}
_USER: Fields = {
    "email": column("users", "email"),
    "full_name": column("users", "full_name"),
    "password": PASSWORD,
    "timezone": column("users", "timezone"),
    "lang": column("users", "lang"),
    **dict.fromkeys(
        ("date_format", "time_format", "start_day", "start_page", "next_week", "sort_order",
         "mobile_number", "mobile_host", "default_reminder", "auto_reminder", "theme"),
        PREF_TEXT,
    ),
}  # fmt: skip
_GOALS: Fields = dict.fromkeys(
    ("daily_goal", "weekly_goal", "ignore_days", "vacation_mode", "karma_disabled"), NUMBER
)
_IDS: Fields = {"id": ID, "ids": ID}
_ORDERS: Fields = {"ids_to_orders_indents": ID, "id_order_mapping": ID, "ids_to_orders": ID}
_SHARING: Fields = {
    "project_id": ID,
    "email": column("project_members", "email"),
    "invitation_id": ID,
    "invitation_secret": column("project_members", "secret"),
}

COMMAND_ARGS: Mapping[str, Fields] = {
    "project_add": _PROJECT,
    "project_update": _PROJECT,
    "project_update_orders_indents": _ORDERS,
    "project_delete": _IDS,
    "project_archive": _IDS,
    "project_unarchive": _IDS,
    "item_add": _ITEM,
    "item_update": _ITEM,
    "item_delete": _IDS,
    "item_move": {"project_items": ID, "to_project": ID},
    "item_complete": {**_IDS, "force_history": NUMBER},
    "item_uncomplete": {**_IDS, "update_item_orders": NUMBER, "restore_state": ID},
    "item_uncomplete_update_meta": {"project_id": ID, "ids_to_metas": ID},
    "item_close": _IDS,
    "item_update_date_complete": {
        "id": ID,
        "new_date_utc": TIMESTAMP,
        "date_string": column("items", "date_string"),
        "is_forward": NUMBER,
    },
    "item_update_orders_indents": _ORDERS,
    "item_update_day_orders": _ORDERS,
    "label_add": _LABEL,
    "label_register": _LABEL,
    "label_update": _LABEL,
    "label_delete": _IDS,
    "label_update_orders": _ORDERS,
    "note_add": _NOTE,
    "note_update": _NOTE,
    "note_delete": _IDS,
    "filter_add": _FILTER,
    "filter_update": _FILTER,
    "filter_delete": _IDS,
    "filter_update_orders": _ORDERS,
    "reminder_add": _REMINDER,
    "reminder_update": _REMINDER,
    "reminder_delete": _IDS,
    "clear_locations": {},
    "user_update": _USER,
    "update_goals": _GOALS,
    "live_notifications_mark_as_read": {"seq_no": NUMBER},
    "live_notifications_mark_read": _IDS,
    "live_notifications_mark_unread": _IDS,
    "live_notifications_mark_read_all": {},
    "share_project": _SHARING,
    "accept_invitation": _SHARING,
    "reject_invitation": _SHARING,
    "delete_invitation": _SHARING,
    "delete_collaborator": _SHARING,
    "take_ownership": _SHARING,
}

_GET = {"all_data": NUMBER}
_COMPLETED: Fields = {
    "project_id": ID,
    "limit": NUMBER,
    "offset": NUMBER,
    "until": TIMESTAMP,
    "since": TIMESTAMP,
    "annotate_notes": NUMBER,
}
_UPLOAD: Fields = {
    "file_name": column("uploads", "file_name"),
    "file_size": NUMBER,
    "file_type": column("uploads", "file_type"),
}
_NOTIFICATION: Fields = {
    "notification_type": PREF_TEXT,
    "service": PREF_TEXT,
    "dont_notify": NUMBER,
}
_INVITATION: Fields = {"id": ID, "secret": TOKEN}

COMMON: Fields = {"token": TOKEN}
"""Parameters every call may carry."""

CALL_PARAMS: Mapping[str, Fields] = {
    "sync": {
        "seq_no": NUMBER,
        "seq_no_global": NUMBER,
        "resource_types": JSON_PARAM,
        "commands": DOCUMENT,
        "day_orders_timestamp": column("users", "day_orders_ts"),
    },
    "login": {"email": column("users", "email"), "password": PASSWORD},
    "login_with_google": {
        "email": column("users", "email"),
        "oauth2_token": TOKEN,
        "auto_signup": NUMBER,
        "full_name": column("users", "full_name"),
        "timezone": column("users", "timezone"),
    },
    "register": {
        "email": column("users", "email"),
        "full_name": column("users", "full_name"),
        "password": PASSWORD,
        "timezone": column("users", "timezone"),
        "lang": column("users", "lang"),
    },
    "delete_user": {
        "current_password": PASSWORD,
        "reason_for_delete": UNSTORED,
        "in_background": NUMBER,
    },
    "export_data": {"current_password": PASSWORD},
    "add_item": {**_ITEM, "labels": JSON_PARAM},
    "get_item": {"item_id": ID, **_GET},
    "get_project": {"project_id": ID, **_GET},
    "get_label": {"label_id": ID, **_GET},
    "get_note": {"note_id": ID, **_GET},
    "get_filter": {"filter_id": ID, **_GET},
    "get_reminder": {"reminder_id": ID, **_GET},
    "get_completed_items": _COMPLETED,
    "get_all_completed_items": _COMPLETED,
    "get_productivity_stats": {},
    "get_redirect_link": {"path": PATH, "hash": PATH},
    "query": {"queries": JSON_PARAM, "as_count": NUMBER},
    "quick/add": {
        "text": column("items", "content"),
        "note": column("notes", "content"),
        "reminder": column("reminders", "date_string"),
    },
    "templates/export_as_file": {"project_id": ID},
    "templates/export_as_url": {"project_id": ID},
    "templates/import_into_project": {"project_id": ID, "file": DOCUMENT},
    "update_notification_setting": _NOTIFICATION,
    "update_notification_settings": _NOTIFICATION,
    "upload_file": _UPLOAD,
    "uploads/add": _UPLOAD,
    "uploads/get": {"limit": NUMBER, "last_id": ID},
    "uploads/delete": {"file_url": PATH},
    "uploads/files/{name}": {"name": column("uploads", "name")},
    "backups/get": {},
    "business/users/invite": {"email_list": JSON_PARAM},
    "business/users/accept_invitation": _INVITATION,
    "business/users/reject_invitation": _INVITATION,
}


def check_args(kind: str, args: Mapping[str, object]) -> None:
    """InvalidArgument for the first argument of a ``kind`` command over its bound."""
    fields = COMMAND_ARGS.get(kind, {})
    for name, value in args.items():
        bound = fields.get(name)
        if bound is not None:
            columns.check_field(value, bound, name)


def check_params(call: str, values: Mapping[str, list[str]]) -> None:
    """InvalidArgument for the first parameter of ``call`` over its bound.

    ``values`` are a ``Params``' texts, whose characters ``Params.from_request`` has already
    checked (NUL and lone surrogates refused in every parameter): only lengths are left."""
    fields = CALL_PARAMS.get(call, {})
    for name, found in values.items():
        bound = fields.get(name) or COMMON.get(name)
        if bound is not None:
            for value in found:
                if len(value) > bound.limit:
                    raise InvalidArgument(
                        name,
                        f"Invalid argument value: {name} (longer than {bound.limit} characters)",
                    )
