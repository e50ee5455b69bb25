"""Values kept under marks belong to one database: two backends in one process (two
servers in a test run) have users and marks with the same numbers, and never answer from
each other's values."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from taskhaven.api.todoist.v6.sync import run_commands
from taskhaven.core import reader, users
from taskhaven.core.backend import Backend, utcnow
from taskhaven.core.remembered import Remembered
from tests import servers
from tests.conftest import PASSWORD
from tests.servers import fresh_database
from tests.sync.helpers import command


def _completed_today(backend: Backend, start: reader.Start) -> int:
    with reader.Lazy(backend.read) as db:
        return reader.completed_today(backend.remembered, db, start, utcnow())


def test_two_databases_with_the_same_numbers_keep_their_own_values(tmp_path: Path) -> None:
    with fresh_database(tmp_path / "a") as first, fresh_database(tmp_path / "b") as second:
        backends = [
            Backend(servers.test_settings(url, tmp_path / name))
            for url, name in ((first, "a"), (second, "b"))
        ]
        try:
            starts = []
            for backend, close in zip(backends, (True, False), strict=True):
                backend.migrate()
                row, _token = users.register(backend, email="same@example.com", password=PASSWORD)
                user_id = int(row["id"])
                add = [command("item_add", {"content": "t"}, temp_id="t")]
                item = run_commands(backend, user_id, add)[1]["t"]
                if close:
                    run_commands(backend, user_id, [command("item_close", {"id": item})])
                with backend.read() as conn:
                    starts.append(reader.for_user(conn, user_id))
            assert starts[0].user["id"] == starts[1].user["id"]
            assert _completed_today(backends[0], starts[0]) == 1
            # The second database's start under the first's marks: the very same memo key.
            same_key = replace(starts[1], marks=starts[0].marks)
            assert _completed_today(backends[1], same_key) == 0
        finally:
            for backend in backends:
                backend.dispose()


def test_a_full_memo_starts_over_and_keeps_answering() -> None:
    memo = Remembered(size=2)
    assert memo.remember("a", lambda: 1) == 1
    assert memo.remember("a", lambda: 2) == 1  # kept
    memo.put("b", 2)
    memo.put("c", 3)  # full: cleared first
    assert memo.get("a") is None and memo.get("c") == 3
