"""``GET batch/check/{checkPoint}``: the full snapshot (0) or what changed since a cursor.

The cursor is the database-wide change counter (the Sync API's ``seq_no``), read *before*
any row: a change that commits in between is then sent now and again next time, which
merging by id makes harmless, while reading it afterwards could skip that change for good.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, RowMapping
from starlette.requests import Request
from starlette.routing import BaseRoute, Route

from taskhaven.api.ticktick import codes as mapping
from taskhaven.api.ticktick.v2 import render
from taskhaven.api.ticktick.v2.auth import current_user, session_token
from taskhaven.api.ticktick.v2.http import endpoint
from taskhaven.core import changes, groups, labels, reader, sessions, snapshot, visibility
from taskhaven.core.backend import Backend
from taskhaven.core.ids import inbox_oid
from taskhaven.core.rows import Row


def _projects(conn: Connection, user_id: int) -> list[dict[str, Any]]:
    """Every live list but the inbox, archived ones included (``closed: true``); shared
    lists too, with their member count (docs/sharing.md)."""
    group_oids = groups.oids(conn, user_id)
    rows = [row for row in snapshot.live_projects(conn, user_id) if not row["is_inbox"]]
    counts = visibility.member_counts(conn, [row["id"] for row in rows if row["shared"]])
    return [render.project(row, group_oids, user_id, counts) for row in rows]


def _groups(conn: Connection, user_id: int) -> list[dict[str, Any]]:
    return [render.group(row) for row in groups.live(conn, user_id)]


def _tags(conn: Connection, user_id: int) -> list[dict[str, Any]]:
    return [render.tag(row) for row in labels.live(conn, user_id)]


def _task_bean(conn: Connection, user: RowMapping, since: int) -> dict[str, Any]:
    if since == 0:
        rows: list[Row] = list(snapshot.active_tasks(conn, user["id"]))
        deleted: list[Row] = []
    else:
        changed = snapshot.tasks_changed_since(conn, user["id"], since)
        rows = [row for row in changed if not row["is_deleted"]]
        deleted = [row for row in changed if row["is_deleted"]]
    update = render.tasks(conn, user, rows)
    project_oids = snapshot.project_oids(conn, user["id"], {r["project_id"] for r in deleted})
    return {
        "update": update,
        "add": [],
        "delete": [
            {"taskId": row["oid"], "projectId": project_oids.get(row["project_id"])}
            for row in deleted
        ],
        "empty": not update and not deleted,
        "tagUpdate": [],
    }


# The kinds a check point answers, and the mark each one follows (core/marks.py).
_KINDS: dict[snapshot.Kind, str] = {"projects": "projects", "groups": "groups", "labels": "labels"}
_READS = ("items", *_KINDS.values())


def _nothing_new() -> dict[str, Any]:
    return {
        "update": [],
        "add": [],
        "delete": [],
        "empty": True,
        "tagUpdate": [],
    }


def snapshot_since(
    backend: Backend, user: RowMapping, since: int, start: reader.Start | None = None
) -> dict[str, Any]:
    """The answer for a reader at ``since``; 0 is the full snapshot strict clients expect.

    ``start`` (user, counter and marks in one statement) lets kinds that did not change
    since ``since`` go unread; without it, it is read first here.
    """
    user_id = user["id"]
    with reader.Lazy(backend.read) as db:
        if start is None:
            start = reader.for_user(db.conn, user_id)
        cursor = start.cursor
        since = changes.read_from(since, cursor)
        full = since == 0
        if start.skip("items", since):
            bean = _nothing_new()
        else:
            bean = _task_bean(db.conn, start.user, since)

        def when_changed(kind: snapshot.Kind, build: Any) -> Any:
            # Whole arrays whenever any member changed (absence = deleted), else null.
            if start.skip(_KINDS[kind], since):
                return None
            if full or snapshot.changed_since(db.conn, kind, user_id, since):
                return build(db.conn, user_id)
            return None

        return _answer(
            cursor,
            user_id,
            bean,
            full,
            when_changed("projects", _projects),
            when_changed("groups", _groups),
            when_changed("labels", _tags),
        )


def _answer(
    cursor: int,
    user_id: int,
    bean: dict[str, Any],
    full: bool,
    projects: Any = None,
    project_groups: Any = None,
    tags: Any = None,
) -> dict[str, Any]:
    return {
        "checkPoint": mapping.check_point(cursor),
        "inboxId": inbox_oid(user_id),
        "projectProfiles": projects,
        "projectGroups": project_groups,
        "tags": tags,
        "syncTaskBean": bean,
        "checks": None,
        "filters": [] if full else None,
        "syncOrderBean": {"orderByType": {}},
        "syncOrderBeanV3": {"orderByType": {}},
        "syncTaskOrderBean": {
            "taskOrderByDate": {},
            "taskOrderByPriority": {},
            "taskOrderByProject": {},
        },
        "remindChanges": [],
    }


def batch_check(backend: Backend, request: Request, _body: Any) -> Any:
    start: reader.Start | None = getattr(request.state, "check_start", None)
    user = current_user(backend, request) if start is None else start.user
    since = mapping.since_check_point(request.path_params["check_point"])
    return snapshot_since(backend, user, since, start)


def batch_check_inline(backend: Backend, request: Request, _body: Any) -> Any | None:
    """A check with nothing new, answered on the event loop from one statement (session,
    user, counter, marks) on the loop's own connection; None hands the request to
    ``batch_check`` in the thread pool (a session due a ``last_used_at`` write, an unknown
    session, or anything changed: docs/performance.md, the read path)."""
    since = mapping.since_check_point(request.path_params["check_point"])
    found = sessions.start_read(backend, session_token(request))
    if found is None:
        return None
    start, _session, due = found
    if due:
        return None
    request.state.check_start = start
    if not start.skips_all(_READS, changes.read_from(since, start.cursor)):
        return None
    return _answer(start.cursor, int(start.user["id"]), _nothing_new(), False)


def routes(prefix: str) -> list[BaseRoute]:
    return [
        Route(
            prefix + "/batch/check/{check_point}",
            endpoint(batch_check, inline=batch_check_inline),
            methods=["GET"],
        )
    ]
