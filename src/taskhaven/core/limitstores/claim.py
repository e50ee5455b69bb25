"""A lock file beside a SQLite database saying how its server processes count.

A process counting in memory holds it exclusively; every other serving process holds it
shared. So a memory-counting server never runs beside another server of the same database
(the second one's claim fails), whatever order they start in. PostgreSQL servers may run on
several machines, so they never count in memory and need no claim. The lock is an
``flock`` on an open file: the kernel releases it when the process dies.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no claim, memory never chosen by auto
    fcntl = None  # type: ignore[assignment]


class ClaimRefused(RuntimeError):
    """Another process serves this database with counters this one cannot share."""


class Claim:
    def __init__(self, fd: int) -> None:
        self._fd: int | None = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None


def lock_path(engine: Engine) -> Path | None:
    """``<database>-server.lock``; None when the database is no file (PostgreSQL, memory)."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).with_name(Path(database).name + "-server.lock")


def claim(engine: Engine, *, exclusive: bool, required: bool = False) -> Claim | None:
    """Take the claim without waiting; None when it is held the other way.

    ``required``: raise ClaimRefused instead of answering None. A database without a lock
    file can be claimed only shared (no claim needed) and never exclusively, except a SQLite
    database in memory, which no other process can open.
    """
    path = lock_path(engine)
    if path is None or fcntl is None:
        private = engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:")
        if not exclusive or private:
            return Claim(os.open(os.devnull, os.O_RDONLY))
        if required:
            raise ClaimRefused(
                "in-memory rate limits need a SQLite database file (one server process)"
            )
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        if required:
            raise ClaimRefused(
                f"another server process serves this database (lock {path}) and "
                + (
                    "counts rate limits elsewhere: in-memory counters would not add up"
                    if exclusive
                    else "counts rate limits in its memory: set "
                    "TASKHAVEN_RATE_LIMIT_STORE=database (or a TASKHAVEN_REDIS_URL) on "
                    "every server process"
                )
            ) from None
        return None
    return Claim(fd)
