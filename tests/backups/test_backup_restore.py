"""``taskhaven backup`` and ``restore``: a snapshot taken under write load holds every
acknowledged command, a restore refuses to overwrite without ``--force``, and clients that
synced after the backup get a full sync from the restored server."""

from __future__ import annotations

import logging
import os
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from taskhaven.cli import app
from taskhaven.store import backup as backups
from taskhaven.store.schema import command_results, projects
from tests.backups.helpers import local_server, local_server_on, register, sync
from tests.conftest import PASSWORD
from tests.invariants import check_database
from tests.servers import database_kind, fresh_database, migrated_backend
from tests.servers import test_settings as settings_for
from tests.v2.clients import BROWSER

WRITERS = 3
PROJECTS = ["projects"]
runner = CliRunner()


def formats() -> list[bool]:
    """``logical`` or not: the database's own format, and the portable one."""
    return [False, True]


@pytest.mark.parametrize("logical", formats(), ids=["native", "logical"])
def test_a_backup_under_write_load_holds_every_acknowledged_command(
    tmp_path: Path, logical: bool
) -> None:
    with local_server(tmp_path / "live") as live:
        tokens = [register(live.client)[1] for _ in range(WRITERS)]
        acknowledged: list[list[str]] = [[] for _ in range(WRITERS)]
        stop = threading.Event()
        errors: list[BaseException] = []

        def write(n: int) -> None:
            try:
                while not stop.is_set():
                    name = f"w{n}-{len(acknowledged[n])}"
                    cmd = {"type": "project_add", "uuid": name, "temp_id": str(uuid.uuid4()),
                           "args": {"name": name}}  # fmt: skip
                    body = sync(live.client, tokens[n], commands=[cmd])
                    assert body["SyncStatus"][name] == "ok"
                    acknowledged[n].append(name)
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
        for thread in threads:
            thread.start()
        while min(len(a) for a in acknowledged) < 5 and not errors:
            threading.Event().wait(0.01)
        before = [list(a) for a in acknowledged]
        made = backups.backup(live.url, tmp_path / "snapshot", logical=logical)
        # The writers were committing when the backup began and still are when it ends. Whether
        # one of them commits *inside* the backup is up to the scheduler (SQLite's online backup
        # is one quick step), so the checks below hold either way.
        writing_throughout = all(thread.is_alive() for thread in threads)
        stop.set()
        for thread in threads:
            thread.join()
        assert not errors, errors
        # Read after the join: a command the backup caught may have been answered only after
        # ``backup`` returned, so the list as it stood then can lack it.
        final = [list(a) for a in acknowledged]
        expected = (
            "logical" if logical else ("sqlite" if database_kind() == "sqlite" else "pg_dump")
        )
        assert made == expected

    with fresh_database(tmp_path / "restored") as url:
        assert backups.restore(url, tmp_path / "snapshot") == made
        restored = migrated_backend(settings_for(url, tmp_path / "restored"))
        with restored as backend, backend.read() as conn:
            check_database(conn)
            done = set(conn.execute(select(command_results.c.uuid)).scalars())
            names = set(conn.execute(select(projects.c.name)).scalars())
    assert writing_throughout, "a writer stopped before the backup ended"
    for n in range(WRITERS):
        for name in before[n]:
            assert name in done and name in names, f"acknowledged {name} is not in the backup"
        # One writer's commands commit in order: the backup holds a prefix of them.
        kept = [name for name in final[n] if name in done]
        assert kept == final[n][: len(kept)]
        assert {name for name in names if name.startswith(f"w{n}-")} == set(kept)


def test_restore_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    with local_server(tmp_path / "live") as live:
        _email, token = register(live.client)
        env = {"TASKHAVEN_SECRET_KEY": live.backend.settings.secret_key.get_secret_value()}  # type: ignore[union-attr]
        target = tmp_path / "copy.backup"
        result = runner.invoke(app, ["backup", str(target), "--database", live.url], env=env)
        assert result.exit_code == 0, result.output
        assert "backup written" in result.output
        cmd = {"type": "project_add", "uuid": "late", "temp_id": "t", "args": {"name": "Late"}}
        sync(live.client, token, commands=[cmd])
        live.backend.dispose()

        refused = runner.invoke(app, ["restore", str(target), "--database", live.url], env=env)
        assert refused.exit_code == 1
        assert "--force" in refused.output
        forced = runner.invoke(
            app, ["restore", str(target), "--force", "--database", live.url], env=env
        )
        assert forced.exit_code == 0, forced.output
        with live.backend.read() as conn:
            check_database(conn)
            assert "Late" not in set(conn.execute(select(projects.c.name)).scalars())


def test_restore_refuses_what_is_not_a_backup(tmp_path: Path) -> None:
    junk = tmp_path / "junk"
    junk.write_bytes(b"not a backup at all")
    with pytest.raises(backups.BackupError, match="not a taskhaven backup"):
        backups.restore(f"sqlite:///{tmp_path / 'x.db'}", junk)


def test_after_a_restore_a_client_from_the_future_gets_a_full_sync(tmp_path: Path) -> None:
    snapshot = tmp_path / "snapshot"
    with fresh_database(tmp_path) as url:
        settings = settings_for(url, tmp_path / "data")
        with local_server_on(settings) as live:
            email, token = register(live.client)
            kept = {"type": "project_add", "uuid": "k", "temp_id": "t1", "args": {"name": "Kept"}}
            sync(live.client, token, commands=[kept])
            signon = live.client.post(
                "/api/v2/user/signon",
                headers=BROWSER,
                json={"username": email, "password": PASSWORD},
            )
            v2_token = signon.json()["token"]
            backups.backup(url, snapshot)
            lost = {"type": "project_add", "uuid": "l", "temp_id": "t2", "args": {"name": "Lost"}}
            sync(live.client, token, commands=[lost])
            seen = sync(live.client, token, seq_no=0, resource_types=["projects"])
            assert {p["name"] for p in seen["Projects"]} == {"Inbox", "Kept", "Lost"}
            checkpoint = live.client.get(
                "/api/v2/batch/check/0", headers={**BROWSER, "Cookie": f"t={v2_token}"}
            ).json()["checkPoint"]

        assert backups.restore(url, snapshot, force=True)

        with local_server_on(settings) as restored:
            answer = sync(restored.client, token, seq_no=seen["seq_no"], resource_types=PROJECTS)
            assert {p["name"] for p in answer["Projects"]} == {"Inbox", "Kept"}
            assert answer["seq_no"] < seen["seq_no"]
            headers = {**BROWSER, "Cookie": f"t={v2_token}"}
            data = restored.client.get(f"/api/v2/batch/check/{checkpoint}", headers=headers).json()
            assert [p["name"] for p in data["projectProfiles"]] == ["Kept"]
            assert data["checkPoint"] == answer["seq_no"]


def _failing_pg_dump(directory: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A ``pg_dump`` first on PATH that leaves a marker, writes junk, and exits 1."""
    directory.mkdir()
    marker = directory / "ran"
    script = directory / "pg_dump"
    script.write_text(
        "#!/bin/sh\n"
        f"touch '{marker}'\n"
        'for a; do case "$prev" in --file) printf PGDMPjunk > "$a";; esac; prev="$a"; done\n'
        "echo 'pg_dump: error: aborting because of server version mismatch' >&2\n"
        "exit 1\n"
    )
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{directory}:{os.environ.get('PATH', '')}")
    return marker


def test_a_failing_pg_dump_falls_back_to_a_logical_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    marker = _failing_pg_dump(tmp_path / "bin", monkeypatch)
    target = tmp_path / "snapshot"
    with local_server(tmp_path / "live") as live:
        _email, token = register(live.client)
        cmd = {"type": "project_add", "uuid": "p", "temp_id": "t", "args": {"name": "Kept"}}
        sync(live.client, token, commands=[cmd])
        with caplog.at_level(logging.WARNING, logger="taskhaven.backup"):
            made = backups.backup(live.url, target)
    if database_kind() == "sqlite":
        # SQLite never asks pg_dump.
        assert made == "sqlite" and not marker.exists()
        return
    assert marker.exists() and made == "logical"
    assert backups.detect(target) == "logical"
    [record] = [r for r in caplog.records if r.name == "taskhaven.backup"]
    assert "server version mismatch" in record.getMessage()
    with fresh_database(tmp_path / "restored") as url:
        backups.restore(url, target)
        with (
            migrated_backend(settings_for(url, tmp_path / "data2")) as backend,
            backend.read() as conn,
        ):
            check_database(conn)
            assert "Kept" in set(conn.execute(select(projects.c.name)).scalars())
