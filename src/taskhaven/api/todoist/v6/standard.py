"""The Sync API's standard (non-sync) calls beside ``sync``: getters, queries, uploads …

Each handler translates wire parameters into core calls and core rows into v6 objects;
the rules live in core. Every call but the sign-on ones and the file download
authenticates with ``token`` and sees only the caller's objects.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

import orjson
from sqlalchemy import Connection, RowMapping
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from taskhaven.api.todoist.v6 import render, templates
from taskhaven.api.todoist.v6.colors import DEFAULT_PROJECT_COLOR, PROJECT_PALETTE
from taskhaven.api.todoist.v6.http import ADD_TASK, DELETE, WRITE, Handler, authenticate
from taskhaven.api.todoist.v6.params import BadJson, Params
from taskhaven.api.todoist.v6.timestamps import format_v6, parse_bound
from taskhaven.core import (
    business,
    changes,
    completed,
    filters,
    item_labels,
    labels,
    member_view,
    notes,
    projects,
    queries,
    reminders,
    statistics,
    uploads,
    users,
    zones,
)
from taskhaven.core import items as core_items
from taskhaven.core.backend import Backend, utcnow
from taskhaven.core.dates import InvalidDate
from taskhaven.core.errors import (
    AuthenticationFailed,
    InvalidArgument,
    InvalidDateArgument,
    MissingArgument,
    NotFound,
)

FILES_PATH = "uploads/files/"
# Types a browser may show in place; anything else downloads, so an uploaded HTML page
# can never run as this server's origin.
INLINE_TYPES = re.compile(r"^(image/(png|jpeg|gif|webp|bmp)|audio/[\w.+-]+|video/[\w.+-]+)$")


# -- helpers ---------------------------------------------------------------------------------


def _required_int(params: Params, name: str) -> int:
    value = params.integer(name)
    if value is None:
        raise MissingArgument(name)
    return value


def _zone(user: RowMapping) -> ZoneInfo:
    return zones.zone_or_utc(user["timezone"])


def _moment(params: Params, *names: str) -> datetime | None:
    """The first of ``names`` given, as a UTC moment (naive text is UTC, a bare date 00:00)."""
    for name in names:
        value = params.text(name)
        if value is None or value.strip() == "":
            continue
        try:
            return parse_bound(value)
        except InvalidDate as exc:
            raise InvalidDateArgument(name) from exc
    return None


def _file_url(backend: Backend, row: RowMapping) -> str:
    return f"{backend.settings.base_url}/API/v6/{FILES_PATH}{row['name']}"


def _file_part(params: Params) -> UploadFile:
    part = params.files.get("file")
    if part is None:
        if "file" in params:
            raise InvalidArgument(
                "file", "Invalid argument value: file (send it as a multipart/form-data file part)"
            )
        raise MissingArgument("file")
    return part


def _address(request: Request) -> str | None:
    return request.client.host if request.client else None


# -- sign-on ---------------------------------------------------------------------------------


def login_with_google(_backend: Backend, params: Params, _request: Request) -> Any:
    """Refused for every e-mail: this server cannot verify a Google token, so trusting one
    would let anybody sign on as anybody; ``auto_signup`` creates nothing either."""
    params.required("email")
    params.required("oauth2_token")
    raise AuthenticationFailed("Login error")


# -- uploads ---------------------------------------------------------------------------------


def _upload_object(backend: Backend, row: RowMapping) -> dict[str, Any]:
    return {
        "file_name": row["file_name"],
        "file_size": row["file_size"],
        "file_type": row["file_type"],
        "file_url": _file_url(backend, row),
        "upload_state": "completed",
    }


def upload_file(backend: Backend, params: Params, request: Request) -> Any:
    user = authenticate(backend, params, WRITE)
    part = _file_part(params)
    row = uploads.store(
        backend,
        user["id"],
        content=part.file,
        file_name=params.text("file_name") or part.filename,
        file_type=part.content_type,
        address=_address(request),
    )
    return _upload_object(backend, row)


def uploads_get(backend: Backend, params: Params, _request: Request) -> Any:
    user = authenticate(backend, params)
    limit = params.integer("limit")
    last_id = params.integer("last_id")
    with backend.read() as conn:
        rows = uploads.list_uploads(conn, user["id"], limit=limit, last_id=last_id)
    return [
        {
            "id": row["id"],
            "file_name": row["file_name"],
            "filename": row["file_name"],
            "file_size": row["file_size"],
            "file_type": row["file_type"],
            "file_url": _file_url(backend, row),
            "ip": row["address"],
            "item_id": None,
            "note_id": None,
            "project_id": None,
            "uploaded": format_v6(row["created_at"]),
            "user_id": row["user_id"],
        }
        for row in rows
    ]


def uploads_delete(backend: Backend, params: Params, _request: Request) -> Any:
    user = authenticate(backend, params, DELETE)
    path = urlsplit(params.required("file_url")).path
    _before, marker, name = path.partition("/" + FILES_PATH)
    if not marker:
        raise NotFound("upload")
    uploads.delete(backend, user["id"], name.strip("/"))
    return "ok"


def uploaded_file(backend: Backend, _params: Params, request: Request) -> Any:
    """The bytes behind a ``file_url``; the unguessable name is the only credential."""
    with backend.read() as conn:
        row = uploads.by_name(conn, str(request.path_params.get("name", "")))
    path = uploads.path_of(backend, row)
    if not path.is_file():
        raise NotFound("upload")
    inline = bool(INLINE_TYPES.match(row["file_type"].lower()))
    return FileResponse(
        path,
        media_type=row["file_type"],
        filename=row["file_name"],
        content_disposition_type="inline" if inline else "attachment",
        headers={
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "sandbox; default-src 'none'",
            "Cache-Control": "private, max-age=3600",
        },
    )


# -- queries and links -----------------------------------------------------------------------


def query(backend: Backend, params: Params, _request: Request) -> Any:
    user = authenticate(backend, params)
    raw = params.json("queries")
    if raw is None:
        raise MissingArgument("queries")
    texts = queries.check_queries(raw)
    as_count = params.flag("as_count")
    with backend.read() as conn:
        results = queries.run(
            conn,
            user["id"],
            texts,
            tz=_zone(user),
            now=utcnow(),
            next_week_day=int(users.prefs(user)["next_week"]),
        )
    return [
        {
            "query": result.query.text,
            "type": result.query.kind,
            "data": len(result.items) if as_count else [render.item(r) for r in result.items],
        }
        for result in results
    ]


def get_redirect_link(backend: Backend, params: Params, _request: Request) -> Any:
    """A link into this server; only same-site paths, so it can never point elsewhere."""
    authenticate(backend, params)
    path = params.text("path") or "/app"
    if not path.startswith("/") or path.startswith("//") or "\\" in path or "://" in path:
        raise InvalidArgument("path", "Invalid argument value: path (must start with one /)")
    if any(ord(ch) < 32 for ch in path):
        raise InvalidArgument("path")
    link = backend.settings.base_url + quote(path, safe="/?=&;:@%+,-._~!$'()*")
    fragment = (params.text("hash") or "").lstrip("#")
    if fragment:
        link += "#" + quote(fragment, safe="/?=&;:@%+,-._~!$'()*")
    return {"link": link}


# -- statistics and settings -----------------------------------------------------------------


def _streak(streak: statistics.Streak) -> dict[str, Any]:
    return {
        "count": streak.count,
        "start": streak.start.isoformat() if streak.start else "",
        "end": streak.end.isoformat() if streak.end else "",
    }


def _bucket(bucket: statistics.Bucket, label: str) -> dict[str, Any]:
    per_project = sorted(bucket.per_project.items(), key=lambda kv: (-kv[1], kv[0]))
    return {
        "date": label,
        "items": [{"completed": n, "id": pid} for pid, n in per_project],
        "total_completed": bucket.total,
    }


def get_productivity_stats(backend: Backend, params: Params, _request: Request) -> Any:
    user = authenticate(backend, params)
    goals = users.goals(user)
    with backend.read() as conn:
        user = users.get(conn, user["id"])
        result = statistics.progress(
            conn,
            user["id"],
            tz=_zone(user),
            now=utcnow(),
            start_day=int(users.prefs(user)["start_day"]),
            goals=goals,
        )
        live_projects = changes.rows_since(conn, "projects", user["id"], 0)
    return {
        "karma_last_update": 0.0,
        "karma_trend": "-",
        "karma": float(user["karma"]),
        "karma_update_reasons": [],
        "karma_graph": "",
        "completed_count": max(int(user["completed_count"]), result.completed),
        "days_items": [_bucket(b, b.start.isoformat()) for b in result.days],
        "week_items": [
            _bucket(b, f"{b.start.isoformat()}/{b.end.isoformat()}") for b in result.weeks
        ],
        "project_colors": {
            str(p["id"]): p["color"] or PROJECT_PALETTE[DEFAULT_PROJECT_COLOR]
            for p in live_projects
        },
        "goals": {
            **goals,
            "user_id": user["id"],
            "current_daily_streak": _streak(result.current_daily),
            "current_weekly_streak": _streak(result.current_weekly),
            "max_daily_streak": _streak(result.max_daily),
            "max_weekly_streak": _streak(result.max_weekly),
        },
    }


def _strict_flag(params: Params, name: str) -> bool:
    value = params.required(name).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise InvalidArgument(name)


def update_notification_setting(backend: Backend, params: Params, _request: Request) -> Any:
    user = authenticate(backend, params, WRITE)
    kind = params.required("notification_type")
    service = params.required("service")
    dont_notify = _strict_flag(params, "dont_notify")
    with backend.write(user["id"]) as unit:
        users.set_notification_setting(unit, kind, service, dont_notify)
        return users.notification_settings(users.get(unit.conn, user["id"]))


# -- completed items -------------------------------------------------------------------------


def get_all_completed_items(backend: Backend, params: Params, _request: Request) -> Any:
    user = authenticate(backend, params)
    project_id = params.integer("project_id")
    since = _moment(params, "since", "from_date")
    until = _moment(params, "until", "to_date")
    annotate = params.flag("annotate_notes")
    with backend.read() as conn:
        rows = completed.history(
            conn,
            user["id"],
            project_id=project_id,
            since=since,
            until=until,
            limit=params.integer("limit"),
            offset=params.integer("offset"),
        )
        counts = completed.note_counts(conn, user["id"], [r["id"] for r in rows])
        entries = []
        for row in rows:
            entry: dict[str, Any] = {
                "id": row["id"],
                "task_id": row["id"],
                "user_id": row["user_id"],
                "project_id": row["project_id"],
                "content": row["content"],
                "completed_date": format_v6(row["completed_at"]),
                "meta_data": None,
                "note_count": counts.get(row["id"], 0),
            }
            if annotate:
                entry["notes"] = [
                    render.note(n) for n in notes.for_item(conn, user["id"], row["id"])
                ]
            entries.append(entry)
        found = {
            str(pid): render.project(projects.get(conn, user["id"], pid, live=False))
            for pid in {r["project_id"] for r in rows}
        }
    return {"items": entries, "projects": found}


def get_completed_items(backend: Backend, params: Params, _request: Request) -> Any:
    user = authenticate(backend, params)
    project_id = _required_int(params, "project_id")
    with backend.read() as conn:
        rows = completed.in_project(conn, user["id"], project_id)
    return [render.item(r) for r in rows]


# -- items and getters -----------------------------------------------------------------------


def _labels(params: Params) -> list[int] | None:
    """``labels`` as a JSON array or as repeated parameters (what ``add_item(labels=[…])``
    puts in the query string)."""
    values = [v for v in params.all("labels") if v.strip() != ""]
    if not values:
        return None
    if len(values) == 1 and values[0].lstrip().startswith("["):
        try:
            parsed = orjson.loads(values[0])
        except orjson.JSONDecodeError as exc:
            raise BadJson("labels") from exc
        if not isinstance(parsed, list):
            raise InvalidArgument("labels")
        values = parsed
    result: list[int] = []
    for value in values:
        if isinstance(value, bool):
            raise InvalidArgument("labels")
        if isinstance(value, int):
            result.append(value)
        elif isinstance(value, str) and value.strip().isdecimal() and len(value) <= 20:
            result.append(int(value.strip()))
        else:
            raise InvalidArgument("labels")
    return result


ADD_ITEM_INTEGERS = ("priority", "indent", "item_order", "assigned_by_uid", "responsible_uid")


def add_item(backend: Backend, params: Params, _request: Request) -> Any:
    user = authenticate(backend, params, ADD_TASK)
    content = params.required("content")
    fields: dict[str, Any] = {}
    for name in ADD_ITEM_INTEGERS:
        value = params.integer(name)
        if value is not None:
            fields[name] = value
    date_string = params.text("date_string")
    if date_string is not None:
        fields["date_string"] = date_string
    label_ids = _labels(params)
    if label_ids is not None:
        fields["labels"] = label_ids
    note = params.text("note")
    with backend.write(user["id"]) as unit:
        row = core_items.add(
            unit, content=content, project_id=params.integer("project_id"), **fields
        )
        if note is not None and note.strip():
            core_items.add_note(unit, row["id"], note)
    return render.item(row)


def quick_add(backend: Backend, params: Params, _request: Request) -> Any:
    """Todoist's ``quick/add``: one line of text becomes an item (core/items/quick.py)."""
    user = authenticate(backend, params, ADD_TASK)
    text = params.required("text")
    with backend.write(user["id"]) as unit:
        row = core_items.quick_add(
            unit, text, note=params.text("note"), reminder=params.text("reminder")
        )
    return render.item(row)


def get_item(backend: Backend, params: Params, _request: Request) -> Any:
    user = authenticate(backend, params)
    item_id = _required_int(params, "item_id")
    with backend.read() as conn:
        item = item_labels.seen_one(conn, user["id"], core_items.get(conn, user["id"], item_id))
        project = projects.get(conn, user["id"], item["project_id"], live=False)
        item_notes = notes.for_item(conn, user["id"], item_id)
    return {
        "item": render.item(item),
        "project": render.project(project),
        "notes": [render.note(n) for n in item_notes],
    }


def get_project(backend: Backend, params: Params, _request: Request) -> Any:
    user = authenticate(backend, params)
    project_id = _required_int(params, "project_id")
    with backend.read() as conn:
        project = member_view.seen_one(conn, user["id"], projects.get(conn, user["id"], project_id))
        project_notes = notes.for_project(conn, user["id"], project_id)
    return {"project": render.project(project), "notes": [render.note(n) for n in project_notes]}


def _one(
    backend: Backend,
    params: Params,
    argument: str,
    getter: Callable[[Connection, int, int], RowMapping],
    renderer: Callable[[RowMapping], dict[str, Any]],
) -> dict[str, Any]:
    """The caller's live object whose id is the required parameter ``argument``, rendered."""
    user = authenticate(backend, params)
    object_id = _required_int(params, argument)
    with backend.read() as conn:
        return renderer(getter(conn, user["id"], object_id))


def get_label(backend: Backend, params: Params, _request: Request) -> Any:
    return {"label": _one(backend, params, "label_id", labels.get, render.label)}


def get_note(backend: Backend, params: Params, _request: Request) -> Any:
    """Item notes and project notes alike."""
    return {"note": _one(backend, params, "note_id", notes.get, render.note)}


def get_filter(backend: Backend, params: Params, _request: Request) -> Any:
    return {"filter": _one(backend, params, "filter_id", filters.get, render.filter_)}


def get_reminder(backend: Backend, params: Params, _request: Request) -> Any:
    return {"reminder": _one(backend, params, "reminder_id", reminders.get, render.reminder)}


# -- templates -------------------------------------------------------------------------------


def templates_import(backend: Backend, params: Params, _request: Request) -> Any:
    user = authenticate(backend, params, WRITE)
    project_id = _required_int(params, "project_id")
    data = _file_part(params).file.read()
    with backend.write(user["id"]) as unit:
        templates.import_csv(unit, project_id, data)
    return {"status": "ok"}


def _export(backend: Backend, params: Params) -> tuple[RowMapping, str, str]:
    user = authenticate(backend, params)
    project_id = _required_int(params, "project_id")
    with backend.read() as conn:
        project = projects.get(conn, user["id"], project_id)
        text = templates.export_csv(conn, user["id"], project_id)
    return user, text, templates.export_file_name(project["name"], int(utcnow().timestamp()))


def templates_export_as_file(backend: Backend, params: Params, _request: Request) -> Any:
    _user, text, file_name = _export(backend, params)
    disposition = f"attachment; filename*=utf-8''{quote(file_name)}"
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": disposition},
    )


def templates_export_as_url(backend: Backend, params: Params, request: Request) -> Any:
    user, text, file_name = _export(backend, params)
    row = uploads.store(
        backend,
        user["id"],
        content=text.encode("utf-8"),
        file_name=file_name,
        file_type="text/csv",
        purpose=uploads.EXPORT,
        address=_address(request),
    )
    return {"file_name": row["file_name"], "file_url": _file_url(backend, row)}


# -- business and backups --------------------------------------------------------------------


def business_invite(backend: Backend, params: Params, _request: Request) -> Any:
    user = authenticate(backend, params, WRITE)
    email_list = params.json("email_list")
    if email_list is None:
        raise MissingArgument("email_list")
    return business.invite(user["id"], email_list)


def _answer_invitation(params: Params) -> None:
    invitation_id = _required_int(params, "id")
    business.answer_invitation(invitation_id, params.required("secret"))


def business_accept(backend: Backend, params: Params, _request: Request) -> Any:
    authenticate(backend, params, WRITE)
    _answer_invitation(params)
    return None


def business_reject(backend: Backend, params: Params, _request: Request) -> Any:
    """May come without a token (the link in an invitation e-mail); a given one must be valid."""
    if params.text("token"):
        authenticate(backend, params, WRITE)
    _answer_invitation(params)
    return None


def backups_get(backend: Backend, params: Params, _request: Request) -> Any:
    """No backups are made: the operator backs up the database (see running.md)."""
    authenticate(backend, params)
    return []


STANDARD: dict[str, Handler] = {
    "login_with_google": login_with_google,
    "upload_file": upload_file,
    "uploads/add": upload_file,
    "uploads/get": uploads_get,
    "uploads/delete": uploads_delete,
    FILES_PATH + "{name}": uploaded_file,
    "query": query,
    "get_redirect_link": get_redirect_link,
    "get_productivity_stats": get_productivity_stats,
    "update_notification_setting": update_notification_setting,
    "update_notification_settings": update_notification_setting,
    "get_all_completed_items": get_all_completed_items,
    "get_completed_items": get_completed_items,
    "add_item": add_item,
    "quick/add": quick_add,
    "get_item": get_item,
    "get_project": get_project,
    "get_label": get_label,
    "get_note": get_note,
    "get_filter": get_filter,
    "get_reminder": get_reminder,
    "templates/import_into_project": templates_import,
    "templates/export_as_file": templates_export_as_file,
    "templates/export_as_url": templates_export_as_url,
    "business/users/invite": business_invite,
    "business/users/accept_invitation": business_accept,
    "business/users/reject_invitation": business_reject,
    "backups/get": backups_get,
}
