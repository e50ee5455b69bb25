"""Whole-database backups taken while the server runs, and their restore.

Three formats, told apart by their first bytes:

- ``sqlite``: a SQLite database file, made with SQLite's online backup API in one step, so it
  is the snapshot of one read transaction (WAL lets writers go on meanwhile).
- ``pg_dump``: PostgreSQL's custom format, made by ``pg_dump`` (one snapshot) and restored
  with ``pg_restore``.
- ``logical``: gzip'd JSON lines, every table's rows read in one repeatable-read transaction
  through SQLAlchemy. Either database writes and restores it, so it also moves a server from
  SQLite to PostgreSQL and back. Used on PostgreSQL when ``pg_dump`` is missing or fails.

Invariant: a backup is one snapshot, so the change counter in it is at least every ``seq``
in it, and every command acknowledged before the backup began is in it (a command is
acknowledged only after its transaction commits). Clients that synced after the backup hold
a cursor from the future once it is restored; ``core.changes.read_from`` answers them with a
full sync.
"""

from __future__ import annotations

import base64
import gzip
import json
import logging
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, MetaData, insert, inspect, select, text
from sqlalchemy.engine import URL, make_url

from taskhaven.store.engine import make_engine, normalise_url
from taskhaven.store.migrate import alembic_config, upgrade
from taskhaven.store.schema import UTCDateTime, metadata

Format = Literal["sqlite", "pg_dump", "logical"]
log = logging.getLogger("taskhaven.backup")

LOGICAL_FORMAT = "taskhaven-backup"
LOGICAL_VERSION = 1
_SQLITE_MAGIC = b"SQLite format 3\x00"
_PGDUMP_MAGIC = b"PGDMP"
_GZIP_MAGIC = b"\x1f\x8b"
_BATCH = 1000


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


def _sqlite_path(url: URL) -> Path | None:
    """The file of a SQLite URL; None for any other database."""
    if url.get_backend_name() != "sqlite":
        return None
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(url.database)


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


# --- backup ----------------------------------------------------------------------------------


def backup(database_url: str, target: Path, *, logical: bool = False) -> Format:
    """Write a consistent snapshot of the database to ``target`` (replaced atomically).

    Returns the format written. Safe while servers write to the database.
    """
    url = make_url(normalise_url(database_url))
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    try:
        made = _backup_into(url, partial, logical)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return made


def _backup_into(url: URL, partial: Path, logical: bool) -> Format:
    path = _sqlite_path(url)
    if path is not None and not logical:
        if not path.exists():
            raise BackupError(f"no database at {path}")
        partial.unlink(missing_ok=True)
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        copy = sqlite3.connect(partial)
        try:
            # One step (pages=-1): the copy is one read transaction's snapshot.
            source.backup(copy, pages=-1)
        finally:
            copy.close()
            source.close()
        return "sqlite"
    if path is None and not logical and shutil.which("pg_dump"):
        done = _pg_tool("pg_dump", url, "--format=custom", "--no-owner", "--file", str(partial))
        if done.returncode == 0:
            return "pg_dump"
        # A pg_dump older than the server refuses to dump it: fall back to a logical export,
        # and say why (its last line of stderr: libpq never prints the password).
        reason = (done.stderr or "").strip().splitlines()[-1:] or [f"exit {done.returncode}"]
        log.warning("pg_dump failed (%s); writing a logical backup instead", reason[0])
    engine = make_engine(url.render_as_string(hide_password=False))
    try:
        with gzip.open(partial, "wt", encoding="utf-8") as out:
            for line in _logical_lines(engine):
                out.write(line)
                out.write("\n")
    finally:
        engine.dispose()
    return "logical"


def _pg_tool(name: str, url: URL, *args: str) -> subprocess.CompletedProcess[str]:
    """Run PostgreSQL's ``pg_dump`` or ``pg_restore`` on the database of ``url``.

    libpq gets the URL without SQLAlchemy's driver name and without the password, which
    goes by environment so that no process listing shows it.
    """
    program = shutil.which(name)
    if program is None:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client)")
    dbname = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return subprocess.run(  # noqa: S603 - a fixed program, arguments from our own URL
        [program, *args, "--dbname", dbname],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _logical_lines(engine: Engine) -> Iterator[str]:
    isolation = "SERIALIZABLE" if engine.dialect.name == "sqlite" else "REPEATABLE READ"
    with engine.connect().execution_options(isolation_level=isolation) as conn, conn.begin():
        # Every table is read in this one transaction: one snapshot.
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        yield json.dumps(
            {"format": LOGICAL_FORMAT, "version": LOGICAL_VERSION, "revision": revision}
        )
        for table in metadata.sorted_tables:
            columns = [c.name for c in table.columns]
            yield json.dumps({"table": table.name, "columns": columns})
            result = conn.execute(select(table).order_by(*table.primary_key.columns))
            for row in result:
                yield json.dumps([_encode(value) for value in row], ensure_ascii=False)


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


# --- restore ---------------------------------------------------------------------------------


def detect(source: Path) -> Format:
    try:
        with open(source, "rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise BackupError(f"cannot read {source}: {exc.strerror}") from exc
    if head.startswith(_SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(_PGDUMP_MAGIC):
        return "pg_dump"
    if head.startswith(_GZIP_MAGIC):
        return "logical"
    raise BackupError(f"{source} is not a taskhaven backup")


def is_empty(database_url: str) -> bool:
    """True when the database holds no tables (restoring into it overwrites nothing)."""
    url = make_url(normalise_url(database_url))
    path = _sqlite_path(url)
    if path is not None and (not path.exists() or path.stat().st_size == 0):
        return True
    engine = make_engine(url.render_as_string(hide_password=False))
    try:
        return not inspect(engine).get_table_names()
    finally:
        engine.dispose()


def restore(database_url: str, source: Path, *, force: bool = False) -> Format:
    """Replace the database's contents with the backup in ``source``, then migrate it to
    the newest schema. Refuses a database that holds tables unless ``force``.

    No server may use the database meanwhile.
    """
    url = make_url(normalise_url(database_url))
    source = Path(source)
    kind = detect(source)
    if not force and not is_empty(database_url):
        raise BackupError("the database is not empty; --force overwrites it")
    path = _sqlite_path(url)
    if kind == "pg_dump" and path is not None:
        raise BackupError("a pg_dump backup restores only into PostgreSQL")
    if kind == "sqlite" and path is None:
        raise BackupError("a SQLite backup restores only into SQLite; take a logical one")
    if kind == "sqlite":
        assert path is not None
        _restore_sqlite(source, path)
    else:
        _drop_everything(url)
        if kind == "pg_dump":
            _pg_restore(url, source)
        else:
            _restore_logical(url, source)
    engine = make_engine(url.render_as_string(hide_password=False))
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    return kind


def _restore_sqlite(source: Path, path: Path) -> None:
    backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        verdict = backup_db.execute("PRAGMA integrity_check").fetchone()
        if verdict is None or verdict[0] != "ok":
            raise BackupError(f"{source} fails SQLite's integrity check")
        path.parent.mkdir(parents=True, exist_ok=True)
        live = sqlite3.connect(path)
        try:
            # Page by page into the live file, through SQLite: its WAL stays coherent.
            backup_db.backup(live, pages=-1)
        finally:
            live.close()
    finally:
        backup_db.close()


def _drop_everything(url: URL) -> None:
    engine = make_engine(url.render_as_string(hide_password=False))
    try:
        found = MetaData()
        found.reflect(engine)
        with engine.begin() as conn:
            found.drop_all(conn)
    finally:
        engine.dispose()


def _pg_restore(url: URL, source: Path) -> None:
    done = _pg_tool("pg_restore", url, "--no-owner", "--single-transaction", str(source))
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()}")


def _restore_logical(url: URL, source: Path) -> None:
    engine = make_engine(url.render_as_string(hide_password=False))
    try:
        with gzip.open(source, "rt", encoding="utf-8") as lines:
            header = json.loads(next(lines, "{}"))
            if header.get("format") != LOGICAL_FORMAT or header.get("version") != LOGICAL_VERSION:
                raise BackupError(f"{source} is not a taskhaven logical backup")
            if header.get("revision") != head_revision():
                raise BackupError(
                    f"{source} was made at schema {header.get('revision')}; this version "
                    f"restores schema {head_revision()}: restore it with the version that made it"
                )
            upgrade(engine)
            with engine.begin() as conn:
                conn.execute(metadata.tables["change_counter"].delete())
                _load_rows(conn, lines)
                if conn.dialect.name == "postgresql":
                    _reset_sequences(conn)
    except (ValueError, KeyError, OSError, EOFError) as exc:
        raise BackupError(f"{source} is damaged: {exc}") from exc
    finally:
        engine.dispose()


def _load_rows(conn: Any, lines: Iterator[str]) -> None:
    table = None
    columns: list[str] = []
    batch: list[dict[str, Any]] = []
    decoders: list[Any] = []

    def flush() -> None:
        if table is not None and batch:
            conn.execute(insert(table), batch)
        batch.clear()

    for line in lines:
        value = json.loads(line)
        if isinstance(value, dict):
            flush()
            table = metadata.tables[value["table"]]
            columns = list(value["columns"])
            decoders = [_decoder(table.c[name].type) for name in columns]
            continue
        if table is None:
            raise ValueError("a row before its table")
        batch.append({c: d(v) for c, d, v in zip(columns, decoders, value, strict=True)})
        if len(batch) >= _BATCH:
            flush()
    flush()


def _decoder(kind: Any) -> Any:
    if isinstance(kind, UTCDateTime):
        return lambda v: None if v is None else datetime.fromisoformat(v)
    return lambda v: v


def _reset_sequences(conn: Any) -> None:
    """Identity columns go on after the restored ids, not from 1."""
    for table in metadata.sorted_tables:
        if "id" not in table.c or not table.c.id.autoincrement:
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608
                f"coalesce(max(id), 1), max(id) IS NOT NULL) FROM {table.name}"
            )
        )
