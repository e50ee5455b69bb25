"""Uploaded files: the bytes under ``<data_dir>/uploads``, one ``uploads`` row per file.

A file's stored name is random and unguessable; it is the only thing a download needs,
so a file URL can be handed to collaborators the way a note attachment is. Listing and
deleting are scoped to the owner like every other query.

Invariant: a row exists only for a file that was completely written (the file is written
first and renamed into place, then the row is inserted; a failed insert removes the file).
A file without a live row is never served, so a delete is complete once its row commits.
"""

from __future__ import annotations

import contextlib
import mimetypes
import os
import re
import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, BinaryIO

from sqlalchemy import Connection, RowMapping, insert, select, update

from taskhaven.core import columns
from taskhaven.core.backend import Backend, Unit
from taskhaven.core.errors import InvalidArgument, MissingArgument, NotFound
from taskhaven.core.ids import new_oid
from taskhaven.store.schema import uploads

UPLOAD = "upload"
EXPORT = "export"
MAX_FILE_NAME = columns.length("uploads", "file_name")
MAX_FILE_TYPE = columns.length("uploads", "file_type")
DEFAULT_TYPE = "application/octet-stream"
LIST_DEFAULT = 30
LIST_MAX = 50
_CHUNK = 1 << 16
_NAME = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def directory(backend: Backend) -> Path:
    return backend.settings.data_dir / "uploads"


def path_of(backend: Backend, row: Mapping[Any, Any]) -> Path:
    return directory(backend) / str(row["name"])


def is_name(name: str) -> bool:
    """Whether ``name`` has the shape of a stored file name (no path can hide in it)."""
    return bool(_NAME.match(name))


def write_file(backend: Backend, name: str, content: bytes) -> int:
    """Write a file's bytes under the stored ``name`` (a row must follow); its size."""
    if not is_name(name):
        raise InvalidArgument("name")
    return _write(directory(backend), name, _chunks(content))


def clean_file_name(file_name: str | None) -> str:
    """The base name a user sees; path parts a client may send are dropped."""
    if file_name is None or not file_name.strip():
        raise MissingArgument("file_name")
    base = PureWindowsPath(PurePosixPath(file_name.strip()).name).name.strip()
    if not base or base in (".", ".."):
        raise InvalidArgument("file_name", "Invalid argument value: file_name (no file name)")
    if len(base) > MAX_FILE_NAME or any(ord(ch) < 32 for ch in base):
        raise InvalidArgument("file_name")
    return base


def file_type_for(file_name: str, declared: str | None) -> str:
    """The declared MIME type, else one guessed from the name."""
    value = (declared or "").strip()
    if value and value.lower() != DEFAULT_TYPE and len(value) <= MAX_FILE_TYPE:
        return value
    guessed, _encoding = mimetypes.guess_type(file_name)
    return guessed or DEFAULT_TYPE


def _write(target_dir: Path, name: str, chunks: Iterable[bytes]) -> int:
    """Write to a temporary name and rename into place, so no half file is ever served."""
    target_dir.mkdir(parents=True, exist_ok=True)
    partial = target_dir / f".{name}.partial"
    size = 0
    try:
        with partial.open("wb") as out:
            for chunk in chunks:
                out.write(chunk)
                size += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        partial.replace(target_dir / name)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return size


def _chunks(content: bytes | BinaryIO) -> Iterable[bytes]:
    if isinstance(content, bytes):
        yield content
        return
    while chunk := content.read(_CHUNK):
        yield chunk


def store(
    backend: Backend,
    user_id: int,
    *,
    content: bytes | BinaryIO,
    file_name: str | None,
    file_type: str | None = None,
    purpose: str = UPLOAD,
    address: str | None = None,
) -> RowMapping:
    """Save a file for ``user_id`` and return its row."""
    base = clean_file_name(file_name)
    kind = file_type_for(base, file_type)
    name = secrets.token_urlsafe(24)
    target_dir = directory(backend)
    # The bytes go to disk before the transaction starts: the change-counter lock a write
    # unit holds is never held while a large file is being copied.
    size = _write(target_dir, name, _chunks(content))
    try:
        with backend.write(user_id) as unit:
            row_id = unit.conn.execute(
                insert(uploads)
                .values(
                    oid=new_oid(),
                    user_id=user_id,
                    name=name,
                    file_name=base,
                    file_size=size,
                    file_type=kind,
                    purpose=purpose,
                    address=address[: columns.length("uploads", "address")] if address else None,
                    is_deleted=False,
                    created_at=unit.now,
                    seq=unit.stamp(),
                )
                .returning(uploads.c.id)
            ).scalar_one()
            row = unit.conn.execute(select(uploads).where(uploads.c.id == row_id)).mappings().one()
    except BaseException:
        (target_dir / name).unlink(missing_ok=True)
        raise
    return row


def list_uploads(
    conn: Connection, user_id: int, *, limit: int | None = None, last_id: int | None = None
) -> list[RowMapping]:
    """The user's live uploads, newest first; ``last_id`` pages to ids below it."""
    if limit is None:
        limit = LIST_DEFAULT
    if limit < 1:
        raise InvalidArgument("limit", "Invalid argument value: limit (at least 1)")
    query = select(uploads).where(
        uploads.c.user_id == user_id,
        uploads.c.purpose == UPLOAD,
        uploads.c.is_deleted.is_(False),
    )
    if last_id is not None:
        query = query.where(uploads.c.id < last_id)
    query = query.order_by(uploads.c.id.desc()).limit(min(limit, LIST_MAX))
    return list(conn.execute(query).mappings())


def by_name(conn: Connection, name: str) -> RowMapping:
    """A live file by its stored name, whoever owns it: the name is the capability."""
    if not _NAME.match(name):
        raise NotFound("upload")
    row = (
        conn.execute(select(uploads).where(uploads.c.name == name, uploads.c.is_deleted.is_(False)))
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound("upload")
    return row


def forget_all(unit: Unit) -> list[RowMapping]:
    """Soft-delete every live file of the unit's user; the rows, for ``remove_files``
    once the transaction has committed."""
    live = uploads.c.user_id == unit.user_id, uploads.c.is_deleted.is_(False)
    rows = list(unit.conn.execute(select(uploads).where(*live)).mappings())
    if rows:
        unit.conn.execute(update(uploads).where(*live).values(is_deleted=True, seq=unit.stamp()))
    return rows


def remove_files(backend: Backend, rows: Iterable[Mapping[Any, Any]]) -> None:
    for row in rows:
        with contextlib.suppress(OSError):
            path_of(backend, row).unlink(missing_ok=True)


def delete(backend: Backend, user_id: int, name: str) -> None:
    """Soft-delete the caller's file and remove its bytes."""
    if not _NAME.match(name):
        raise NotFound("upload")
    with backend.write(user_id) as unit:
        row = (
            unit.conn.execute(
                select(uploads).where(
                    uploads.c.name == name,
                    uploads.c.user_id == user_id,
                    uploads.c.is_deleted.is_(False),
                )
            )
            .mappings()
            .first()
        )
        if row is None:
            raise NotFound("upload")
        unit.conn.execute(
            update(uploads)
            .where(uploads.c.id == row["id"])
            .values(is_deleted=True, seq=unit.stamp())
        )
    # Race: a download that looked the row up just before the commit may still be reading;
    # on POSIX it keeps its open file, and later lookups see the deleted row and answer 404.
    with contextlib.suppress(OSError):
        path_of(backend, row).unlink(missing_ok=True)
