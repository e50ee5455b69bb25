"""The start of every sync read, in one statement: who is asking, the counter, their marks.

``Start`` carries the user row, the cursor (the counter, read in the same statement as the
marks, so the marks cover every change numbered up to it: core/marks.py) and the marks. A
sync whose ``since`` is at or past a kind's mark skips that kind; one at or past all of them
is answered from this one row.

Values that cost a query but change only with a mark (completions today, collaborator lists)
are remembered per backend (core/remembered.py) under the marks they were read at: a mark
only goes up, so a value remembered under the current marks is still the current value, in
any process.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlalchemy import Connection, RowMapping, bindparam, exists, select

from taskhaven.core import marks, security, sharing, users, zones
from taskhaven.core.errors import NotFound
from taskhaven.core.marks import Marks
from taskhaven.core.remembered import Remembered
from taskhaven.store.prepared import Prepared, PreparedRow
from taskhaven.store.schema import MARK_KINDS, change_counter, project_members, sessions, user_marks
from taskhaven.store.schema import projects as projects_table
from taskhaven.store.schema import users as users_table

if TYPE_CHECKING:
    from taskhaven.core.backend import Backend

T = TypeVar("T")


@dataclass(frozen=True)
class Start:
    user: RowMapping
    cursor: int
    marks: Marks | None
    # The account's API token when the start was found by it (its digest matched): what
    # the User object carries, with no need to open the sealed copy.
    token: str | None = None
    # Everything the statement read except the cursor, as the database sent it (None when
    # not read by a prepared statement): equal contents mean an equal user row and equal
    # marks, so a value derived from them alone may be kept under this (``Remembered``).
    content: Hashable | None = None

    def skip(self, kind: str, since: int) -> bool:
        """Nothing of ``kind`` the user sees changed after ``since`` (core/marks.py)."""
        return marks.skip(self.marks, kind, since)

    def skips_all(self, kinds: Any, since: int) -> bool:
        return all(self.skip(kind, since) for kind in kinds)

    @property
    def has_memberships(self) -> bool:
        """False only when the user had no membership row when the start was read: then
        nothing is shared with them and none was gained or lost since any number (a
        membership gained later is numbered after this start's cursor, so the next read
        sends it)."""
        return bool(self.user.get("has_memberships", True))

    @property
    def may_see_departures(self) -> bool:
        """False only when, as the start was read, neither the user nor any project they
        own had a membership row: a departure is recorded only from a project that someone
        besides its owner sees (core/departures.py), and ownership passes only to a member,
        so no row can have left the user's sight. A membership made later is numbered after
        this start's cursor, as is any departure after it: the next read looks again."""
        return self.has_memberships or bool(self.user.get("owns_shared", True))


_COUNTER = select(change_counter.c.value).where(change_counter.c.id == 1).scalar_subquery()
# What every start reads beside a credential: the user row, the marks, the counter; and the
# join they come from (the user's marks row may not exist yet: an outer join).
# Whether the user has any membership row (in any state): without one, nothing is shared
# with them and nothing was gained or lost (``visibility.memberships`` would read no row).
_HAS_MEMBERSHIPS = exists().where(project_members.c.user_id == users_table.c.id)
# Whether a project the user owns has any membership row (an invitation included).
_OWNS_SHARED = exists().where(
    project_members.c.project_id == projects_table.c.id,
    projects_table.c.user_id == users_table.c.id,
)
START_COLUMNS = (
    users_table,
    *marks.columns(),
    _COUNTER.label("cursor"),
    _HAS_MEMBERSHIPS.label("has_memberships"),
    _OWNS_SHARED.label("owns_shared"),
)
START_FROM = users_table.outerjoin(user_marks, user_marks.c.user_id == users_table.c.id)
# Built once: the token lookup goes by the unique digest index.
_BY_TOKEN = (
    select(*START_COLUMNS)
    .select_from(START_FROM)
    .where(users_table.c.api_token_digest == bindparam("digest"))
)
_BY_ID = (
    select(*START_COLUMNS).select_from(START_FROM).where(users_table.c.id == bindparam("user_id"))
)
_SESSION_KEYS = [column.key for column in sessions.c]
_SESSION = [sessions.c[name].label(f"session_{name}") for name in _SESSION_KEYS]
_BY_SESSION = (
    select(*START_COLUMNS, *_SESSION)
    .select_from(START_FROM.join(sessions, sessions.c.user_id == users_table.c.id))
    .where(sessions.c.token_digest == bindparam("digest"))
)


# Where the marks and the cursor sit in a start's row: after the user's columns.
_MARKS_AT = len(users_table.c)
_CURSOR_AT = _MARKS_AT + len(marks.columns())
_START_KEYS = [column.key for column in _BY_TOKEN.selected_columns]
assert _START_KEYS[_MARKS_AT:_CURSOR_AT] == [f"mark_{kind}" for kind in MARK_KINDS]
assert _START_KEYS[_CURSOR_AT] == "cursor"


def _content(row: PreparedRow) -> Hashable:
    """The row without its cursor, hashable (PostgreSQL's driver hands JSON over parsed:
    those values are keyed by their text)."""
    raw = row.raw
    kept = raw[:_CURSOR_AT] + raw[_CURSOR_AT + 1 :]
    try:
        hash(kept)
    except TypeError:
        kept = tuple(repr(value) if isinstance(value, dict | list) else value for value in kept)
    return kept


def start_of(row: RowMapping, token: str | None = None) -> Start:
    """The start read by a statement that selected ``START_COLUMNS`` first.

    A prepared statement's row gives its marks and cursor straight from the driver's tuple
    (integers, or no marks row at all: an outer join) and its ``content``; any other row
    by name."""
    if not isinstance(row, PreparedRow):
        return Start(user=row, cursor=int(row["cursor"]), marks=marks.marks_of(row), token=token)
    raw = row.raw
    found = raw[_MARKS_AT:_CURSOR_AT]
    return Start(
        user=cast(RowMapping, row),
        cursor=int(raw[_CURSOR_AT]),
        marks=None if found[0] is None else dict(zip(MARK_KINDS, map(int, found), strict=True)),
        token=token,
        content=_content(row),
    )


_BY_TOKEN_PREPARED = Prepared(_BY_TOKEN)


def by_api_token(backend: Backend, token: str) -> Start | None:
    """The account whose API token this is, or None (maybe an app's token: see grants).

    One prepared statement outside a transaction (``Backend.loop_first``): what a polling
    client's sync costs when nothing is new."""
    if not token:
        return None
    wanted = security.digest(token)
    row = backend.loop_first(_BY_TOKEN_PREPARED, digest=wanted)
    if row is None or not security.same(row["api_token_digest"], wanted):
        return None
    # The same keys and converted values as the RowMapping ``for_user`` reads: readers of
    # ``Start.user`` only index it (tests/core/test_prepared.py compares both).
    return start_of(cast(RowMapping, row), token)


def for_user(conn: Connection, user_id: int) -> Start:
    row = conn.execute(_BY_ID, {"user_id": user_id}).mappings().first()
    if row is None:
        raise NotFound("user")
    return start_of(row)


_BY_SESSION_PREPARED = Prepared(_BY_SESSION)


def by_session(backend: Backend, token: str) -> tuple[Start, RowMapping] | None:
    """The session row (its columns as ``id``, ``user_id``...) and the start of a read for
    its user, or None for an unknown token (the caller checks revocation and expiry).

    One prepared statement outside a transaction (``Backend.loop_first``): what a V2
    client's ``batch/check`` costs when nothing is new."""
    if not token or len(token) > 256:
        return None
    wanted = security.digest(token)
    row = backend.loop_first(_BY_SESSION_PREPARED, digest=wanted)
    # Keys and converted values as ``.mappings()`` gives them (see by_api_token).
    return _session_start(cast("RowMapping | None", row), wanted)


def _session_start(row: RowMapping | None, wanted: str) -> tuple[Start, RowMapping] | None:
    if row is None or not security.same(row["session_token_digest"], wanted):
        return None
    session = {name: row[f"session_{name}"] for name in _SESSION_KEYS}
    return start_of(row), session  # type: ignore[return-value]


def completed_today(memo: Remembered, db: Lazy, start: Start, now: datetime) -> int:
    """``users.completed_today``, read again only when the user's items changed (the items
    mark) or their day did (zone and date are part of the key)."""
    user = start.user
    if start.marks is None:
        return users.completed_today(db.conn, user, now)
    zone = user["timezone"]
    day = now.astimezone(zones.zone_or_utc(zone)).date()
    key = ("completed_today", user["id"], start.marks["items"], zone, day)
    return memo.remember(key, lambda: users.completed_today(db.conn, user, now))


def collaborators(
    memo: Remembered, db: Lazy, start: Start
) -> tuple[list[RowMapping], list[dict[str, Any]]]:
    """The user's complete collaborator lists (``sharing.collaborators`` and
    ``collaborator_states``), read again only when their projects or collaborators marks
    moved: every change that can alter them stamps one of the two (core/marks.py)."""
    user_id = int(start.user["id"])

    def compute() -> tuple[list[RowMapping], list[dict[str, Any]]]:
        conn = db.conn
        return sharing.collaborators(conn, user_id), sharing.collaborator_states(conn, user_id)

    if start.marks is None:
        return compute()
    key = ("collaborators", user_id, start.marks["projects"], start.marks["collaborators"])
    return memo.remember(key, compute)


class Lazy:
    """A read transaction opened on first use: a sync that finds nothing new opens none."""

    def __init__(self, opener: Callable[[], AbstractContextManager[Connection]]) -> None:
        self._opener = opener
        self._stack = ExitStack()
        self._conn: Connection | None = None

    @property
    def conn(self) -> Connection:
        if self._conn is None:
            self._conn = self._stack.enter_context(self._opener())
        return self._conn

    @property
    def opened(self) -> bool:
        return self._conn is not None

    def __enter__(self) -> Lazy:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.__exit__(*exc)  # type: ignore[arg-type]
