"""Authorization codes and access tokens: what a user granted to which app.

Codes are single-use, live ``oauth_code_seconds`` and are bound to the app, the redirect URI
(when the authorize request named one) and the PKCE challenge. Tokens live ``oauth_token_days``
and can be revoked one by one or per app. Both are stored by SHA-256 digest only.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, cast

from sqlalchemy import RowMapping, and_, bindparam, delete, insert, or_, select, update

from taskhaven.core import reader, security
from taskhaven.core.backend import Backend, utcnow
from taskhaven.core.errors import AuthenticationFailed, NotFound
from taskhaven.core.oauth import scopes as scope_rules
from taskhaven.core.oauth.apps import App
from taskhaven.store.prepared import Prepared
from taskhaven.store.schema import oauth_apps, oauth_codes, oauth_tokens, users

MAX_CODE = 256
MAX_TOKEN = 256
TokenForm = Literal["uuid4", "hex40"]


@dataclass(frozen=True)
class Code:
    id: int
    app_id: int
    user_id: int
    redirect_uri: str | None
    scopes: tuple[str, ...]
    code_challenge: str | None
    code_challenge_method: str | None

    @classmethod
    def from_row(cls, row: RowMapping) -> Code:
        return cls(
            id=row["id"],
            app_id=row["app_id"],
            user_id=row["user_id"],
            redirect_uri=row["redirect_uri"],
            scopes=tuple(row["scope"].split()),
            code_challenge=row["code_challenge"],
            code_challenge_method=row["code_challenge_method"],
        )


@dataclass(frozen=True)
class Grant:
    """A live access token: whose it is, which app holds it, what it may do."""

    token_id: int
    user: RowMapping
    app_id: int
    client_id: str
    scopes: tuple[str, ...]
    expires_at: datetime
    # The user row with the counter and the user's marks, read together (core/reader.py).
    start: reader.Start | None = None

    @property
    def user_id(self) -> int:
        return int(self.user["id"])


@dataclass(frozen=True)
class Token:
    """A stored token in any state (for revocation, which needs no live token)."""

    id: int
    app_id: int
    user_id: int
    scopes: tuple[str, ...]
    expires_at: datetime
    revoked: bool


@dataclass(frozen=True)
class AppGrant:
    """What one user granted one app: the union of its live tokens."""

    client_id: str
    app_name: str
    redirect_uris: tuple[str, ...]
    scopes: tuple[str, ...]
    tokens: int
    first_granted_at: datetime
    expires_at: datetime


# --- codes ------------------------------------------------------------------------------------


def new_code() -> str:
    """256 random bits. TickTick's codes are 6 characters; no client seen so far minds more."""
    return secrets.token_urlsafe(32)


def store_code(
    backend: Backend,
    code: str,
    app: App,
    user_id: int,
    scopes: tuple[str, ...],
    *,
    redirect_uri: str | None,
    code_challenge: str | None = None,
    code_challenge_method: str | None = None,
) -> None:
    """Remember a code given for ``user_id``'s consent (by digest only)."""
    now = utcnow()
    with backend.plain_write() as conn:
        # Keep the table small: this app's expired codes go.
        conn.execute(
            delete(oauth_codes).where(
                oauth_codes.c.app_id == app.id, oauth_codes.c.expires_at <= now
            )
        )
        conn.execute(
            insert(oauth_codes).values(
                code_digest=security.digest(code),
                app_id=app.id,
                user_id=user_id,
                redirect_uri=redirect_uri,
                scope=scope_rules.text(scopes),
                code_challenge=code_challenge,
                code_challenge_method=code_challenge_method,
                created_at=now,
                expires_at=now + timedelta(seconds=backend.settings.oauth_code_seconds),
                used=False,
            )
        )


def redeem_code(backend: Backend, app: App, code: str) -> Code | None:
    """Spend a code issued to ``app``; None when it is unknown, someone else's, expired or
    already spent. A second use of a spent code also revokes the tokens the first use got
    (RFC 6749 §4.1.2: the code may have leaked).

    Race: two token requests with one code. The conditional UPDATE is atomic (SQLite
    serialises writers; PostgreSQL re-checks ``used`` once the row lock is granted), so
    exactly one of them gets the row.
    """
    if not isinstance(code, str) or not code or len(code) > MAX_CODE:
        return None
    wanted = security.digest(code)
    now = utcnow()
    with backend.plain_write() as conn:
        row = (
            conn.execute(
                update(oauth_codes)
                .where(
                    oauth_codes.c.code_digest == wanted,
                    oauth_codes.c.app_id == app.id,
                    oauth_codes.c.used.is_(False),
                    oauth_codes.c.expires_at > now,
                )
                .values(used=True)
                .returning(*oauth_codes.c)
            )
            .mappings()
            .first()
        )
        if row is not None:
            return Code.from_row(row)
        spent = conn.execute(
            select(oauth_codes.c.id).where(
                oauth_codes.c.code_digest == wanted,
                oauth_codes.c.app_id == app.id,
                oauth_codes.c.used.is_(True),
            )
        ).scalar()
        if spent is not None:
            conn.execute(
                update(oauth_tokens).where(oauth_tokens.c.code_id == spent).values(revoked=True)
            )
    return None


# --- tokens -----------------------------------------------------------------------------------


def new_token(form: TokenForm) -> str:
    """TickTick's tokens are UUID4 strings (pyticktick checks the version); Todoist's are 40
    hex characters, like the Sync API's own token. Both carry 122+ random bits."""
    if form == "uuid4":
        return str(uuid.UUID(bytes=secrets.token_bytes(16), version=4))
    return secrets.token_hex(20)


def lifetime(backend: Backend) -> int:
    """Seconds an access token lives (``expires_in``)."""
    return int(timedelta(days=backend.settings.oauth_token_days).total_seconds())


def store_token(
    backend: Backend,
    token: str,
    app_id: int,
    user_id: int,
    scopes: tuple[str, ...],
    *,
    code_id: int | None,
) -> None:
    """Remember a new access token (by digest only), live for ``lifetime`` seconds."""
    now = utcnow()
    with backend.plain_write() as conn:
        # Keep the table small: this user's dead tokens for this app go.
        conn.execute(
            delete(oauth_tokens).where(
                oauth_tokens.c.user_id == user_id,
                oauth_tokens.c.app_id == app_id,
                or_(oauth_tokens.c.revoked.is_(True), oauth_tokens.c.expires_at <= now),
            )
        )
        conn.execute(
            insert(oauth_tokens).values(
                token_digest=security.digest(token),
                app_id=app_id,
                user_id=user_id,
                code_id=code_id,
                scope=scope_rules.text(scopes),
                created_at=now,
                expires_at=now + timedelta(seconds=lifetime(backend)),
                revoked=False,
            )
        )


def _token_row(conn: object, token: str) -> RowMapping | None:
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN:
        return None
    wanted = security.digest(token)
    row = (
        conn.execute(  # type: ignore[attr-defined]
            select(oauth_tokens, oauth_apps.c.client_id)
            .join(oauth_apps, oauth_apps.c.id == oauth_tokens.c.app_id)
            .where(oauth_tokens.c.token_digest == wanted)
        )
        .mappings()
        .first()
    )
    # The lookup goes by digest; the constant-time compare guards against index quirks.
    if row is None or not security.same(row["token_digest"], wanted):
        return None
    return row  # type: ignore[no-any-return]


# The token, its app's client id, and the start of a read for its user (core/reader.py):
# one statement, built once, for ``authenticate``.
_TOKEN_KEYS = ("id", "app_id", "scope", "expires_at", "revoked", "token_digest")
_BY_TOKEN = Prepared(
    select(
        *reader.START_COLUMNS,
        *(oauth_tokens.c[name].label(f"grant_{name}") for name in _TOKEN_KEYS),
        oauth_apps.c.client_id.label("grant_client_id"),
    )
    .select_from(
        reader.START_FROM.join(oauth_tokens, oauth_tokens.c.user_id == users.c.id).join(
            oauth_apps, oauth_apps.c.id == oauth_tokens.c.app_id
        )
    )
    .where(oauth_tokens.c.token_digest == bindparam("digest"))
)


def authenticate(backend: Backend, token: str, family: str | None = None) -> Grant:
    """The live grant behind a bearer token; AuthenticationFailed for an unknown, expired or
    revoked token, or one granted for the other protocol family.

    One prepared statement outside a transaction (``Backend.loop_first``), on the event
    loop or in the thread pool: what a V1 read costs before its answer."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN:
        raise AuthenticationFailed("Invalid token")
    wanted = security.digest(token)
    found = backend.loop_first(_BY_TOKEN, digest=wanted)
    if found is None or not security.same(found["grant_token_digest"], wanted):
        raise AuthenticationFailed("Invalid token")
    row = {name: found[f"grant_{name}"] for name in (*_TOKEN_KEYS, "client_id")}
    # The rest: keys and converted values as ``.mappings()`` gives them for the start's
    # columns (see reader.by_api_token); no token column rides along with the user.
    user = {key: found[key] for key in found if not key.startswith("grant_")}
    start = reader.start_of(cast(RowMapping, user))
    return _live_grant(cast(RowMapping, row), start, family)


def _live_grant(row: RowMapping | None, start: reader.Start | None, family: str | None) -> Grant:
    user = start.user if start is not None else None
    if row is None or user is None or row["revoked"] or row["expires_at"] <= utcnow():
        raise AuthenticationFailed("Invalid token")
    held = tuple(row["scope"].split())
    if family is not None and scope_rules.family(held) != family:
        raise AuthenticationFailed("Invalid token")
    return Grant(
        token_id=row["id"],
        user=user,
        app_id=row["app_id"],
        client_id=row["client_id"],
        scopes=held,
        expires_at=row["expires_at"],
        start=start,
    )


def find_token(backend: Backend, token: str) -> Token | None:
    with backend.read() as conn:
        row = _token_row(conn, token)
    if row is None:
        return None
    return Token(
        id=row["id"],
        app_id=row["app_id"],
        user_id=row["user_id"],
        scopes=tuple(row["scope"].split()),
        expires_at=row["expires_at"],
        revoked=bool(row["revoked"]),
    )


def revoke_token(backend: Backend, token_id: int) -> None:
    with backend.plain_write() as conn:
        conn.execute(update(oauth_tokens).where(oauth_tokens.c.id == token_id).values(revoked=True))


# --- what a user granted ----------------------------------------------------------------------


def grants_for(backend: Backend, user_id: int) -> list[AppGrant]:
    """The apps holding a live token of the user, with the scopes of those tokens."""
    now = utcnow()
    live = and_(
        oauth_tokens.c.user_id == user_id,
        oauth_tokens.c.revoked.is_(False),
        oauth_tokens.c.expires_at > now,
    )
    with backend.read() as conn:
        rows = (
            conn.execute(
                select(
                    oauth_apps.c.client_id,
                    oauth_apps.c.name,
                    oauth_apps.c.redirect_uris,
                    oauth_tokens.c.scope,
                    oauth_tokens.c.created_at,
                    oauth_tokens.c.expires_at,
                )
                .join(oauth_apps, oauth_apps.c.id == oauth_tokens.c.app_id)
                .where(live)
                .order_by(oauth_apps.c.name, oauth_apps.c.id, oauth_tokens.c.id)
            )
            .mappings()
            .all()
        )
    found: dict[str, AppGrant] = {}
    for row in rows:
        held = tuple(row["scope"].split())
        before = found.get(row["client_id"])
        if before is None:
            found[row["client_id"]] = AppGrant(
                client_id=row["client_id"],
                app_name=row["name"],
                redirect_uris=tuple(row["redirect_uris"] or ()),
                scopes=held,
                tokens=1,
                first_granted_at=row["created_at"],
                expires_at=row["expires_at"],
            )
            continue
        found[row["client_id"]] = AppGrant(
            client_id=before.client_id,
            app_name=before.app_name,
            redirect_uris=before.redirect_uris,
            scopes=tuple(n for n in scope_rules.ALL if n in {*before.scopes, *held}),
            tokens=before.tokens + 1,
            first_granted_at=min(before.first_granted_at, row["created_at"]),
            expires_at=max(before.expires_at, row["expires_at"]),
        )
    return list(found.values())


def revoke_grant(backend: Backend, user_id: int, client_id: str) -> int:
    """Revoke every token the user gave the app (and spend its open codes); returns how many
    tokens were live. NotFound when the app is unknown or holds nothing of the user's."""
    now = utcnow()
    with backend.plain_write() as conn:
        app_id = conn.execute(
            select(oauth_apps.c.id).where(oauth_apps.c.client_id == client_id)
        ).scalar()
        if app_id is None:
            raise NotFound("grant")
        done = conn.execute(
            update(oauth_tokens)
            .where(
                oauth_tokens.c.user_id == user_id,
                oauth_tokens.c.app_id == app_id,
                oauth_tokens.c.revoked.is_(False),
                oauth_tokens.c.expires_at > now,
            )
            .values(revoked=True)
        )
        conn.execute(
            update(oauth_codes)
            .where(oauth_codes.c.user_id == user_id, oauth_codes.c.app_id == app_id)
            .values(used=True)
        )
    if done.rowcount == 0:
        raise NotFound("grant")
    return int(done.rowcount)
