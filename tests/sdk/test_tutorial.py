"""The tutorial in docs/sdk.md runs as written, twice (sign-on, then saved tokens)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from tests.conftest import PASSWORD, register
from tests.servers import RunningServer

GUIDE = Path(__file__).parent.parent.parent / "docs" / "sdk.md"


def tutorial_script() -> str:
    text = GUIDE.read_text()
    section = text[text.index("3. The script, `tasks.py`:") :]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match
    return match.group(1)


def test_the_tutorial_script_runs(
    server: RunningServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = register(server)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("TASKHAVEN_SDK_V2_USERNAME", user["email"])
    monkeypatch.setenv("TASKHAVEN_SDK_V2_PASSWORD", PASSWORD)
    monkeypatch.setenv("TASKHAVEN_SDK_V2_BASE_URL", server.url + "/api/v2/")
    monkeypatch.setenv("TASKHAVEN_SDK_SYNC_BASE_URL", server.url + "/API/v6/")
    script = tutorial_script()
    outputs = []
    for _ in range(2):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(script, "tasks.py", "exec"), {"__name__": "__main__"})  # noqa: S102
        outputs.append(out.getvalue())
    assert outputs[0].count("Write the report") == 2  # the Sync API and the V2 API
    assert outputs[1].count("Write the report") == 4  # the second run added one more
    tokens = tmp_path / ".config" / "taskhaven" / "tokens.json"
    assert tokens.stat().st_mode & 0o777 == 0o600
