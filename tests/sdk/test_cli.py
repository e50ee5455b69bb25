"""``taskhaven-sdk``: log in, sign on, add offline-first, sync, list, forget."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from taskhaven.sdk import OAuthTokenV1, Settings
from taskhaven.sdk.cli import main
from tests.conftest import PASSWORD, register
from tests.servers import RunningServer, free_port


@pytest.fixture
def paths(tmp_path: Path) -> list[str]:
    return ["--tokens", str(tmp_path / "tokens.json"), "--db", str(tmp_path / "local.db")]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_login_add_sync_list_forget(
    server: RunningServer,
    paths: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    user = register(server)
    sync_base = server.url + "/API/v6/"
    monkeypatch.setenv("TASKHAVEN_SDK_V2_PASSWORD", PASSWORD)  # the account's, for login
    code, out = run(capsys, *paths, "login", user["email"], "--base-url", sync_base)
    assert code == 0 and "saved" in out and user["token"] not in out
    saved = json.loads((tmp_path / "tokens.json").read_text())
    assert saved == {"sync_token": user["token"]}
    monkeypatch.delenv("TASKHAVEN_SDK_V2_PASSWORD")  # half a V2 credential would warn

    # The server out of reach: the item waits in the queue.
    monkeypatch.setenv("TASKHAVEN_SDK_SYNC_BASE_URL", f"http://127.0.0.1:{free_port()}/API/v6/")
    code, out = run(capsys, *paths, "add", "Water the plants", "--date", "today", "--priority", "4")
    assert code == 0 and "Queued; not sent yet" in out
    code, out = run(capsys, *paths, "list")
    assert "1 command(s) waiting" in out

    monkeypatch.setenv("TASKHAVEN_SDK_SYNC_BASE_URL", sync_base)
    code, out = run(capsys, *paths, "sync")
    assert code == 0 and "Sent 1 command(s); 1 item(s) here; 0 refused." in out
    code, out = run(capsys, *paths, "list")
    assert "Water the plants  (today)" in out and "waiting" not in out
    code, out = run(capsys, *paths, "add", "Call back")
    assert code == 0 and "Added." in out

    code, out = run(capsys, *paths, "forget")
    assert code == 0 and not (tmp_path / "tokens.json").exists()
    code, out = run(capsys, *paths, "sync")
    assert code == 1 and "No settings provided" in out


def test_signon_v2_saves_the_session(
    server: RunningServer,
    paths: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    user = register(server)
    monkeypatch.setenv("TASKHAVEN_SDK_V2_USERNAME", user["email"])
    monkeypatch.setenv("TASKHAVEN_SDK_V2_PASSWORD", PASSWORD)
    monkeypatch.setenv("TASKHAVEN_SDK_V2_BASE_URL", server.url + "/api/v2/")
    code, out = run(capsys, *paths, "signon", "v2")
    assert code == 0
    token = json.loads((tmp_path / "tokens.json").read_text())["v2_token"]
    assert token not in out
    monkeypatch.setenv("TASKHAVEN_SDK_V2_PASSWORD", "wrong")
    code, out = run(capsys, *paths, "--tokens", str(tmp_path / "other.json"), "signon", "v2")
    assert code == 1 and "Response [401]" in out


def test_signon_v1_saves_the_token(
    paths: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    access = uuid.uuid4()
    calls: list[Any] = []

    def fake(cls: type, *args: Any, **kwargs: Any) -> OAuthTokenV1:
        calls.append((args, kwargs))
        return OAuthTokenV1(access_token=access, expires_in=15552000)

    monkeypatch.setattr(Settings, "v1_signon", classmethod(fake))
    code, out = run(capsys, *paths, "signon", "v1")
    assert code == 1 and "v1_client_id" in out
    monkeypatch.setenv("TASKHAVEN_SDK_V1_CLIENT_ID", "cid")
    monkeypatch.setenv("TASKHAVEN_SDK_V1_CLIENT_SECRET", "csecret")
    code, out = run(capsys, *paths, "signon", "v1", "--no-browser")
    assert code == 0 and str(access) not in out
    saved = json.loads((tmp_path / "tokens.json").read_text())["v1_token"]
    assert saved["value"] == str(access)
    assert calls[0][1]["open_browser"] is False
