"""Password sign-on with an optional TOTP step, ending in a session; rate-limited on failures.

Failures (wrong password, wrong second-factor code) are counted per account and per client
address in fixed windows shared by every server process (``core.limitstores``). Once either
count reaches its limit, further attempts are refused with LimitExceeded before the password
is even checked, until the window ends; successes reset nothing, so the password alone cannot
buy more guesses.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import RowMapping

from taskhaven.core import events, ratelimit, security, sessions, totp, users
from taskhaven.core.backend import Backend
from taskhaven.core.errors import (
    AuthenticationFailed,
    Forbidden,
    InvalidArgument,
    LimitExceeded,
    SecondFactorIncorrect,
    WrongCredentials,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SignedOn:
    """A finished sign-on: the session token is in the clear here and nowhere else."""

    user: RowMapping
    token: str
    session: sessions.Session


@dataclass(frozen=True)
class SecondFactorNeeded:
    """The password was right; the caller must now send a TOTP code with ``auth_id``."""

    auth_id: str
    expires_at: datetime


@dataclass(frozen=True)
class Caller:
    """Where a sign-on comes from: the limits key on the address, sessions remember both."""

    address: str | None = None
    user_agent: str | None = None


def _account_key(username: str) -> str:
    try:
        name = users.normalise_email(username)
    except InvalidArgument:
        name = username.strip().lower()
    # Digest: any length of user name fits the key column, and no address is stored.
    return "signon:account:" + security.digest(name)[:32]


# (the limit's name for ``events``, its counter key, its limit)
Limit = tuple[str, str, int]


def _limits(backend: Backend, account_key: str | None, caller: Caller) -> list[Limit]:
    settings = backend.settings
    found: list[Limit] = []
    if account_key is not None:
        found.append(("signon-account", account_key, settings.signon_failures_per_account))
    if caller.address:
        found.append(
            (
                "signon-address",
                "signon:address:" + caller.address[:200],
                settings.signon_failures_per_address,
            )
        )
    return [limit for limit in found if limit[2] > 0]


def _refuse_if_limited(backend: Backend, limits: list[Limit]) -> None:
    window = backend.settings.signon_failure_window_seconds
    for kind, key, limit in limits:
        if ratelimit.count(backend, key, window) >= limit:
            events.emit("rate_limited", kind)
            raise LimitExceeded(
                "Too many failed sign-on attempts", retry_after=ratelimit.retry_after(window)
            )


def _record_failure(backend: Backend, limits: list[Limit], reason: str) -> None:
    """Count a failed attempt (``reason``: ``password``, ``second_factor``)."""
    events.emit("signon_failed", reason)
    window = backend.settings.signon_failure_window_seconds
    for _kind, key, _limit in limits:
        # This attempt already failed on its own; the next one is refused up front.
        ratelimit.record(backend, key, window)


def _open_session(backend: Backend, user: RowMapping, caller: Caller) -> SignedOn:
    token, session = sessions.create(
        backend, user["id"], user_agent=caller.user_agent, address=caller.address
    )
    return SignedOn(user=user, token=token, session=session)


def check_password(
    backend: Backend, username: str, password: str, caller: Caller | None = None
) -> RowMapping:
    """The account behind ``username`` and ``password``, under the failure throttle.

    Every door that takes a password goes through here or ``delete_account`` (the Sync
    API's ``login``, V2 sign-on, the OAuth sign-in page), so failures at one count at all.
    """
    caller = caller or Caller()
    limits = _limits(backend, _account_key(username), caller)
    _refuse_if_limited(backend, limits)
    try:
        return users.login(backend, username, password)
    except AuthenticationFailed:
        _record_failure(backend, limits, "password")
        log.info("sign-on refused: wrong user name or password (from %s)", caller.address)
        raise


def delete_account(
    backend: Backend, user: RowMapping, password: str, caller: Caller | None = None
) -> None:
    """``users.delete_user`` under the same failure throttle as every sign-in."""
    limits = _limits(backend, _account_key(user["email"]), caller or Caller())
    _refuse_if_limited(backend, limits)
    try:
        users.delete_user(backend, user["id"], password)
    except Forbidden:
        _record_failure(backend, limits, "password")
        raise


def confirm_password(
    backend: Backend, user: RowMapping, password: str, caller: Caller | None = None
) -> None:
    """A signed-in user's password asked again before a sensitive read (the data export),
    under the same failure throttle as every sign-in: a stolen token alone does not do."""
    limits = _limits(backend, _account_key(user["email"]), caller or Caller())
    _refuse_if_limited(backend, limits)
    if not backend.passwords.verify(user["password_hash"], password):
        _record_failure(backend, limits, "password")
        raise Forbidden("Wrong password")


def sign_on(
    backend: Backend, username: str, password: str, caller: Caller | None = None
) -> SignedOn | SecondFactorNeeded:
    """Check the password; open a session, or a challenge when TOTP is on."""
    caller = caller or Caller()
    try:
        user = check_password(backend, username, password, caller)
    except AuthenticationFailed as exc:
        raise WrongCredentials("username_password_not_match") from exc
    if totp.is_enabled(user):
        auth_id, expires_at = totp.open_challenge(backend, user["id"])
        return SecondFactorNeeded(auth_id=auth_id, expires_at=expires_at)
    return _open_session(backend, user, caller)


def verify_second_factor(
    backend: Backend, auth_id: str, code: str, caller: Caller | None = None
) -> SignedOn:
    """Spend the challenge and check the code; a session on success."""
    caller = caller or Caller()
    _refuse_if_limited(backend, _limits(backend, None, caller))
    user_id = totp.redeem_challenge(backend, auth_id)
    with backend.read() as conn:
        user = users.get(conn, user_id)
    limits = _limits(backend, _account_key(user["email"]), caller)
    _refuse_if_limited(backend, limits)
    if not totp.verify(backend, user, code):
        _record_failure(backend, limits, "second_factor")
        log.info("sign-on refused: wrong second-factor code (from %s)", caller.address)
        raise SecondFactorIncorrect("incorrect_mfa_code")
    return _open_session(backend, user, caller)
