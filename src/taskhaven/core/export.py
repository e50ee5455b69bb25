"""One user's data as JSON, and its import into an account on this or another server.

An export holds the user's profile (name, password hash, time zone, preferences, goals) and
every live object: project groups, projects, labels, filters, items (history included),
notes, reminders and uploaded files (their bytes base64'd), with their ids as they were. It
holds no secret a database dump would not: not the API token (an imported account gets a
fresh one), not a TOTP secret (the user enrols again), no session, no OAuth grant (apps are
registered per server; the user authorises them again).

An import is one write unit: every object gets a new id (and a fresh ``seq``, so clients of
the account see it on their next sync), references between objects follow the new ids, and
a string id (V2's ``id``) is kept unless another object already has it. The exported Inbox
becomes the account's Inbox. An uploaded file keeps its stored name unless taken; a note's
attachment URL naming it follows it to this server's public URL and the name it got. It
creates the account when the e-mail is not registered (with the exported password hash),
else adds the objects to the existing account.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from taskhaven.core import security, uploads
from taskhaven.core.backend import Backend, Unit
from taskhaven.core.errors import InvalidArgument
from taskhaven.core.ids import inbox_oid, is_oid, new_oid
from taskhaven.core.users import by_email, normalise_email
from taskhaven.store.schema import (
    UTCDateTime,
    filters,
    items,
    labels,
    notes,
    project_groups,
    projects,
    reminders,
    users,
)
from taskhaven.store.schema import uploads as upload_rows

FORMAT = "taskhaven-user-export"
VERSION = 2
# Version 1 had no uploads and no server URL; it still imports.
READABLE = (1, 2)

# In import order: a kind comes after every kind it refers to.
KINDS: dict[str, Table] = {
    "project_groups": project_groups,
    "projects": projects,
    "labels": labels,
    "filters": filters,
    "items": items,
    "notes": notes,
    "reminders": reminders,
}
PROFILE = (
    "email",
    "full_name",
    "password_hash",
    "timezone",
    "lang",
    "prefs",
    "notification_settings",
    "goals",
    "completed_count",
    "karma",
    "day_orders_ts",
    "created_at",
)
# Columns an import never takes from the file: the row's place in this database.
_OWN = frozenset({"id", "user_id", "seq", "is_deleted"})
# Items' columns naming a user: the exporting user becomes the importing one.
_UID_COLUMNS = ("assigned_by_uid", "responsible_uid", "completed_by")


@dataclass(frozen=True)
class Imported:
    user_id: int
    token: str | None  # the new account's API token; None when the account existed
    counts: dict[str, int]


def _encode(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _plain(
    row: Mapping[Any, Any], skip: Iterable[str] = ("user_id", "seq", "is_deleted")
) -> dict[str, Any]:
    left_out = set(skip)
    # ``str(key)``: a column name may be a str subclass (``quoted_name``), which strict JSON
    # encoders refuse as a key.
    return {str(key): _encode(value) for key, value in row.items() if key not in left_out}


def export_user(backend: Backend, conn: Connection, user_id: int) -> dict[str, Any]:
    """Everything of ``user_id`` an import needs, as JSON-ready values."""
    user = conn.execute(select(users).where(users.c.id == user_id)).mappings().one()
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "server": backend.settings.base_url,
        "user": {
            **{key: _encode(user[key]) for key in PROFILE},
            "id": user["id"],
            "inbox_project_id": user["inbox_project_id"],
        },
    }
    for kind, table in KINDS.items():
        query = (
            select(table)
            .where(table.c.user_id == user_id, table.c.is_deleted.is_(False))
            .order_by(table.c.id)
        )
        data[kind] = [_plain(row) for row in conn.execute(query).mappings()]
    data["uploads"] = _export_uploads(backend, conn, user_id)
    return data


def _export_uploads(backend: Backend, conn: Connection, user_id: int) -> list[dict[str, Any]]:
    """The user's live uploaded files with their bytes; a row whose file is gone is left out
    (it could not be served either)."""
    query = (
        select(upload_rows)
        .where(
            upload_rows.c.user_id == user_id,
            upload_rows.c.purpose == uploads.UPLOAD,
            upload_rows.c.is_deleted.is_(False),
        )
        .order_by(upload_rows.c.id)
    )
    found = []
    for row in conn.execute(query).mappings():
        try:
            content = uploads.path_of(backend, row).read_bytes()
        except OSError:
            continue
        plain = _plain(row, ("user_id", "seq", "is_deleted", "file_size"))
        plain["content"] = base64.b64encode(content).decode("ascii")
        found.append(plain)
    return found


def import_user(backend: Backend, email: str, data: Any) -> Imported:
    """Import an export into the account ``email`` (created when missing); one transaction."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InvalidArgument("file", "not a taskhaven user export")
    if data.get("version") not in READABLE:
        raise InvalidArgument("file", f"an export of version {data.get('version')!r}")
    data.setdefault("uploads", [])
    for kind in ("user", *KINDS, "uploads"):
        expected = dict if kind == "user" else list
        if not isinstance(data.get(kind), expected):
            raise InvalidArgument("file", f"the export's {kind!r} is missing or malformed")
    email = normalise_email(email)
    # The bytes go to disk before the transaction (as ``uploads.store`` does), under names
    # no row holds yet; a failed import removes them, so no file outlives a rolled-back row.
    files = _write_files(backend, data["uploads"])
    try:
        with backend.write(0) as unit:
            return _import(backend, unit, email, data, files)
    except BaseException as exc:
        uploads.remove_files(backend, [{"name": f.name} for f in files])
        if isinstance(exc, SQLAlchemyError):
            orig = getattr(exc, "orig", None) or exc
            raise InvalidArgument("file", f"the export does not fit the database: {orig}") from exc
        if isinstance(exc, TypeError | ValueError | KeyError):
            raise InvalidArgument("file", f"the export is malformed: {exc!r}") from exc
        raise


@dataclass(frozen=True)
class _File:
    row: Mapping[str, Any]
    name: str  # the stored name on this server
    size: int


def _write_files(backend: Backend, rows: list[Any]) -> list[_File]:
    """Each upload's bytes on disk, under its exported name when no file of this server has
    it (a clash means the file came from here and is still here), else a new random one."""
    written: list[_File] = []
    try:
        for row in rows:
            if not isinstance(row, dict) or not isinstance(row.get("content"), str):
                raise InvalidArgument("file", "the export's 'uploads' is malformed")
            try:
                content = base64.b64decode(row["content"], validate=True)
            except (binascii.Error, ValueError) as exc:
                raise InvalidArgument("file", "an upload's content is not base64") from exc
            old = row.get("name")
            name = old if isinstance(old, str) and _free(backend, old) else None
            name = name or secrets.token_urlsafe(24)
            # Race: two imports of one export at once may both find a name free; the second
            # insert then breaks the name's unique constraint and that import changes nothing.
            size = uploads.write_file(backend, name, content)
            written.append(_File(row, name, size))
    except BaseException:
        uploads.remove_files(backend, [{"name": f.name} for f in written])
        raise
    return written


def _free(backend: Backend, name: str) -> bool:
    if not uploads.is_name(name) or uploads.directory(backend).joinpath(name).exists():
        return False
    with backend.read() as conn:
        held = conn.execute(select(upload_rows.c.id).where(upload_rows.c.name == name)).first()
    return held is None


class _Attachments:
    """A note's attachment URL naming an exported file follows it: to this server's public
    URL (when it starts with the exporting server's) and to the name the file got."""

    def __init__(self, old_server: str, new_server: str, renamed: Mapping[str, str]) -> None:
        self.old_server = old_server
        self.new_server = new_server
        self.renamed = renamed

    def follow(self, attachment: Any) -> Any:
        if not isinstance(attachment, dict) or not isinstance(attachment.get("file_url"), str):
            return attachment
        url: str = attachment["file_url"]
        for old, new in self.renamed.items():
            if url.endswith("/" + old):
                prefix = url[: -len(old)]
                if self.old_server and prefix.startswith(self.old_server + "/"):
                    prefix = self.new_server + prefix[len(self.old_server) :]
                return {**attachment, "file_url": prefix + new}
        return attachment


def _import(
    backend: Backend, unit: Unit, email: str, data: dict[str, Any], files: list[_File]
) -> Imported:
    profile: dict[str, Any] = data["user"]
    existing = by_email(unit.conn, email)
    token: str | None = None
    if existing is None:
        token = security.new_api_token()
        values = _decoded(users, {k: profile[k] for k in PROFILE if k in profile})
        values.update(
            email=email,
            user_code=str(uuid.uuid4()),
            api_token_digest=security.digest(token),
            api_token_enc=backend.box.seal(token),
            seq=unit.stamp(),
        )
        values.setdefault("created_at", unit.now)
        unit.user_id = unit.conn.execute(
            insert(users).values(values).returning(users.c.id)
        ).scalar_one()
        inbox_id = None
    else:
        unit.user_id = int(existing["id"])
        inbox_id = existing["inbox_project_id"]

    old_user = profile.get("id")
    new_ids: dict[str, dict[Any, int]] = {kind: {} for kind in KINDS}
    renamed = _insert_files(unit, files)
    moved = _Attachments(str(data.get("server") or ""), backend.settings.base_url, renamed)

    def ref(kind: str, old: Any) -> int | None:
        return None if old is None else new_ids[kind].get(old)

    def uid(old: Any) -> int | None:
        return unit.user_id if old is not None and old == old_user else None

    changes: dict[str, Any]
    for row in data["project_groups"]:
        new_ids["project_groups"][row["id"]] = _insert(unit, project_groups, row, {})
    for row in data["projects"]:
        changes = {"group_id": ref("project_groups", row.get("group_id"))}
        if row.get("is_inbox") or row.get("id") == profile.get("inbox_project_id"):
            changes["is_inbox"] = True
            if inbox_id is None:
                inbox_id = _insert(unit, projects, row, changes, oid=inbox_oid(unit.user_id))
            else:
                _update(unit, projects, inbox_id, row, changes)
            new_ids["projects"][row["id"]] = inbox_id
            continue
        new_ids["projects"][row["id"]] = _insert(unit, projects, row, changes)
    if existing is None:
        unit.conn.execute(
            update(users).where(users.c.id == unit.user_id).values(inbox_project_id=inbox_id)
        )
    for kind in ("labels", "filters"):
        for row in data[kind]:
            new_ids[kind][row["id"]] = _insert(unit, KINDS[kind], row, {})
    parents: list[tuple[int, Any]] = []
    for row in data["items"]:
        project_id = ref("projects", row.get("project_id"))
        if project_id is None:
            continue
        changes = {
            "project_id": project_id,
            "parent_id": None,
            "labels": [
                new for old in row.get("labels") or [] if (new := ref("labels", old)) is not None
            ],
            **{column: uid(row.get(column)) for column in _UID_COLUMNS},
        }
        new_ids["items"][row["id"]] = _insert(unit, items, row, changes)
        if row.get("parent_id") is not None:
            parents.append((new_ids["items"][row["id"]], row["parent_id"]))
    # A parent may come after its child in id order: link them once every item exists.
    for child, old_parent in parents:
        if (parent := ref("items", old_parent)) is not None:
            unit.conn.execute(update(items).where(items.c.id == child).values(parent_id=parent))
    for row in data["notes"]:
        item_id = ref("items", row.get("item_id"))
        project_id = ref("projects", row.get("project_id"))
        if project_id is None or (row.get("item_id") is not None and item_id is None):
            continue
        notify = row.get("uids_to_notify")
        changes = {
            "item_id": item_id,
            "project_id": project_id,
            "uids_to_notify": None if notify is None else [unit.user_id for u in notify if uid(u)],
            "file_attachment": moved.follow(row.get("file_attachment")),
        }
        new_ids["notes"][row["id"]] = _insert(unit, notes, row, changes)
    for row in data["reminders"]:
        item_id = ref("items", row.get("item_id"))
        if item_id is None:
            continue
        changes = {"item_id": item_id, "notify_uid": uid(row.get("notify_uid"))}
        # A reminder's string id is unique per item, and the item is new.
        new_ids["reminders"][row["id"]] = _insert(
            unit, reminders, row, changes, oid=_oid_or_new(row.get("oid"))
        )
    counts = {kind: len(ids) for kind, ids in new_ids.items()}
    return Imported(unit.user_id, token, {**counts, "uploads": len(files)})


def _insert_files(unit: Unit, files: list[_File]) -> dict[str, str]:
    """Rows for the files already on disk; the exported stored names -> this server's."""
    renamed: dict[str, str] = {}
    for file in files:
        old = file.row.get("name")
        if isinstance(old, str):
            renamed[old] = file.name
        values = _decoded(upload_rows, file.row)
        oid = values.get("oid")
        if (
            not is_oid(oid)
            or unit.conn.execute(select(upload_rows.c.id).where(upload_rows.c.oid == oid)).first()
        ):
            oid = new_oid()
        values.update(
            oid=oid,
            user_id=unit.user_id,
            name=file.name,
            file_name=uploads.clean_file_name(str(values.get("file_name") or "file")),
            file_size=file.size,
            file_type=str(values.get("file_type") or uploads.DEFAULT_TYPE)[: uploads.MAX_FILE_TYPE],
            purpose=uploads.UPLOAD,
            is_deleted=False,
            seq=unit.stamp(),
        )
        values.setdefault("created_at", unit.now)
        unit.conn.execute(insert(upload_rows).values(values))
    return renamed


def _decoded(table: Table, row: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, value in row.items():
        if key in _OWN or key not in table.c:
            continue
        if isinstance(table.c[key].type, UTCDateTime) and isinstance(value, str):
            value = datetime.fromisoformat(value)
        values[key] = value
    return values


def _oid_or_new(oid: Any) -> str:
    return oid if is_oid(oid) else new_oid()


def _insert(
    unit: Unit,
    table: Table,
    row: Mapping[str, Any],
    changes: Mapping[str, Any],
    *,
    oid: str | None = None,
) -> int:
    values = _decoded(table, row)
    values.update(changes)
    if oid is None:
        oid = _oid_or_new(row.get("oid"))
        # Race: none; the unit holds the change-counter lock, so no writer takes it meanwhile.
        if unit.conn.execute(select(table.c.id).where(table.c.oid == oid)).first():
            oid = new_oid()
    values.update(oid=oid, user_id=unit.user_id, seq=unit.stamp(), is_deleted=False)
    return int(unit.conn.execute(insert(table).values(values).returning(table.c.id)).scalar_one())


def _update(
    unit: Unit, table: Table, row_id: int, row: Mapping[str, Any], changes: Mapping[str, Any]
) -> None:
    values = _decoded(table, row)
    values.pop("oid", None)
    values.update(changes)
    values["seq"] = unit.stamp()
    unit.conn.execute(update(table).where(table.c.id == row_id).values(values))
