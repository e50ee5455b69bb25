"""The docs police themselves: every setting, command type and endpoint is documented."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.routing import Route

from taskhaven.api.ticktick.v2.routes import routes as v2_routes
from taskhaven.api.todoist.v6.commands import COMMANDS
from taskhaven.api.todoist.v6.routes import HANDLERS
from taskhaven.settings import Settings

DOCS = Path(__file__).parent.parent / "docs"


def all_docs() -> str:
    return "\n".join(p.read_text() for p in sorted(DOCS.glob("*.md")))


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_documented(name: str) -> None:
    assert f"TASKHAVEN_{name.upper()}" in (DOCS / "running.md").read_text()


def test_every_command_type_is_documented() -> None:
    text = all_docs()
    missing = [name for name in COMMANDS if f"`{name}`" not in text]
    assert not missing, f"undocumented commands: {missing}"


def test_every_v6_call_is_documented() -> None:
    text = all_docs()
    missing = [name for name in HANDLERS if f"`{name}`" not in text]
    assert not missing, f"undocumented Sync API calls: {missing}"


def test_every_v2_endpoint_is_documented() -> None:
    text = all_docs()
    missing = []
    for route in v2_routes():
        if isinstance(route, Route):
            path = route.path.removeprefix("/").split("{")[0].rstrip("/")
            if path and path not in text:
                missing.append(route.path)
    assert not missing, f"undocumented V2 endpoints: {missing}"


def test_every_v1_endpoint_is_documented() -> None:
    from taskhaven.api.ticktick.v1.routes import routes as v1_routes

    text = (DOCS / "v1-api.md").read_text()
    missing = []
    for route in v1_routes():
        path = route.path.lstrip("/").replace("{project_id}", "{projectId}")
        path = path.replace("{task_id}", "{taskId}")
        for method in sorted((route.methods or set()) - {"HEAD"}):
            if f"`{method} {path}`" not in text:
                missing.append(f"{method} {path}")
    assert not missing, f"undocumented V1 endpoints: {missing}"


def test_every_cli_command_is_documented() -> None:
    import typer.main

    from taskhaven.cli import app

    text = (DOCS / "running.md").read_text()
    group = typer.main.get_group(app)

    def walk(command: object, prefix: str) -> list[str]:
        sub = getattr(command, "commands", None)
        if not sub:
            return [prefix]
        found: list[str] = []
        for name, child in sub.items():
            found += walk(child, f"{prefix} {name}")
        return found

    missing = [name for name in walk(group, "taskhaven") if f"`{name}" not in text]
    assert not missing, f"undocumented commands: {missing}"
