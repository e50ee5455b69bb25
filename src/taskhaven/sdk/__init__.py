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
from taskhaven.sdk._offline import OfflineSync
from taskhaven.sdk._retry import NO_RETRY, RetryPolicy
from taskhaven.sdk._settings import Settings, TokenV1, V2XDevice
from taskhaven.sdk._sync_client import MAX_COMMANDS, AsyncSyncClient, SyncClient
from taskhaven.sdk._tokens import FileTokenStore, KeyringTokenStore, TokenStore
from taskhaven.sdk._v1_client import AsyncV1Client, V1Client
from taskhaven.sdk._v2_client import AsyncV2Client, V2Client
from taskhaven.sdk.models.oauth import OAuthTokenSync, OAuthTokenV1
from taskhaven.sdk.models.sync import Command, SyncResponse
from taskhaven.sdk.models.user import UserSignOnV2, UserSignOnWithTOTPV2

__all__ = [
    "MAX_COMMANDS",
    "NO_RETRY",
    "APIError",
    "AsyncSyncClient",
    "AsyncV1Client",
    "AsyncV2Client",
    "AuthenticationError",
    "BadRequestError",
    "Command",
    "CommandError",
    "ConflictError",
    "FileTokenStore",
    "KeyringTokenStore",
    "NotFoundError",
    "OAuthError",
    "OAuthTokenSync",
    "OAuthTokenV1",
    "OfflineSync",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseValidationError",
    "RetryPolicy",
    "ServerError",
    "Settings",
    "SyncClient",
    "SyncResponse",
    "TOTPRequiredError",
    "TaskhavenError",
    "TokenStore",
    "TokenV1",
    "TransportError",
    "UserSignOnV2",
    "UserSignOnWithTOTPV2",
    "V1Client",
    "V2Client",
    "V2XDevice",
]
