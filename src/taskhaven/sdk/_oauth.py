"""The OAuth 2.0 authorization-code flow with PKCE, for the V1 API (RFC 6749, 7636, 8252).

The authorize and token URLs derive from one base (``<origin of v1_base_url>/oauth/`` unless
given). The redirect is caught by a one-shot HTTP listener when the redirect URI is a loopback
``http`` URI (RFC 8252 §7.3); otherwise, or when the port is taken, the user pastes the URL the
browser landed on.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.server
import secrets
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field
from ipaddress import ip_address
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
from pydantic import BaseModel, ValidationError

from taskhaven.sdk._exceptions import (
    OAuthError,
    ResponseValidationError,
    TransportError,
    from_response,
)
from taskhaven.sdk._urls import join, origin
from taskhaven.sdk.models.oauth import V1_SCOPE, OAuthTokenV1

T = TypeVar("T", bound=BaseModel)
LOOPBACK_NAMES = {"localhost"}
PAGE = (
    b"<!doctype html><meta charset=utf-8><title>taskhaven</title>"
    b"<p>Signed on. You can close this window and return to the terminal.</p>"
)


def oauth_base_for(v1_base_url: str) -> str:
    """The default OAuth base of a V1 API: ``http://h:8000/open/v1/`` → ``http://h:8000/oauth/``."""
    return origin(v1_base_url) + "/oauth/"


def pkce_pair() -> tuple[str, str]:
    """A PKCE (verifier, S256 challenge) pair (RFC 7636 §4.1-4.2)."""
    verifier = secrets.token_urlsafe(64)[:96]
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass
class Authorization:
    """One authorization request: the URL to open and what its answer must carry."""

    client_id: str
    redirect_uri: str
    oauth_base_url: str
    scope: str = V1_SCOPE
    state: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    verifier: str = ""
    challenge: str = ""

    def __post_init__(self) -> None:
        if not self.verifier:
            self.verifier, self.challenge = pkce_pair()

    @property
    def url(self) -> str:
        query = {
            "client_id": self.client_id,
            "response_type": "code",
            "scope": self.scope,
            "redirect_uri": self.redirect_uri,
            "state": self.state,
            "code_challenge": self.challenge,
            "code_challenge_method": "S256",
        }
        return join(self.oauth_base_url, "authorize") + "?" + urlencode(query)

    def code_from(self, redirected_to: str) -> str:
        """The ``code`` of the URL the browser was redirected to, after checking ``state``."""
        params = dict(parse_qsl(urlsplit(redirected_to.strip()).query))
        if "error" in params:
            detail = params.get("error_description", "")
            raise OAuthError(f"Authorization refused: {params['error']} {detail}".strip())
        if params.get("state") != self.state:
            raise OAuthError("The redirect's `state` does not match the request's")
        code = params.get("code")
        if not code:
            raise OAuthError("No `code` found in the URL")
        return code


def is_loopback(url: str) -> bool:
    """True for an ``http`` URI on 127.0.0.0/8, ::1 or ``localhost`` (RFC 8252 §7.3)."""
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        return False
    if parts.hostname in LOOPBACK_NAMES:
        return True
    try:
        return ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


class LoopbackListener:
    """A one-shot HTTP server on the redirect URI's host and port; `wait` gives the URL hit."""

    def __init__(self, redirect_uri: str) -> None:
        parts = urlsplit(redirect_uri)
        self.path = parts.path or "/"
        self.received: str | None = None
        self._done = threading.Event()
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if urlsplit(self.path).path != listener.path:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(PAGE)))
                self.end_headers()
                self.wfile.write(PAGE)
                listener.received = redirect_uri.split("?")[0] + "?" + urlsplit(self.path).query
                listener._done.set()

            def log_message(self, format: str, *args: Any) -> None:
                return  # the redirect carries the code: keep it out of logs

        host = parts.hostname or "127.0.0.1"
        family_v6 = ":" in host
        server_cls: type[http.server.HTTPServer] = http.server.HTTPServer
        if family_v6:
            import socket

            class V6Server(http.server.HTTPServer):
                address_family = socket.AF_INET6

            server_cls = V6Server
        # Binding fails with OSError when the port is taken: the caller falls back to pasting.
        self._server = server_cls((host, parts.port or 80), Handler)
        self._server.timeout = 0.2  # handle_request returns that often to see `_done`
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._done.is_set():
            self._server.handle_request()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def wait(self, timeout: float | None) -> str | None:
        """The redirect URL once a request hit the path, or None after `timeout` seconds."""
        self._done.wait(timeout)
        return self.received

    def close(self) -> None:
        self._done.set()
        self._server.server_close()


def exchange(
    auth: Authorization,
    code: str,
    client_secret: str,
    *,
    client: httpx.Client | None = None,
    endpoint: str = "token",
    answer: type[T] = OAuthTokenV1,  # type: ignore[assignment]
) -> T:
    """Trade the code for a token at ``<base>/<endpoint>`` (client credentials by HTTP
    Basic); the answer validated as `answer`."""
    owned = client is None
    http_client = client or httpx.Client(timeout=30)
    url = join(auth.oauth_base_url, endpoint)
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": auth.redirect_uri,
        "code_verifier": auth.verifier,
        "client_id": auth.client_id,
        "scope": auth.scope,
    }
    try:
        response = http_client.post(url, data=data, auth=(auth.client_id, client_secret))
    except httpx.HTTPError as exc:
        raise TransportError(f"{url}: {exc}") from exc
    finally:
        if owned:
            http_client.close()
    if not response.is_success:
        raise from_response(response)
    try:
        token: T = answer.model_validate(response.json())
        return token
    except (ValueError, ValidationError) as exc:
        raise ResponseValidationError(f"{url}: {exc}") from exc


Prompt = Callable[[str], str]
Opener = Callable[[str], bool]


def authorize(
    auth: Authorization,
    *,
    listen: bool = True,
    open_browser: Opener | None = webbrowser.open,
    prompt: Prompt | None = None,
    echo: Callable[[str], None] = print,
    timeout: float | None = 300,
) -> str:
    """Run the user through the authorize page; the authorization code.

    With `listen` and a loopback redirect URI, a one-shot listener catches the redirect;
    without one (or when the port is taken, or nothing arrives within `timeout`), `prompt`
    asks for the URL the browser was redirected to.
    """
    listener: LoopbackListener | None = None
    if listen and is_loopback(auth.redirect_uri):
        try:
            listener = LoopbackListener(auth.redirect_uri)
        except OSError:
            listener = None
    echo(f"Open this URL to authorize the application:\n\n    {auth.url}\n")
    if open_browser is not None:
        with contextlib.suppress(Exception):  # no browser is fine: the URL is printed
            open_browser(auth.url)
    try:
        if listener is not None:
            echo(f"Waiting for the redirect to {auth.redirect_uri} …")
            received = listener.wait(timeout)
            if received is not None:
                return auth.code_from(received)
    finally:
        if listener is not None:
            listener.close()
    ask = prompt or input  # looked up now, so a replaced `input` is the one asked
    return auth.code_from(ask("What is the URL you were redirected to? "))
