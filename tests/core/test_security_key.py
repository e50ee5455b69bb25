"""The server key file: made once, whoever starts first, never read half-written."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from taskhaven.core.security import load_or_create_key


def test_processes_starting_together_all_get_the_one_key(tmp_path: Path) -> None:
    path = tmp_path / "data" / "secret.key"
    start = threading.Barrier(8)
    keys: list[str] = []

    def first_start() -> None:
        start.wait()
        keys.append(load_or_create_key(path))

    threads = [threading.Thread(target=first_start) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(keys) == 8
    assert set(keys) == {path.read_text()}
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["secret.key"]  # no temporary left
    assert load_or_create_key(path) == keys[0]


def test_an_empty_key_file_is_an_error_not_a_new_key(tmp_path: Path) -> None:
    path = tmp_path / "secret.key"
    path.write_text("")
    with pytest.raises(ValueError, match="empty"):
        load_or_create_key(path)
