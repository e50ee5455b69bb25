"""Where the embedded database lives: docs/running.md puts it in the data directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from taskhaven.settings import Settings


def test_the_sqlite_file_follows_the_data_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TASKHAVEN_DATABASE_URL", raising=False)
    monkeypatch.setenv("TASKHAVEN_DATA_DIR", str(tmp_path / "here"))
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.database_url == f"sqlite:///{tmp_path / 'here' / 'taskhaven.db'}"


def test_a_database_url_given_wins_over_the_data_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TASKHAVEN_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("TASKHAVEN_DATABASE_URL", "sqlite:///elsewhere.db")
    assert Settings(_env_file=None).database_url == "sqlite:///elsewhere.db"  # type: ignore[call-arg]
