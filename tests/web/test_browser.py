"""The pages in headless Chromium (Debian's package, driven by Playwright): sign in, 2FA,
consent, deny, the redirect with ``code`` and ``state``, the grants page. Each screen is
saved to ``docs/images/`` for the docs."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest

from taskhaven.core import totp
from tests.oauth.flow import authorize_url, new_app, ticktick_token
from tests.servers import RunningServer
from tests.v2.clients import register

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# The screenshots in the docs are refreshed with TASKHAVEN_SCREENSHOTS=1; otherwise a test run
# leaves the working tree alone.
IMAGES = (
    Path(__file__).parent.parent.parent / "docs" / "images"
    if os.environ.get("TASKHAVEN_SCREENSHOTS")
    else Path(tempfile.gettempdir()) / "taskhaven-screenshots"
)
APP_SITE = "https://app.example.com/"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian's chromium package is not installed"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 800, "height": 640})
    tab = context.new_page()

    def callback(route: Any) -> None:
        # The app's redirect URI: show what arrived, as the app would receive it.
        query = parse_qs(urlsplit(route.request.url).query)
        rows = "".join(
            f"<tr><th>{escape(k)}</th><td>{escape(v[0])}</td></tr>" for k, v in query.items()
        )
        route.fulfill(
            content_type="text/html",
            body=f"<html><body style='font-family:sans-serif;margin:2rem'>"
            f"<h1>Test App received</h1><table>{rows}</table></body></html>",
        )

    tab.route(APP_SITE + "**", callback)
    yield tab
    context.close()


def shot(tab: Any, name: str) -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(IMAGES / f"{name}.png"), full_page=True)


def sign_in(tab: Any, email: str, password: str) -> None:
    tab.fill("#email", email)
    tab.fill("#password", password)
    tab.click("button[type=submit]")


def test_sign_in_consent_and_redirect(page: Any, server: RunningServer) -> None:
    account = register(server, "ada@example.com")
    app = new_app(server, APP_SITE + "callback", name="Test App")
    url = authorize_url(
        server,
        client_id=app.client_id,
        response_type="code",
        scope="tasks:read tasks:write",
        state="None",
    )
    page.goto(url)
    assert page.locator("h1").inner_text() == "Sign in"
    shot(page, "oauth-signin")
    page.fill("#email", account["email"])
    page.fill("#password", "wrong password")
    page.click("button[type=submit]")
    assert "Wrong e-mail or password" in page.inner_text(".error")
    shot(page, "oauth-signin-error")
    sign_in(page, account["email"], account["password"])
    assert page.locator("h1").inner_text() == "Authorise Test App?"
    assert "app.example.com" in page.inner_text("main")
    assert "See your lists and tasks" in page.inner_text("ul.scopes")
    shot(page, "oauth-consent")
    page.click("button[value=allow]")
    page.wait_for_url(APP_SITE + "callback**")
    query = parse_qs(urlsplit(page.url).query)
    assert query["state"] == ["None"]
    shot(page, "oauth-redirect")
    answer = ticktick_token(server, app, query["code"][0])
    assert answer.status_code == 200, answer.text

    page.goto(server.url + "/web/apps")
    assert "Test App" in page.inner_text("table")
    shot(page, "web-apps")
    page.click("button.danger")
    assert "No app holds access" in page.inner_text("main")
    shot(page, "web-apps-empty")


def test_two_factor_and_deny(page: Any, server: RunningServer) -> None:
    account = register(server, "grace@example.com")
    secret = totp.enable(server.backend, account["id"]).secret
    app = new_app(server, APP_SITE + "callback", name="Sync Helper")
    url = authorize_url(
        server,
        client_id=app.client_id,
        response_type="code",
        scope="data:read_write,data:delete",
        state="s-42",
    )
    page.goto(url)
    sign_in(page, account["email"], account["password"])
    assert page.locator("h1").inner_text() == "Two-factor code"
    shot(page, "oauth-totp")
    page.fill("#code", pyotp.TOTP(secret).now())
    page.click("button[type=submit]")
    assert page.locator("h1").inner_text() == "Authorise Sync Helper?"
    shot(page, "oauth-consent-todoist")
    page.click("button[value=deny]")
    page.wait_for_url(APP_SITE + "callback**")
    query = parse_qs(urlsplit(page.url).query)
    assert query["error"] == ["access_denied"]
    assert query["state"] == ["s-42"]
    assert "code" not in query


def test_an_unregistered_redirect_shows_an_error_page(page: Any, server: RunningServer) -> None:
    app = new_app(server, APP_SITE + "callback", name="Test App")
    page.goto(
        authorize_url(
            server,
            client_id=app.client_id,
            response_type="code",
            scope="tasks:read",
            redirect_uri="https://evil.example.com/",
        )
    )
    assert page.locator("h1").inner_text() == "This link does not work"
    assert page.url.startswith(server.url)
    shot(page, "oauth-error")
