"""`Settings.v1_signon` and `V1Client` against the server's own OAuth provider and V1 API.

The "browser" is an HTTP client that signs in on the authorize page, allows, and follows the
redirect to the SDK's loopback listener.
"""

from __future__ import annotations

import time

import pytest

from taskhaven.sdk import NotFoundError, Settings, TokenV1, V1Client
from taskhaven.sdk import _settings as settings_module
from taskhaven.sdk.models.v1 import CreateProjectV1, CreateTaskV1, UpdateProjectV1, UpdateTaskV1
from tests.conftest import register
from tests.oauth import flow
from tests.sdk.oauth_browser import browser_for
from tests.servers import RunningServer, free_port


def signed_on(server: RunningServer, monkeypatch: pytest.MonkeyPatch) -> Settings:
    user = register(server)
    redirect = f"http://127.0.0.1:{free_port()}/callback"
    app = flow.new_app(server, redirect)
    errors: list[BaseException] = []
    monkeypatch.setattr("webbrowser.open", browser_for(user["email"], errors))
    monkeypatch.setattr("builtins.input", lambda _: pytest.fail(f"asked to paste: {errors}"))
    token = Settings.v1_signon(
        app.client_id, app.client_secret, redirect, oauth_base_url=server.url + "/oauth/",
        timeout=30,
    )  # fmt: skip
    assert not errors, errors
    assert token.token_type == "bearer" and token.scope == "tasks:read tasks:write"
    assert token.expires_in > 7 * 24 * 3600
    v1_token = TokenV1(value=token.access_token, expiration=int(time.time()) + token.expires_in)
    return Settings(v1_token=v1_token, v1_base_url=server.url + "/open/v1/")


def test_sign_on_through_the_loopback_listener_then_every_endpoint(
    server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with V1Client(signed_on(server, monkeypatch)) as v1:
        assert v1.get_projects() == []
        project = v1.create_project(CreateProjectV1(name="Work", color="#ff0000", view_mode="list"))
        assert v1.get_project(project.id).name == "Work"
        renamed = v1.update_project(project.id, UpdateProjectV1(name="Job"))
        assert renamed.name == "Job"
        assert [p.id for p in v1.get_projects()] == [project.id]
        task = v1.create_task(CreateTaskV1(title="Report", project_id=project.id, priority=5))
        assert (task.status, task.priority) == (0, 5)
        update = UpdateTaskV1(id=task.id, project_id=project.id, title="The report")
        assert v1.update_task(task.id, update).title == "The report"
        assert [t.id for t in v1.get_project_data(project.id).tasks] == [task.id]
        v1.complete_task(project.id, task.id)
        assert v1.get_task(project.id, task.id).status == 2
        assert v1.get_project_data(project.id).tasks == []
        v1.delete_task(project.id, task.id)
        v1.delete_project(project.id)
        with pytest.raises(NotFoundError):
            v1.get_project(project.id)


def test_two_factor_accounts_sign_on_too(
    server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from taskhaven.core import totp

    user = register(server)
    secret = totp.enable(server.backend, user["id"]).secret
    redirect = f"http://127.0.0.1:{free_port()}/"
    app = flow.new_app(server, redirect)
    errors: list[BaseException] = []
    monkeypatch.setattr("webbrowser.open", browser_for(user["email"], errors, totp=secret))
    token = Settings.v1_signon(
        app.client_id, app.client_secret, redirect, oauth_base_url=server.url + "/oauth/",
        timeout=30,
    )  # fmt: skip
    assert not errors, errors
    assert token.access_token.version == 4


def test_building_settings_signs_on_with_urls_derived_from_the_v1_base(
    server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the seed's examples: client id and secret, no token, a person at the terminal."""
    user = register(server)
    redirect = f"http://127.0.0.1:{free_port()}/"
    app = flow.new_app(server, redirect)
    errors: list[BaseException] = []
    monkeypatch.setattr(settings_module, "interactive", lambda: True)
    monkeypatch.setattr("webbrowser.open", browser_for(user["email"], errors))
    settings = Settings(
        v1_client_id=app.client_id,
        v1_client_secret=app.client_secret,
        v1_base_url=server.url + "/open/v1/",  # the OAuth base follows: <origin>/oauth/
        v1_oauth_redirect_url=redirect,
    )
    assert not errors, errors
    assert settings.v1_token is not None
    assert V1Client(settings).get_projects() == []
