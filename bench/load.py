"""The load test: taskhaven over real sockets, against a bare Starlette app, in one run.

``bench/run.py`` times the server in-process; this starts real server processes on loopback
ports and drives them from other processes, so the figures include uvicorn, the event loop,
the kernel's sockets and (on PostgreSQL) the database's own processes. Run with
``make load`` (docs/performance.md, "Over real sockets: the load test").

Servers (each started the way ``taskhaven serve`` serves, see ``bench/loadserve.py``):
taskhaven on SQLite (one process), taskhaven on PostgreSQL with one and with two worker
processes, and a bare Starlette app that parses the same form and answers a fixed body of
the size taskhaven answered.

Scenarios (every pair alternated, round after round, and reported as ratios):
  nothing-new   incremental ``/API/v6/sync`` of ``["all"]`` with nothing new, one user,
                wrk -t2 -c16, server pinned to one CPU and wrk to the other; vs the bare app
  one-change    the same with one changed item since the cursor; vs the bare app
  workers       nothing-new on PostgreSQL, 2 workers vs 1, nothing pinned
  mixed         many users: incremental syncs, commits of 1-100 commands, V2 batch/check,
                V2 sign-ons (bench/loadgen.py), on every taskhaven server, nothing pinned
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
TASKHAVEN = [PYTHON, "-m", "taskhaven.cli"]
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# The generator's CPU and the servers' CPU when a scenario pins them apart.
GENERATOR_CPU, SERVER_CPU = 0, 1
PASSWORD = "load-test-password"
LIFTED = "1000000000"
WARM_UP_SECONDS = 1


# -- processes and their CPU time ------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a live process (all its threads), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def descendants(pid: int) -> list[int]:
    """The process and every process under it (``taskhaven serve --workers`` forks)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            children = task / "children"
            if children.exists():
                todo += [int(child) for child in children.read_text().split()]
    return found


def pin(pid: int, cpus: set[int]) -> None:
    """Move every thread of the process (and of its children) to ``cpus``."""
    for proc in descendants(pid):
        for task in Path(f"/proc/{proc}/task").glob("*"):
            with suppress(ProcessLookupError, OSError):
                os.sched_setaffinity(int(task.name), cpus)


def every_cpu() -> set[int]:
    return set(range(os.cpu_count() or 1))


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# -- servers ---------------------------------------------------------------------------------


def cli_has_workers(env: dict[str, str]) -> bool:
    """Whether ``taskhaven serve`` can start several workers itself."""
    out = subprocess.run(  # noqa: S603
        [*TASKHAVEN, "serve", "--help"],
        capture_output=True,
        text=True,
        env={**env, "COLUMNS": "200"},
        check=False,
    )
    return "--workers" in out.stdout


@dataclass
class Server:
    name: str
    port: int
    database_url: str | None  # None: the bare app
    workers: int = 1
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def pids(self) -> list[int]:
        return [pid for proc in self.procs for pid in descendants(proc.pid)]

    def cpu(self) -> float:
        return sum(cpu_seconds(pid) for pid in self.pids())

    def pin(self, cpus: set[int]) -> None:
        for proc in self.procs:
            pin(proc.pid, cpus)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(url: str, procs: list[subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for proc in procs:
            if proc.poll() is not None:
                raise RuntimeError(f"server at {url} exited with {proc.returncode}")
        try:
            if httpx.get(url + "/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not start")


def commands_for(server: Server, env: dict[str, str], bodies: Path | None) -> list[list[str]]:
    """The command line of each process the server runs as."""
    if server.database_url is None:
        bare = [PYTHON, str(HERE / "loadserve.py"), "bare", "--port", str(server.port)]
        return [bare + (["--bodies", str(bodies)] if bodies else [])]
    if server.workers > 1 and cli_has_workers(env):
        return [[*TASKHAVEN, "serve", "--port", str(server.port), "--workers", str(server.workers)]]
    # Until ``taskhaven serve --workers`` exists: N processes on one SO_REUSEPORT port.
    return [[PYTHON, str(HERE / "loadserve.py"), "taskhaven", "--port", str(server.port)]] * (
        server.workers
    )


@contextmanager
def started(
    servers: list[Server], env: dict[str, str], logs: Path, bodies: Path | None = None
) -> Iterator[None]:
    """Start the servers' processes; stop them (by their own ids) on the way out.

    The first process of each server starts at once, the others once it answers: only one
    process per database may run the migrations, so a server sharing a database with an
    earlier one waits for that one too. Output goes to ``logs/<port>.log``, which
    ``server_errors`` reads back at the end.
    """
    logs_open = []
    Launch = tuple[Server, list[str], dict[str, str]]
    pending: list[Launch] = []
    for server in servers:
        log = (logs / f"{server.port}.log").open("ab")
        logs_open.append(log)
        run_env = {**env, "TASKHAVEN_PORT": str(server.port)}
        if server.database_url:
            run_env["TASKHAVEN_DATABASE_URL"] = server.database_url
        pending += [(server, command, run_env) for command in commands_for(server, env, bodies)]

    def launch(server: Server, command: list[str], run_env: dict[str, str]) -> None:
        log = logs_open[servers.index(server)]
        server.procs.append(
            subprocess.Popen(command, env=run_env, stdout=subprocess.DEVNULL, stderr=log)  # noqa: S603
        )

    try:
        while pending:
            migrating: set[str | None] = set()
            wave: list[Launch] = []
            later: list[Launch] = []
            for item in pending:
                server, _command, _env = item
                first = not server.procs and not any(w[0] is server for w in wave)
                if first and server.database_url not in migrating:
                    wave.append(item)
                    migrating.add(server.database_url)
                else:
                    later.append(item)
            for item in wave:
                launch(*item)
            for server, _command, _env in wave:
                wait_healthy(server.url, server.procs)
            pending = later
            if not wave:
                # Every server has its first process: the rest start now, all at once.
                for item in pending:
                    launch(*item)
                for server in servers:
                    wait_healthy(server.url, server.procs)
                pending = []
        yield
    finally:
        for server in servers:
            for proc in server.procs:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
        for server in servers:
            for proc in server.procs:
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            server.procs.clear()
        for log in logs_open:
            log.close()


def server_errors(logs: Path) -> list[str]:
    """The servers' tracebacks and error lines: a load test must not hide a 500."""
    found = []
    for path in sorted(logs.glob("*.log")):
        for line in path.read_text(errors="replace").splitlines():
            if "Traceback" in line or "ERROR" in line:
                found.append(f"{path.name}: {line}")
    return found


# -- the databases -------------------------------------------------------------------------


@contextmanager
def postgres_database(admin_url: str) -> Iterator[tuple[str, Any]]:
    """A throw-away PostgreSQL database, and a function listing its backends' pids."""
    from sqlalchemy import create_engine, text

    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"taskhaven_load_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def backend_pids() -> list[int]:
        with admin.connect() as conn:
            rows = conn.execute(
                text("SELECT pid FROM pg_stat_activity WHERE datname = :name"), {"name": name}
            )
            return [int(row[0]) for row in rows]

    try:
        yield admin_url.rsplit("/", 1)[0] + "/" + name, backend_pids
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@dataclass
class Accounts:
    """The users one database holds, and the request bodies the scenarios send."""

    quiet: str = ""  # nothing-new: form body of a sync at the current cursor
    one_change: str = ""  # one-change: form body of a sync just before one changed item
    users: list[dict[str, str]] = field(default_factory=list)


def form(fields: dict[str, str]) -> str:
    return urlencode(fields, quote_via=quote)


def setup_accounts(url: str, count: int, items: int = 100) -> Accounts:
    """Register users over the wire (the server hashes passwords as it always does).

    The two one-user scenarios' users get ``items`` items, the mixed traffic's a fifth.
    """
    out = Accounts()
    with httpx.Client(base_url=url, timeout=60) as client:

        def register(label: str) -> tuple[str, str]:
            email = f"{label}-{uuid.uuid4().hex[:8]}@example.com"
            reply = client.post("/API/v6/register", data={"email": email, "password": PASSWORD})
            reply.raise_for_status()
            return email, str(reply.json()["api_token"])

        def sync(fields: dict[str, str]) -> dict[str, Any]:
            reply = client.post("/API/v6/sync", data=fields)
            reply.raise_for_status()
            return dict(reply.json())

        def commit(token: str, commands: list[dict[str, Any]]) -> dict[str, Any]:
            return sync({"token": token, "commands": json.dumps(commands)})

        def add_items(token: str, n: int) -> dict[str, Any]:
            return commit(
                token,
                [
                    {"type": "item_add", "uuid": str(uuid.uuid4()), "temp_id": f"t{i}",
                     "args": {"content": f"task {i}"}}
                    for i in range(n)
                ],
            )  # fmt: skip

        # nothing-new: a user with 100 items, syncing at the cursor its full sync answered.
        _email, token = register("quiet")
        add_items(token, items)
        seq = sync({"token": token, "resource_types": '["all"]'})["seq_no"]
        out.quiet = form({"token": token, "seq_no": str(seq), "resource_types": '["all"]'})
        # one-change: 100 items, then one of them renamed after the cursor.
        _email, token = register("changed")
        mapping = add_items(token, items)["TempIdMapping"]
        seq = sync({"token": token, "resource_types": '["all"]'})["seq_no"]
        commit(
            token,
            [{"type": "item_update", "uuid": str(uuid.uuid4()),
              "args": {"id": mapping["t0"], "content": "renamed"}}],
        )  # fmt: skip
        out.one_change = form({"token": token, "seq_no": str(seq), "resource_types": '["all"]'})
        # mixed: many users, each with a V2 session (the cookie) besides the API token.
        for _ in range(count):
            email, token = register("mixed")
            add_items(token, max(1, items // 5))
            reply = client.post(
                "/api/v2/user/signon?wc=true&remember=true",
                json={"username": email, "password": PASSWORD},
            )
            reply.raise_for_status()
            cookie = str(reply.json()["token"])
            out.users.append(
                {"email": email, "password": PASSWORD, "token": token, "cookie": cookie}
            )
    return out


def answer(url: str, body: str) -> str:
    """What taskhaven answers ``body`` with (the bare app answers the same bytes)."""
    reply = httpx.post(
        url + "/API/v6/sync",
        content=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    reply.raise_for_status()
    return reply.text


# -- load generators ------------------------------------------------------------------------


@dataclass
class Run:
    """One timed run of one load generator against one server."""

    server: str
    requests: int
    per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    seconds: float
    generator_cpu: float
    server_cpu: float
    database_cpu: float
    load: str
    detail: dict[str, Any] = field(default_factory=dict)

    def cores(self, cpu: float) -> float:
        return cpu / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms(self) -> float:
        """Server CPU (database processes included) per request: steady under load."""
        return (
            (self.server_cpu + self.database_cpu) * 1000 / self.requests if self.requests else 0.0
        )


def measured(
    server: Server,
    command: list[str],
    cpus: set[int] | None,
    database_pids: Any,
) -> tuple[str, float, float, float, float, str]:
    """Run a generator to its end; its output, wall time and the CPU time of every side."""
    load = loadavg()
    db_pids = database_pids() if database_pids else []
    server_before = server.cpu()
    db_before = {pid: cpu_seconds(pid) for pid in db_pids}
    # Backends that start during the run count whole; ones that end during it are lost
    # (SQLAlchemy's overflow connections come and go under load: an undercount).
    start = time.perf_counter()
    # stderr to a file, not a pipe: a pipe nobody reads until the end could fill and block.
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(  # noqa: S603
            command,
            stdout=subprocess.PIPE,
            stderr=errors,
            preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None,
        )
        assert proc.stdout is not None
        out = proc.stdout.read().decode()
        proc.stdout.close()
        _pid, status, usage = os.wait4(proc.pid, 0)
        errors.seek(0)
        err = errors.read().decode(errors="replace")
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{command[0]} failed ({proc.returncode}): {err.strip()}")
    db_after = database_pids() if database_pids else []
    db_cpu = sum(cpu_seconds(pid) - db_before.get(pid, 0.0) for pid in db_after)
    gen_cpu = usage.ru_utime + usage.ru_stime
    return out, seconds, gen_cpu, server.cpu() - server_before, db_cpu, load


def run_wrk(
    server: Server,
    bodies: list[str],
    seconds: float,
    tmp: Path,
    pinned: bool,
    database_pids: Any,
    threads: int = 2,
    connections: int = 16,
) -> Run:
    body_file = tmp / f"bodies-{uuid.uuid4().hex[:8]}.txt"
    body_file.write_text("\n".join(bodies) + "\n")
    command = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s",
        "-s", str(HERE / "wrk" / "form.lua"), server.url + "/API/v6/sync", "--", str(body_file),
    ]  # fmt: skip
    cpus = {GENERATOR_CPU} if pinned else None
    server.pin({SERVER_CPU} if pinned else every_cpu())
    out, wall, gen_cpu, srv_cpu, db_cpu, load = measured(server, command, cpus, database_pids)
    line = next((ln for ln in out.splitlines() if ln.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary:\n{out}")
    data = json.loads(line.removeprefix("WRKJSON "))
    duration = data["duration_us"] / 1e6
    errors = sum(data[key] for key in data if key.endswith("_errors")) + data["timeouts"]
    return Run(
        server=server.name,
        requests=data["requests"],
        per_second=data["requests"] / duration,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        errors=errors,
        seconds=wall,
        generator_cpu=gen_cpu,
        server_cpu=srv_cpu,
        database_cpu=db_cpu,
        load=load,
        detail=data,
    )


def run_mixed(
    server: Server,
    users_file: Path,
    seconds: float,
    connections: int,
    weights: str,
    database_pids: Any,
) -> Run:
    server.pin(every_cpu())
    command = [
        PYTHON, str(HERE / "loadgen.py"), "--port", str(server.port), "--users", str(users_file),
        "--connections", str(connections), "--duration", f"{seconds:g}", "--weights", weights,
    ]  # fmt: skip
    if not users_file.with_suffix(".warm").exists():
        # Once per database: each user's full sync and check, untimed; cursors to the file.
        subprocess.run([*command, "--warm-up"], check=True, stdout=subprocess.DEVNULL)  # noqa: S603
        users_file.with_suffix(".warm").touch()
    command = [
        PYTHON, str(HERE / "loadgen.py"), "--port", str(server.port), "--users", str(users_file),
        "--connections", str(connections), "--duration", f"{seconds:g}", "--weights", weights,
    ]  # fmt: skip
    out, wall, gen_cpu, srv_cpu, db_cpu, load = measured(server, command, None, database_pids)
    data = json.loads(out)
    return Run(
        server=server.name,
        requests=data["requests"],
        per_second=data["per_second"],
        p50_ms=0.0,
        p99_ms=0.0,
        errors=sum(kind["errors"] for kind in data["kinds"].values()),
        seconds=wall,
        generator_cpu=gen_cpu,
        server_cpu=srv_cpu,
        database_cpu=db_cpu,
        load=load,
        detail=data,
    )


# -- reporting ------------------------------------------------------------------------------


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def pair_table(title: str, pairs: list[tuple[Run, Run]], ours: str, base: str) -> list[str]:
    """Rounds of (ours, baseline): each round's throughput ratio and server-CPU ratio.

    The CPU ratio (baseline's CPU per request / ours) is the throughput ratio both would
    reach if each had a CPU to itself; it moves much less with the machine's load.
    """
    lines = [
        f"### {title}",
        "",
        f"| round | load avg | {ours} req/s | p50 / p99 ms | CPU ms/req | {base} req/s"
        " | p50 / p99 ms | CPU ms/req | req/s ratio | CPU ratio | errors |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    ratios, cpu_ratios = [], []
    for n, (a, b) in enumerate(pairs, 1):
        ratio = a.per_second / b.per_second if b.per_second else 0.0
        cpu_ratio = b.cpu_ms / a.cpu_ms if a.cpu_ms else 0.0
        ratios.append(ratio)
        cpu_ratios.append(cpu_ratio)
        lines.append(
            f"| {n} | {a.load} | {a.per_second:,.0f} | {a.p50_ms:.1f} / {a.p99_ms:.1f}"
            f" | {a.cpu_ms:.2f} | {b.per_second:,.0f} | {b.p50_ms:.1f} / {b.p99_ms:.1f}"
            f" | {b.cpu_ms:.2f} | {ratio:.3f} | {cpu_ratio:.3f} | {a.errors + b.errors} |"
        )
    lines.append(
        f"| **median** | | | | | | | | **{median(ratios):.3f}** | **{median(cpu_ratios):.3f}** | |"
    )
    lines += ["", cpu_note(pairs[-1]), ""]
    return lines


def cpu_note(runs: tuple[Run, ...] | list[Run]) -> str:
    return (
        "CPU cores busy in the last round: "
        + "; ".join(
            f"{run.server}: server {run.cores(run.server_cpu):.2f}, database"
            f" {run.cores(run.database_cpu):.2f}, generator {run.cores(run.generator_cpu):.2f}"
            for run in runs
        )
        + "."
    )


def workers_table(pairs: list[tuple[Run, Run]], cores: int) -> list[str]:
    """2 workers / 1 worker: raw, normalised by the CPU the generator left, and per CPU.

    The per-CPU ratio (1 worker's CPU per request / 2 workers') says whether a request
    costs more with two workers; with a free CPU for each worker, throughput scales by up
    to twice it. On a machine busy with other work the servers get what the scheduler
    gives them, whatever their number: then the per-CPU ratio is the one to read.
    """
    lines = [
        "### 2 workers vs 1 on PostgreSQL (nothing-new sync, nothing pinned)",
        "",
        "| round | load avg | 1 worker req/s | server cores | generator cores | CPU ms/req"
        " | 2 workers req/s | server cores | generator cores | CPU ms/req | raw ratio"
        " | normalised ratio | per-CPU ratio |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    raws, norms, per_cpu = [], [], []
    for n, (one, two) in enumerate(pairs, 1):
        raw = two.per_second / one.per_second if one.per_second else 0.0
        left_one = cores - one.cores(one.generator_cpu)
        left_two = cores - two.cores(two.generator_cpu)
        norm = raw * left_one / left_two if left_two > 0 else 0.0
        efficiency = one.cpu_ms / two.cpu_ms if two.cpu_ms else 0.0
        raws.append(raw)
        norms.append(norm)
        per_cpu.append(efficiency)
        cells = []
        for run in (one, two):
            cells.append(
                f"{run.per_second:,.0f} | {run.cores(run.server_cpu + run.database_cpu):.2f}"
                f" | {run.cores(run.generator_cpu):.2f} | {run.cpu_ms:.2f}"
            )
        lines.append(
            f"| {n} | {one.load} | {cells[0]} | {cells[1]} | {raw:.2f} | {norm:.2f}"
            f" | {efficiency:.2f} |"
        )
    lines.append(
        f"| **median** | | | | | | | | | | **{median(raws):.2f}** | **{median(norms):.2f}**"
        f" | **{median(per_cpu):.2f}** |"
    )
    lines += ["", cpu_note(pairs[-1]), ""]
    return lines


def mixed_table(runs: list[Run], weights: str) -> list[str]:
    lines = [
        f"### Mixed traffic ({weights}; nothing pinned)",
        "",
        "| server | load avg | total req/s | kind | req/s | p50 ms | p99 ms | errors"
        " | server / db / generator cores |",
        "|---|---|---:|---|---:|---:|---:|---:|---|",
    ]
    for run in runs:
        first = True
        for kind, figures in run.detail["kinds"].items():
            head = f"| {run.server} | {run.load} | {run.per_second:,.0f}" if first else "| | | "
            cores = (
                f"{run.cores(run.server_cpu):.2f} / {run.cores(run.database_cpu):.2f}"
                f" / {run.cores(run.generator_cpu):.2f}"
                if first
                else ""
            )
            lines.append(
                f"{head} | {kind} | {figures['per_second']:,.1f} | {figures['p50_ms']:.2f}"
                f" | {figures['p99_ms']:.2f} | {figures['errors']} | {cores} |"
            )
            first = False
    lines.append("")
    return lines


# -- the run ----------------------------------------------------------------------------------


def server_env(tmp: Path, args: argparse.Namespace) -> dict[str, str]:
    """Every server's settings: limits lifted (counted, never reached) unless --no-limits."""
    limit = "0" if args.no_limits else LIFTED
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            [str(HERE.parent / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
        ),
        "TASKHAVEN_DATA_DIR": str(tmp),
        "TASKHAVEN_SECRET_KEY": "load-test-" + uuid.uuid4().hex,
        "TASKHAVEN_LOG_LEVEL": "warning",
        "TASKHAVEN_SYNC_RATE_LIMIT_PER_MINUTE": limit,
        "TASKHAVEN_WRITE_RATE_LIMIT_PER_MINUTE": limit,
        "TASKHAVEN_SIGNON_FAILURES_PER_ACCOUNT": limit,
        "TASKHAVEN_SIGNON_FAILURES_PER_ADDRESS": limit,
    }
    for setting in args.server_env:
        name, sep, value = setting.partition("=")
        if not sep:
            raise SystemExit(f"--server-env wants NAME=VALUE, not {setting!r}")
        env[name] = value
    if args.quick:
        # The lowest argon2 cost: a smoke run registers its users in milliseconds.
        env |= {
            "TASKHAVEN_ARGON2_TIME_COST": "1",
            "TASKHAVEN_ARGON2_MEMORY_COST": "8",
            "TASKHAVEN_ARGON2_PARALLELISM": "1",
        }
    return env


def alternate(rounds: int, first: Any, second: Any) -> list[tuple[Run, Run]]:
    """``rounds`` pairs, the order flipping each round so neither side always goes first."""
    pairs = []
    for n in range(rounds):
        if n % 2 == 0:
            a = first()
            b = second()
        else:
            b = second()
            a = first()
        pairs.append((a, b))
    return pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each run")
    parser.add_argument("--rounds", type=int, default=3, help="alternated rounds per pair")
    parser.add_argument("--users", type=int, default=20, help="users of the mixed traffic")
    parser.add_argument("--connections", type=int, default=16, help="mixed: connections")
    parser.add_argument("--weights", default="sync=70,commit=15,check=14.5,signon=0.5")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="admin database URL")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite and the bare app")
    parser.add_argument("--no-limits", action="store_true", help="limits at 0 (not counted)")
    parser.add_argument(
        "--scenarios", default="nothing-new,one-change,workers,mixed", help="comma-separated"
    )
    parser.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting for every server, e.g. TASKHAVEN_REDIS_URL=redis://127.0.0.1:6379/0",
    )
    parser.add_argument("--quick", action="store_true", help="a smoke run of a few seconds")
    parser.add_argument("--json", type=Path, help="also write every run's figures here")
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.rounds, args.users = min(args.seconds, 1.0), 1, 2
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (apt-get install wrk)")
    report: list[str] = []
    runs: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        logs = tmp / "logs"
        logs.mkdir()
        with ExitStack() as stack:
            run_all(args, tmp, logs, stack, report, runs)
        errors = server_errors(logs)
    print("\n".join(report))
    if errors:
        print("Server errors during the run:\n" + "\n".join(errors[:40]))
    if args.json:
        args.json.write_text(json.dumps(runs, default=lambda run: run.__dict__, indent=1))
    return 1 if errors else 0


def run_all(
    args: argparse.Namespace,
    tmp: Path,
    logs: Path,
    stack: ExitStack,
    report: list[str],
    runs: dict[str, Any],
) -> None:
    """Start every server, set up the accounts, run the scenarios; append to ``report``."""
    scenarios = set(args.scenarios.split(","))
    cores = os.cpu_count() or 1
    pinned = cores >= 2
    env = server_env(tmp, args)
    sqlite = Server("sqlite", free_port(), f"sqlite:///{tmp / 'load.db'}")
    targets = [sqlite]
    database_pids: dict[str, Any] = {"sqlite": None}
    if not args.no_postgres:
        pg_url, pg_pids = stack.enter_context(postgres_database(args.postgres))
        targets += [
            Server("postgresql", free_port(), pg_url),
            Server("postgresql x2", free_port(), pg_url, workers=2),
        ]
        database_pids |= {"postgresql": pg_pids, "postgresql x2": pg_pids}
    bare = Server("bare Starlette", free_port(), None)
    bodies_file = tmp / "bare-bodies.json"
    stack.enter_context(started([*targets, bare], env, logs, bodies_file))
    accounts: dict[str, Accounts] = {}
    bodies: dict[str, str] = {}
    for target in targets:
        if target.workers == 1:
            accounts[target.database_url or ""] = setup_accounts(
                target.url, args.users, 10 if args.quick else 100
            )
        acc = accounts[target.database_url or ""]
        for body in (acc.quiet, acc.one_change):
            token = body.split("&", 1)[0].removeprefix("token=")
            bodies[token] = answer(target.url, body)
    # The bare app reads this at its first sync request, which comes after this point.
    bodies_file.write_text(json.dumps(bodies))
    singles = [t for t in targets if t.workers == 1]
    report += [
        f"Load test: {args.seconds:g} s per run, {args.rounds} rounds, {cores} CPUs"
        f" (pinned: server on CPU {SERVER_CPU}, generator on CPU {GENERATOR_CPU})"
        if pinned
        else f"Load test: {args.seconds:g} s per run, {args.rounds} rounds, 1 CPU",
        "",
        "Limits: "
        + ("off (0: not counted)" if args.no_limits else f"{LIFTED}/min (counted, never reached)")
        + "; workers: "
        + ("taskhaven serve --workers" if cli_has_workers(env) else "SO_REUSEPORT processes")
        + "".join(f"; {setting}" for setting in args.server_env),
        "",
    ]

    def wrk_on(target: Server, body: str, pin_it: bool) -> Any:
        acc = database_pids.get(target.name)
        # Warm-up, not counted: every worker process's first requests fill its caches
        # (statements, connections), and a second worker has not served any yet.
        run_wrk(target, [body], WARM_UP_SECONDS, tmp, pin_it, acc)
        return lambda: run_wrk(target, [body], args.seconds, tmp, pin_it, acc)

    for scenario, attr in (("nothing-new", "quiet"), ("one-change", "one_change")):
        if scenario not in scenarios:
            continue
        for target in singles:
            body = getattr(accounts[target.database_url or ""], attr)
            pairs = alternate(args.rounds, wrk_on(target, body, pinned), wrk_on(bare, body, pinned))
            runs[f"{scenario} {target.name}"] = pairs
            report += pair_table(
                f"{scenario}: taskhaven on {target.name} vs bare Starlette (wrk -t2 -c16)",
                pairs,
                target.name,
                "bare",
            )
    if "workers" in scenarios and not args.no_postgres:
        one, two = targets[1], targets[2]
        body = accounts[one.database_url or ""].quiet
        pairs = alternate(args.rounds, wrk_on(one, body, False), wrk_on(two, body, False))
        runs["workers"] = pairs
        report += workers_table(pairs, cores)
    if "mixed" in scenarios:
        mixed: list[Run] = []
        files: dict[str, Path] = {}
        for target in targets:
            key = target.database_url or ""
            if key not in files:
                files[key] = tmp / f"users-{len(files)}.json"
                files[key].write_text(json.dumps(accounts[key].users))
        for _round in range(args.rounds):
            order = targets if _round % 2 == 0 else list(reversed(targets))
            mixed += [
                run_mixed(
                    target,
                    files[target.database_url or ""],
                    args.seconds,
                    args.connections,
                    args.weights,
                    database_pids.get(target.name),
                )
                for target in order
            ]
        runs["mixed"] = mixed
        report += mixed_table(mixed, args.weights)


if __name__ == "__main__":
    sys.exit(main())
