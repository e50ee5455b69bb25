"""Accounts: registration, credentials, API tokens and user preferences."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, RowMapping, case, func, insert, select, update

from taskhaven.core import columns, security, uploads, zones
from taskhaven.core.backend import Backend, Unit
from taskhaven.core.errors import (
    AuthenticationFailed,
    Conflict,
    Forbidden,
    InvalidArgument,
    MissingArgument,
    NotFound,
)
from taskhaven.core.ids import inbox_oid
from taskhaven.core.limits import MAX_BIGINT
from taskhaven.core.rows import Row
from taskhaven.core.status import counts_as_completion
from taskhaven.store.schema import items, oauth_tokens, projects, sessions, users

log = logging.getLogger(__name__)

# Preferences every user has; ``prefs`` stores only what differs from these.
DEFAULT_PREFS: dict[str, Any] = {
    "start_page": "overdue, 7 days",
    "start_day": 1,
    "next_week": 1,
    "time_format": 0,
    "date_format": 0,
    "sort_order": 0,
    "default_reminder": None,
    "auto_reminder": 30,
    "mobile_number": None,
    "mobile_host": None,
    "theme": 0,
}
PREF_TYPES: dict[str, tuple[type, ...]] = {
    "start_page": (str,),
    "start_day": (int,),
    "next_week": (int,),
    "time_format": (int,),
    "date_format": (int,),
    "sort_order": (int,),
    "default_reminder": (str, type(None)),
    "auto_reminder": (int,),
    "mobile_number": (str, type(None)),
    "mobile_host": (str, type(None)),
    "theme": (int,),
}
PREF_RANGES: dict[str, tuple[int, int]] = {
    "start_day": (1, 7),
    "next_week": (1, 7),
    "time_format": (0, 1),
    "date_format": (0, 1),
    "sort_order": (0, 1),
    "theme": (0, 10),
    "auto_reminder": (0, 60 * 24 * 365),
}
DEFAULT_REMINDER_VALUES = {"email", "mobile", "push", "no_default", None}
NOTIFICATION_TYPES = (
    "user_left_project",
    "biz_trial_will_end",
    "biz_trial_enter_cc",
    "item_completed",
    "share_invitation_rejected",
    "note_added",
    "biz_account_disabled",
    "biz_invitation_rejected",
    "item_uncompleted",
    "item_assigned",
    "share_invitation_accepted",
    "user_removed_from_project",
    "biz_invitation_accepted",
    "biz_payment_failed",
)
DEFAULT_GOALS: dict[str, Any] = {
    "daily_goal": 5,
    "weekly_goal": 25,
    "ignore_days": [6, 7],
    "vacation_mode": 0,
    "karma_disabled": 0,
}
GOAL_RANGES = {
    "daily_goal": 100_000,
    "weekly_goal": 100_000,
    "vacation_mode": 1,
    "karma_disabled": 1,
}
MAX_FULL_NAME = columns.length("users", "full_name")
MAX_PREF_TEXT = columns.PREF_TEXT.limit
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = columns.PASSWORD.limit


def normalise_email(email: str) -> str:
    email = email.strip()
    if "@" not in email or len(email) > 320 or email.startswith("@") or email.endswith("@"):
        raise InvalidArgument("email", "Invalid email address")
    # Whitespace and control characters (NUL breaks PostgreSQL text) are never valid.
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in email):
        raise InvalidArgument("email", "Invalid email address")
    local, _, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}".lower()


def check_timezone(name: str) -> str:
    return zones.check(name, "timezone")


def _check_password(password: Any) -> None:
    if password is None or password == "":
        raise MissingArgument("password")
    if not isinstance(password, str):
        raise InvalidArgument("password")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidArgument(
            "password", f"Password must have at least {MIN_PASSWORD_LENGTH} characters"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidArgument("password", "Password is too long")


def register(
    backend: Backend,
    *,
    email: str,
    password: str,
    full_name: str = "",
    timezone: str = "UTC",
    lang: str = "en",
    welcome: Callable[[Unit], None] | None = None,
) -> tuple[RowMapping, str]:
    """Create a user with an Inbox; returns the user row and the fresh API token.

    ``welcome`` runs in the same unit, as the new user, once the account exists (core/
    sharing.py hands over the invitations sent to the address before it had an account).
    """
    email = normalise_email(email)
    _check_password(password)
    timezone = check_timezone(timezone or "UTC")
    lang = columns.check(lang or "en", "users", "lang")
    full_name = columns.check(full_name.strip(), "users", "full_name")
    token = security.new_api_token()
    password_hash = backend.passwords.hash(password)
    with backend.write(0) as unit:
        exists = unit.conn.execute(select(users.c.id).where(users.c.email == email)).first()
        if exists:
            raise Conflict("Email already registered", argument="email")
        seq = unit.stamp()
        user_id = unit.conn.execute(
            insert(users)
            .values(
                user_code=str(uuid.uuid4()),
                email=email,
                full_name=full_name or email.split("@")[0],
                password_hash=password_hash,
                api_token_digest=security.digest(token),
                api_token_enc=backend.box.seal(token),
                timezone=timezone,
                lang=lang or "en",
                prefs={},
                notification_settings={},
                goals={},
                created_at=unit.now,
                seq=seq,
            )
            .returning(users.c.id)
        ).scalar_one()
        unit.user_id = user_id
        inbox_id = unit.conn.execute(
            insert(projects)
            .values(
                oid=inbox_oid(user_id),
                user_id=user_id,
                name="Inbox",
                is_inbox=True,
                item_order=0,
                created_at=unit.now,
                modified_at=unit.now,
                seq=unit.stamp(),
            )
            .returning(projects.c.id)
        ).scalar_one()
        unit.conn.execute(
            update(users).where(users.c.id == user_id).values(inbox_project_id=inbox_id)
        )
        if welcome is not None:
            welcome(unit)
        row = unit.conn.execute(select(users).where(users.c.id == user_id)).mappings().one()
    return row, token


def get(conn: Connection, user_id: int) -> RowMapping:
    row = conn.execute(select(users).where(users.c.id == user_id)).mappings().first()
    if row is None:
        raise NotFound("user")
    return row


def by_ids(conn: Connection, user_ids: Iterable[int]) -> dict[int, RowMapping]:
    wanted = sorted(set(user_ids))
    if not wanted:
        return {}
    found = conn.execute(select(users).where(users.c.id.in_(wanted))).mappings()
    return {int(row["id"]): row for row in found}


def by_email(conn: Connection, email: str) -> RowMapping | None:
    try:
        email = normalise_email(email)
    except InvalidArgument:
        return None
    return conn.execute(select(users).where(users.c.email == email)).mappings().first()


def login(backend: Backend, email: str, password: str) -> RowMapping:
    """Check e-mail and password; the same error (and the same work) for either mistake."""
    with backend.read() as conn:
        row = by_email(conn, email)
    if not backend.passwords.verify(row["password_hash"] if row else None, password) or not row:
        raise AuthenticationFailed("Login error")
    if backend.passwords.needs_rehash(row["password_hash"]):
        _rehash(backend, row, password)
    return row


def _rehash(backend: Backend, row: RowMapping, password: str) -> None:
    """Store the hash again at the configured cost (the old one verified)."""
    with backend.plain_write() as conn:
        # Race: the password may have changed since it was verified; keep the newer one.
        conn.execute(
            update(users)
            .where(users.c.id == row["id"], users.c.password_hash == row["password_hash"])
            .values(password_hash=backend.passwords.hash(password))
        )


def by_api_token(conn: Connection, token: str) -> RowMapping:
    if not token:
        raise AuthenticationFailed("Invalid token")
    row = (
        conn.execute(select(users).where(users.c.api_token_digest == security.digest(token)))
        .mappings()
        .first()
    )
    if row is None:
        raise AuthenticationFailed("Invalid token")
    return row


def api_token(backend: Backend, user: Row, presented: str | None = None) -> str:
    """The user's API token in the clear.

    When this server's key cannot open the sealed copy (another key sealed it: a lost
    ``secret.key``, a second data directory on one database), ``presented`` — the token
    the caller authenticated with, when it is this account's — is sealed again under this
    key and answered; any other caller gets ``presented`` back unchanged (never a 500).
    """
    try:
        return backend.box.open(user["api_token_enc"])
    except ValueError:
        log.warning("user %s: API token sealed with another server key", user["id"])
    if presented and security.same(security.digest(presented), user["api_token_digest"]):
        _store_api_token(backend, user, presented)
    return presented or ""


def rotate_api_token(backend: Backend, user: Row) -> str:
    """A new API token for ``user``; the old one stops working at once."""
    token = security.new_api_token()
    _store_api_token(backend, user, token)
    return token


def token_after_login(backend: Backend, user: Row) -> str:
    """The token login answers: the stored one, or a new one when no key here opens it."""
    try:
        return backend.box.open(user["api_token_enc"])
    except ValueError:
        log.warning("user %s: API token sealed with another server key; renewed", user["id"])
        return rotate_api_token(backend, user)


def _store_api_token(backend: Backend, user: Row, token: str) -> None:
    with backend.write(user["id"]) as unit:
        # The User object carries the token: stamp it so other clients see the change.
        unit.conn.execute(
            update(users)
            .where(users.c.id == user["id"])
            .values(
                api_token_digest=security.digest(token),
                api_token_enc=backend.box.seal(token),
                seq=unit.stamp(),
            )
        )


def prefs(user: Row) -> dict[str, Any]:
    return {**DEFAULT_PREFS, **(user["prefs"] or {})}


def notification_settings(user: Row) -> dict[str, dict[str, bool]]:
    stored = user["notification_settings"] or {}
    return {
        kind: {
            "notify_push": bool(stored.get(kind, {}).get("notify_push", True)),
            "notify_email": bool(stored.get(kind, {}).get("notify_email", True)),
        }
        for kind in NOTIFICATION_TYPES
    }


def goals(user: Row) -> dict[str, Any]:
    return {**DEFAULT_GOALS, **(user["goals"] or {})}


def update_user(
    unit: Unit, values: Mapping[str, Any], passwords: security.Passwords | None = None
) -> None:
    """Apply a ``user_update``: known keys only, each validated; the API token survives.
    ``passwords`` (the backend's) hashes a new password."""
    row = get(unit.conn, unit.user_id)
    changes: dict[str, Any] = {}
    new_prefs = dict(row["prefs"] or {})
    for key, value in values.items():
        if key == "email":
            if not isinstance(value, str):
                raise InvalidArgument("email", "Invalid email address")
            email = normalise_email(value)
            taken = unit.conn.execute(
                select(users.c.id).where(users.c.email == email, users.c.id != unit.user_id)
            ).first()
            if taken:
                raise Conflict("Email already registered", argument="email")
            changes["email"] = email
        elif key == "full_name":
            if not isinstance(value, str) or not value.strip() or columns.refused(value):
                raise InvalidArgument("full_name")
            if len(value.strip()) > MAX_FULL_NAME:
                raise InvalidArgument("full_name")
            changes["full_name"] = value.strip()
        elif key == "password":
            _check_password(value)
            if passwords is None:
                raise TypeError("update_user needs the backend's passwords to change one")
            changes["password_hash"] = passwords.hash(value)
            # A new password ends every web session; the Sync API token stays valid.
            end_sessions(unit.conn, unit.user_id)
        elif key == "timezone":
            if not isinstance(value, str):
                raise InvalidArgument("timezone")
            changes["timezone"] = check_timezone(value)
        elif key in PREF_TYPES:
            new_prefs[key] = _check_pref(key, value)
    if new_prefs != (row["prefs"] or {}):
        changes["prefs"] = new_prefs
    changes["seq"] = unit.stamp()
    unit.conn.execute(update(users).where(users.c.id == unit.user_id).values(**changes))


def _check_pref(key: str, value: Any) -> Any:
    if (
        PREF_TYPES[key] == (int,)
        and isinstance(value, str)
        and value.lstrip("-").isdecimal()
        and len(value) <= 20
    ):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, PREF_TYPES[key]):
        raise InvalidArgument(key)
    if key in PREF_RANGES and isinstance(value, int):
        low, high = PREF_RANGES[key]
        if not low <= value <= high:
            raise InvalidArgument(key)
    if key == "default_reminder" and value not in DEFAULT_REMINDER_VALUES:
        raise InvalidArgument(key)
    if isinstance(value, str) and len(value) > MAX_PREF_TEXT:
        raise InvalidArgument(key)
    if isinstance(value, int) and abs(value) > MAX_BIGINT:
        raise InvalidArgument(key)
    return value


def update_goals(unit: Unit, values: Mapping[str, Any]) -> None:
    """Apply an ``update_goals``: known keys only, each validated (numbers may be strings)."""
    row = get(unit.conn, unit.user_id)
    new = dict(row["goals"] or {})
    for key, high in GOAL_RANGES.items():
        if key in values:
            value = _goal_int(values[key], key)
            if not 0 <= value <= high:
                raise InvalidArgument(key)
            new[key] = value
    if "ignore_days" in values:
        days = values["ignore_days"]
        if not isinstance(days, list) or len(days) > 7:
            raise InvalidArgument("ignore_days")
        checked = [_goal_int(d, "ignore_days") for d in days]
        if not all(1 <= d <= 7 for d in checked):
            raise InvalidArgument("ignore_days")
        new["ignore_days"] = sorted(set(checked))
    unit.conn.execute(
        update(users).where(users.c.id == unit.user_id).values(goals=new, seq=unit.stamp())
    )


def _goal_int(value: Any, key: str) -> int:
    if isinstance(value, str) and value.strip().isdecimal() and len(value.strip()) < 10:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(key)
    return value


def set_live_notifications_last_read(unit: Unit, seq_no: Any) -> None:
    """Remember the ``seq_no`` of the newest live notification the user has seen."""
    if isinstance(seq_no, bool) or not isinstance(seq_no, int) or not 0 <= seq_no <= MAX_BIGINT:
        raise InvalidArgument("seq_no")
    unit.conn.execute(
        update(users)
        .where(users.c.id == unit.user_id)
        .values(live_notifications_last_read=seq_no, seq=unit.stamp())
    )


def set_notification_setting(
    unit: Unit, notification_type: str, service: str, dont_notify: bool
) -> None:
    if notification_type not in NOTIFICATION_TYPES:
        raise InvalidArgument("notification_type")
    if service not in ("email", "push"):
        raise InvalidArgument("service")
    row = get(unit.conn, unit.user_id)
    stored = {k: dict(v) for k, v in (row["notification_settings"] or {}).items()}
    stored.setdefault(notification_type, {})[f"notify_{service}"] = not dont_notify
    unit.conn.execute(
        update(users)
        .where(users.c.id == unit.user_id)
        .values(notification_settings=stored, seq=unit.stamp())
    )


def delete_user(backend: Backend, user_id: int, current_password: str) -> None:
    """Delete an account: the row keeps its id but loses every credential and every file."""
    with backend.write(user_id) as unit:
        row = get(unit.conn, user_id)
        if not backend.passwords.verify(row["password_hash"], current_password):
            raise Forbidden("Wrong password")
        files = uploads.forget_all(unit)
        end_sessions(unit.conn, user_id)
        unit.conn.execute(
            update(oauth_tokens).where(oauth_tokens.c.user_id == user_id).values(revoked=True)
        )
        gone = f"deleted-{row['id']}-{security.new_session_token()[:12]}"
        unit.conn.execute(
            update(users)
            .where(users.c.id == user_id)
            .values(
                email=f"{gone}@deleted.invalid",
                password_hash="!",  # noqa: S106 - not a hash: no password verifies
                api_token_digest=security.digest(gone),
                api_token_enc=backend.box.seal(gone),
                totp_secret_enc=None,
                seq=unit.stamp(),
            )
        )
    # After the commit: a file without a live row is never served (see core.uploads).
    uploads.remove_files(backend, files)


def end_sessions(conn: Connection, user_id: int) -> None:
    conn.execute(
        update(sessions)
        .where(sessions.c.user_id == user_id, sessions.c.revoked.is_(False))
        .values(revoked=True)
    )


def add_completed(unit: Unit, delta: int) -> None:
    """Count completions (``delta`` -1 undoes one); the total never goes below zero."""
    total = users.c.completed_count + delta
    unit.conn.execute(
        update(users)
        .where(users.c.id == unit.user_id)
        .values(completed_count=case((total < 0, 0), else_=total), seq=unit.stamp())
    )


def completed_today(conn: Connection, user: Row, now: datetime) -> int:
    """Items completed since midnight in the user's zone: closed as done, or a recurring
    item's occurrence completed today (it stays open with ``completed_at`` set)."""
    zone = zones.zone_or_utc(user["timezone"])
    day = now.astimezone(zone).date()
    start = datetime.combine(day, time(0, 0), zone)
    end = datetime.combine(day + timedelta(days=1), time(0, 0), zone)
    query = (
        select(func.count())
        .select_from(items)
        .where(
            items.c.user_id == user["id"],
            items.c.completed_at >= start,
            items.c.completed_at < end,
            counts_as_completion(items.c.status, items.c.completed_at),
            items.c.is_deleted.is_(False),
        )
    )
    return int(conn.execute(query).scalar_one())
