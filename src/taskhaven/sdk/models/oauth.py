"""OAuth 2.0 token answers (RFC 6749 §5.1): TickTick style for V1, Todoist style for the
Sync API."""

from __future__ import annotations

from typing import Literal

from pydantic import UUID4, ConfigDict, field_validator

from taskhaven.sdk.models._base import WireModel

V1_SCOPE = "tasks:read tasks:write"


class OAuthTokenV1(WireModel):
    """The token answer of the V1 provider; other keys (``refresh_token``…) are ignored."""

    model_config = ConfigDict(extra="ignore")

    access_token: UUID4
    expires_in: int
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 (a token type, no secret)
    scope: str = V1_SCOPE

    @field_validator("token_type", mode="before")
    @classmethod
    def _case_insensitive(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value  # RFC 6749 §5.1


SYNC_SCOPE = "data:read_write,data:delete"


class OAuthTokenSync(WireModel):
    """A Todoist-style token answer: the token the Sync API takes in place of the API token."""

    model_config = ConfigDict(extra="ignore")

    access_token: str
    token_type: str = "Bearer"  # noqa: S105 (a token type, no secret)
