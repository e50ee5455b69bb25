"""The load test (bench/load.py) runs end to end and reports every scenario it was asked for.

A smoke run, not a measurement: a second per run, SQLite only (the test database setting
does not change it), and no assertion on any figure, which a shared machine would make
flaky. What it proves: the servers start as real processes, wrk and the mixed-traffic
generator drive them, every request kind is sent and answered without an error status,
the servers log no error, and the report has its tables.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
@pytest.mark.skipif(
    os.environ.get("TASKHAVEN_TEST_DATABASE", "sqlite") != "sqlite",
    reason="runs on SQLite whatever the test database; once per make test is enough",
)
def test_quick_load_run_reports_every_scenario(tmp_path: Path) -> None:
    figures = tmp_path / "load.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(  # noqa: S603
        [
            sys.executable,
            str(ROOT / "bench" / "load.py"),
            "--quick",
            "--no-postgres",
            "--scenarios",
            "nothing-new,mixed",
            "--weights",
            "sync=40,commit=20,check=20,signon=20",
            "--json",
            str(figures),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = done.stdout
    assert "nothing-new: taskhaven on sqlite vs bare Starlette" in report
    assert "### Mixed traffic" in report
    runs = json.loads(figures.read_text())
    (ours, bare), *_rest = runs["nothing-new sqlite"]
    assert ours["server"] == "sqlite" and bare["server"] == "bare Starlette"
    assert ours["errors"] == 0 and bare["errors"] == 0
    (mixed,) = runs["mixed"]
    kinds = mixed["detail"]["kinds"]
    assert set(kinds) == {"sync", "commit", "check", "signon"}
    for kind, figures_of_kind in kinds.items():
        assert figures_of_kind["errors"] == 0, (kind, figures_of_kind)
        # Every answer the generator got was a success (no refused or failed request).
        assert all(status.startswith("2") for status in figures_of_kind["statuses"]), kind
