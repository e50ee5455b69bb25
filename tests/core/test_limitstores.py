"""Rate-limit counters in each store: windows, limit 0, Retry-After, the choice of store and
the claim that keeps a memory-counting server alone on its database."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy import Engine, event

from taskhaven.core import limitstores, ratelimit
from taskhaven.core.backend import Backend
from taskhaven.core.errors import LimitExceeded
from taskhaven.core.limitstores.redis_store import RedisCounters
from taskhaven.settings import Settings
from taskhaven.store.engine import make_engine
from tests import servers

REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


needs_redis = pytest.mark.skipif(not _redis_up(), reason="no Redis at 127.0.0.1:6379")


@pytest.fixture(params=["memory", "database", pytest.param("redis", marks=needs_redis)])
def counted(request: pytest.FixtureRequest, backend: Backend) -> Iterator[Backend]:
    """The core backend counting in each store in turn (the database under test)."""
    kept = backend.counters
    if request.param == "memory":
        backend.counters = limitstores.MemoryCounters()
    elif request.param == "redis":
        backend.counters = RedisCounters(
            REDIS_URL,
            fallback=limitstores.DatabaseCounters(backend.engine, backend.loop_first),
            prefix=f"test:{uuid.uuid4().hex}:",
        )
    try:
        yield backend
    finally:
        backend.counters.close()
        backend.counters = kept


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The limiter's clock, set by the test: ``clock[0]`` seconds since the epoch."""
    now = [1_800_000_000.0]  # a whole minute
    monkeypatch.setattr(ratelimit, "clock", lambda: now[0])
    return now


def _key() -> str:
    return f"test:{uuid.uuid4().hex}"


def test_the_limit_holds_within_a_window_and_resets_in_the_next(
    counted: Backend, clock: list[float]
) -> None:
    key = _key()
    clock[0] += 10
    for _ in range(3):
        ratelimit.hit(counted, key, 3)
    with pytest.raises(LimitExceeded) as refused:
        ratelimit.hit(counted, key, 3)
    # Retry-After: the seconds left in the window (60 - 10).
    assert refused.value.retry_after == 50
    assert ratelimit.count(counted, key, 60) == 4
    clock[0] += 49.5
    with pytest.raises(LimitExceeded) as refused:
        ratelimit.hit(counted, key, 3)
    assert refused.value.retry_after == 1  # never 0: half a second rounds up
    clock[0] += 1  # the next window
    assert ratelimit.count(counted, key, 60) == 0
    for _ in range(3):
        ratelimit.hit(counted, key, 3)
    with pytest.raises(LimitExceeded):
        ratelimit.hit(counted, key, 3)


def test_keys_and_window_lengths_count_apart(counted: Backend, clock: list[float]) -> None:
    first, second = _key(), _key()
    ratelimit.hit(counted, first, 1)
    ratelimit.hit(counted, second, 1)
    with pytest.raises(LimitExceeded):
        ratelimit.hit(counted, first, 1)
    assert ratelimit.count(counted, second, 60) == 1
    # A fifteen-minute window: Retry-After counts to its end.
    clock[0] += 60
    slow = _key()
    ratelimit.hit(counted, slow, 1, 900)
    with pytest.raises(LimitExceeded) as refused:
        ratelimit.hit(counted, slow, 1, 900)
    assert refused.value.retry_after == 840


def test_limit_zero_switches_the_limit_off_and_counts_nothing(
    counted: Backend, clock: list[float]
) -> None:
    key = _key()
    for _ in range(100):
        ratelimit.hit(counted, key, 0)
    assert ratelimit.count(counted, key, 60) == 0


def test_memory_counters_forget_ended_windows() -> None:
    counters = limitstores.MemoryCounters()
    counters._PRUNE_AT = 10
    counters._prune_at = 10
    for n in range(10):
        counters.add(f"old{n}", 1, 0.0)  # ended long ago
    counters.add("live", 2, 4e9)
    assert counters.get("live", 2) == 1
    assert counters.get("old3", 1) == 0
    assert len(counters._counts) <= 2


def test_redis_unreachable_counts_in_the_database(backend: Backend, clock: list[float]) -> None:
    kept = backend.counters
    backend.counters = RedisCounters(
        "redis://127.0.0.1:1/0",
        fallback=limitstores.DatabaseCounters(backend.engine, backend.loop_first),
        prefix="test:",
    )
    key = _key()
    try:
        ratelimit.hit(backend, key, 1)
        with pytest.raises(LimitExceeded):
            ratelimit.hit(backend, key, 1)
    finally:
        backend.counters.close()
        backend.counters = kept
    # The count is in the database, where every other process sees it.
    assert ratelimit.count(backend, key, 60) == 2


# --- which store a server counts in ------------------------------------------------------------


def _unused(*_args: object, **_params: object) -> None:
    raise AssertionError("SQLite's counters count in a transaction, never in a lone statement")


def _open(settings: Settings, engine: Engine) -> limitstores.Opened:
    """The counters a server on ``settings`` would open (SQLite here: no runner used)."""
    return limitstores.open_for_serving(settings, engine, _unused)


def _sqlite(tmp_path: Path, **overrides: object) -> Settings:
    return servers.test_settings(f"sqlite:///{tmp_path / 'one.db'}", tmp_path / "data", **overrides)


def test_one_process_on_sqlite_counts_in_memory_and_keeps_others_off(tmp_path: Path) -> None:
    settings = _sqlite(tmp_path)
    engine = make_engine(settings.database_url)
    first = _open(settings, engine)
    try:
        assert first.counters.name == "memory"
        # A second server on the same file would count apart: refused, whatever its store.
        for store in ("auto", "database"):
            with pytest.raises(limitstores.ClaimRefused):
                _open(settings.model_copy(update={"rate_limit_store": store}), engine)
    finally:
        first.close()
    # Once the first is gone, the file may be claimed again.
    again = _open(settings, engine)
    assert again.counters.name == "memory"
    again.close()
    engine.dispose()


def test_beside_a_database_counting_server_auto_counts_in_the_database(tmp_path: Path) -> None:
    engine = make_engine(_sqlite(tmp_path).database_url)
    shared = _open(_sqlite(tmp_path, rate_limit_store="database"), engine)
    try:
        assert shared.counters.name == "database"
        second = _open(_sqlite(tmp_path), engine)
        assert second.counters.name == "database"
        second.close()
        with pytest.raises(limitstores.ClaimRefused):
            _open(_sqlite(tmp_path, rate_limit_store="memory"), engine)
    finally:
        shared.close()
        engine.dispose()


def test_several_workers_never_count_in_memory(tmp_path: Path) -> None:
    engine = make_engine(_sqlite(tmp_path).database_url)
    opened = _open(_sqlite(tmp_path, workers=2), engine)
    assert opened.counters.name == "database"
    opened.close()
    engine.dispose()
    with pytest.raises(ValueError, match="per process"):
        _sqlite(tmp_path, workers=2, rate_limit_store="memory")
    with pytest.raises(ValueError, match="redis_url"):
        _sqlite(tmp_path, rate_limit_store="redis")


@needs_redis
def test_a_redis_url_puts_the_counters_in_redis(tmp_path: Path) -> None:
    engine = make_engine(_sqlite(tmp_path).database_url)
    opened = _open(_sqlite(tmp_path, redis_url=REDIS_URL), engine)
    assert opened.counters.name == "redis"
    opened.close()
    engine.dispose()


def test_database_counters_forget_older_windows_and_skip_the_log_on_postgresql(
    backend: Backend,
) -> None:
    counters = limitstores.DatabaseCounters(backend.engine, backend.loop_first)
    key = _key()
    assert [counters.add(key, 1, 0.0) for _ in range(3)] == [1, 2, 3]
    assert counters.add(key, 2, 0.0) == 1  # a new window starts at one ...
    assert counters.get(key, 1) == 0  # ... and the older one is gone
    assert counters.get(key, 2) == 1
    if backend.engine.dialect.name == "postgresql":
        with backend.engine.connect() as conn:
            persistence = conn.exec_driver_sql(
                "SELECT relpersistence FROM pg_class WHERE relname = 'rate_counters'"
            ).scalar_one()
        assert persistence == "u"  # unlogged: migration 0006


def test_database_counters_count_on_the_loop_on_postgresql_only(
    backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL a count is one upsert on the event loop's own connection (no pool
    checkout, no thread hop), and hits from the loop and from pooled threads add up; on
    SQLite a count may wait for a writer's lock, so it stays off the loop."""
    counters = limitstores.DatabaseCounters(backend.engine, backend.loop_first)
    postgres = backend.engine.dialect.name == "postgresql"
    assert counters.on_loop is postgres
    own = Backend(backend.settings, backend.engine)
    own.reads_on_this_thread()  # this thread plays the event loop
    counters = limitstores.DatabaseCounters(own.engine, own.loop_first)
    key = _key()
    counters.add(key, 1, 0.0)  # opens the loop's connection
    checkouts: list[object] = []

    def listener(*args: object) -> None:
        checkouts.append(args)

    event.listen(own.engine, "checkout", listener)
    try:
        on_loop = [counters.add(key, 1, 0.0) for _ in range(5)]
    finally:
        event.remove(own.engine, "checkout", listener)
    assert on_loop == [2, 3, 4, 5, 6]
    if postgres:
        assert checkouts == []

    def ten_hits() -> None:
        for _ in range(10):
            counters.add(key, 1, 0.0)

    pooled = [threading.Thread(target=ten_hits) for _ in range(2)]
    for thread in pooled:
        thread.start()
    ten_hits()  # meanwhile, on the loop's connection
    for thread in pooled:
        thread.join()
    assert counters.get(key, 1) == 6 + 30
    for conn in (own._loop_conn, own._loop_auto):
        if conn is not None:
            conn.close()
