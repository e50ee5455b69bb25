"""Helpers for driving the V1 API: pyticktick's Client with a token from the real flow."""

from __future__ import annotations

import io
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from pydantic import HttpUrl
from pyticktick import Client, Settings
from pyticktick.models.v1.parameters.oauth import OAuthAuthorizeURLV1, OAuthTokenURLV1

from tests.oauth.flow import consent, new_app, redirect_params, sign_in
from tests.servers import RunningServer


def v1_base(server: RunningServer) -> str:
    return server.url + "/open/v1/"


def client_with(server: RunningServer, token: str) -> Client:
    """A V1-only pyticktick client; the dummy client id and secret are what its Settings
    need to accept a bare token (spec §1.3)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "cannot signon to v2"
        return Client(
            v1_client_id="unused",
            v1_client_secret="unused",
            v1_token={"value": token, "expiration": int(time.time()) + 86400 * 30},
            v1_base_url=v1_base(server),
        )


@contextmanager
def oauth_urls_at(server: RunningServer) -> Iterator[None]:
    """pyticktick hard-codes ticktick.com for both OAuth URLs: point them at the server."""
    fields = (
        (OAuthAuthorizeURLV1, server.url + "/oauth/authorize"),
        (OAuthTokenURLV1, server.url + "/oauth/token"),
    )
    saved = [(model, model.model_fields["base_url"].default) for model, _ in fields]
    try:
        for model, url in fields:
            model.model_fields["base_url"].default = HttpUrl(url)
            model.model_rebuild(force=True)
        yield
    finally:
        for model, default in saved:
            model.model_fields["base_url"].default = default
            model.model_rebuild(force=True)


def signon_with_pyticktick(
    server: RunningServer,
    monkeypatch: pytest.MonkeyPatch,
    email: str,
    redirect: str = "http://127.0.0.1:8080/",
) -> Settings:
    """``Settings.v1_signon`` end to end: the user signs in and allows in a browser (here an
    HTTP client), pastes the redirect URL at pyticktick's prompt, pyticktick gets the token."""
    app = new_app(server, redirect, name="pyticktick")
    with oauth_urls_at(server):
        url = OAuthAuthorizeURLV1(client_id=app.client_id).model_dump()
        with httpx.Client() as browser:
            page = sign_in(browser, url, email)
            answer = consent(browser, url, page, "allow")
        assert redirect_params(answer)["state"] == "None"
        location = answer.headers["location"]
        # "Open the browser?" -> n; "What is the URL you were redirected to?" -> location
        monkeypatch.setattr("sys.stdin", io.StringIO(f"n\n{location}\n"))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "cannot signon to v2"
            return Settings(
                v1_client_id=app.client_id,
                v1_client_secret=app.client_secret,
                v1_base_url=v1_base(server),
            )


def raw(server: RunningServer, token: str, method: str, path: str, **kw: Any) -> httpx.Response:
    return httpx.request(
        method,
        v1_base(server) + path,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        **kw,
    )
