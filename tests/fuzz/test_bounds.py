"""Every wire field of ``tests/fuzz/table.py`` has a bound, and each protocol enforces it
at its boundary: a value one character too long, or one holding NUL or a lone surrogate, is
the protocol's own error (not a 500, not a truncation), while a value of exactly the maximum
is stored and read back as sent. Runs on the database under test (PostgreSQL is where an
over-long string would otherwise fail).
"""

from __future__ import annotations

import json
import uuid
from typing import Any, get_args, get_origin

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from taskhaven.api.ticktick.codes.bounds import Fits, PerObject, field_bounds
from taskhaven.api.todoist.v6.bounds import CALL_PARAMS, COMMAND_ARGS, COMMON
from taskhaven.core import columns
from taskhaven.core.columns import Bound
from tests.fuzz.conftest import Account
from tests.fuzz.table import PLAIN_CALLS, SYNC_COMMANDS, V1_ROUTES, V2_ROUTES, Route
from tests.v2.clients import BROWSER

_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


# --- the tables are complete ------------------------------------------------------------------


def test_every_sync_command_argument_has_a_bound() -> None:
    missing = {
        (kind, name)
        for kind, names in SYNC_COMMANDS.items()
        for name in names
        if name not in COMMAND_ARGS.get(kind, {})
    }
    assert not missing, sorted(missing)


def test_every_sync_call_parameter_has_a_bound() -> None:
    missing = {
        (call, name)
        for call, names in PLAIN_CALLS.items()
        for name in names
        if name not in CALL_PARAMS.get(call, {}) and name not in COMMON
    }
    assert not missing, sorted(missing)


def _admits_text(annotation: Any) -> bool:
    """Whether a field's type lets a string of the client's choosing through."""
    origin = get_origin(annotation)
    if annotation is str:
        return True
    if origin is not None and getattr(origin, "__name__", "") == "Literal":
        return False
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return False
    return any(_admits_text(arg) for arg in get_args(annotation))


def _models(routes: tuple[Route, ...]) -> set[type[BaseModel]]:
    return {route.model for route in routes if route.model is not None}


@pytest.mark.parametrize("routes", [V2_ROUTES, V1_ROUTES], ids=["v2", "v1"])
def test_every_ticktick_text_field_has_a_bound(routes: tuple[Route, ...]) -> None:
    missing = [
        f"{model.__name__}.{name}"
        for model in _models(routes)
        for name, field in model.model_fields.items()
        if _admits_text(field.annotation) and not field_bounds(field)
    ]
    assert not missing, missing


def test_v2_sign_on_fields_have_bounds() -> None:
    from taskhaven.api.ticktick.v2.user import SignOnBody, VerifyBody

    for model in (SignOnBody, VerifyBody):
        for name, field in model.model_fields.items():
            if _admits_text(field.annotation):
                assert field_bounds(field), f"{model.__name__}.{name}"


def _all_bounds() -> list[Bound]:
    found = [b for fields in COMMAND_ARGS.values() for b in fields.values()]
    found += [b for fields in CALL_PARAMS.values() for b in fields.values()]
    for model in _models(V1_ROUTES) | _models(V2_ROUTES):
        for field in model.model_fields.values():
            found += [fits.bound for fits in field_bounds(field)]
    return found


# Text columns no wire field is stored in as it was sent: the server writes them.
SERVER_WRITTEN = {
    ("users", "user_code"), ("users", "api_token_digest"), ("projects", "kind"),
    ("projects", "view_mode"), ("project_groups", "view_mode"), ("items", "kind"),
    ("labels", "sort_type"), ("project_members", "state"), ("live_notifications", "kind"),
    ("live_notifications", "state"), ("uploads", "purpose"), ("uploads", "address"),
    ("sessions", "token_digest"), ("sessions", "address"), ("sessions", "user_agent"),
    ("mfa_challenges", "auth_digest"), ("rate_counters", "key"), ("oauth_apps", "client_id"),
    ("oauth_apps", "name"), ("oauth_apps", "secret_digest"), ("oauth_codes", "code_digest"),
    ("oauth_codes", "redirect_uri"), ("oauth_codes", "scope"), ("oauth_codes", "code_challenge"),
    ("oauth_codes", "code_challenge_method"), ("oauth_tokens", "token_digest"),
    ("oauth_tokens", "scope"), ("command_results", "uuid"), ("command_results", "temp_id"),
    ("temp_ids", "temp_id"), ("departures", "kind"),
    # Colours are stored as the #rrggbb they are normalised to; the wire's text is COLOUR.
    ("projects", "color"), ("labels", "color"), ("filters", "color"),
}  # fmt: skip


def test_every_text_column_is_reached_only_through_a_bounded_field() -> None:
    """Each text column of the schema has a length (``columns.lengths``) and is either named
    by a wire field's bound or written by the server; ``oid`` columns share one bound."""
    reached = {b.column for b in _all_bounds() if b.column is not None}
    oid_lengths = {n for (_t, c), n in columns.lengths().items() if c == "oid"}
    assert oid_lengths == {columns.length("items", "oid")}
    reached |= {key for key in columns.lengths() if key[1] == "oid"}
    for key in columns.lengths():
        assert key in reached or key in SERVER_WRITTEN, f"{key} is reached by no bounded field"


def test_a_bound_naming_a_column_is_that_columns_length() -> None:
    for bound in _all_bounds():
        if bound.column is not None:
            assert bound.limit == columns.length(*bound.column), bound


# --- the Sync API refuses over-long and unstorable values ----------------------------------


def _bad(limit: int) -> st.SearchStrategy[str]:
    """One character too many, or a short value holding NUL or a lone surrogate."""
    return st.one_of(
        st.just("a" * (limit + 1)),
        st.sampled_from(["\x00", "a\x00b", "\ud800", "x\udfff"]),
    )


def _sync(account: Account, commands: list[dict[str, Any]]) -> Any:
    for cmd in commands:
        cmd.setdefault("uuid", str(uuid.uuid4()))
    form = {"token": account.token, "commands": json.dumps(commands)}
    response = account.send("POST", "/API/v6/sync", data=form)
    assert response.status_code == 200, response.text[:300]
    return response.json()


_COMMAND_FIELDS = sorted((k, n) for k, names in SYNC_COMMANDS.items() for n in names)


def test_sync_command_arguments_refuse_values_over_their_bound(target: Account) -> None:
    @_SETTINGS
    @given(field=st.sampled_from(_COMMAND_FIELDS), data=st.data())
    def run(field: tuple[str, str], data: st.DataObject) -> None:
        kind, name = field
        value = data.draw(_bad(COMMAND_ARGS[kind][name].limit))
        cmd = {"type": kind, "uuid": str(uuid.uuid4()), "args": {name: value}}
        # ensure_ascii: a lone surrogate must reach the server as the escape JSON allows.
        form = {"token": target.token, "commands": json.dumps([cmd])}
        response = target.send("POST", "/API/v6/sync", data=form)
        if "\ud800" <= max(value) <= "\udfff" or "\x00" in value:
            # orjson refuses a lone surrogate as JSON; NUL fails the command alone.
            assert response.status_code in (200, 400), response.text[:300]
            if response.status_code == 400:
                assert response.json()["error_code"] == 37
                return
        else:
            assert response.status_code == 200, response.text[:300]
        status = response.json()["SyncStatus"][cmd["uuid"]]
        assert isinstance(status, dict) and status["error_code"] == 16, status

    run()


_CALL_FIELDS = sorted((c, n) for c, names in PLAIN_CALLS.items() for n in names if "{" not in c)


def test_sync_call_parameters_refuse_values_over_their_bound(target: Account) -> None:
    @_SETTINGS
    @given(field=st.sampled_from(_CALL_FIELDS), data=st.data())
    def run(field: tuple[str, str], data: st.DataObject) -> None:
        call, name = field
        bound = CALL_PARAMS[call].get(name) or COMMON[name]
        if bound.limit > 10 * 1024 * 1024:
            return  # bounded by the body limit, not a column (``columns.DOCUMENT``)
        value = data.draw(st.one_of(st.just("a" * (bound.limit + 1)), st.just("a\x00b")))
        form = {"token": target.token, name: value}
        response = target.send("POST", f"/API/v6/{call}", data=form)
        assert response.status_code == 400, (call, name, response.text[:300])
        body = response.json()
        assert body["error_code"] == 16 and name in body["error"], body

    run()


# --- values of exactly the maximum are kept as sent ----------------------------------------

_PIECES = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), max_size=12
)


def _at_limit(piece: str, limit: int) -> str:
    """``piece`` padded to exactly ``limit`` characters (no edge whitespace to strip)."""
    return ("a" + piece + "b" * limit)[:limit]


# (command, argument, sync key of the object, key the value is read back under)
_V6_ROUND_TRIPS = [
    ("project_add", "name", "Projects", "name", {}),
    ("item_add", "content", "Items", "content", {}),
    ("note_add", "content", "Notes", "content", {"item_id": "ITEM"}),
    ("filter_add", "name", "Filters", "name", {"query": "p1"}),
    ("filter_add", "query", "Filters", "query", {"name": "f"}),
]


@pytest.mark.parametrize("case", _V6_ROUND_TRIPS, ids=lambda c: f"{c[0]}.{c[1]}")
def test_sync_api_keeps_a_value_of_exactly_the_maximum(target: Account, case: Any) -> None:
    kind, name, key, field, extra = case
    limit = COMMAND_ARGS[kind][name].limit

    @settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
    @given(piece=_PIECES)
    def run(piece: str) -> None:
        value = _at_limit(piece, limit)
        args = {k: target.ids["item"] if v == "ITEM" else v for k, v in extra.items()}
        cmd = {"type": kind, "temp_id": str(uuid.uuid4()), "args": {**args, name: value}}
        answer = _sync(target, [cmd])
        assert answer["SyncStatus"][cmd["uuid"]] == "ok", answer["SyncStatus"]
        new_id = answer["TempIdMapping"][cmd["temp_id"]]
        full = target.send(
            "POST",
            "/API/v6/sync",
            data={"token": target.token, "seq_no": 0, "resource_types": '["all"]'},
        ).json()
        row = next(r for r in full[key] if r["id"] == new_id)
        assert row[field] == value

    run()


# --- TickTick V2 and V1 -----------------------------------------------------------------------


def _text_fields(route: Route) -> list[tuple[str, Fits]]:
    assert route.model is not None
    out = []
    for name, field in route.model.model_fields.items():
        found = field_bounds(field)
        if found and _admits_text(field.annotation):
            out.append((field.alias or name, found[0]))
    return out


_WIRE_FIELDS = [
    (version, route, name, fits)
    for version, routes in (("v2", V2_ROUTES), ("v1", V1_ROUTES))
    for route in routes
    if route.model is not None
    for name, fits in _text_fields(route)
]


def _place(route: Route, fields: dict[str, Any]) -> Any:
    body: Any = fields
    for step in reversed(route.body):
        body = [body] if isinstance(step, int) else {step: body}
    return body


def _send(account: Account, version: str, method: str, path: str, body: Any) -> Any:
    if version == "v2":
        prefix, headers = "/api/v2", {**BROWSER, "Cookie": f"t={account.cookie}"}
    else:
        prefix, headers = "/open/v1", {"Authorization": f"Bearer {account.bearer}"}
    path = path.replace("{project_id}", account.oids["project"]).replace(
        "{task_id}", account.oids["task"]
    )
    return account.send(
        method,
        prefix + path,
        content=json.dumps(body),
        headers={**headers, "Content-Type": "application/json"},
    )


def _listed(value: str, route: Route, name: str) -> Any:
    """The value as its field takes it: a list element for the list fields."""
    assert route.model is not None
    field = next(f for n, f in route.model.model_fields.items() if (f.alias or n) == name)
    return [value] if "list[" in str(field.annotation) else value


def _required(route: Route, account: Account, target: str) -> dict[str, Any]:
    """Plausible values for the fields the model requires, so the one aimed at is the
    request's only fault."""
    assert route.model is not None
    plausible = {"id": "0123456789abcdef01234567", "taskId": account.oids["task"],
                 "projectId": account.oids["project"], "trigger": "TRIGGER:-PT0S",
                 "title": "x", "name": "x", "newName": "y"}  # fmt: skip
    return {
        (f.alias or n): plausible[f.alias or n]
        for n, f in route.model.model_fields.items()
        if f.is_required() and (f.alias or n) != target
    }


def test_ticktick_fields_refuse_values_over_their_bound(target: Account) -> None:
    @_SETTINGS
    @given(case=st.sampled_from(_WIRE_FIELDS), long=st.booleans())
    def run(case: tuple[str, Route, str, Fits], long: bool) -> None:
        version, route, name, fits = case
        value = "a" * (fits.bound.limit + 1) if long else "a\x00b"
        fields = {**_required(route, target, name), name: _listed(value, route, name)}
        body = _place(route, fields)
        response = _send(target, version, route.method, route.path_template, body)
        assert response.status_code < 500, response.text[:300]
        answer = response.json()
        if response.status_code == 200:
            # A V2 batch judges each object alone: the object's id2error says it.
            assert isinstance(fits, PerObject) and long, (route.name, name, answer)
            assert list(answer["id2error"].values()) == ["INVALID_PARAMETER"], answer
            return
        assert response.status_code == 400, (route.name, name, answer)
        assert answer["errorCode"] in ("invalid_parameter", "param_error"), answer
        if long:
            assert name in answer["errorMessage"], answer
            assert "characters" in answer["errorMessage"], answer

    run()


# (route's body key, field, bound, where the object comes back in batch/check, its key)
_V2_ROUND_TRIPS = [
    ("/batch/project", "name", ("projects", "name"), "projectProfiles", "name"),
    ("/batch/task", "title", ("items", "content"), "syncTaskBean", "title"),
    ("/batch/task", "desc", ("items", "description"), "syncTaskBean", "desc"),
    ("/batch/projectGroup", "name", ("project_groups", "name"), "projectGroups", "name"),
]


@pytest.mark.parametrize("case", _V2_ROUND_TRIPS, ids=lambda c: f"{c[0]}.{c[1]}")
def test_v2_keeps_a_value_of_exactly_the_maximum(target: Account, case: Any) -> None:
    path, name, column_key, where, key = case
    limit = columns.length(*column_key)

    @settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck))
    @given(piece=_PIECES)
    def run(piece: str) -> None:
        value = _at_limit(piece, limit)
        oid = uuid.uuid4().hex[:24]
        fields: dict[str, Any] = {"id": oid, name: value}
        if path == "/batch/task":
            fields["projectId"] = target.oids["project"]
            fields["kind"] = "CHECKLIST"  # a task shows ``desc`` only as a checklist
        answer = _send(target, "v2", "POST", path, {"add": [fields]})
        assert answer.status_code == 200 and oid in answer.json()["id2etag"], answer.text[:300]
        check = target.send(
            "GET",
            "/api/v2/batch/check/0",
            headers={**BROWSER, "Cookie": f"t={target.cookie}"},
        ).json()
        found = check[where]["update"] if where == "syncTaskBean" else check[where]
        row = next(r for r in found if r["id"] == oid)
        assert row[key] == value

    run()
