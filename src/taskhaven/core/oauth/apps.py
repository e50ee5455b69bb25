"""Registered applications (OAuth2 clients): created by the operator, secret shown once.

The client secret is stored as a SHA-256 digest: it is 256 random bits, so a fast digest is
as good as a slow one, and the database never holds it in the clear.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import Connection, RowMapping, delete, insert, select, update

from taskhaven.core import columns, security
from taskhaven.core.backend import Backend, utcnow
from taskhaven.core.errors import InvalidArgument, NotFound
from taskhaven.store.schema import oauth_apps, oauth_codes, oauth_tokens

MAX_NAME = columns.length("oauth_apps", "name")
MAX_URI = columns.length("oauth_codes", "redirect_uri")
MAX_URIS = 20


@dataclass(frozen=True)
class App:
    id: int
    client_id: str
    name: str
    redirect_uris: tuple[str, ...]
    created_at: datetime

    @classmethod
    def from_row(cls, row: RowMapping) -> App:
        return cls(
            id=row["id"],
            client_id=row["client_id"],
            name=row["name"],
            redirect_uris=tuple(row["redirect_uris"] or ()),
            created_at=row["created_at"],
        )

    @property
    def default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def allows_redirect(self, uri: str) -> bool:
        """Only registered URIs, compared exactly (no prefix or pattern matching)."""
        return any(security.same(uri, known) for known in self.redirect_uris)


def check_redirect_uri(uri: str) -> str:
    """An absolute URI without a fragment; plain http only for loopback hosts or when the
    operator says so by registering it (local scripts such as pyticktick's default)."""
    parts = urlsplit(uri.strip()) if isinstance(uri, str) else None
    if (
        parts is None
        or not parts.scheme
        or len(uri) > MAX_URI
        or parts.fragment
        or (parts.scheme in ("http", "https") and not parts.hostname)
        or parts.scheme.lower() in ("javascript", "data", "file", "vbscript")
        or any(ch.isspace() or ch in "\"'<>;,\\" or ord(ch) < 32 for ch in uri.strip())
    ):
        raise InvalidArgument("redirect_uri", f"Not a usable redirect URI: {uri!r}")
    return uri.strip()


def _new_client_id() -> str:
    return secrets.token_hex(16)


def _new_secret() -> str:
    return secrets.token_urlsafe(32)


def create(backend: Backend, name: str, redirect_uris: Sequence[str]) -> tuple[App, str]:
    """Register an app; returns it and its client secret (the only time it is shown)."""
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME:
        raise InvalidArgument("name", f"An app needs a name of 1 to {MAX_NAME} characters")
    uris = list(dict.fromkeys(check_redirect_uri(uri) for uri in redirect_uris))
    if not uris or len(uris) > MAX_URIS:
        raise InvalidArgument("redirect_uri", "An app needs 1 to 20 redirect URIs")
    secret = _new_secret()
    with backend.plain_write() as conn:
        row = (
            conn.execute(
                insert(oauth_apps)
                .values(
                    client_id=_new_client_id(),
                    name=name,
                    secret_digest=security.digest(secret),
                    redirect_uris=uris,
                    created_at=utcnow(),
                )
                .returning(*oauth_apps.c)
            )
            .mappings()
            .one()
        )
    return App.from_row(row), secret


def all_apps(backend: Backend) -> list[App]:
    with backend.read() as conn:
        rows = conn.execute(select(oauth_apps).order_by(oauth_apps.c.id)).mappings().all()
    return [App.from_row(row) for row in rows]


def by_client_id(conn: Connection, client_id: str) -> App | None:
    if (
        not isinstance(client_id, str)
        or not client_id
        or len(client_id) > columns.length("oauth_apps", "client_id")
    ):
        return None
    row = (
        conn.execute(select(oauth_apps).where(oauth_apps.c.client_id == client_id))
        .mappings()
        .first()
    )
    return App.from_row(row) if row is not None else None


def get(backend: Backend, client_id: str) -> App | None:
    with backend.read() as conn:
        return by_client_id(conn, client_id)


def check_secret(backend: Backend, client_id: str, secret: str) -> bool:
    """Constant-time check of a client secret (digest against digest)."""
    if not isinstance(secret, str) or not secret or len(secret) > 256:
        return False
    with backend.read() as conn:
        stored = conn.execute(
            select(oauth_apps.c.secret_digest).where(oauth_apps.c.client_id == client_id)
        ).scalar()
    return stored is not None and security.same(stored, security.digest(secret))


def rotate_secret(backend: Backend, client_id: str) -> str:
    """A new client secret; the old one stops working at once. Tokens already issued stay."""
    secret = _new_secret()
    with backend.plain_write() as conn:
        done = conn.execute(
            update(oauth_apps)
            .where(oauth_apps.c.client_id == client_id)
            .values(secret_digest=security.digest(secret))
        )
    if done.rowcount != 1:
        raise NotFound("app")
    return secret


def delete_app(backend: Backend, client_id: str) -> None:
    """Forget an app with its codes and tokens (foreign keys cascade; also done by hand
    for SQLite databases opened without foreign-key enforcement)."""
    with backend.plain_write() as conn:
        app_id = conn.execute(
            select(oauth_apps.c.id).where(oauth_apps.c.client_id == client_id)
        ).scalar()
        if app_id is None:
            raise NotFound("app")
        conn.execute(delete(oauth_tokens).where(oauth_tokens.c.app_id == app_id))
        conn.execute(delete(oauth_codes).where(oauth_codes.c.app_id == app_id))
        conn.execute(delete(oauth_apps).where(oauth_apps.c.id == app_id))
