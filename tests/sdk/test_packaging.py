"""The SDK installs alone: it imports nothing beyond its distribution's dependencies."""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

import taskhaven.sdk

ROOT = Path(__file__).parent.parent.parent
SDK = Path(taskhaven.sdk.__file__).parent
# Import names of the distributions sdk/pyproject.toml lists (and what they bring).
ALLOWED = {"httpx", "pydantic", "pydantic_core", "pydantic_settings", "email_validator", "pyotp"}
OPTIONAL = {"keyring"}  # the `keyring` extra, imported only when used


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_the_sdk_imports_only_its_declared_dependencies() -> None:
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    for path in sorted(SDK.rglob("*.py")):
        foreign = imported_roots(path) - stdlib - ALLOWED - OPTIONAL - {"taskhaven"}
        assert not foreign, f"{path.relative_to(SDK)} imports {foreign}"


def test_the_sdk_distribution_declares_them() -> None:
    project = tomllib.loads((ROOT / "sdk" / "pyproject.toml").read_text())["project"]
    names = {dep.split(">")[0].split("=")[0].replace("-", "_") for dep in project["dependencies"]}
    assert names == ALLOWED - {"pydantic_core"}
    assert (ROOT / "sdk" / "src" / "taskhaven" / "sdk").resolve() == SDK.resolve()
    assert (SDK / "py.typed").exists()
