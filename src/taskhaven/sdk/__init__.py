"""taskhaven's SDK: settings that sign on, and typed clients for the Sync, V1 and V2 APIs."""

from taskhaven.sdk._exceptions import (
    APIError,
    AuthenticationError,
    BadRequestError,
    CommandError,
    ConflictError,
    NotFoundError,
    OAuthError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    ServerError,
    TaskhavenError,
    TOTPRequiredError,
    TransportError,
)
from taskhaven.sdk._settings import Settings, TokenV1, V2XDevice
from taskhaven.sdk.models.oauth import OAuthTokenV1
from taskhaven.sdk.models.user import UserSignOnV2, UserSignOnWithTOTPV2

__all__ = [
    "APIError",
    "AuthenticationError",
    "BadRequestError",
    "CommandError",
    "ConflictError",
    "NotFoundError",
    "OAuthError",
    "OAuthTokenV1",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseValidationError",
    "ServerError",
    "Settings",
    "TOTPRequiredError",
    "TaskhavenError",
    "TokenV1",
    "TransportError",
    "UserSignOnV2",
    "UserSignOnWithTOTPV2",
    "V2XDevice",
]
