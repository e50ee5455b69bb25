"""Does the server key open the secrets in the database? Checked once at start-up.

A lost ``secret.key`` or a second process with its own data directory gives the server a key
that does not match the database. Nothing fails (``core.users`` seals a presented token
again, ``login`` renews an unreadable one), but TOTP enrolment of those users ends and their
API tokens are renewed: the operator must hear about it at once, not from users. The check
tries to open the most recently written sealed values (API tokens, TOTP secrets); it never
logs a key or a secret.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select

from taskhaven.core.backend import Backend
from taskhaven.store.schema import users

log = logging.getLogger("taskhaven.keys")
SAMPLE = 50


@dataclass(frozen=True)
class KeyCheck:
    tried: int
    unreadable: int

    @property
    def matches(self) -> bool:
        return self.unreadable == 0


def check(backend: Backend, sample: int = SAMPLE) -> KeyCheck:
    """Try to open up to ``sample`` sealed values of each kind, newest first."""
    sealed: list[str] = []
    with backend.read() as conn:
        for column in (users.c.api_token_enc, users.c.totp_secret_enc):
            query = select(column).where(column.is_not(None)).order_by(users.c.seq.desc())
            sealed += [str(v) for v in conn.execute(query.limit(sample)).scalars()]
    unreadable = 0
    for value in sealed:
        try:
            backend.box.open(value)
        except ValueError:
            unreadable += 1
    return KeyCheck(tried=len(sealed), unreadable=unreadable)


def warn_on_mismatch(backend: Backend) -> KeyCheck:
    """Log a WARNING naming the problem and what it affects when the key does not match."""
    found = check(backend)
    if not found.matches:
        log.warning(
            "the server key does not match this database: %d of the %d most recent sealed "
            "secrets cannot be opened with it (a lost secret.key, or another server process "
            "with its own data directory or TASKHAVEN_SECRET_KEY). Affected: users enrolled "
            "in TOTP cannot complete two-factor sign-on, and API tokens sealed under the "
            "other key are renewed at their next login. Restore the key the database was "
            "used with (see docs/running.md).",
            found.unreadable,
            found.tried,
        )
    return found
