"""Driving the authorization server as a browser would, with a plain HTTP client."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pyotp

from taskhaven.core.oauth import apps
from tests.conftest import PASSWORD
from tests.servers import RunningServer

REDIRECT = "https://app.example.com/callback"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class RegisteredApp:
    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]


def new_app(server: RunningServer, *redirect_uris: str, name: str = "Test App") -> RegisteredApp:
    app, secret = apps.create(server.backend, name, list(redirect_uris or (REDIRECT,)))
    return RegisteredApp(app.client_id, secret, app.redirect_uris)


def csrf(page: httpx.Response) -> str:
    found = CSRF.search(page.text)
    assert found, page.text
    return found.group(1)


def authorize_url(server: RunningServer, **params: str) -> str:
    return server.url + "/oauth/authorize?" + urlencode(params)


def sign_in(
    browser: httpx.Client, url: str, email: str, password: str = PASSWORD, totp: str | None = None
) -> httpx.Response:
    """From the authorize (or any page) URL to the page after sign-in."""
    page = browser.get(url)
    assert page.status_code == 200, page.text
    answer = browser.post(
        url,
        data={"csrf_token": csrf(page), "step": "signin", "email": email, "password": password},
    )
    assert answer.status_code == 303, answer.text
    page = browser.get(url)
    if totp is not None:
        assert "Two-factor code" in page.text, page.text
        answer = browser.post(
            url,
            data={"csrf_token": csrf(page), "step": "totp", "code": pyotp.TOTP(totp).now()},
        )
        assert answer.status_code == 303, answer.text
        page = browser.get(url)
    return page


def consent(browser: httpx.Client, url: str, page: httpx.Response, decision: str) -> httpx.Response:
    assert "Authorise" in page.text, page.text
    return browser.post(
        url, data={"csrf_token": csrf(page), "step": "consent", "decision": decision}
    )


def redirect_params(answer: httpx.Response) -> dict[str, str]:
    assert answer.status_code == 302, answer.text
    location = answer.headers["location"]
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def get_code(
    server: RunningServer, app: RegisteredApp, email: str, totp: str | None = None, **params: str
) -> dict[str, str]:
    """The redirect's query (``code``, ``state``) after sign-in and "Allow"."""
    query: dict[str, Any] = {"client_id": app.client_id, "response_type": "code"}
    query.update(params)
    url = authorize_url(server, **query)
    with httpx.Client() as browser:
        page = sign_in(browser, url, email, totp=totp)
        return redirect_params(consent(browser, url, page, "allow"))


def ticktick_token(
    server: RunningServer, app: RegisteredApp, code: str, **extra: str
) -> httpx.Response:
    """The token request exactly as pyticktick sends it: all in the query, empty body."""
    query = {
        "client_id": app.client_id,
        "client_secret": app.client_secret,
        "code": code,
        "grant_type": "authorization_code",
        "scope": "tasks:read tasks:write",
        "redirect_uri": "http://127.0.0.1:8080/",
    }
    query.update(extra)
    return httpx.post(server.url + "/oauth/token?" + urlencode(query))


def v1_token(server: RunningServer, email: str, scope: str = "tasks:read tasks:write") -> str:
    app = new_app(server)
    got = get_code(server, app, email, scope=scope, state="None")
    answer = ticktick_token(server, app, got["code"])
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


def todoist_token(server: RunningServer, email: str, scope: str) -> str:
    app = new_app(server)
    got = get_code(server, app, email, scope=scope, state="xyz")
    answer = httpx.post(
        server.url + "/oauth/access_token",
        data={"client_id": app.client_id, "client_secret": app.client_secret, "code": got["code"]},
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])
