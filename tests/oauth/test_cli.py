"""``taskhaven app create|list|delete|rotate-secret`` and ``user grants|revoke-grant``."""

from __future__ import annotations

import json
from typing import Any

from taskhaven.core.oauth import apps
from tests.oauth.flow import REDIRECT, RegisteredApp, get_code, ticktick_token
from tests.servers import RunningServer
from tests.test_cli_totp import invoke


def create(server: RunningServer, name: str = "CLI App") -> dict[str, Any]:
    code, output = invoke(
        server, "app", "create", name, "--redirect-uri", REDIRECT,
        "--redirect-uri", "http://127.0.0.1:8080/", "--json",
    )  # fmt: skip
    assert code == 0, output
    data: dict[str, Any] = json.loads(output)
    return data


def test_create_prints_the_secret_once_and_stores_only_its_digest(server: RunningServer) -> None:
    made = create(server)
    assert made["redirect_uris"] == [REDIRECT, "http://127.0.0.1:8080/"]
    assert len(made["client_secret"]) >= 40
    code, output = invoke(server, "app", "list", "--json")
    assert code == 0, output
    listed = [a for a in json.loads(output) if a["client_id"] == made["client_id"]]
    assert listed and "client_secret" not in listed[0]
    assert made["client_secret"] not in output
    assert apps.check_secret(server.backend, made["client_id"], made["client_secret"])


def test_create_refuses_a_bad_redirect_uri(server: RunningServer) -> None:
    code, output = invoke(server, "app", "create", "Bad", "--redirect-uri", "javascript:alert(1)")
    assert code == 1
    assert "redirect" in output.lower()


def test_rotate_secret_replaces_the_old_one(server: RunningServer) -> None:
    made = create(server)
    code, output = invoke(server, "app", "rotate-secret", made["client_id"])
    assert code == 0, output
    new = output.split("client_secret:")[1].strip()
    assert not apps.check_secret(server.backend, made["client_id"], made["client_secret"])
    assert apps.check_secret(server.backend, made["client_id"], new)


def test_grants_list_and_revoke(server: RunningServer, account: dict[str, Any]) -> None:
    made = create(server)
    app = RegisteredApp(made["client_id"], made["client_secret"], tuple(made["redirect_uris"]))
    got = get_code(server, app, account["email"], scope="tasks:read tasks:write")
    token = ticktick_token(server, app, got["code"]).json()["access_token"]
    code, output = invoke(server, "user", "grants", account["email"], "--json")
    assert code == 0, output
    [grant] = json.loads(output)
    assert grant["client_id"] == app.client_id
    assert grant["scope"] == "tasks:read tasks:write"
    assert token not in output
    code, output = invoke(server, "user", "revoke-grant", account["email"], app.client_id)
    assert code == 0, output
    assert "revoked 1" in output
    code, output = invoke(server, "user", "grants", account["email"], "--json")
    assert json.loads(output) == []
    code, output = invoke(server, "user", "revoke-grant", account["email"], app.client_id)
    assert code == 1


def test_delete_forgets_the_app(server: RunningServer) -> None:
    made = create(server)
    code, output = invoke(server, "app", "delete", made["client_id"])
    assert code == 0, output
    assert apps.get(server.backend, made["client_id"]) is None
    code, _ = invoke(server, "app", "delete", made["client_id"])
    assert code == 1
