"""`SyncClient.oauth_signon`: an app's Sync API token by the Todoist-style flow, against the
server's provider; the token works within its scopes."""

from __future__ import annotations

import pytest

from taskhaven.sdk import OAuthTokenSync, PermissionDeniedError, Settings, SyncClient, commands
from tests.conftest import register
from tests.oauth import flow
from tests.sdk.oauth_browser import browser_for
from tests.servers import RunningServer, free_port


def app_token(server: RunningServer, monkeypatch: pytest.MonkeyPatch, scope: str) -> str:
    user = register(server)
    redirect = f"http://127.0.0.1:{free_port()}/cb"
    app = flow.new_app(server, redirect)
    errors: list[BaseException] = []
    monkeypatch.setattr("webbrowser.open", browser_for(user["email"], errors))
    monkeypatch.setenv("TASKHAVEN_SDK_SYNC_BASE_URL", server.url + "/API/v6/")
    token = SyncClient.oauth_signon(app.client_id, app.client_secret, redirect, scope=scope,
                                    timeout=30)  # fmt: skip
    assert not errors, errors
    assert isinstance(token, OAuthTokenSync) and token.token_type.lower() == "bearer"
    assert token.access_token != user["token"]
    return token.access_token


def client(server: RunningServer, token: str) -> SyncClient:
    return SyncClient(Settings(sync_token=token, sync_base_url=server.url + "/API/v6/"))


def test_an_app_token_reads_and_writes(
    server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync = client(server, app_token(server, monkeypatch, "data:read_write,data:delete"))
    assert sync.commit([commands.item_add("from an app")]).errors() == {}
    assert [i.content for i in sync.sync(["items"]).items or []] == ["from an app"]


def test_a_read_only_token_cannot_commit(
    server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync = client(server, app_token(server, monkeypatch, "data:read"))
    assert sync.sync(["projects"]).projects
    with pytest.raises(PermissionDeniedError) as caught:
        sync.commit([commands.item_add("not allowed")])
    assert caught.value.code == 28
