"""V2 sign-on: password, then a TOTP code when the account answers with a challenge."""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import ValidationError
from pyotp import TOTP

from taskhaven.sdk._exceptions import (
    RateLimitError,
    ResponseValidationError,
    TOTPRequiredError,
    TransportError,
    from_response,
)
from taskhaven.sdk._urls import join
from taskhaven.sdk.models.user import UserSignOnV2, UserSignOnWithTOTPV2

TOTP_REQUIRED = "Sign on requires TOTP verification, but no TOTP was provided."
OUTDATED_HEADERS = (
    "TickTick answers 429 to sign-ons whose browser headers look outdated: "
    "try a current `v2_user_agent` and `v2_x_device`"
)


def _post(
    client: httpx.Client, url: str, headers: dict[str, str], body: dict[str, str]
) -> dict[str, Any]:
    try:
        response = client.post(url, headers=headers, json=body)
    except httpx.HTTPError as exc:
        raise TransportError(f"{url}: {exc}") from exc
    if not response.is_success:
        error = from_response(response)
        if isinstance(error, RateLimitError):
            error.add_note(OUTDATED_HEADERS)
        raise error
    try:
        data = response.json()
    except ValueError as exc:
        raise ResponseValidationError(f"{url}: the answer is not JSON") from exc
    if not isinstance(data, dict):
        raise ResponseValidationError(f"{url}: expected a JSON object, got {type(data).__name__}")
    return data


def signon(
    username: str,
    password: str,
    totp_secret: str | None,
    base_url: str,
    headers: dict[str, str],
    *,
    lenient: bool = False,
    client: httpx.Client | None = None,
) -> UserSignOnV2:
    """Sign on with the password, answering a two-factor challenge with ``totp_secret``."""
    owned = client is None
    http = client or httpx.Client(timeout=30)
    try:
        answer = _post(
            http,
            join(base_url, "user/signon?wc=true&remember=true"),
            headers,
            {"username": username, "password": password},
        )
        if "authId" in answer and "token" not in answer:
            challenge = UserSignOnWithTOTPV2.parse(answer, lenient=lenient)
            if totp_secret is None:
                raise TOTPRequiredError(TOTP_REQUIRED)
            answer = _post(
                http,
                join(base_url, "user/sign/mfa/code/verify"),
                {**headers, "x-verify-id": challenge.auth_id},
                {"code": TOTP(totp_secret).now(), "method": "app"},
            )
        try:
            return UserSignOnV2.parse(answer, lenient=lenient)
        except ValidationError as exc:
            raise ResponseValidationError(str(exc)) from exc
    finally:
        if owned:
            http.close()
