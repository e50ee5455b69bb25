"""The server's Prometheus metrics, and their exposition for one process or several.

Every label value is a fixed word of the code (a route template, an HTTP method or status,
a command type from the catalogue, an error code, a limit's name), never a value a client
sent: no id or token can reach a label, and the number of series stays bounded.

Several worker processes: set ``PROMETHEUS_MULTIPROC_DIR`` to an empty directory before the
server starts (prometheus-client reads it at import). Each process then writes its values
to files there, and ``/metrics`` in any worker adds up every process's files.
"""

from __future__ import annotations

import os
from collections.abc import Container, Mapping
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from taskhaven.core import events

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

REGISTRY = CollectorRegistry(auto_describe=True)

HTTP_REQUESTS = Counter(
    "taskhaven_http_requests",
    "HTTP requests answered, by method, route template and status.",
    ("method", "route", "status"),
    registry=REGISTRY,
)
HTTP_DURATION = Histogram(
    "taskhaven_http_request_duration_seconds",
    "Time from a request's arrival to the end of its answer, by route template.",
    ("route",),
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)
SYNC_COMMANDS = Counter(
    "taskhaven_sync_commands",
    "Sync API commands run, by type and outcome (ok, or the error code).",
    ("type", "outcome"),
    registry=REGISTRY,
)
SYNC_OBJECTS = Histogram(
    "taskhaven_sync_objects",
    "Objects one Sync API read returned, by kind of sync (full or incremental).",
    ("sync",),
    buckets=(0, 1, 10, 100, 1000, 10000, 100000),
    registry=REGISTRY,
)
SYNC_BATCH = Histogram(
    "taskhaven_sync_commands_per_request",
    "Commands in one Sync API request that carried any.",
    buckets=(1, 2, 5, 10, 20, 50, 100, 500),
    registry=REGISTRY,
)
RATE_LIMITED = Counter(
    "taskhaven_rate_limit_refusals",
    "Requests refused by a rate limit, by limit (v6-sync, v6-write, v1, v1-write, "
    "signon-account, signon-address).",
    ("limit",),
    registry=REGISTRY,
)
SIGNON_FAILURES = Counter(
    "taskhaven_signon_failures",
    "Failed sign-on attempts, by reason (password, second_factor).",
    ("reason",),
    registry=REGISTRY,
)

_METHODS = frozenset(("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"))
# A child per label set, kept: ``labels()`` takes a lock and builds a key on every call,
# which costs more than the increment itself on the hot path.
_request_children: dict[tuple[str, str, int], Any] = {}
_duration_children: dict[str, Any] = {}


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    # The method is the client's text: bound it before it keys anything.
    key = (method if method in _METHODS else "other", route, status)
    counter = _request_children.get(key)
    if counter is None:
        counter = _request_children[key] = HTTP_REQUESTS.labels(key[0], route, str(status))
    counter.inc()
    duration = _duration_children.get(route)
    if duration is None:
        duration = _duration_children[route] = HTTP_DURATION.labels(route)
    duration.observe(seconds)


def observe_commands(
    known: Container[str], batch: list[dict[str, Any]], statuses: Mapping[str, Any]
) -> None:
    """Count each command of a batch by its outcome in ``SyncStatus``.

    A type outside the catalogue counts as ``unknown``: the client chose that text.
    """
    SYNC_BATCH.observe(len(batch))
    for cmd in batch:
        status = statuses.get(cmd["uuid"])
        if status is None:
            continue  # every command has one; nothing to count otherwise
        kind = cmd["type"] if cmd["type"] in known else "unknown"
        SYNC_COMMANDS.labels(kind, _outcome(status)).inc()


def _outcome(status: Any) -> str:
    """``ok``, or the error code; a command on several ids answers per id, and counts as
    its first failure's code (``ok`` when every id succeeded)."""
    if status == "ok":
        return "ok"
    if isinstance(status, dict):
        code = status.get("error_code")
        if isinstance(code, int):
            return str(code)
        if "error_code" not in status:
            failures = [_outcome(value) for value in status.values() if value != "ok"]
            return failures[0] if failures else "ok"
    return "error"


def observe_read(answer: Mapping[str, Any], full: bool) -> None:
    """Count the objects a Sync API read returned (its resource lists' lengths)."""
    lists = [value for value in answer.values() if isinstance(value, list)]
    if lists:  # a commit-only answer carries no resource list
        observe_sync_objects(sum(map(len, lists)), full)


def observe_sync_objects(count: int, full: bool) -> None:
    """Count ``count`` objects sent by one Sync API read."""
    child = _objects_children.get(full)
    if child is None:
        child = _objects_children[full] = SYNC_OBJECTS.labels("full" if full else "incremental")
    child.observe(count)


_objects_children: dict[bool, Any] = {}


def _on_event(event: events.Event, kind: str) -> None:
    if event == "rate_limited":
        RATE_LIMITED.labels(kind).inc()
    elif event == "signon_failed":
        SIGNON_FAILURES.labels(kind).inc()


def install() -> None:
    """Count core's events from now on (idempotent)."""
    events.listen(_on_event)


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


def exposition(directory: str | None = None) -> bytes:
    """The text a scrape gets: this process's values, or every process's in ``directory``
    (by default the multiprocess directory, when one is set)."""
    directory = directory or multiprocess_dir()
    if directory is None:
        return generate_latest(REGISTRY)
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]
    return generate_latest(registry)


def prepare_multiprocess_dir() -> None:
    """Empty the multiprocess directory before the workers start: values a previous run
    left there would otherwise be added to this run's (counters would jump)."""
    directory = multiprocess_dir()
    if directory is None:
        return
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink()
