"""Saving the tokens a sign-on produced, so the next run need not sign on again.

Two stores: the system keyring (``keyring``, optional) and a JSON file created with mode
0600. Neither ever prints a token; the file store refuses a file others can read.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from pathlib import Path
from typing import Any, Protocol

TOKEN_FIELDS = ("v1_token", "v2_token", "sync_token")


class TokenStore(Protocol):
    """Where tokens live between runs: a JSON object of the `TOKEN_FIELDS` that are set."""

    def load(self) -> dict[str, Any]: ...

    def save(self, tokens: dict[str, Any]) -> None: ...

    def delete(self) -> None: ...


class FileTokenStore:
    """A JSON file only its owner may read or write (0600)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path).expanduser()

    def load(self) -> dict[str, Any]:
        try:
            mode = self.path.stat().st_mode
        except FileNotFoundError:
            return {}
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise PermissionError(
                f"{self.path} is readable by others (mode {stat.S_IMODE(mode):o}); "
                "chmod 600 it or sign on again"
            )
        data = json.loads(self.path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError(f"{self.path} does not hold a JSON object")
        return data

    def save(self, tokens: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Race: written to a private temporary file, then renamed, so no reader ever sees a
        # half-written file, and the mode is 0600 from the first byte (never chmod after).
        temporary = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(tokens, handle)
        os.replace(temporary, self.path)

    def delete(self) -> None:
        self.path.unlink(missing_ok=True)


class KeyringTokenStore:
    """The system keyring (Secret Service, macOS Keychain, Windows Credential Locker)."""

    def __init__(self, service: str = "taskhaven-sdk", name: str = "default") -> None:
        import keyring  # the optional extra: `pip install taskhaven-sdk[keyring]`

        self._keyring = keyring
        self.service = service
        self.name = name

    def load(self) -> dict[str, Any]:
        text = self._keyring.get_password(self.service, self.name)
        if text is None:
            return {}
        data = json.loads(text)
        return data if isinstance(data, dict) else {}

    def save(self, tokens: dict[str, Any]) -> None:
        self._keyring.set_password(self.service, self.name, json.dumps(tokens))

    def delete(self) -> None:
        import keyring.errors

        with contextlib.suppress(keyring.errors.PasswordDeleteError):  # nothing stored
            self._keyring.delete_password(self.service, self.name)
