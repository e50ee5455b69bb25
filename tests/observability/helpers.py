"""An in-process app on its own database, and the values its /metrics page shows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette
from starlette.testclient import TestClient

from taskhaven.app import create_app
from taskhaven.core.backend import Backend
from tests import servers
from tests.servers import fresh_database

LOOPBACK = ("127.0.0.1", 50000)


@contextmanager
def app_client(tmp: Path, **overrides: object) -> Iterator[tuple[TestClient, Starlette]]:
    """The whole app (lifespan run: migrated) behind a client that comes from loopback."""
    with fresh_database(tmp) as url:
        settings = servers.test_settings(url, tmp / "data", **overrides)
        backend = Backend(settings)
        app = create_app(settings, backend)
        try:
            with TestClient(app, client=LOOPBACK) as client:
                yield client, app
        finally:
            backend.dispose()


def samples(client: TestClient) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of /metrics, keyed by name and label set."""
    response = client.get("/metrics")
    assert response.status_code == 200, response.text
    found: dict[tuple[str, frozenset[tuple[str, str]]], float] = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def value(client: TestClient, name: str, **labels: str) -> float:
    return samples(client).get((name, frozenset(labels.items())), 0.0)
