"""`Settings`: what the SDK needs to reach each API, and the sign-on that turns it into tokens.

Sources, highest first: init arguments, ``TASKHAVEN_SDK_*`` environment variables (nested
models by ``_``: ``TASKHAVEN_SDK_V1_TOKEN_VALUE``), a ``.env`` file given as ``_env_file`` and
a secrets directory given as ``_secrets_dir``. The prefix keeps a ``.env`` shared with the
server apart: the server ignores ``TASKHAVEN_SDK_*`` and the SDK reads nothing else.
"""

from __future__ import annotations

import sys
import time
import warnings
import webbrowser
from typing import Any, Self

import httpx
from pydantic import (
    UUID4,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    HttpUrl,
    SecretStr,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    DotEnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from taskhaven.sdk import _oauth, _v2_signon
from taskhaven.sdk._dotenv import keep_own_lines
from taskhaven.sdk._objectid import object_id
from taskhaven.sdk._tokens import TOKEN_FIELDS, TokenStore
from taskhaven.sdk.models.oauth import OAuthTokenV1
from taskhaven.sdk.models.user import UserSignOnV2

WEEK_SECONDS = 7 * 24 * 60 * 60
DEFAULT_V1_BASE_URL = "http://127.0.0.1:8000/open/v1/"
DEFAULT_V2_BASE_URL = "http://127.0.0.1:8000/api/v2/"
DEFAULT_SYNC_BASE_URL = "http://127.0.0.1:8000/API/v6/"
DEFAULT_REDIRECT_URL = "http://127.0.0.1:8080/"
DEFAULT_USER_AGENT = "Mozilla/5.0 (rv:145.0) Firefox/145.0"
NO_SETTINGS = (
    "No settings provided, cannot signon to any API: give `v1_token` or `v1_client_id` and "
    "`v1_client_secret`, `v2_token` or `v2_username` and `v2_password`, or `sync_token`"
)


class TokenV1(BaseModel):
    """A V1 access token: a UUID4 and its expiry in Unix seconds.

    Expired tokens are refused; one with under 7 days left warns (``UserWarning``).
    """

    model_config = ConfigDict(extra="forbid")

    value: UUID4 = Field(description="The UUID4 string token.")
    expiration: int = Field(description="The Unix timestamp in seconds when the token expires.")

    @field_validator("expiration", mode="after")
    @classmethod
    def _not_expired(cls, value: int) -> int:
        now = int(time.time())
        if value < now:
            raise ValueError("`token` has expired, `expiration` time has passed")
        if value < now + WEEK_SECONDS:
            warnings.warn("`token` will expire in less than 7 days", UserWarning, stacklevel=2)
        return value


class V2XDevice(BaseModel):
    """The V2 ``X-Device`` header: platform, version and a random ObjectId; extras allowed."""

    model_config = ConfigDict(extra="allow")

    platform: str = Field(default="web", description="The platform of the device.")
    version: int = Field(default=6430, description="The version of the device.")
    id: str = Field(
        default_factory=object_id, description="Randomly generated id, a MongoDB ObjectId."
    )


NO_TERMINAL = (
    "Cannot signon to v1 without a terminal: run `Settings.v1_signon` once "
    "and keep the token (`v1_token`)"
)


def _warn_if_half(first: object, second: object, first_name: str, second_name: str) -> None:
    """Warn when one of a pair of credentials is given without the other."""
    if first is not None or second is not None:
        api = first_name.split("_")[0]
        message = f"Cannot signon to {api} without `{first_name}` and `{second_name}`"
        warnings.warn(message, UserWarning, stacklevel=4)


def interactive() -> bool:
    """Whether a person can answer prompts (V1 sign-on at construction needs one)."""
    return sys.stdin is not None and sys.stdin.isatty()


class Settings(BaseSettings):
    """Settings of the SDK: credentials, tokens and base URLs of the V1, V2 and Sync APIs.

    Building one signs on where it can: V2 when `v2_username` and `v2_password` are set and
    `v2_token` is not (answering a TOTP challenge with `v2_totp_secret`); V1 when
    `v1_client_id` and `v1_client_secret` are set, `v1_token` is not, and a person is at the
    terminal. At least one API must be usable, else ``ValueError`` (a ``ValidationError``).
    """

    model_config = SettingsConfigDict(
        env_prefix="TASKHAVEN_SDK_",
        env_nested_delimiter="_",
        env_nested_max_split=1,
        env_file_encoding="utf-8",
        extra="forbid",
    )

    v1_client_id: str | None = Field(default=None, description="The client ID for the V1 API.")
    v1_client_secret: SecretStr | None = Field(
        default=None, description="The client secret for the V1 API."
    )
    v1_token: TokenV1 | None = Field(
        default=None, repr=False, description="The OAuth2 token for the V1 API."
    )
    v1_base_url: HttpUrl = Field(
        default=HttpUrl(DEFAULT_V1_BASE_URL), description="The base URL for the V1 API."
    )
    v1_oauth_redirect_url: HttpUrl = Field(
        default=HttpUrl(DEFAULT_REDIRECT_URL),
        description="The URL to redirect to after authorization.",
    )
    v1_oauth_base_url: HttpUrl | None = Field(
        default=None,
        description="Base of the OAuth `authorize` and `token` URLs; "
        "defaults to `<origin of v1_base_url>/oauth/`.",
    )

    v2_username: EmailStr | None = Field(default=None, description="The username for the V2 API.")
    v2_password: SecretStr | None = Field(default=None, description="The password for the V2 API.")
    v2_totp_secret: SecretStr | None = Field(
        default=None, description="The TOTP secret for the V2 API (two-factor authentication)."
    )
    v2_token: str | None = Field(
        default=None, repr=False, description="The cookie token for the V2 API."
    )
    v2_base_url: HttpUrl = Field(
        default=HttpUrl(DEFAULT_V2_BASE_URL), description="The base URL for the V2 API."
    )
    v2_user_agent: str = Field(
        default=DEFAULT_USER_AGENT, description="The User-Agent header for the V2 API."
    )
    v2_x_device: V2XDevice = Field(
        default_factory=V2XDevice, description="The X-Device header for the V2 API."
    )

    sync_token: SecretStr | None = Field(default=None, description="The Sync API token.")
    sync_base_url: HttpUrl = Field(
        default=HttpUrl(DEFAULT_SYNC_BASE_URL), description="The base URL for the Sync API."
    )

    override_forbid_extra: bool = Field(
        default=False,
        description="Accept answers carrying keys the SDK's models do not know.",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """The usual sources; the ``.env`` one reads only ``TASKHAVEN_SDK_*`` lines."""
        if isinstance(dotenv_settings, DotEnvSettingsSource):
            dotenv_settings = keep_own_lines(dotenv_settings)
        return init_settings, env_settings, dotenv_settings, file_secret_settings

    # -- sign-on ---------------------------------------------------------------------------

    @classmethod
    def v1_signon(
        cls,
        client_id: str,
        client_secret: str,
        oauth_redirect_url: str,
        *,
        oauth_base_url: str | None = None,
        listen: bool = True,
        open_browser: bool = True,
        timeout: float | None = 300,
        client: httpx.Client | None = None,
    ) -> OAuthTokenV1:
        """Run the OAuth2 authorization-code flow (with PKCE) for the V1 API.

        Prints the authorize URL and opens a browser on it; the redirect to
        `oauth_redirect_url` is caught by a one-shot listener when that URL is a loopback
        ``http`` URL, otherwise the user pastes the URL the browser landed on. The code is
        then traded for a token at ``<oauth_base_url>token``.
        """
        auth = _oauth.Authorization(
            client_id=client_id,
            redirect_uri=oauth_redirect_url,
            oauth_base_url=oauth_base_url or _oauth.oauth_base_for(DEFAULT_V1_BASE_URL),
        )
        code = _oauth.authorize(
            auth, listen=listen, open_browser=webbrowser.open if open_browser else None,
            timeout=timeout,
        )  # fmt: skip
        return _oauth.exchange(auth, code, client_secret, client=client)

    @classmethod
    def v2_signon(
        cls,
        username: str,
        password: str,
        totp_secret: str | None,
        base_url: str,
        headers: dict[str, str],
        *,
        override_forbid_extra: bool = False,
        client: httpx.Client | None = None,
    ) -> UserSignOnV2:
        """Sign on to the V2 API with a password (and a TOTP code when asked for one).

        Raises:
            ValueError: ``TOTPRequiredError`` when the account asks for a TOTP code and
                `totp_secret` is None; ``APIError`` (``Response [<status>]: …``) when the
                server refuses.
        """
        return _v2_signon.signon(
            username, password, totp_secret, base_url, headers,
            lenient=override_forbid_extra, client=client,
        )  # fmt: skip

    @model_validator(mode="after")
    def _sign_on(self) -> Self:
        v1_ready = self.v1_token is not None or (
            self.v1_client_id is not None and self.v1_client_secret is not None
        )
        v2_ready = self.v2_token is not None or (
            self.v2_username is not None and self.v2_password is not None
        )
        if not (v1_ready or v2_ready or self.sync_token is not None):
            raise ValueError(NO_SETTINGS)
        self._sign_on_v1()
        self._sign_on_v2()
        return self

    def _sign_on_v1(self) -> None:
        if self.v1_token is not None:
            return
        if self.v1_client_id is None or self.v1_client_secret is None:
            _warn_if_half(
                self.v1_client_id, self.v1_client_secret, "v1_client_id", "v1_client_secret"
            )
            return
        if not interactive():
            warnings.warn(NO_TERMINAL, UserWarning, stacklevel=2)
            return
        token = self.v1_signon(
            self.v1_client_id,
            self.v1_client_secret.get_secret_value(),
            str(self.v1_oauth_redirect_url),
            oauth_base_url=self.oauth_base_url,
        )
        self.v1_token = TokenV1(
            value=token.access_token, expiration=int(time.time()) + token.expires_in
        )

    def _sign_on_v2(self) -> None:
        if self.v2_token is not None:
            return
        if self.v2_username is None or self.v2_password is None:
            _warn_if_half(self.v2_username, self.v2_password, "v2_username", "v2_password")
            return
        secret = self.v2_totp_secret.get_secret_value() if self.v2_totp_secret else None
        self.v2_token = self.v2_signon(
            self.v2_username,
            self.v2_password.get_secret_value(),
            secret,
            str(self.v2_base_url),
            self.v2_headers,
            override_forbid_extra=self.override_forbid_extra,
        ).token

    # -- keeping tokens between runs ------------------------------------------------------------

    def save_tokens(self, store: TokenStore) -> None:
        """Keep `v1_token`, `v2_token` and `sync_token` (those that are set) in `store`."""
        tokens: dict[str, Any] = {}
        if self.v1_token is not None:
            tokens["v1_token"] = self.v1_token.model_dump(mode="json")
        if self.v2_token is not None:
            tokens["v2_token"] = self.v2_token
        if self.sync_token is not None:
            tokens["sync_token"] = self.sync_token.get_secret_value()
        store.save(tokens)

    @classmethod
    def from_store(cls, store: TokenStore, **values: Any) -> Self:
        """Settings with the tokens kept in `store` (init `values` win), signing on only for
        what the store lacks."""
        tokens = {key: value for key, value in store.load().items() if key in TOKEN_FIELDS}
        return cls(**{**tokens, **values})

    # -- what the clients send -------------------------------------------------------------

    @property
    def oauth_base_url(self) -> str:
        """The OAuth base: `v1_oauth_base_url`, else ``<origin of v1_base_url>/oauth/``."""
        if self.v1_oauth_base_url is not None:
            return str(self.v1_oauth_base_url)
        return _oauth.oauth_base_for(str(self.v1_base_url))

    @property
    def v1_headers(self) -> dict[str, str]:
        """``Authorization: Bearer <token>`` and the JSON content type; ValueError without token."""
        if self.v1_token is None:
            raise ValueError("Cannot get headers for v1 without `v1_token`")
        return {
            "Authorization": f"Bearer {self.v1_token.value}",
            "Content-Type": "application/json",
        }

    @property
    def v2_headers(self) -> dict[str, str]:
        """The browser-like ``User-Agent`` and the ``X-Device`` JSON of every V2 request."""
        return {"User-Agent": self.v2_user_agent, "X-Device": self.v2_x_device.model_dump_json()}

    @property
    def v2_cookies(self) -> dict[str, str]:
        """The session cookie ``t``; ValueError without `v2_token`."""
        if self.v2_token is None:
            raise ValueError("Cannot get v2 cookies without `v2_token`")
        return {"t": self.v2_token}

    @property
    def sync_params(self) -> dict[str, str]:
        """The ``token`` parameter of every Sync API call; ValueError without `sync_token`."""
        if self.sync_token is None:
            raise ValueError("Cannot get Sync API parameters without `sync_token`")
        return {"token": self.sync_token.get_secret_value()}
