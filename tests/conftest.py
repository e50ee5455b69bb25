"""Shared fixtures, per test session (per xdist worker): one real server for the client
libraries that speak HTTP, and one server-less backend for tests that call core."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import settings

from taskhaven.core.backend import Backend
from tests.servers import (
    RunningServer,
    fresh_database,
    migrated_backend,
    running_server,
    test_settings,
)

# Timing is measured by the benchmarks, not by tests: on a shared 2-core machine one example
# can take longer than hypothesis' 200 ms default deadline, which would fail a correct test.
settings.register_profile("taskhaven", deadline=None)
settings.load_profile("taskhaven")


def _one_tls_context() -> None:
    """Every top-level ``httpx.get``/``httpx.post`` builds a client, and every client an SSL
    context from the whole CA bundle (about 50 ms of CPU each), although tests speak plain
    HTTP to loopback: thousands of calls made that a large share of the suite's time.
    Transports that verify by default share one context instead; any other ``verify`` is
    built as asked. Sharing is safe: an ``SSLContext`` is used read-only by connections."""
    from httpx._transports import default as transports

    build = getattr(transports, "create_ssl_context")  # noqa: B009 - not re-exported
    shared: dict[bool, Any] = {}

    def create(verify: Any = True, cert: Any = None, trust_env: bool = True) -> Any:
        if verify is not True or cert is not None:
            return build(verify=verify, cert=cert, trust_env=trust_env)
        if trust_env not in shared:
            shared[trust_env] = build(verify=True, trust_env=trust_env)
        return shared[trust_env]

    setattr(transports, "create_ssl_context", create)  # noqa: B010


_one_tls_context()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with fresh_database(tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture(scope="session")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with running_server(test_settings(database_url, tmp_path_factory.mktemp("data"))) as srv:
        yield srv


@pytest.fixture(scope="session")
def core_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    """A backend on its own fresh database, without a server: for tests that call core."""
    tmp = tmp_path_factory.mktemp("core")
    with fresh_database(tmp) as url, migrated_backend(test_settings(url, tmp / "data")) as backend:
        yield backend


@pytest.fixture
def make_server(tmp_path: Path) -> Iterator[Any]:
    """Start extra servers with their own settings (and their own database)."""
    from contextlib import ExitStack

    with ExitStack() as stack:

        def start(**overrides: object) -> RunningServer:
            url = stack.enter_context(fresh_database(tmp_path))
            settings = test_settings(url, tmp_path / "data", **overrides)
            return stack.enter_context(running_server(settings))

        yield start


def new_email() -> str:
    return f"user-{uuid.uuid4().hex[:12]}@example.com"


PASSWORD = "correct horse battery"


def register(server: RunningServer, full_name: str = "Test User") -> dict[str, Any]:
    """Register a new user through the Sync API; its User object, with ``token``."""
    response = httpx.post(
        server.url + "/API/v6/register",
        data={"email": new_email(), "full_name": full_name, "password": PASSWORD},
    )
    assert response.status_code == 200, response.text
    user: dict[str, Any] = response.json()
    return user


@pytest.fixture
def account(server: RunningServer) -> dict[str, Any]:
    """A freshly registered user: its User object, with ``token`` and the password."""
    user = register(server)
    user["password"] = PASSWORD
    return user


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The fuzz suite's budget and request counts (recorded by ``tests/fuzz``), also under
    xdist, where a test's own output is not shown."""
    lines = [
        value
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) == "call"
        for key, value in getattr(report, "user_properties", ())
        if key == "fuzz"
    ]
    if lines:
        terminalreporter.section("fuzz budget")
        for line in lines:
            terminalreporter.write_line(line)
