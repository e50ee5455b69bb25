"""`OfflineSync`: a local copy of the Sync API's data and a persistent queue of commands.

Commands are queued on disk first (`enqueue`), then sent (`push`) in parts of at most
`MAX_COMMANDS`; a part leaves the queue only once its answer is recorded. If a push fails —
no connection, a lost answer, a 429 beyond the retry budget — the queue is untouched and the
next push sends the same commands with the **same uuids**: the server runs each uuid once and
answers a repeat with the stored outcome, so nothing is done twice. `pull` merges what changed
since the stored ``seq_no`` into the local copy. Everything lives in one SQLite file; each step
is one transaction, so a crash leaves either the old or the new state, never a mix.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from taskhaven.sdk._sync_client import MAX_COMMANDS, SyncClient
from taskhaven.sdk.models.sync import (
    Command,
    Error,
    Filter,
    Item,
    Label,
    Note,
    Project,
    Reminder,
    SyncResponse,
    User,
)

M = TypeVar("M", bound=BaseModel)

# Resources merged by id (is_deleted removes); the others are replaced whole.
MERGED = {
    "projects": "Projects", "items": "Items", "labels": "Labels", "filters": "Filters",
    "notes": "Notes", "project_notes": "ProjectNotes", "reminders": "Reminders",
}  # fmt: skip
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS objects (
    kind TEXT NOT NULL, id INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (kind, id)
);
CREATE TABLE IF NOT EXISTS queue (
    position INTEGER PRIMARY KEY AUTOINCREMENT, command TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS temp_ids (temp_id TEXT PRIMARY KEY, id INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS rejected (
    uuid TEXT PRIMARY KEY, command TEXT NOT NULL, error TEXT NOT NULL
);
"""


class OfflineSync:
    """The Sync API's data kept in `path` (SQLite), with commands queued for the server."""

    def __init__(self, client: SyncClient, path: Path | str) -> None:
        self.client = client
        self.path = Path(path)
        self._db = sqlite3.connect(self.path, isolation_level=None)
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        # Race: another process on the same file waits here (IMMEDIATE takes the write lock
        # first), so two pushes never send the same queue head twice at once.
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # -- the queue -------------------------------------------------------------------------------

    def enqueue(self, *commands: Command) -> None:
        """Keep `commands` on disk, in order, until the server has answered them."""
        with self._transaction() as db:
            db.executemany(
                "INSERT INTO queue (command) VALUES (?)",
                [(c.model_dump_json(exclude_none=True),) for c in commands],
            )

    def pending(self) -> list[Command]:
        rows = self._db.execute("SELECT command FROM queue ORDER BY position").fetchall()
        return [Command.model_validate_json(text) for (text,) in rows]

    def push(self) -> int:
        """Send the queue, `MAX_COMMANDS` at a time; the number of commands answered.

        A failure raises after the parts already answered are recorded; the rest stays queued.
        """
        sent = 0
        while True:
            rows = self._db.execute(
                "SELECT position, command FROM queue ORDER BY position LIMIT ?", (MAX_COMMANDS,)
            ).fetchall()
            if not rows:
                return sent
            part = [Command.model_validate_json(text) for _, text in rows]
            answer = self.client.commit(part)  # raises: the part stays queued as it is
            with self._transaction() as db:
                self._record(db, part, answer)
                db.execute("DELETE FROM queue WHERE position <= ?", (rows[-1][0],))
            sent += len(part)

    def _record(
        self, db: sqlite3.Connection, part: Sequence[Command], answer: SyncResponse
    ) -> None:
        db.executemany(
            "INSERT OR REPLACE INTO temp_ids (temp_id, id) VALUES (?, ?)",
            list((answer.temp_id_mapping or {}).items()),
        )
        errors = answer.errors()
        for command in part:
            if command.uuid in errors:
                error = errors[command.uuid]
                text = (
                    error.model_dump_json()
                    if isinstance(error, Error)
                    else json.dumps({k: v.model_dump() for k, v in error.items()})
                )
                db.execute(
                    "INSERT OR REPLACE INTO rejected (uuid, command, error) VALUES (?, ?, ?)",
                    (command.uuid, command.model_dump_json(exclude_none=True), text),
                )

    def rejected(self) -> dict[str, tuple[Command, Any]]:
        """Commands the server refused, by uuid: the command and its error (kept, not retried)."""
        rows = self._db.execute("SELECT uuid, command, error FROM rejected").fetchall()
        return {
            uuid: (Command.model_validate_json(command), json.loads(error))
            for uuid, command, error in rows
        }

    def real_id(self, temp_id: str) -> int | None:
        """The id the server gave the object a queued command created with `temp_id`."""
        row = self._db.execute("SELECT id FROM temp_ids WHERE temp_id = ?", (temp_id,)).fetchone()
        return int(row[0]) if row else None

    # -- the local copy --------------------------------------------------------------------------

    @property
    def seq_no(self) -> int:
        row = self._db.execute("SELECT value FROM meta WHERE key = 'seq_no'").fetchone()
        return int(row[0]) if row else 0

    def pull(self) -> SyncResponse:
        """Merge everything that changed since the last pull into the local copy."""
        answer = self.client.sync(
            seq_no=self.seq_no, day_orders_timestamp=self._meta("day_orders_timestamp")
        )
        data = answer.model_dump(mode="json", by_alias=True)
        with self._transaction() as db:
            for kind, key in MERGED.items():
                for obj in data.get(key) or []:
                    if obj.get("is_deleted"):
                        db.execute(
                            "DELETE FROM objects WHERE kind = ? AND id = ?", (kind, obj["id"])
                        )
                    else:
                        db.execute(
                            "INSERT OR REPLACE INTO objects (kind, id, data) VALUES (?, ?, ?)",
                            (kind, obj["id"], json.dumps(obj)),
                        )
            for key in ("User", "DayOrders", "DayOrdersTimestamp", "Locations", "Collaborators",
                        "CollaboratorStates", "SettingsNotifications", "LiveNotifications",
                        "LiveNotificationsLastRead"):  # fmt: skip
                if data.get(key) is not None:
                    self._set_meta(db, key, json.dumps(data[key]))
            self._set_meta(db, "seq_no", str(answer.seq_no))
            if answer.day_orders_timestamp is not None:
                self._set_meta(db, "day_orders_timestamp", answer.day_orders_timestamp)
        return answer

    def sync(self) -> SyncResponse:
        """Push the queue, then pull: the server's answer to the pull."""
        self.push()
        return self.pull()

    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else ""

    @staticmethod
    def _set_meta(db: sqlite3.Connection, key: str, value: str) -> None:
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def _objects(self, kind: str, model: type[M]) -> list[M]:
        rows = self._db.execute(
            "SELECT data FROM objects WHERE kind = ? ORDER BY id", (kind,)
        ).fetchall()
        return [model.model_validate_json(text) for (text,) in rows]

    def projects(self) -> list[Project]:
        return self._objects("projects", Project)

    def items(self) -> list[Item]:
        return self._objects("items", Item)

    def labels(self) -> list[Label]:
        return self._objects("labels", Label)

    def filters(self) -> list[Filter]:
        return self._objects("filters", Filter)

    def notes(self) -> list[Note]:
        return self._objects("notes", Note) + self._objects("project_notes", Note)

    def reminders(self) -> list[Reminder]:
        return self._objects("reminders", Reminder)

    def user(self) -> User | None:
        text = self._meta("User")
        return User.model_validate_json(text) if text else None
