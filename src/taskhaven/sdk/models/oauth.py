"""OAuth 2.0 answers (RFC 6749 §5.1), as the V1 provider gives them."""

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
