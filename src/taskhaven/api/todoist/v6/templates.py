"""Project templates, the Sync API's CSV: a project's open items written out, and read back
into a project through the core's item and note operations.

Columns ``TYPE,CONTENT,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG``. ``PRIORITY`` is
the apps' numbering (1 = most urgent), the reverse of the data model's (4 = most urgent).
A ``task`` row is an item; a ``note`` row is a note on the task above it (on the project
when no task precedes it). Import is all or nothing: one bad row and nothing is added.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection

from taskhaven.core import items, notes, project_items, projects, users
from taskhaven.core.backend import Unit
from taskhaven.core.errors import DomainError, InvalidArgument, NotFound

COLUMNS = ("TYPE", "CONTENT", "PRIORITY", "INDENT", "AUTHOR", "RESPONSIBLE", "DATE", "DATE_LANG")
TASK = "task"
NOTE = "note"
# Rows newer Todoist exports carry that have no counterpart here; they are skipped.
SKIPPED_TYPES = ("meta", "section")
MAX_ROWS = 5000
MAX_FILE_NAME_STEM = 100


def _person(conn: Connection, user_id: int | None, cache: dict[int, str]) -> str:
    """``Full Name (uid)``, the way templates name people."""
    if user_id is None:
        return ""
    if user_id not in cache:
        try:
            name = users.get(conn, user_id)["full_name"]
        except NotFound:
            name = None
        cache[user_id] = f"{name or ''} ({user_id})"
    return cache[user_id]


def export_csv(conn: Connection, user_id: int, project_id: int) -> str:
    """The live project's open items, in project order, each followed by its notes."""
    rows = project_items.open_items(conn, user_id, project_id)
    names: dict[int, str] = {}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(
            [
                TASK,
                row["content"],
                5 - int(row["priority"]),
                row["indent"],
                _person(conn, row["user_id"], names),
                _person(conn, row["responsible_uid"], names),
                row["date_string"] or "",
                row["date_lang"] or "",
            ]
        )
        for note in notes.for_item(conn, user_id, row["id"]):
            writer.writerow(
                [NOTE, note["content"], "", "", _person(conn, note["user_id"], names), "", "", ""]
            )
    writer.writerow([""] * len(COLUMNS))
    return out.getvalue()


def export_file_name(project_name: str, stamp: int) -> str:
    """``<stamp>_<project>.csv`` with only characters every file system accepts."""
    stem = re.sub(r"[^\w .-]+", "_", project_name).strip(" ._") or "project"
    return f"{stamp}_{stem[:MAX_FILE_NAME_STEM]}.csv"


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidArgument("file", "Invalid argument value: file (not UTF-8 text)") from exc


def _rows(text: str) -> list[list[str]]:
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise InvalidArgument("file", f"Invalid argument value: file (not CSV: {exc})") from exc
    if len(rows) > MAX_ROWS + 1:
        raise InvalidArgument("file", f"Invalid argument value: file (at most {MAX_ROWS} rows)")
    return rows


def _positions(rows: Sequence[Sequence[str]]) -> tuple[dict[str, int], int]:
    """Column positions from a header row when there is one, else the standard order."""
    for index, row in enumerate(rows):
        if not any(cell.strip() for cell in row):
            continue
        if row and row[0].strip().upper() == "TYPE":
            return {cell.strip().upper(): i for i, cell in enumerate(row)}, index + 1
        break
    return {name: i for i, name in enumerate(COLUMNS)}, 0


def _cell(row: Sequence[str], positions: Mapping[str, int], name: str) -> str:
    position = positions.get(name)
    if position is None or position >= len(row):
        return ""
    return row[position].strip()


def _number(value: str, name: str, line: int, low: int, high: int, default: int) -> int:
    if value == "":
        return default
    if not value.isdecimal() or len(value) > 20 or not low <= int(value) <= high:
        raise InvalidArgument(
            "file", f"Invalid argument value: file (row {line}: {name} {low}-{high})"
        )
    return int(value)


def import_csv(unit: Unit, project_id: int, data: bytes) -> int:
    """Append the template's tasks (and notes) to a live project; returns the task count."""
    projects.get(unit.conn, unit.user_id, project_id)
    rows = _rows(_decode(data))
    positions, first = _positions(rows)
    user = users.get(unit.conn, unit.user_id)
    last_item: int | None = None
    added = 0
    for line, row in enumerate(rows[first:], start=first + 1):
        if not any(cell.strip() for cell in row):
            continue
        kind = _cell(row, positions, "TYPE").lower()
        content = _cell(row, positions, "CONTENT")
        if kind in SKIPPED_TYPES:
            continue
        if kind not in (TASK, NOTE):
            raise InvalidArgument(
                "file", f"Invalid argument value: file (row {line}: TYPE is task or note)"
            )
        if not content:
            raise InvalidArgument("file", f"Invalid argument value: file (row {line}: no CONTENT)")
        fields: dict[str, Any] = {}
        if kind == TASK:
            fields["priority"] = 5 - _number(
                _cell(row, positions, "PRIORITY"), "PRIORITY", line, 1, 4, 4
            )
            fields["indent"] = _number(_cell(row, positions, "INDENT"), "INDENT", line, 1, 4, 1)
            date_string = _cell(row, positions, "DATE")
            if date_string:
                fields["date_string"] = date_string
                fields["date_lang"] = _cell(row, positions, "DATE_LANG") or user["lang"]
        try:
            if kind == TASK:
                last_item = items.add(unit, content=content, project_id=project_id, **fields)["id"]
                added += 1
            elif last_item is None:
                notes.add(unit, content=content, project_id=project_id)
            else:
                notes.add(unit, content=content, item_id=last_item)
        except DomainError as exc:
            raise InvalidArgument(
                "file", f"Invalid argument value: file (row {line}: {exc.message})"
            ) from exc
    return added
