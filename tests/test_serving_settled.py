"""A server process freezes what it built before serving (``serving.settled``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_settled_freezes_the_heap_and_hands_the_app_back() -> None:
    # In a process of its own: freezing this test process would keep its garbage alive.
    code = (
        "import gc\n"
        "from taskhaven import serving\n"
        "marker = object()\n"
        "assert gc.get_freeze_count() == 0\n"
        "assert serving.settled(marker) is marker\n"
        "assert gc.get_freeze_count() > 1000, gc.get_freeze_count()\n"
        "assert gc.get_count()[0] < 100\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)  # noqa: S603
    assert done.returncode == 0, done.stderr


def test_a_worker_process_app_comes_settled(tmp_path: Path) -> None:
    code = (
        "import gc\n"
        "from taskhaven import serving\n"
        "app = serving.worker_app()\n"
        "assert gc.get_freeze_count() > 1000, gc.get_freeze_count()\n"
    )
    env = {
        **os.environ,
        "TASKHAVEN_DATA_DIR": str(tmp_path),
        "TASKHAVEN_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
        "TASKHAVEN_SECRET_KEY": "settled-test-key",
    }
    done = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
