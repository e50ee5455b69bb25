"""Hostile values for every field of ``tests/fuzz/table.py``, in-process, on the database
under test: no answer is a 5xx, every refusal is the protocol's error object, and the
database passes its integrity and invariant checks afterwards.

The budget is ``TASKHAVEN_FUZZ_EXAMPLES`` examples per protocol surface (default 150);
the run prints it with the number of requests sent (``pytest -rA`` or the summary line).
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import new_email
from tests.fuzz import hostile
from tests.fuzz.conftest import Account
from tests.fuzz.table import (
    ID_LIST_NAMES,
    ID_NAMES,
    PLAIN_CALLS,
    SYNC_COMMANDS,
    V1_ROUTES,
    V2_ROUTES,
    Route,
)
from tests.servers import database_kind
from tests.v2.clients import BROWSER

EXAMPLES = int(os.environ.get("TASKHAVEN_FUZZ_EXAMPLES", "150"))
V6_ERROR = {"error_code", "error"}
TICKTICK_ERROR = {"errorId", "errorCode", "errorMessage", "data"}


# --- plausible values, so hostile ones reach past the first check -----------------------------

_KIND_OF_ID = {"item_id": "item", "parent_id": "item", "project_id": "project",
               "to_project": "project", "label_id": "label", "note_id": "note",
               "filter_id": "filter", "reminder_id": "reminder", "notify_uid": "user",
               "responsible_uid": "user", "assigned_by_uid": "user", "last_id": "note"}  # fmt: skip
_PLAIN = st.sampled_from(["x", 1, 0, True, "tomorrow", "2030-01-01T10:00", "Europe/Rome", "p1"])


def plausible(name: str, account: Account) -> st.SearchStrategy[Any]:
    ids = account.ids
    if name in ID_NAMES:
        kind = _KIND_OF_ID.get(name)
        return st.just(ids[kind]) if kind else st.sampled_from(sorted(ids.values()))
    if name in ID_LIST_NAMES:
        return st.sampled_from([[ids["item"]], [ids["project"]], [ids["label"]], [ids["user"]]])
    if name == "project_items":
        return st.just({str(ids["project"]): [ids["item"]]})
    if name in ("ids_to_orders_indents",):
        return st.just({str(ids["item"]): [1, 1], str(ids["project"]): [1, 1]})
    if name in ("id_order_mapping", "ids_to_orders"):
        return st.just({str(ids["label"]): 1, str(ids["filter"]): 1, str(ids["item"]): 1})
    if name == "ids_to_metas":
        return st.just({str(ids["completed"]): {"is_archived": 0, "in_history": 0,
                                                "item_order": 1}})  # fmt: skip
    return _PLAIN


def plausible_wire(name: str, account: Account) -> st.SearchStrategy[Any]:
    """For V1 and V2 fields (camelCase names, string ids)."""
    oids = account.oids
    if name in ("id", "taskId", "parentId", "oldParentId"):
        return st.just(oids["task"])
    if name == "projectId":
        return st.sampled_from([oids["project"], oids["inbox"]])
    return st.sampled_from(
        ["x", 1, 0, True, "2030-01-01T10:00:00.000+0000", "Europe/Rome", [], "RRULE:FREQ=DAILY"]
    )


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def fields_of(
    draw: Callable[..., Any],
    names: tuple[str, ...],
    good: Callable[[str], st.SearchStrategy[Any]],
    bad: Callable[[str], st.SearchStrategy[Any]],
) -> dict[str, Any]:
    """Some of ``names``, each plausible or hostile; at least one hostile when any."""
    chosen = draw(st.lists(st.sampled_from(names), unique=True, max_size=6)) if names else []
    if names and not chosen:
        chosen = [draw(st.sampled_from(names))]
    hostile_one = draw(st.sampled_from(chosen)) if chosen else None
    out: dict[str, Any] = {}
    for name in chosen:
        out[name] = draw(bad(name) if name == hostile_one or draw(st.booleans()) else good(name))
    return out


# --- what an answer must look like ------------------------------------------------------------


def _well_formed_status(value: Any) -> bool:
    if value == "ok":
        return True
    if isinstance(value, dict) and set(value) >= V6_ERROR:
        return isinstance(value["error_code"], int) and isinstance(value["error"], str)
    return isinstance(value, dict) and all(_well_formed_status(v) for v in value.values())


def check_answer(
    account: Account, protocol: str, response: httpx.Response, request: dict[str, Any]
) -> None:
    status = response.status_code
    assert status < 500, f"{status} for {request!r}: {response.text[:500]}"
    if status < 400:
        answer = response.json() if protocol == "v6" and "commands" in request else None
        if isinstance(answer, dict) and "SyncStatus" in answer:
            sync_status = answer["SyncStatus"]
            bad = {k: v for k, v in sync_status.items() if not _well_formed_status(v)}
            assert not bad, f"malformed SyncStatus {bad} for {request!r}"
        return
    body = response.json()
    assert isinstance(body, dict), f"{status} without an error object: {response.text[:300]}"
    if protocol == "v6":
        assert set(body) >= V6_ERROR, body
        assert isinstance(body["error_code"], int) and isinstance(body["error"], str), body
    else:
        assert set(body) >= TICKTICK_ERROR, body
        assert isinstance(body["errorCode"], str) and isinstance(body["errorMessage"], str), body


def report(account: Account, record_property: Any, surface: str, before: int) -> None:
    line = (
        f"fuzz {surface} on {database_kind().split(':')[0]}: {EXAMPLES} examples "
        f"(TASKHAVEN_FUZZ_EXAMPLES), {account.requests - before} requests"
    )
    record_property("fuzz", line)
    print(line)


_SETTINGS = settings(
    max_examples=EXAMPLES,
    suppress_health_check=list(HealthCheck),
)


# --- the Sync API -----------------------------------------------------------------------------


def test_sync_api_commands(target: Account, record_property: Any) -> None:
    account = target
    before = account.requests

    @st.composite
    def args_for(draw: Callable[..., Any], kind: str) -> dict[str, Any]:
        good = lambda name: plausible(name, account)  # noqa: E731
        return fields_of(draw, SYNC_COMMANDS[kind], good, hostile.aimed)

    @_SETTINGS
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        commands = []
        for _ in range(data.draw(st.integers(1, 3))):
            kind = data.draw(st.sampled_from(sorted(SYNC_COMMANDS)))
            args = data.draw(args_for(kind))
            cmd: dict[str, Any] = {"type": kind, "uuid": str(uuid.uuid4()), "args": args}
            if kind.endswith("_add") or data.draw(st.booleans()):
                cmd["temp_id"] = str(uuid.uuid4())
            if data.draw(st.integers(0, 5)) == 0:
                # The command's own fields: uuid, temp_id, type, args itself.
                key = data.draw(st.sampled_from(["uuid", "temp_id", "type", "args"]))
                cmd[key] = data.draw(hostile.values())
            commands.append(cmd)
        if data.draw(st.integers(0, 9)) == 0:
            commands.append(data.draw(hostile.values()))  # a command that is no object
        body = json.dumps(commands)
        form = {"token": account.token, "commands": body}
        response = account.send("POST", "/API/v6/sync", data=form)
        check_answer(account, "v6", response, {"form": form, "commands": commands})

    run()
    report(account, record_property, "Sync API commands", before)


def test_sync_api_calls(target: Account, record_property: Any) -> None:
    account = target
    before = account.requests

    @_SETTINGS
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        call = data.draw(st.sampled_from(sorted(PLAIN_CALLS)))
        names = PLAIN_CALLS[call]

        def good(name: str) -> st.SearchStrategy[Any]:
            if name == "email":
                return st.just(new_email())
            return plausible(name, account).map(
                lambda v: v if isinstance(v, str) else json.dumps(v)
            )

        @st.composite
        def params(draw: Callable[..., Any]) -> dict[str, Any]:
            return fields_of(draw, names, good, hostile.aimed_text)

        form: dict[str, Any] = {"token": account.token, **data.draw(params())}
        if data.draw(st.integers(0, 7)) == 0:
            form["token"] = data.draw(hostile.form_values())
        path = call
        if "{name}" in call:
            path = call.replace("{name}", quote(str(form.pop("name", "x")), safe="") or "x")
        short = sum(len(str(v)) for v in form.values()) < 8000  # a URL holds no more
        if short and data.draw(st.booleans()):
            response = account.send("GET", f"/API/v6/{path}", params=form)
        else:
            response = account.send("POST", f"/API/v6/{path}", data=form)
        check_answer(account, "v6", response, {"call": call, "form": form})

    run()
    report(account, record_property, "Sync API calls", before)


# --- TickTick V2 and V1 -----------------------------------------------------------------------


def _place(route: Route, fields: dict[str, Any]) -> Any:
    """The JSON body with the fuzzed object at ``route.body``."""
    if not route.body:
        return fields
    body: Any = fields
    for step in reversed(route.body):
        body = [body] if isinstance(step, int) else {step: body}
    return body


def _wire_request(
    data: st.DataObject, route: Route, account: Account
) -> tuple[str, dict[str, Any], Any]:
    @st.composite
    def body_fields(draw: Callable[..., Any]) -> dict[str, Any]:
        return fields_of(draw, route.fields, lambda n: plausible_wire(n, account), hostile.aimed)

    path = route.path_template
    for name in route.path_params:
        value = data.draw(st.one_of(st.sampled_from(list(account.oids.values())),
                                    hostile.texts()))  # fmt: skip
        # A URL holds a few kilobytes (a longer one is a client-side error in httpx).
        path = path.replace("{" + name + "}", quote(value[:2000], safe="") or "x")
    wanted = [name for name in route.query if data.draw(st.booleans())]
    query = {name: data.draw(hostile.form_values())[:2000] for name in wanted}
    body = _place(route, data.draw(body_fields())) if route.model else None
    if route.model is None and route.method in ("POST", "PUT") and data.draw(st.booleans()):
        body = data.draw(hostile.values())
    return path, query, body


def _send_json(account: Account, method: str, url: str, query: Any, body: Any, headers: Any) -> Any:
    content = None if body is None else json.dumps(body)
    return account.send(
        method,
        url,
        params=query,
        content=content,
        headers={**headers, "Content-Type": "application/json"},
    )


@pytest.mark.parametrize("version", ["v2", "v1"])
def test_ticktick(target: Account, record_property: Any, version: str) -> None:
    account = target
    before = account.requests
    if version == "v2":
        prefix, routes = "/api/v2", V2_ROUTES
        headers = {**BROWSER, "Cookie": f"t={account.cookie}"}
    else:
        prefix, routes = "/open/v1", V1_ROUTES
        headers = {"Authorization": f"Bearer {account.bearer}"}

    @_SETTINGS
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        route = data.draw(st.sampled_from(routes))
        path, query, body = _wire_request(data, route, account)
        response = _send_json(account, route.method, prefix + path, query, body, headers)
        check_answer(account, version, response, {"route": route.name, "query": query,
                                                  "body": body})  # fmt: skip

    run()
    report(account, record_property, f"TickTick {version.upper()}", before)
