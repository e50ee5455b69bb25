"""Authlib's OAuth 2.0 authorization server, adapted to Starlette and to the core.

Authlib ships no Starlette server integration, so this module supplies the pieces a
framework integration supplies: a request wrapper (``WireRequest``), ``handle_response``,
and models wrapping the core's apps, codes and tokens. The rules (single-use codes, lifetimes,
digests, scopes) are the core's; the protocol checks (client authentication, redirect URI
matching, PKCE, revocation) are Authlib's.

Two servers share everything but the token answer: TickTick's ``/oauth/token`` answers
``{access_token (UUID4), token_type: "bearer", expires_in, scope}``, Todoist's
``/oauth/access_token`` answers ``{access_token, token_type: "Bearer"}``.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import orjson
from authlib.oauth2.rfc6749 import (
    AuthorizationServer,
    ClientMixin,
    OAuth2Payload,
    OAuth2Request,
)
from authlib.oauth2.rfc6749 import grants as rfc6749_grants
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata
from starlette.datastructures import Headers
from starlette.responses import Response

from taskhaven.core.backend import Backend
from taskhaven.core.errors import InvalidArgument
from taskhaven.core.oauth import apps, grants
from taskhaven.core.oauth import scopes as scope_rules

Pairs = Iterable[tuple[str, str]]

# Authlib logs every issued token (``access_token`` included) at DEBUG: keep it above that,
# whatever level the operator gives the rest.
logging.getLogger("authlib").setLevel(logging.INFO)


class WirePayload(OAuth2Payload):  # type: ignore[misc]
    """Parameters from the query string and the form body together.

    pyticktick sends everything of its token request in the query string with an empty
    body; others send a form. A form value wins over a query value of the same name.
    """

    def __init__(self, query: Pairs, form: Pairs = ()) -> None:
        self._datalist: defaultdict[str, list[str]] = defaultdict(list)
        data: dict[str, str] = {}
        for source in (query, form):
            for key, value in source:
                self._datalist[key].append(value)
                data[key] = value
        self._data = data

    @property
    def data(self) -> dict[str, str]:
        return self._data

    @property
    def datalist(self) -> defaultdict[str, list[str]]:
        return self._datalist


class WireRequest(OAuth2Request):  # type: ignore[misc]
    def __init__(
        self, method: str, uri: str, headers: Headers, query: Pairs, form: Pairs = ()
    ) -> None:
        super().__init__(method, uri, headers=headers)
        self.payload = WirePayload(query, form)

    @property
    def args(self) -> dict[str, str]:
        return self.payload.data

    @property
    def form(self) -> dict[str, str]:
        return self.payload.data


# --- models over the core ---------------------------------------------------------------------


class Client(ClientMixin):  # type: ignore[misc]
    """A registered app; confidential (it has a secret), authorization code only."""

    AUTH_METHODS = ("client_secret_basic", "client_secret_post")

    def __init__(self, backend: Backend, app: apps.App) -> None:
        self.backend = backend
        self.app = app

    def get_client_id(self) -> str:
        return self.app.client_id

    def get_default_redirect_uri(self) -> str:
        return self.app.default_redirect_uri

    def get_allowed_scope(self, scope: str | None) -> str | None:
        try:
            return scope_rules.text(scope_rules.parse(scope))
        except InvalidArgument:
            return None  # Authlib answers invalid_scope

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return self.app.allows_redirect(redirect_uri)

    def check_client_secret(self, client_secret: str) -> bool:
        return apps.check_secret(self.backend, self.app.client_id, client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in self.AUTH_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


class AuthorizationCode:
    """A code just spent by the core (``grants.redeem_code``)."""

    def __init__(self, code: grants.Code) -> None:
        self.code = code
        self.code_challenge = code.code_challenge
        self.code_challenge_method = code.code_challenge_method

    def get_redirect_uri(self) -> str | None:
        return self.code.redirect_uri

    def get_scope(self) -> str:
        return scope_rules.text(self.code.scopes)


class StoredToken:
    def __init__(self, token: grants.Token) -> None:
        self.token = token

    def check_client(self, client: Client) -> bool:
        return self.token.app_id == client.app.id


class CodeGrant(rfc6749_grants.AuthorizationCodeGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = list(Client.AUTH_METHODS)

    @property
    def backend(self) -> Backend:
        return self.server.backend  # type: ignore[no-any-return]

    def generate_authorization_code(self) -> str:
        return grants.new_code()

    def save_authorization_code(self, code: str, request: WireRequest) -> None:
        data = request.payload.data
        challenge = data.get("code_challenge") or None
        grants.store_code(
            self.backend,
            code,
            request.client.app,
            int(request.user),
            scope_rules.parse(request.scope),
            # Bound only when the authorize request named one (RFC 6749 §4.1.3); pyticktick
            # names none and then sends its own default to the token endpoint.
            redirect_uri=data.get("redirect_uri") or None,
            code_challenge=challenge,
            code_challenge_method=(data.get("code_challenge_method") or "plain")
            if challenge
            else None,
        )

    def query_authorization_code(self, code: str, client: Client) -> AuthorizationCode | None:
        # Spent here, before the redirect URI and PKCE checks: a code that fails them is
        # gone too, so a stolen code cannot be tried twice.
        found = grants.redeem_code(self.backend, client.app, code)
        return AuthorizationCode(found) if found is not None else None

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        """Already spent by ``query_authorization_code``."""

    def authenticate_user(self, authorization_code: AuthorizationCode) -> int:
        return authorization_code.code.user_id


class Revocation(RevocationEndpoint):  # type: ignore[misc]
    """RFC 7009. Revoking an unknown or already dead token answers 200 too (§2.2)."""

    CLIENT_AUTH_METHODS = list(Client.AUTH_METHODS)

    def query_token(self, token_string: str, token_type_hint: str | None) -> StoredToken | None:
        found = grants.find_token(self.server.backend, token_string)
        return StoredToken(found) if found is not None else None

    def revoke_token(self, token: StoredToken, request: WireRequest) -> None:
        grants.revoke_token(self.server.backend, token.token.id)


# --- the servers ------------------------------------------------------------------------------


class StarletteServer(AuthorizationServer):  # type: ignore[misc]
    """Authlib's server over Starlette requests (already read into a ``WireRequest``)."""

    answer_style = "ticktick"

    def __init__(self, backend: Backend) -> None:
        # Scopes are checked per client (``Client.get_allowed_scope``): Todoist separates
        # them by commas, which Authlib's own check would not split.
        super().__init__(scopes_supported=None)
        self.backend = backend
        self.register_grant(CodeGrant, [CodeChallenge(required=False)])
        self.register_endpoint(Revocation)
        self.register_token_generator("default", self._token)

    def _token(
        self,
        grant_type: str,
        client: Client,
        user: Any = None,
        scope: str | None = None,
        expires_in: int | None = None,
        include_refresh_token: bool = False,
    ) -> dict[str, Any]:
        if self.answer_style == "todoist":
            return {"access_token": grants.new_token("hex40"), "token_type": "Bearer"}
        return {
            "access_token": grants.new_token("uuid4"),
            "token_type": "bearer",
            "expires_in": grants.lifetime(self.backend),
            "scope": scope,
        }

    def query_client(self, client_id: str) -> Client | None:
        found = apps.get(self.backend, client_id)
        return Client(self.backend, found) if found is not None else None

    def save_token(self, token: dict[str, Any], request: WireRequest) -> None:
        code = request.authorization_code
        grants.store_token(
            self.backend,
            token["access_token"],
            request.client.app.id,
            int(request.user),
            code.code.scopes,
            code_id=code.code.id,
        )

    def create_oauth2_request(self, request: WireRequest) -> WireRequest:
        return request

    def create_json_request(self, request: Any) -> Any:
        raise NotImplementedError("no JSON endpoints")

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        """No signal system: nothing listens."""

    def handle_response(
        self, status: int, body: Any, headers: Iterable[tuple[str, str]]
    ) -> Response:
        content = orjson.dumps(body) if isinstance(body, dict | list) else (body or b"")
        return Response(content, status_code=status, headers=dict(headers))


class TodoistServer(StarletteServer):
    answer_style = "todoist"


def metadata(backend: Backend) -> dict[str, Any]:
    """RFC 8414 authorization server metadata."""
    base = backend.settings.base_url
    data = AuthorizationServerMetadata(
        {
            "issuer": base,
            "authorization_endpoint": base + "/oauth/authorize",
            "token_endpoint": base + "/oauth/token",
            "revocation_endpoint": base + "/oauth/revoke",
            "scopes_supported": list(scope_rules.ALL),
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "token_endpoint_auth_methods_supported": list(Client.AUTH_METHODS),
            "revocation_endpoint_auth_methods_supported": list(Client.AUTH_METHODS),
            "code_challenge_methods_supported": ["S256", "plain"],
        }
    )
    return dict(data)
