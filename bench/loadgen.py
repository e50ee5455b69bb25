"""The mixed-traffic load generator: many users' clients on keep-alive connections.

A separate process (``bench/load.py`` starts it), so that its CPU time is its own and can be
reported. It speaks HTTP/1.1 over raw asyncio streams, not through an HTTP client library:
per request it formats a few lines and reads a status line, headers and a body, which costs
a fraction of what the server spends on the request.

Each connection loops until the deadline: it picks a request kind by weight and a user at
random, sends it, and times it from the first byte sent to the last byte read. The clients
behave like real ones: an incremental sync sends the ``seq_no`` the user's last sync
answered, a V2 ``batch/check`` the last ``checkPoint``.

Input (``--users FILE``): JSON list of ``{"email", "password", "token", "cookie"}`` and
optionally each user's ``seq_no`` and ``checkpoint``. ``--warm-up`` does every user's full
sync and check, untimed, and writes the cursors back to the file; a timed run reads them.
Output: one JSON object on stdout, per kind: count, errors, p50 and p99 in milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import statistics
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

KINDS = ("sync", "commit", "check", "signon")
DEFAULT_WEIGHTS = "sync=70,commit=15,check=14.5,signon=0.5"


@dataclass
class User:
    email: str
    password: str
    token: str
    cookie: str
    seq_no: int = 0
    checkpoint: int = 0


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)


def parse_weights(text: str) -> dict[str, float]:
    weights: dict[str, float] = {}
    for part in text.split(","):
        name, _, value = part.partition("=")
        if name.strip() not in KINDS:
            raise SystemExit(f"unknown request kind {name!r}; kinds: {', '.join(KINDS)}")
        weights[name.strip()] = float(value)
    return weights


def commit_size(rng: random.Random) -> int:
    """1 to 100 commands, uniform in log scale: most commits are small, some are large."""
    return min(100, int(10 ** rng.uniform(0, 2)))


class Connection:
    """One keep-alive HTTP/1.1 connection; reopened when the server closes it."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, head: str, body: bytes) -> tuple[int, bytes]:
        if self.writer is None or self.writer.is_closing():
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(head.encode("latin-1") + body)
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionResetError("server closed the connection")
        status = int(status_line.split(b" ", 2)[1])
        length, chunked, close = 0, False, False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
            elif name == b"connection" and b"close" in value.lower():
                close = True
        if chunked:
            parts = []
            while True:
                size = int((await self.reader.readline()).split(b";")[0], 16)
                parts.append(await self.reader.readexactly(size + 2))
                if size == 0:
                    break
            data = b"".join(part[:-2] for part in parts)
        else:
            data = await self.reader.readexactly(length)
        if close:
            self.writer.close()
            self.writer = None
        return status, data

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


class Client:
    """Builds the requests of each kind for a user and reads back the cursors."""

    def __init__(self, host: str, port: int, rng: random.Random) -> None:
        self.host_header = f"{host}:{port}"
        self.rng = rng

    def _form(self, path: str, fields: dict[str, str]) -> tuple[str, bytes]:
        body = urlencode(fields, quote_via=quote).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host_header}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        return head, body

    def build(self, kind: str, user: User) -> tuple[str, bytes]:
        if kind == "sync":
            return self._form(
                "/API/v6/sync",
                {"token": user.token, "seq_no": str(user.seq_no), "resource_types": '["all"]'},
            )
        if kind == "commit":
            commands = [
                {
                    "type": "item_add",
                    "uuid": str(uuid.uuid4()),
                    "temp_id": str(uuid.uuid4()),
                    "args": {"content": f"load test task {self.rng.randrange(10**6)}"},
                }
                for _ in range(commit_size(self.rng))
            ]
            return self._form(
                "/API/v6/sync", {"token": user.token, "commands": json.dumps(commands)}
            )
        if kind == "check":
            head = (
                f"GET /api/v2/batch/check/{user.checkpoint} HTTP/1.1\r\n"
                f"Host: {self.host_header}\r\nCookie: t={user.cookie}\r\n\r\n"
            )
            return head, b""
        body = json.dumps({"username": user.email, "password": user.password}).encode()
        head = (
            f"POST /api/v2/user/signon?wc=true&remember=true HTTP/1.1\r\n"
            f"Host: {self.host_header}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        return head, body

    @staticmethod
    def absorb(kind: str, user: User, data: bytes) -> None:
        """Keep the cursor a real client would send next time."""
        if kind == "sync":
            user.seq_no = max(user.seq_no, int(json.loads(data)["seq_no"]))
        elif kind == "check":
            user.checkpoint = max(user.checkpoint, int(json.loads(data)["checkPoint"]))


async def warm_up(host: str, port: int, users: list[User], seed: int) -> None:
    """Every user's first sync and check: full ones, which the measured mix should not
    contain (a client does one full sync, then increments). Not timed."""
    client = Client(host, port, random.Random(seed))
    conn = Connection(host, port)
    for user in users:
        for kind in ("sync", "check"):
            status, data = await conn.request(*client.build(kind, user))
            if status >= 300:
                raise SystemExit(f"warm-up {kind} answered {status}: {data[:200]!r}")
            client.absorb(kind, user, data)
    conn.close()


async def drive(
    host: str,
    port: int,
    users: list[User],
    weights: dict[str, float],
    connections: int,
    duration: float,
    seed: int,
) -> tuple[dict[str, Tally], float]:
    tallies = {kind: Tally() for kind in weights}
    kinds, shares = list(weights), list(weights.values())
    client = Client(host, port, random.Random(seed))

    async def loop(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        conn = Connection(host, port)
        while time.perf_counter() < deadline:
            kind = rng.choices(kinds, weights=shares)[0]
            user = rng.choice(users)
            head, body = client.build(kind, user)
            start = time.perf_counter()
            try:
                status, data = await conn.request(head, body)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                tallies[kind].errors += 1
                conn.close()
                conn = Connection(host, port)
                continue
            tally = tallies[kind]
            tally.latencies.append(time.perf_counter() - start)
            tally.statuses[status] = tally.statuses.get(status, 0) + 1
            if status >= 300:
                tally.errors += 1
            else:
                client.absorb(kind, user, data)
        conn.close()

    started = time.perf_counter()
    deadline = started + duration
    await asyncio.gather(*(loop(i) for i in range(connections)))
    return tallies, time.perf_counter() - started


def report(tallies: dict[str, Tally], elapsed: float) -> dict[str, Any]:
    kinds: dict[str, Any] = {}
    for kind, tally in tallies.items():
        ms = sorted(value * 1000 for value in tally.latencies)
        kinds[kind] = {
            "count": len(ms),
            "per_second": len(ms) / elapsed,
            "errors": tally.errors,
            "statuses": {str(k): v for k, v in sorted(tally.statuses.items())},
            "p50_ms": statistics.median(ms) if ms else 0.0,
            "p99_ms": ms[min(len(ms) - 1, int(len(ms) * 0.99))] if ms else 0.0,
        }
    usage = resource.getrusage(resource.RUSAGE_SELF)
    total = sum(k["count"] for k in kinds.values())
    return {
        "elapsed_s": elapsed,
        "requests": total,
        "per_second": total / elapsed,
        "kinds": kinds,
        "cpu_s": usage.ru_utime + usage.ru_stime,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--users", type=Path, required=True)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--weights", default=DEFAULT_WEIGHTS)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--warm-up", action="store_true", help="full syncs, cursors to --users")
    args = parser.parse_args()
    users = [User(**entry) for entry in json.loads(args.users.read_text())]
    try:
        import uvloop

        runner = uvloop.run
    except ImportError:  # pragma: no cover - uvloop is installed with uvicorn[standard]
        runner = asyncio.run  # type: ignore[assignment]
    if args.warm_up:
        runner(warm_up(args.host, args.port, users, args.seed))
        args.users.write_text(json.dumps([user.__dict__ for user in users]))
        return 0
    tallies, elapsed = runner(
        drive(
            args.host,
            args.port,
            users,
            parse_weights(args.weights),
            args.connections,
            args.duration,
            args.seed,
        )
    )
    print(json.dumps(report(tallies, elapsed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
