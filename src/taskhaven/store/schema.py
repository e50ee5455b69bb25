"""The database schema: one table per kind of object, shared by every protocol.

Invariant of change tracking: every row that a client can sync carries ``seq``, the value of
the database-wide change counter drawn by the transaction that last changed it. Deletes are
soft (``is_deleted``) so that incremental readers learn about them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    false,
)
from sqlalchemy.engine import Dialect

# SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY.
Id = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """A moment: written as UTC, read back aware in UTC on every database.

    SQLite keeps the text ``YYYY-MM-DD HH:MM:SS.ffffff`` without an offset (and wrote an aware
    value's wall clock, whatever its zone); PostgreSQL's timestamptz comes back in the
    session's zone. A naive value is taken as UTC. The stored format is the one
    ``DateTime(timezone=True)`` has always written for UTC values, so no migration.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else _as_utc(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else _as_utc(value)

    def result_processor(self, dialect: Dialect, coltype: Any) -> Callable[[Any], Any] | None:
        """On SQLite, one C-level parse per value: a full sync reads tens of thousands."""
        general = super().result_processor(dialect, coltype)
        if dialect.name != "sqlite" or general is None:
            return general

        def process(value: Any, parse: Callable[[str], datetime] = datetime.fromisoformat) -> Any:
            if value is None:
                return None
            try:
                return parse(value + "+00:00")  # the stored text is UTC without an offset
            except (TypeError, ValueError):
                return general(value)

        return process


class SharedJSON(TypeDecorator[Any]):
    """A JSON column read for rendering only (``type_coerce(column, SharedJSON())``).

    A full read decodes the same few texts over and over (``[]`` for an item without labels):
    here each distinct array text is decoded once and handed out as a shared *tuple*, which
    nobody can change; objects are decoded afresh every time, since a dict could be changed.
    On SQLite the driver hands over the stored text; PostgreSQL's driver has decoded it
    already, and its arrays become tuples too, so both databases answer alike.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        raise TypeError("SharedJSON is for reading only")

    def result_processor(self, dialect: Dialect, coltype: Any) -> Callable[[Any], Any]:
        """The decoding below, called directly (no TypeDecorator wrapper per value)."""
        return _shared_json

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return _shared_json(value)


def _shared_json(value: Any) -> Any:
    if type(value) is not str:
        return tuple(value) if isinstance(value, list) else value
    found = _SHARED_TEXTS.get(value)
    if found is not None:
        return found
    decoded = json.loads(value)
    if not isinstance(decoded, list):
        return decoded
    shared = tuple(decoded)
    # Only flat arrays are kept: a nested list inside the tuple could still be changed.
    if len(value) <= _SHARED_TEXT_MAX and not any(isinstance(e, list | dict) for e in shared):
        if len(_SHARED_TEXTS) >= _SHARED_MAX:
            _SHARED_TEXTS.clear()
        _SHARED_TEXTS[value] = shared
    return shared


# SharedJSON's decoded arrays by text. Readers in several threads may fill it at once: a
# lost entry only costs a decode, and each value is immutable.
_SHARED_TEXTS: dict[str, tuple[Any, ...]] = {}
_SHARED_MAX = 4096  # distinct texts kept; the table is emptied when full
_SHARED_TEXT_MAX = 512  # longer texts are decoded each time, not kept


def _as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _pk() -> Column[int]:
    return Column("id", Id, primary_key=True, autoincrement=True)


def _oid() -> Column[str]:
    """The 24-hex (ObjectId form) string id the TickTick protocols use."""
    return Column("oid", String(64), nullable=False, unique=True)


def _seq() -> Column[int]:
    return Column("seq", BigInteger, nullable=False, default=0)


def _deleted() -> Column[bool]:
    return Column("is_deleted", Boolean, nullable=False, default=False)


def _user_fk() -> Column[int]:
    return Column("user_id", Id, ForeignKey("users.id"), nullable=False)


change_counter = Table(
    "change_counter",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("value", BigInteger, nullable=False),
)

users = Table(
    "users",
    metadata,
    _pk(),
    Column("user_code", String(36), nullable=False, unique=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("full_name", String(255), nullable=False, default=""),
    Column("password_hash", Text, nullable=False),
    Column("api_token_digest", String(64), nullable=False, unique=True),
    Column("api_token_enc", Text, nullable=False),
    Column("timezone", String(64), nullable=False, default="UTC"),
    Column("lang", String(8), nullable=False, default="en"),
    Column("inbox_project_id", BigInteger, nullable=True),
    Column("prefs", JSON, nullable=False, default=dict),
    Column("notification_settings", JSON, nullable=False, default=dict),
    Column("goals", JSON, nullable=False, default=dict),
    Column("completed_count", Integer, nullable=False, default=0),
    Column("karma", Float, nullable=False, default=0.0),
    Column("day_orders_ts", String(32), nullable=False, default="0.0"),
    Column("live_notifications_last_read", BigInteger, nullable=False, default=0),
    Column("totp_secret_enc", Text, nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    _seq(),
    Index("ix_users_seq", "seq"),
)

# Per-user high-water marks (core/marks.py): for each kind, a number >= the ``seq`` of every
# change of that kind the user can see. Written in the transaction that makes the change, so
# a reader that reads a mark together with the counter sees every change up to it; a read
# whose cursor is >= a kind's mark skips that kind.
MARK_KINDS = (
    "projects",
    "items",
    "notes",
    "labels",
    "filters",
    "reminders",
    "groups",
    "live_notifications",
    "account",
    "collaborators",
)
user_marks = Table(
    "user_marks",
    metadata,
    Column("user_id", Id, ForeignKey("users.id"), primary_key=True, autoincrement=False),
    *(Column(kind, BigInteger, nullable=False, default=0) for kind in MARK_KINDS),
)

project_groups = Table(
    "project_groups",
    metadata,
    _pk(),
    _oid(),
    _user_fk(),
    Column("name", String(255), nullable=False),
    Column("sort_order", BigInteger, nullable=False, default=0),
    Column("view_mode", String(16), nullable=True),
    Column("show_all", Boolean, nullable=False, default=True),
    _deleted(),
    Column("modified_at", UTCDateTime(), nullable=False),
    _seq(),
    Index("ix_project_groups_user_seq", "user_id", "seq"),
)

projects = Table(
    "projects",
    metadata,
    _pk(),
    _oid(),
    _user_fk(),
    Column("name", String(255), nullable=False),
    Column("color", String(7), nullable=True),
    Column("indent", Integer, nullable=False, default=1),
    Column("item_order", BigInteger, nullable=False, default=0),
    Column("collapsed", Boolean, nullable=False, default=False),
    Column("is_inbox", Boolean, nullable=False, default=False),
    Column("is_archived", Boolean, nullable=False, default=False),
    Column("archived_at", UTCDateTime(), nullable=True),
    Column("group_id", BigInteger, nullable=True),
    Column("kind", String(8), nullable=False, default="TASK"),
    Column("view_mode", String(16), nullable=True),
    Column("muted", Boolean, nullable=False, default=False),
    Column("shared", Boolean, nullable=False, default=False, server_default=false()),
    _deleted(),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("modified_at", UTCDateTime(), nullable=False),
    _seq(),
    Index("ix_projects_user_seq", "user_id", "seq"),
)

items = Table(
    "items",
    metadata,
    _pk(),
    _oid(),
    _user_fk(),
    Column("project_id", BigInteger, nullable=False),
    Column("parent_id", BigInteger, nullable=True),
    Column("content", Text, nullable=False, default=""),
    Column("description", Text, nullable=True),
    Column("kind", String(12), nullable=False, default="TEXT"),
    Column("date_string", String(255), nullable=True),
    Column("date_lang", String(8), nullable=False, default="en"),
    Column("due_at", UTCDateTime(), nullable=True),
    Column("all_day", Boolean, nullable=False, default=False),
    Column("start_at", UTCDateTime(), nullable=True),
    Column("time_zone", String(64), nullable=True),
    Column("is_floating", Boolean, nullable=False, default=False),
    Column("repeat_flag", String(512), nullable=True),
    Column("repeat_from", Integer, nullable=True),
    Column("priority", Integer, nullable=False, default=1),
    Column("progress", Integer, nullable=True),
    Column("indent", Integer, nullable=False, default=1),
    Column("item_order", BigInteger, nullable=False, default=0),
    Column("day_order", Integer, nullable=False, default=-1),
    Column("collapsed", Boolean, nullable=False, default=False),
    Column("labels", JSON, nullable=False, default=list),
    Column("checklist", JSON, nullable=False, default=list),
    Column("assigned_by_uid", BigInteger, nullable=True),
    Column("responsible_uid", BigInteger, nullable=True),
    Column("status", Integer, nullable=False, default=0),
    Column("in_history", Boolean, nullable=False, default=False),
    Column("completed_at", UTCDateTime(), nullable=True),
    Column("completed_by", BigInteger, nullable=True),
    Column("author_id", BigInteger, nullable=True),
    Column("is_archived", Boolean, nullable=False, default=False),
    _deleted(),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("modified_at", UTCDateTime(), nullable=False),
    _seq(),
    Index("ix_items_user_seq", "user_id", "seq"),
    Index("ix_items_project", "project_id"),
    Index("ix_items_user_completed", "user_id", "completed_at"),
    Index("ix_items_project_seq", "project_id", "seq"),
)

labels = Table(
    "labels",
    metadata,
    _pk(),
    _oid(),
    _user_fk(),
    Column("name", String(255), nullable=False),
    Column("raw_name", String(255), nullable=True),
    Column("color", String(7), nullable=True),
    Column("item_order", BigInteger, nullable=False, default=0),
    Column("parent", String(255), nullable=True),
    Column("sort_type", String(16), nullable=False, default="project"),
    _deleted(),
    Column("modified_at", UTCDateTime(), nullable=False),
    _seq(),
    Index("ix_labels_user_seq", "user_id", "seq"),
)

notes = Table(
    "notes",
    metadata,
    _pk(),
    _oid(),
    _user_fk(),
    Column("item_id", BigInteger, nullable=True),
    Column("project_id", BigInteger, nullable=False),
    Column("content", Text, nullable=False, default=""),
    Column("file_attachment", JSON, nullable=True),
    Column("uids_to_notify", JSON, nullable=True),
    Column("is_archived", Boolean, nullable=False, default=False),
    _deleted(),
    Column("posted_at", UTCDateTime(), nullable=False),
    Column("author_id", BigInteger, nullable=True),
    _seq(),
    Index("ix_notes_user_seq", "user_id", "seq"),
    Index("ix_notes_item", "item_id"),
    Index("ix_notes_project_seq", "project_id", "seq"),
)

# Who may see a shared project: its owner is ``projects.user_id``; every other user is a row
# here. One row per invitation (``id`` is the invitation id): ``invited`` (``user_id`` set
# once the address belongs to an account), ``active``, ``inactive`` (was a member, removed
# or left: the row's ``seq`` sends the project's deletion once), ``deleted`` (an invitation
# rejected or withdrawn). A re-invitation is a new row.
project_members = Table(
    "project_members",
    metadata,
    _pk(),
    Column("project_id", BigInteger, nullable=False),
    Column("user_id", Id, ForeignKey("users.id"), nullable=True),
    Column("email", String(320), nullable=False),
    Column("state", String(16), nullable=False),
    Column("inviter_id", BigInteger, nullable=False),
    Column("secret", String(64), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    # A member's own view of the project (null: the owner's): core/member_view.py.
    Column("item_order", BigInteger, nullable=True),
    Column("indent", Integer, nullable=True),
    Column("collapsed", Boolean, nullable=True),
    _seq(),
    Index("ix_project_members_user_seq", "user_id", "seq"),
    Index("ix_project_members_project", "project_id"),
    Index("ix_project_members_email", "email"),
    Index("ix_project_members_seq", "seq"),
)

# Rows that left a project for one some of its viewers do not see (an item moved out of a
# shared project, with its notes): their incremental reads send such a row deleted, once.
departures = Table(
    "departures",
    metadata,
    _pk(),
    Column("kind", String(16), nullable=False),
    Column("row_id", BigInteger, nullable=False),
    Column("project_id", BigInteger, nullable=False),
    _seq(),
    Index("ix_departures_project_seq", "project_id", "seq"),
)

# One recipient's notifications (share invitations and what happens in shared projects).
live_notifications = Table(
    "live_notifications",
    metadata,
    _pk(),
    _user_fk(),
    Column("kind", String(48), nullable=False),
    Column("from_uid", BigInteger, nullable=False),
    Column("project_id", BigInteger, nullable=True),
    Column("invitation_id", BigInteger, nullable=True),
    Column("state", String(16), nullable=True),
    Column("data", JSON, nullable=False, default=dict),
    Column("is_unread", Boolean, nullable=False, default=True),
    _deleted(),
    Column("created_at", UTCDateTime(), nullable=False),
    _seq(),
    Index("ix_live_notifications_user_seq", "user_id", "seq"),
    Index("ix_live_notifications_invitation", "invitation_id"),
    Index("ix_live_notifications_seq", "seq"),
)

filters = Table(
    "filters",
    metadata,
    _pk(),
    _oid(),
    _user_fk(),
    Column("name", String(255), nullable=False),
    Column("query", Text, nullable=False),
    Column("color", String(7), nullable=True),
    Column("item_order", BigInteger, nullable=False, default=0),
    _deleted(),
    _seq(),
    Index("ix_filters_user_seq", "user_id", "seq"),
)

reminders = Table(
    "reminders",
    metadata,
    _pk(),
    # A reminder's string id belongs to its task (TickTick clients copy reminders, ids
    # included, from one task to another), so it is unique per item, not table-wide.
    Column("oid", String(64), nullable=False),
    _user_fk(),
    Column("item_id", BigInteger, nullable=False),
    Column("notify_uid", BigInteger, nullable=True),
    Column("service", String(16), nullable=False, default="email"),
    Column("type", String(16), nullable=False, default="relative"),
    Column("date_string", String(255), nullable=True),
    Column("date_lang", String(8), nullable=False, default="en"),
    Column("due_at", UTCDateTime(), nullable=True),
    Column("minute_offset", Integer, nullable=True),
    Column("trigger", String(64), nullable=True),
    Column("name", String(255), nullable=True),
    Column("loc_lat", String(32), nullable=True),
    Column("loc_long", String(32), nullable=True),
    Column("loc_trigger", String(16), nullable=True),
    Column("radius", Integer, nullable=True),
    _deleted(),
    _seq(),
    Index("ix_reminders_user_seq", "user_id", "seq"),
    Index("ix_reminders_item", "item_id"),
    Index("uq_reminders_item_oid", "item_id", "oid", unique=True),
)

uploads = Table(
    "uploads",
    metadata,
    _pk(),
    _oid(),
    _user_fk(),
    # Random, unguessable file name on disk and in the file's URL.
    Column("name", String(64), nullable=False, unique=True),
    Column("file_name", String(255), nullable=False),
    Column("file_size", BigInteger, nullable=False),
    Column("file_type", String(255), nullable=False),
    # "upload" (listed by uploads/get) or "export" (a template export behind a URL).
    Column("purpose", String(16), nullable=False, default="upload"),
    Column("address", String(64), nullable=True),
    _deleted(),
    Column("created_at", UTCDateTime(), nullable=False),
    _seq(),
    Index("ix_uploads_user_seq", "user_id", "seq"),
)

temp_ids = Table(
    "temp_ids",
    metadata,
    Column("user_id", Id, ForeignKey("users.id"), primary_key=True),
    Column("temp_id", String(128), primary_key=True),
    Column("object_id", BigInteger, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

command_results = Table(
    "command_results",
    metadata,
    Column("user_id", Id, ForeignKey("users.id"), primary_key=True),
    Column("uuid", String(128), primary_key=True),
    Column("status", JSON, nullable=False),
    Column("temp_id", String(128), nullable=True),
    Column("object_id", BigInteger, nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    _pk(),
    Column("token_digest", String(64), nullable=False, unique=True),
    _user_fk(),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("last_used_at", UTCDateTime(), nullable=False),
    Column("user_agent", String(512), nullable=True),
    Column("address", String(64), nullable=True),
    Column("revoked", Boolean, nullable=False, default=False),
    Index("ix_sessions_user", "user_id"),
)

mfa_challenges = Table(
    "mfa_challenges",
    metadata,
    Column("auth_digest", String(64), primary_key=True),
    _user_fk(),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("used", Boolean, nullable=False, default=False),
)

rate_counters = Table(
    "rate_counters",
    metadata,
    Column("key", String(255), primary_key=True),
    Column("window", BigInteger, primary_key=True),
    Column("count", Integer, nullable=False),
)

# --- the OAuth2 provider (docs/oauth.md) ------------------------------------------------------
# Not synced to clients: no ``seq``. Secrets, codes and tokens are stored by SHA-256 digest only.

oauth_apps = Table(
    "oauth_apps",
    metadata,
    _pk(),
    Column("client_id", String(64), nullable=False, unique=True),
    Column("name", String(255), nullable=False),
    Column("secret_digest", String(64), nullable=False),
    Column("redirect_uris", JSON, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

oauth_codes = Table(
    "oauth_codes",
    metadata,
    _pk(),
    Column("code_digest", String(64), nullable=False, unique=True),
    Column("app_id", Id, ForeignKey("oauth_apps.id", ondelete="CASCADE"), nullable=False),
    _user_fk(),
    Column("redirect_uri", Text, nullable=True),
    Column("scope", String(255), nullable=False),
    Column("code_challenge", String(128), nullable=True),
    Column("code_challenge_method", String(8), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("used", Boolean, nullable=False, default=False),
    Index("ix_oauth_codes_app", "app_id"),
)

oauth_tokens = Table(
    "oauth_tokens",
    metadata,
    _pk(),
    Column("token_digest", String(64), nullable=False, unique=True),
    Column("app_id", Id, ForeignKey("oauth_apps.id", ondelete="CASCADE"), nullable=False),
    _user_fk(),
    Column("code_id", BigInteger, nullable=True),
    Column("scope", String(255), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),
    Index("ix_oauth_tokens_user_app", "user_id", "app_id"),
    Index("ix_oauth_tokens_app", "app_id"),
    Index("ix_oauth_tokens_code", "code_id"),
)
