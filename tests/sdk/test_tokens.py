"""Tokens kept between runs: a 0600 file or the system keyring, never shown."""

from __future__ import annotations

import os
import stat
import time
import uuid
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend

from taskhaven.sdk import FileTokenStore, KeyringTokenStore, Settings, TokenV1

TOKEN = str(uuid.uuid4())


def signed_on() -> Settings:
    return Settings(
        v1_token={"value": TOKEN, "expiration": int(time.time()) + 10**7},
        v2_token="cookie-value",
        sync_token="sync-value",
    )


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.passwords:
            raise keyring.errors.PasswordDeleteError("none")
        del self.passwords[(service, username)]


@pytest.fixture
def memory_keyring() -> Any:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_the_file_is_private_from_the_first_byte(tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "dir" / "tokens.json")
    old = os.umask(0)
    try:
        signed_on().save_tokens(store)
    finally:
        os.umask(old)
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert not (tmp_path / "dir" / "tokens.json.tmp").exists()


def test_tokens_come_back_from_a_file(tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "tokens.json")
    signed_on().save_tokens(store)
    again = Settings.from_store(store, v2_base_url="http://127.0.0.1:9/api/v2/")
    assert again.v1_token is not None
    assert again.v1_token == TokenV1(value=uuid.UUID(TOKEN), expiration=again.v1_token.expiration)
    assert again.v2_token == "cookie-value"
    assert again.sync_token is not None and again.sync_token.get_secret_value() == "sync-value"
    store.delete()
    store.delete()  # deleting nothing is fine
    assert store.load() == {}


def test_a_file_others_can_read_is_refused(tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "tokens.json")
    signed_on().save_tokens(store)
    store.path.chmod(0o644)
    with pytest.raises(PermissionError, match="chmod 600"):
        store.load()


def test_init_values_beat_stored_ones(tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "tokens.json")
    signed_on().save_tokens(store)
    assert Settings.from_store(store, v2_token="fresh").v2_token == "fresh"


def test_the_keyring_store(memory_keyring: MemoryKeyring) -> None:
    store = KeyringTokenStore(name="me@example.com")
    signed_on().save_tokens(store)
    assert ("taskhaven-sdk", "me@example.com") in memory_keyring.passwords
    assert Settings.from_store(store).v2_token == "cookie-value"
    store.delete()
    store.delete()
    assert store.load() == {}


def test_tokens_are_never_shown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = FileTokenStore(tmp_path / "tokens.json")
    settings = signed_on()
    settings.save_tokens(store)
    print(settings, repr(settings), Settings.from_store(store))
    out = capsys.readouterr().out
    assert "cookie-value" not in out and "sync-value" not in out and TOKEN not in out
