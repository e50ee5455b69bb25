"""Benchmarks, each reported as a ratio to a baseline measured in the same run.

Baselines: raw ``sqlite3`` doing the same rows (same schema, same indexes, one transaction;
for the full sync, also each row made a dict and the lot encoded with ``orjson``), and a bare
Starlette app for the HTTP layer. Ratios, not seconds, are what we compare across
machines. Run with ``make bench`` (SQLite, the embedded default).

Each benchmark alternates runs of ours and of its baseline, so that both meet the same load
on a shared machine; the ratio is of median wall times. The CPU-time ratio beside it (the
process's own CPU time, SQLite's work included, as both run in this process) is steadier
when other processes compete for the CPU, and tells whether a wall ratio came from load.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from pydantic import SecretStr
from sqlalchemy import insert, update
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient

from taskhaven.api.todoist.v6.http import json_response
from taskhaven.api.todoist.v6.sync import RESOURCE_TYPES, read, run_commands
from taskhaven.app import create_app
from taskhaven.core import reader, users
from taskhaven.core.backend import Backend
from taskhaven.settings import Settings
from taskhaven.store.schema import items

SIZES = (100, 10_000, 100_000)


# Median wall time and median CPU time of one side of a benchmark, in seconds.
Timing = tuple[float, float]


def timed(
    ours: Callable[[], Any], baseline: Callable[[], Any], repeat: int
) -> tuple[Timing, Timing]:
    """``repeat`` runs of each (after one warm-up each), alternating ours and the baseline."""
    ours()
    baseline()
    samples: dict[str, list[tuple[float, float]]] = {"ours": [], "baseline": []}
    for _ in range(repeat):
        for side, fn in (("ours", ours), ("baseline", baseline)):
            wall, cpu = time.perf_counter(), time.process_time()
            fn()
            samples[side].append((time.perf_counter() - wall, time.process_time() - cpu))
    return _medians(samples["ours"]), _medians(samples["baseline"])


def _medians(samples: list[tuple[float, float]]) -> Timing:
    return (
        statistics.median(wall for wall, _cpu in samples),
        statistics.median(cpu for _wall, cpu in samples),
    )


def make_backend(tmp: Path, name: str) -> Backend:
    settings = Settings(
        database_url=f"sqlite:///{tmp / name}",
        data_dir=tmp,
        secret_key=SecretStr("bench"),
        sync_rate_limit_per_minute=0,
    )
    backend = Backend(settings)
    backend.migrate()
    return backend


def new_user(backend: Backend) -> Any:
    row, _ = users.register(
        backend, email=f"bench-{uuid.uuid4().hex[:8]}@example.com", password="bench-password"
    )
    return row


def fill(backend: Backend, user: Any, count: int) -> None:
    """Bulk-load ``count`` items (setup, not measured), stamped like real writes.

    Like a real account's: each added at its own moment, every other one due at its own
    moment, every third one labelled.
    """
    now = datetime.now(UTC)
    with backend.write(user["id"]) as unit:
        rows = [
            {
                "oid": uuid.uuid4().hex[:24],
                "user_id": user["id"],
                "project_id": user["inbox_project_id"],
                "content": f"task {n}",
                "item_order": n,
                "date_string": "every day" if n % 2 else None,
                "due_at": now + timedelta(minutes=n) if n % 2 else None,
                "labels": ["work", "home"][: n % 3],
                "checklist": [],
                "created_at": now - timedelta(seconds=n),
                "modified_at": now - timedelta(seconds=n),
                "seq": unit.stamp(),
            }
            for n in range(count)
        ]
        for start in range(0, len(rows), 5000):
            unit.conn.execute(insert(items), rows[start : start + 5000])


def raw_connection(backend: Backend) -> sqlite3.Connection:
    conn = sqlite3.connect(backend.engine.url.database or "", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


def bench_batch(backend: Backend, repeat: int) -> tuple[Timing, Timing]:
    user = new_user(backend)
    inbox = user["inbox_project_id"]

    def ours() -> None:
        batch = [
            {"type": "item_add", "uuid": str(uuid.uuid4()), "temp_id": str(uuid.uuid4()),
             "args": {"content": f"task {n}", "project_id": inbox}}
            for n in range(100)
        ]  # fmt: skip
        statuses, _ = run_commands(backend, user["id"], batch)
        assert all(s == "ok" for s in statuses.values()), statuses

    raw = raw_connection(backend)
    now = datetime.now(UTC).isoformat()

    def baseline() -> None:
        # The same rows: the item, its idempotency record and its temp-id mapping.
        raw.execute("BEGIN IMMEDIATE")
        seq = raw.execute("UPDATE change_counter SET value = value + 1 RETURNING value")
        value = seq.fetchone()[0]
        for n in range(100):
            cur = raw.execute(
                "INSERT INTO items (oid, user_id, project_id, content, date_lang, all_day,"
                " is_floating, priority, indent, item_order, day_order, collapsed, labels,"
                " checklist, status, in_history, is_archived, is_deleted, kind, created_at,"
                " modified_at, seq) VALUES (?, ?, ?, ?, 'en', 0, 0, 1, 1, ?, -1, 0, '[]', '[]',"
                " 0, 0, 0, 0, 'TEXT', ?, ?, ?)",
                (uuid.uuid4().hex[:24], user["id"], inbox, f"task {n}", n, now, now, value + n),
            )
            raw.execute(
                "INSERT INTO command_results (user_id, uuid, status, temp_id, object_id,"
                " created_at) VALUES (?, ?, '\"ok\"', ?, ?, ?)",
                (user["id"], str(uuid.uuid4()), str(uuid.uuid4()), cur.lastrowid, now),
            )
            raw.execute(
                "INSERT INTO temp_ids (user_id, temp_id, object_id, created_at)"
                " VALUES (?, ?, ?, ?)",
                (user["id"], str(uuid.uuid4()), cur.lastrowid, now),
            )
        raw.execute("UPDATE change_counter SET value = ?", (value + 100,))
        raw.execute("COMMIT")

    result = timed(ours, baseline, repeat)
    raw.close()
    return result


def bench_incremental(backend: Backend, size: int, repeat: int) -> tuple[Timing, Timing]:
    user = new_user(backend)
    fill(backend, user, size)
    raw = raw_connection(backend)
    with backend.read() as conn:
        from taskhaven.store.counter import current

        since = current(conn)
    with backend.write(user["id"]) as unit:
        unit.conn.execute(
            update(items)
            .where(items.c.user_id == user["id"], items.c.item_order == 0)
            .values(content="changed", seq=unit.stamp())
        )
    every = {"projects", "items", "labels", "notes", "filters", "reminders"}

    def ours() -> None:
        out = read(backend, user, every, since, None)
        assert len(out["Items"]) == 1

    def baseline() -> None:
        raw.execute("BEGIN")
        raw.execute("SELECT value FROM change_counter").fetchone()
        for table in ("projects", "items", "labels", "notes", "filters", "reminders"):
            raw.execute(
                f"SELECT * FROM {table} WHERE user_id = ? AND seq > ? ORDER BY seq DESC",
                (user["id"], since),
            ).fetchall()
        raw.execute("COMMIT")

    result = timed(ours, baseline, repeat)
    raw.close()
    return result


def bench_full(backend: Backend, size: int, repeat: int) -> tuple[Timing, Timing]:
    user = new_user(backend)
    fill(backend, user, size)
    raw = raw_connection(backend)

    def ours() -> None:
        # The response body, encoded as the handler's answer is (http.json_response).
        body = bytes(json_response(read(backend, user, {"items"}, 0, None)).body)
        assert body.count(b'"content":') == size

    def baseline() -> None:
        found = raw.execute(
            "SELECT * FROM items WHERE user_id = ? AND is_deleted = 0 AND in_history = 0"
            " ORDER BY seq DESC",
            (user["id"],),
        )
        names = [column[0] for column in found.description]
        body = orjson.dumps({"Items": [dict(zip(names, row, strict=True)) for row in found]})
        assert body.count(b'"content":') == size

    result = timed(ours, baseline, repeat)
    raw.close()
    return result


def bench_empty(backend: Backend, size: int, repeat: int) -> tuple[Timing, Timing]:
    """An incremental sync of every resource type with nothing new, in process: with the
    marks (token, user, counter and marks in one statement, nothing else read) against the
    same read with the marks ignored (every kind read, as before the marks)."""
    user = new_user(backend)
    fill(backend, user, size)
    token = users.api_token(backend, user)
    every = set(RESOURCE_TYPES)
    with backend.read() as conn:
        since = reader.for_user(conn, user["id"]).cursor

    def ours() -> None:
        start = reader.by_api_token(backend, token)
        assert start is not None
        out = read(backend, start.user, every, since, None, token, start)
        assert out["Items"] == []

    def baseline() -> None:
        start = reader.by_api_token(backend, token)
        assert start is not None
        blind = reader.Start(start.user, start.cursor, None)
        out = read(backend, start.user, every, since, None, token, blind)
        assert out["Items"] == []

    return timed(ours, baseline, repeat)


def bench_http(backend: Backend, repeat: int) -> tuple[Timing, Timing]:
    """An empty incremental sync through the whole HTTP stack vs a bare Starlette JSON route."""
    user = new_user(backend)
    token = users.api_token(backend, user)
    with backend.read() as conn:
        since = reader.for_user(conn, user["id"]).cursor

    async def hello(_request: Request) -> Response:
        return Response(b'{"seq_no":1}', media_type="application/json")

    bare = TestClient(Starlette(routes=[Route("/API/v6/sync", hello, methods=["POST"])]))
    ours_client = TestClient(create_app(backend.settings, backend))
    form = {"token": token, "seq_no": str(since), "resource_types": '["all"]'}

    def ours() -> None:
        assert ours_client.post("/API/v6/sync", data=form).status_code == 200

    def baseline() -> None:
        assert bare.post("/API/v6/sync", data=form).status_code == 200

    return timed(ours, baseline, repeat)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    args = parser.parse_args()
    sizes = (100, 1000, 2000) if args.quick else SIZES
    rows: list[tuple[str, Timing, Timing]] = []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        backend = make_backend(tmp, "bench.db")
        rows.append(("item_add batch of 100 commands", *bench_batch(backend, args.repeat)))
        incremental: dict[int, Timing] = {}
        for size in sizes:
            sized = make_backend(tmp, f"inc{size}.db")
            ours, base = bench_incremental(sized, size, args.repeat)
            incremental[size] = ours
            rows.append((f"incremental sync, 1 change, {size} items", ours, base))
            sized.dispose()
        full_size = sizes[1]
        full = make_backend(tmp, "full.db")
        rows.append((f"full sync of {full_size} items", *bench_full(full, full_size, 5)))
        empty = make_backend(tmp, "empty.db")
        rows.append(
            (
                f"empty incr. sync, all types, {full_size} items (vs no marks)",
                *bench_empty(empty, full_size, args.repeat),
            )
        )
        empty.dispose()
        rows.append(("empty sync over HTTP (vs bare Starlette)", *bench_http(backend, args.repeat)))
        backend.dispose()
        full.dispose()
    print(
        f"{'benchmark':48} {'ours (ms)':>10} {'baseline (ms)':>14} {'ratio':>7} {'cpu ratio':>10}"
    )
    for name, ours, base in rows:
        print(
            f"{name:48} {ours[0] * 1000:10.2f} {base[0] * 1000:14.3f}"
            f" {ours[0] / base[0]:7.1f}x {ours[1] / base[1]:9.1f}x"
        )
    large, small = incremental[sizes[-1]], incremental[sizes[0]]
    print(
        f"incremental sync growth, {sizes[-1]} vs {sizes[0]} items: {large[0] / small[0]:.2f}x"
        f" (cpu {large[1] / small[1]:.2f}x; target <= 2)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
