"""Web sessions (the V2 API's cookie ``t``): minted at sign-on, listed, revoked, expiring.

Only the SHA-256 digest of a token is stored, so a leaked database does not hand out
sessions. Sessions are not synced to clients: they carry no ``seq`` and are written with
``Backend.plain_write``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, RowMapping, delete, insert, or_, select, update

from taskhaven.core import columns, reader, security
from taskhaven.core.backend import Backend, utcnow
from taskhaven.core.errors import AuthenticationFailed, NotFound
from taskhaven.store.schema import sessions, users

# Writing ``last_used_at`` on every request would turn each read into a write; once a
# minute is precise enough for "last seen" in a session list.
_TOUCH_EVERY = timedelta(seconds=60)
MAX_PER_USER = 100
MAX_USER_AGENT = columns.length("sessions", "user_agent")
MAX_ADDRESS = columns.length("sessions", "address")


@dataclass(frozen=True)
class Session:
    id: int
    user_id: int
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime
    user_agent: str | None
    address: str | None

    @classmethod
    def from_row(cls, row: RowMapping) -> Session:
        return cls(
            id=row["id"],
            user_id=row["user_id"],
            created_at=row["created_at"],
            expires_at=row["expires_at"],
            last_used_at=row["last_used_at"],
            user_agent=row["user_agent"],
            address=row["address"],
        )


def create(
    backend: Backend,
    user_id: int,
    *,
    user_agent: str | None = None,
    address: str | None = None,
) -> tuple[str, Session]:
    """Open a session for a user who has proved who they are; returns the token once."""
    token = security.new_session_token()
    now = utcnow()
    with backend.plain_write() as conn:
        _prune(conn, user_id, now)
        row = (
            conn.execute(
                insert(sessions)
                .values(
                    token_digest=security.digest(token),
                    user_id=user_id,
                    created_at=now,
                    expires_at=now + timedelta(days=backend.settings.session_days),
                    last_used_at=now,
                    user_agent=(user_agent or None) and user_agent[:MAX_USER_AGENT],
                    address=(address or None) and address[:MAX_ADDRESS],
                    revoked=False,
                )
                .returning(*sessions.c)
            )
            .mappings()
            .one()
        )
    return token, Session.from_row(row)


def _prune(conn: Connection, user_id: int, now: datetime) -> None:
    """Forget the user's dead sessions and make room under MAX_PER_USER.

    Scripts sign on at every start (pyticktick does, once per client), so without a cap a
    cron job would pile up sessions for ``session_days``. The oldest go first.
    Race: two concurrent sign-ons may leave one session over the cap; the next one trims it.
    """
    mine = sessions.c.user_id == user_id
    conn.execute(
        delete(sessions).where(
            mine, or_(sessions.c.revoked.is_(True), sessions.c.expires_at <= now)
        )
    )
    newest = (
        select(sessions.c.id).where(mine).order_by(sessions.c.id.desc()).limit(MAX_PER_USER - 1)
    )
    conn.execute(delete(sessions).where(mine, sessions.c.id.not_in(newest)))


def _live(conn: Connection, token: str) -> RowMapping | None:
    """The unrevoked, unexpired session row of ``token``, or None."""
    if not token or len(token) > 256:
        return None
    wanted = security.digest(token)
    row = conn.execute(select(sessions).where(sessions.c.token_digest == wanted)).mappings().first()
    # The lookup goes by digest, so response time says nothing about how much of a guessed
    # token was right; the constant-time compare is a second guard against index quirks.
    if row is None or not security.same(row["token_digest"], wanted):
        return None
    if row["revoked"] or row["expires_at"] <= utcnow():
        return None
    return row


def start_read(backend: Backend, token: str) -> tuple[reader.Start, Session, bool] | None:
    """``authenticate``'s lookup as one statement that also reads the counter and the
    user's marks (core/reader.py): the start of a read, the session, and whether its
    ``last_used_at`` is due a write (``touch``). None for a token that opens no session."""
    return _live_start(reader.by_session(backend, token))


def _live_start(
    found: tuple[reader.Start, RowMapping] | None,
) -> tuple[reader.Start, Session, bool] | None:
    if found is None:
        return None
    start, row = found
    if row["revoked"] or row["expires_at"] <= utcnow():
        return None
    session = Session.from_row(row)  # type: ignore[arg-type]
    return start, session, utcnow() - session.last_used_at >= _TOUCH_EVERY


def touch(backend: Backend, session: Session) -> None:
    """Record that the session was used now (see ``_TOUCH_EVERY``)."""
    # Race: two requests may both touch; either timestamp is right, and the WHERE keeps
    # a concurrent revocation from being undone (we never write ``revoked`` here).
    with backend.plain_write() as conn:
        conn.execute(
            update(sessions).where(sessions.c.id == session.id).values(last_used_at=utcnow())
        )


def authenticate(backend: Backend, token: str) -> tuple[RowMapping, Session]:
    """The user and session behind a cookie token; AuthenticationFailed for anything else."""
    with backend.read() as conn:
        row = _live(conn, token)
        user = (
            conn.execute(select(users).where(users.c.id == row["user_id"])).mappings().first()
            if row is not None
            else None
        )
    if row is None or user is None:
        raise AuthenticationFailed("user_not_sign_on")
    session = Session.from_row(row)
    now = utcnow()
    if now - session.last_used_at >= _TOUCH_EVERY:
        # Race: two requests may both touch; either timestamp is right, and the WHERE keeps
        # a concurrent revocation from being undone (we never write ``revoked`` here).
        with backend.plain_write() as conn:
            conn.execute(
                update(sessions).where(sessions.c.id == session.id).values(last_used_at=now)
            )
    return user, session


def list_for(backend: Backend, user_id: int) -> list[Session]:
    """The user's sessions still usable, newest first."""
    now = utcnow()
    with backend.read() as conn:
        rows = (
            conn.execute(
                select(sessions)
                .where(
                    sessions.c.user_id == user_id,
                    sessions.c.revoked.is_(False),
                    sessions.c.expires_at > now,
                )
                .order_by(sessions.c.created_at.desc(), sessions.c.id.desc())
            )
            .mappings()
            .all()
        )
    return [Session.from_row(row) for row in rows]


def revoke(backend: Backend, user_id: int, session_id: int) -> None:
    """End one of the user's own sessions; someone else's id is simply not found."""
    with backend.plain_write() as conn:
        done = conn.execute(
            update(sessions)
            .where(
                sessions.c.id == session_id,
                sessions.c.user_id == user_id,
                sessions.c.revoked.is_(False),
            )
            .values(revoked=True)
        )
        if done.rowcount != 1:
            raise NotFound("session")
