"""The web's wire fields and their bounds (``core/columns.py``): the sign-in and consent
forms, and the OAuth2 parameters of the authorization and token endpoints. A value over its
bound, or holding NUL or a lone surrogate, is refused in the page's or endpoint's own
format before anything else reads it, never cut short.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from taskhaven.core import columns
from taskhaven.core.columns import CODE, PASSWORD, TOKEN, UNSTORED, Bound, column

FORM: Mapping[str, Bound] = {
    "email": column("users", "email"),
    "password": PASSWORD,
    "code": CODE,
    "client_id": column("oauth_apps", "client_id"),
    "csrf_token": TOKEN,
    "step": UNSTORED,
    "decision": UNSTORED,
}
"""The fields of the sign-in, TOTP, consent and grants forms."""

OAUTH: Mapping[str, Bound] = {
    "client_id": column("oauth_apps", "client_id"),
    "client_secret": TOKEN,
    "redirect_uri": column("oauth_codes", "redirect_uri"),
    "scope": column("oauth_codes", "scope"),
    "state": UNSTORED,
    "response_type": UNSTORED,
    "grant_type": UNSTORED,
    "code": TOKEN,
    "code_challenge": column("oauth_codes", "code_challenge"),
    "code_challenge_method": column("oauth_codes", "code_challenge_method"),
    "code_verifier": TOKEN,
    "token": TOKEN,
    "token_type_hint": UNSTORED,
    "access_token": TOKEN,
}
"""RFC 6749 parameters (and Todoist's spellings of them)."""


def first_problem(
    pairs: Iterable[tuple[str, object]], fields: Mapping[str, Bound]
) -> tuple[str, str] | None:
    """``(name, what is wrong)`` of the first text value over its bound; a field not in
    ``fields`` is bounded by ``UNSTORED`` (nothing reads it, but it must hold no NUL)."""
    for name, value in pairs:
        if not isinstance(value, str):
            continue
        found = columns.problem(name, UNSTORED) or columns.problem(
            value, fields.get(name, UNSTORED)
        )
        if found:
            return name[:64], found
    return None
