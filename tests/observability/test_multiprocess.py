"""Several worker processes, one ``PROMETHEUS_MULTIPROC_DIR``: a scrape adds them up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from taskhaven.observability import metrics

WORKER = """
from taskhaven.observability import metrics
for _ in range({n}):
    metrics.observe_request("GET", "/API/v6/sync", 200, 0.004)
metrics.observe_commands({{"item_add"}}, [{{"type": "item_add", "uuid": "u"}}], {{"u": "ok"}})
print(metrics.exposition().decode().count("taskhaven_http_requests_total"))
"""


def _worker(directory: Path, n: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    env[metrics.MULTIPROC_ENV] = str(directory)
    code = WORKER.format(n=n)
    return subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
        [sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True
    )


def _value(text: str, name: str, **labels: str) -> float:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    return 0.0


def test_two_processes_writing_one_directory_are_added_up(tmp_path: Path) -> None:
    directory = tmp_path / "prom"
    directory.mkdir()
    workers = [_worker(directory, 3), _worker(directory, 4)]
    for worker in workers:
        out, _ = worker.communicate(timeout=60)
        assert worker.returncode == 0
        assert int(out.strip()) >= 1  # each saw a scrape of the shared directory
    assert len(list(directory.glob("*.db"))) >= 2  # one set of files per process
    text = metrics.exposition(str(directory)).decode()
    labels = {"method": "GET", "route": "/API/v6/sync", "status": "200"}
    assert _value(text, "taskhaven_http_requests_total", **labels) == 7
    count = "taskhaven_http_request_duration_seconds_count"
    assert _value(text, count, route="/API/v6/sync") == 7
    commands = {"type": "item_add", "outcome": "ok"}
    assert _value(text, "taskhaven_sync_commands_total", **commands) == 2


def test_a_new_run_starts_from_an_empty_directory(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    directory = tmp_path / "prom"
    directory.mkdir()
    _worker(directory, 1).communicate(timeout=60)
    (directory / "notes.txt").write_text("kept")
    monkeypatch.setenv(metrics.MULTIPROC_ENV, str(directory))
    metrics.prepare_multiprocess_dir()
    assert [p.name for p in directory.iterdir()] == ["notes.txt"]
    text = metrics.exposition(str(directory)).decode()
    assert "taskhaven_http_requests_total{" not in text
