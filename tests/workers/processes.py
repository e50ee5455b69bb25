"""Servers in processes of their own (``taskhaven serve``), as an operator starts them."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx

from tests.servers import free_port

SRC = str(Path(__file__).resolve().parents[2] / "src")


def server_env(database_url: str, data_dir: Path, **settings: object) -> dict[str, str]:
    """The environment of a server process: ``TASKHAVEN_*`` from ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TASKHAVEN_")}
    env["PYTHONPATH"] = SRC + os.pathsep + env.get("PYTHONPATH", "")
    values: dict[str, object] = {
        "database_url": database_url,
        "data_dir": data_dir,
        "log_level": "warning",
        "argon2_time_cost": 1,
        "argon2_memory_cost": 8,
        "argon2_parallelism": 1,
        **settings,
    }
    env.update({f"TASKHAVEN_{k.upper()}": str(v) for k, v in values.items()})
    return env


class Served(str):
    """A server's base URL, with its process."""

    process: subprocess.Popen[bytes]


@contextmanager
def serving(env: Mapping[str, str], *args: str, log: Path) -> Iterator[Served]:
    """``taskhaven serve ARGS`` on a free port; yields its base URL (not waiting for it)."""
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "taskhaven.cli", "serve", "--port", str(port), *args],
            env=dict(env),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    served = Served(f"http://127.0.0.1:{port}")
    served.process = process
    try:
        yield served
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_up(url: str, log: Path, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server {url} did not start:\n{log.read_text(errors='replace')}")


@contextmanager
def several(env: Mapping[str, str], count: int, tmp: Path) -> Iterator[list[Served]]:
    """``count`` separately started servers on one database, started at the same moment
    (so their migrations race, and must run once)."""
    with ExitStack() as stack:
        logs = [tmp / f"server-{n}.log" for n in range(count)]
        urls = [stack.enter_context(serving(env, log=log)) for log in logs]
        for url, log in zip(urls, logs, strict=True):
            wait_until_up(url, log)
        yield urls
