"""TOTP second factor (RFC 6238: SHA-1, 6 digits, 30 s) and the sign-on challenges it needs.

The secret is stored sealed with the server key (``users.totp_secret_enc``). A challenge
(the V2 ``authId``) links the password step to the code step: random, stored by digest only,
single-use, and short-lived (``settings.mfa_challenge_seconds``).
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from sqlalchemy import RowMapping, delete, insert, or_, update

from taskhaven.core import security
from taskhaven.core.backend import Backend, utcnow
from taskhaven.core.errors import SecondFactorExpired
from taskhaven.core.users import get as get_user
from taskhaven.store.schema import mfa_challenges, users

log = logging.getLogger(__name__)

ISSUER = "taskhaven"
SECRET_LENGTH = 32  # base32 characters: 160 bits, the size RFC 4226 recommends
# Clock drift and typing time: the current 30 s step and one either side.
VALID_WINDOW = 1
_CODE = re.compile(r"^[0-9]{6}$")
MAX_AUTH_ID = 256


@dataclass(frozen=True)
class Enrollment:
    """What a user needs to set up an authenticator app; shown once, never stored in clear."""

    secret: str
    uri: str


def is_enabled(user: RowMapping) -> bool:
    return bool(user["totp_secret_enc"])


def enable(backend: Backend, user_id: int) -> Enrollment:
    """Give the user a new secret; an earlier one stops working at once."""
    secret = pyotp.random_base32(length=SECRET_LENGTH)
    with backend.write(user_id) as unit:
        user = get_user(unit.conn, user_id)
        unit.conn.execute(
            update(users)
            .where(users.c.id == user_id)
            .values(totp_secret_enc=backend.box.seal(secret), seq=unit.stamp())
        )
    uri = pyotp.TOTP(secret).provisioning_uri(name=user["email"], issuer_name=ISSUER)
    return Enrollment(secret=secret, uri=uri)


def disable(backend: Backend, user_id: int) -> bool:
    """Switch the second factor off; False when it was not on."""
    with backend.write(user_id) as unit:
        user = get_user(unit.conn, user_id)
        if not is_enabled(user):
            return False
        unit.conn.execute(
            update(users)
            .where(users.c.id == user_id)
            .values(totp_secret_enc=None, seq=unit.stamp())
        )
        # Challenges already handed out would otherwise still demand a code nobody can make.
        unit.conn.execute(delete(mfa_challenges).where(mfa_challenges.c.user_id == user_id))
    return True


def verify(backend: Backend, user: RowMapping, code: str, *, at: float | None = None) -> bool:
    """Whether ``code`` is right for the user now (or at ``at``), ±1 step of 30 s.

    A code may be used again within its window: every sign-on also needs the password and a
    fresh single-use challenge, and clients sign on several times a minute.
    """
    if not is_enabled(user) or not isinstance(code, str):
        return False
    code = code.replace(" ", "")
    if not _CODE.match(code):
        return False
    try:
        secret = backend.box.open(user["totp_secret_enc"])
    except ValueError:
        # Sealed under another server key (CLI run with other settings than the server):
        # fail closed, and tell the operator rather than the caller.
        log.error("TOTP secret of user %s cannot be opened with this server key", user["id"])
        return False
    # pyotp compares in constant time.
    return pyotp.TOTP(secret).verify(
        code, for_time=time.time() if at is None else at, valid_window=VALID_WINDOW
    )


def open_challenge(backend: Backend, user_id: int) -> tuple[str, datetime]:
    """A new authId for a user whose password was right; returns it and its expiry."""
    auth_id = secrets.token_hex(32)
    now = utcnow()
    expires_at = now + timedelta(seconds=backend.settings.mfa_challenge_seconds)
    with backend.plain_write() as conn:
        # Keep the table small: the user's spent and stale challenges go.
        conn.execute(
            delete(mfa_challenges).where(
                mfa_challenges.c.user_id == user_id,
                or_(mfa_challenges.c.used.is_(True), mfa_challenges.c.expires_at <= now),
            )
        )
        conn.execute(
            insert(mfa_challenges).values(
                auth_digest=security.digest(auth_id),
                user_id=user_id,
                expires_at=expires_at,
                used=False,
            )
        )
    return auth_id, expires_at


def redeem_challenge(backend: Backend, auth_id: str) -> int:
    """Spend an authId and return its user id; SecondFactorExpired if it cannot be spent.

    A challenge is spent by the first attempt, right code or wrong, so guessing codes needs
    the password again for every guess (and counts against the sign-on limits).
    """
    if not isinstance(auth_id, str) or not auth_id or len(auth_id) > MAX_AUTH_ID:
        raise SecondFactorExpired("mfa_expired")
    with backend.plain_write() as conn:
        # Race: two verify calls with one authId. The conditional UPDATE is atomic (SQLite
        # serialises writers; PostgreSQL re-checks ``used`` after the row lock is granted),
        # so exactly one of them sees a row.
        row = conn.execute(
            update(mfa_challenges)
            .where(
                mfa_challenges.c.auth_digest == security.digest(auth_id),
                mfa_challenges.c.used.is_(False),
                mfa_challenges.c.expires_at > utcnow(),
            )
            .values(used=True)
            .returning(mfa_challenges.c.user_id)
        ).first()
    if row is None:
        raise SecondFactorExpired("mfa_expired")
    return int(row[0])
