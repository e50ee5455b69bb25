"""The real server with ``log_format = "json"``: every line is one JSON object with the
request's id, and no token or password sent in a query string or a form appears."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.conftest import new_email
from tests.servers import free_port, fresh_database

PASSWORD = "pw-in-the-form-Zq81"
WRONG = "pw-in-the-query-Xy42"


def _serve(url: str, tmp: Path, port: int) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(sys.path),
        "TASKHAVEN_LOG_FORMAT": "json",
        "TASKHAVEN_DATA_DIR": str(tmp / "data"),
        "TASKHAVEN_SECRET_KEY": "json-log-test-key",
        "TASKHAVEN_ARGON2_TIME_COST": "1",
        "TASKHAVEN_ARGON2_MEMORY_COST": "8",
        "TASKHAVEN_ARGON2_PARALLELISM": "1",
    }
    command = [sys.executable, "-c", "from taskhaven.cli import app; app()", "serve"]
    return subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
        [*command, "--port", str(port), "--database", url],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def test_json_log_lines_carry_request_ids_and_no_secret(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    email = new_email()
    with fresh_database(tmp_path) as url:
        server = _serve(url, tmp_path, port)
        try:
            _wait(base)
            registered = httpx.post(
                base + "/API/v6/register",
                data={"email": email, "full_name": "J", "password": PASSWORD},
            )
            token = registered.json()["token"]
            synced = httpx.get(base + "/API/v6/sync", params={"token": token, "seq_no": 0})
            refused = httpx.get(
                base + "/API/v6/login",
                params={"email": email, "password": WRONG},
                headers={"X-Request-Id": "login-from-query"},
            )
            assert (registered.status_code, synced.status_code, refused.status_code) == (
                200,
                200,
                401,
            )
        finally:
            server.send_signal(signal.SIGINT)
            _out, err = server.communicate(timeout=30)
    lines = [json.loads(line) for line in err.splitlines() if line.strip()]  # all JSON
    assert lines
    for secret in (PASSWORD, WRONG, token):
        assert secret not in err
    by_id: dict[str, list[dict[str, object]]] = {}
    for line in lines:
        assert {"time", "level", "logger", "message", "request_id"} <= line.keys()
        by_id.setdefault(str(line["request_id"]), []).append(line)
    for answer in (registered, synced):
        access = [
            x for x in by_id[answer.headers["x-request-id"]] if x["logger"] == "uvicorn.access"
        ]
        assert len(access) == 1 and access[0]["status"] == answer.status_code
    login_lines = by_id["login-from-query"]
    assert {x["logger"] for x in login_lines} == {"taskhaven.core.signon", "uvicorn.access"}
    access = next(x for x in login_lines if x["logger"] == "uvicorn.access")
    assert access["path"] == f"/API/v6/login?email={email.replace('@', '%40')}&password=***"
