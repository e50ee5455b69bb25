"""The fuzz table cannot fall behind the code: every command type, Sync API call and
V1/V2 route is in it, and so is every argument name the command modules read."""

from __future__ import annotations

import importlib
import inspect
import re

from starlette.routing import Route as StarletteRoute

from taskhaven.api.ticktick.v1.routes import routes as v1_routes
from taskhaven.api.ticktick.v2.routes import routes as v2_routes
from taskhaven.api.todoist.v6.commands import COMMANDS
from taskhaven.api.todoist.v6.routes import HANDLERS
from tests.fuzz.table import PLAIN_CALLS, SYNC_COMMANDS, V1_ROUTES, V2_NOT_FUZZED, V2_ROUTES

# ``args.text("name")``, ``args.get("name")``, ``_present(args, "name")``, ``"name" in args``.
_READS = re.compile(r'args\.\w+\(\s*"(\w+)"|_present\(args, "(\w+)"\)|"(\w+)" in args\b')


def test_every_command_type_is_fuzzed() -> None:
    assert set(COMMANDS) == set(SYNC_COMMANDS)


def test_every_argument_a_command_module_reads_is_fuzzed() -> None:
    modules = {handler.__module__ for handler in COMMANDS.values()}
    fuzzed = {name for names in SYNC_COMMANDS.values() for name in names}
    missing = set()
    for module in modules:
        source = inspect.getsource(importlib.import_module(module))
        read = {a or b or c for a, b, c in _READS.findall(source)}
        missing |= read - fuzzed
    assert not missing, f"arguments no fuzz table entry names: {sorted(missing)}"


def test_every_sync_api_call_is_fuzzed() -> None:
    assert set(HANDLERS) == set(PLAIN_CALLS)


def _routes(found: list[object]) -> set[tuple[str, str]]:
    out = set()
    for route in found:
        if isinstance(route, StarletteRoute):
            for method in (route.methods or set()) - {"HEAD"}:
                out.add((method, route.path))
    return out


def test_every_v2_route_is_fuzzed() -> None:
    fuzzed = {(r.method, r.path_template) for r in V2_ROUTES}
    served = {(m, p) for m, p in _routes(v2_routes()) if p not in V2_NOT_FUZZED}
    assert served == fuzzed


def test_every_v1_route_is_fuzzed() -> None:
    assert _routes(v1_routes()) == {(r.method, r.path_template) for r in V1_ROUTES}
