"""Business accounts: this server has none, so there is nobody to invite and nothing to accept.

The calls still check their arguments first, so a client learns about a malformed request
before it learns that the feature is absent.
"""

from __future__ import annotations

from typing import Any

from taskhaven.core import users
from taskhaven.core.errors import Forbidden, InvalidArgument, NotFound

MAX_EMAILS = 100
NO_BUSINESS = "Business accounts are not available on this server"


def invite(user_id: int, email_list: Any) -> list[dict[str, Any]]:
    """Only a business admin may invite, and no account is one."""
    del user_id
    if not isinstance(email_list, list) or not all(isinstance(e, str) for e in email_list):
        raise InvalidArgument("email_list", "Invalid argument value: email_list (a JSON array)")
    if len(email_list) > MAX_EMAILS:
        raise InvalidArgument(
            "email_list", f"Invalid argument value: email_list (at most {MAX_EMAILS})"
        )
    for email in email_list:
        users.normalise_email(email)
    raise Forbidden(NO_BUSINESS)


def answer_invitation(invitation_id: int, secret: str) -> None:
    """Accepting or rejecting: no business invitation can exist."""
    del invitation_id, secret
    raise NotFound("invitation")
