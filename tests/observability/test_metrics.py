"""/metrics counts requests by route template, commands by outcome, sync sizes, refusals and
sign-on failures; its labels never carry a client's text; it is not open to everyone."""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.routing import BaseRoute, Mount, Route
from starlette.testclient import TestClient

from taskhaven.observability import metrics
from tests.conftest import PASSWORD, new_email
from tests.observability.helpers import app_client, value


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp = tmp_path_factory.mktemp("metrics")
    with app_client(tmp, sync_rate_limit_per_minute=3, signon_failures_per_account=2) as (c, _):
        yield c


def register(client: TestClient) -> tuple[str, str]:
    email = new_email()
    answer = client.post(
        "/API/v6/register", data={"email": email, "full_name": "M", "password": PASSWORD}
    )
    assert answer.status_code == 200, answer.text
    return email, answer.json()["token"]


def test_requests_are_counted_by_route_template_and_status(client: TestClient) -> None:
    name = "taskhaven_http_requests_total"
    route = "/api/v2/task/{task_id}"
    before = value(client, name, method="GET", route=route, status="401")
    for project in ("5f0c1e2d3c4b5a6978695a4b", "inbox123", "x"):
        assert client.get(f"/api/v2/task/{project}").status_code == 401
    assert value(client, name, method="GET", route=route, status="401") == before + 3
    before = value(client, name, method="GET", route="/healthz", status="200")
    client.get("/healthz")
    assert value(client, name, method="GET", route="/healthz", status="200") == before + 1
    # Latency: one observation per request, under the same template.
    count = "taskhaven_http_request_duration_seconds_count"
    before = value(client, count, route="/healthz")
    client.get("/healthz")
    assert value(client, count, route="/healthz") == before + 1


def test_unmatched_paths_and_methods_count_without_the_path(client: TestClient) -> None:
    name = "taskhaven_http_requests_total"
    before = value(client, name, method="GET", route="/api/v2/{unmatched}", status="404")
    client.get("/api/v2/no/such/thing/abc123")
    assert value(client, name, method="GET", route="/api/v2/{unmatched}", status="404") == (
        before + 1
    )
    before = value(client, name, method="other", route="{unmatched}", status="404")
    client.request("BREW", "/coffee-pot-42")
    assert value(client, name, method="other", route="{unmatched}", status="404") == before + 1


def test_commands_are_counted_by_type_and_outcome(client: TestClient) -> None:
    _email, token = register(client)
    ok = ("taskhaven_sync_commands_total", {"type": "item_add", "outcome": "ok"})
    missing = ("taskhaven_sync_commands_total", {"type": "item_update", "outcome": "21"})
    unknown = ("taskhaven_sync_commands_total", {"type": "unknown", "outcome": "17"})
    batches = ("taskhaven_sync_commands_per_request_count", {})
    before = {key[0] + str(key[1]): value(client, key[0], **key[1]) for key in (ok, missing)}
    before_unknown = value(client, unknown[0], **unknown[1])
    before_batches = value(client, batches[0])
    commands = [
        {"type": "item_add", "uuid": "c1", "temp_id": "t1", "args": {"content": "a"}},
        {"type": "item_add", "uuid": "c2", "temp_id": "t2", "args": {"content": "b"}},
        {"type": "item_update", "uuid": "c3", "args": {"id": 999999999, "content": "c"}},
        {"type": "secret-token-abc", "uuid": "c4", "args": {}},
    ]
    answer = client.post("/API/v6/sync", data={"token": token, "commands": json.dumps(commands)})
    assert answer.status_code == 200, answer.text
    assert answer.json()["SyncStatus"]["c3"]["error_code"] == 21
    assert value(client, ok[0], **ok[1]) == before[ok[0] + str(ok[1])] + 2
    assert value(client, missing[0], **missing[1]) == before[missing[0] + str(missing[1])] + 1
    assert value(client, unknown[0], **unknown[1]) == before_unknown + 1
    assert value(client, batches[0]) == before_batches + 1
    assert "secret-token-abc" not in client.get("/metrics").text


def test_sync_sizes_are_observed_for_full_and_incremental_reads(client: TestClient) -> None:
    _email, token = register(client)
    full_sum = "taskhaven_sync_objects_sum"
    full_before = value(client, full_sum, sync="full")
    incr_count_before = value(client, "taskhaven_sync_objects_count", sync="incremental")
    incr_sum_before = value(client, full_sum, sync="incremental")
    first = client.post(
        "/API/v6/sync", data={"token": token, "seq_no": "0", "resource_types": '["all"]'}
    ).json()
    returned = sum(len(v) for v in first.values() if isinstance(v, list))
    assert returned >= 1  # the Inbox at least
    assert value(client, full_sum, sync="full") == full_before + returned
    client.post(
        "/API/v6/sync",
        data={"token": token, "seq_no": str(first["seq_no"]), "resource_types": '["items"]'},
    )
    assert value(client, "taskhaven_sync_objects_count", sync="incremental") == (
        incr_count_before + 1
    )
    assert value(client, full_sum, sync="incremental") == incr_sum_before  # nothing changed


def test_rate_limit_refusals_are_counted_by_limit(client: TestClient) -> None:
    _email, token = register(client)
    before = value(client, "taskhaven_rate_limit_refusals_total", limit="v6-sync")
    answers = [client.post("/API/v6/sync", data={"token": token}) for _ in range(5)]
    refused = sum(a.status_code == 429 for a in answers)
    assert refused == 2  # three reads a minute are allowed
    assert value(client, "taskhaven_rate_limit_refusals_total", limit="v6-sync") == (
        before + refused
    )


def test_signon_failures_and_their_throttle_are_counted(client: TestClient) -> None:
    email, _token = register(client)
    failures = ("taskhaven_signon_failures_total", {"reason": "password"})
    refusals = ("taskhaven_rate_limit_refusals_total", {"limit": "signon-account"})
    before = value(client, failures[0], **failures[1])
    before_refused = value(client, refusals[0], **refusals[1])
    codes = [
        client.post("/API/v6/login", data={"email": email, "password": "wrong-pw"}).status_code
        for _ in range(3)
    ]
    assert codes[:2] != [200, 200] and codes[2] == 429, codes
    assert value(client, failures[0], **failures[1]) == before + 2
    assert value(client, refusals[0], **refusals[1]) == before_refused + 1


def _templates(routes: list[BaseRoute], prefix: str = "") -> set[str]:
    found = {prefix + "/{unmatched}"} if prefix else {"{unmatched}"}
    for route in routes:
        if isinstance(route, Mount):
            found |= _templates(route.routes, prefix + route.path) or set()
            if not route.routes:
                found.add(prefix + route.path + "/{path}")
        elif isinstance(route, Route):
            found.add(prefix + route.path)
    return found


_SEGMENT = st.text(string.ascii_letters + string.digits + "-_.~%", min_size=1, max_size=30)
_PREFIXES = st.sampled_from(
    ["", "/API/v6", "/api/v6", "/api/v2", "/api/v2/task", "/open/v1/project", "/oauth", "/web"]
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=_PREFIXES, segments=st.lists(_SEGMENT, min_size=1, max_size=4))
def test_labels_are_route_templates_never_path_text(
    client: TestClient, prefix: str, segments: list[str]
) -> None:
    path = prefix + "/" + "/".join(segments)
    client.get(path)
    text = client.get("/metrics").text
    allowed = _templates(client.app.routes)  # type: ignore[attr-defined]
    for route in re.findall(r'route="([^"]*)"', text):
        assert route in allowed, (path, route)


def test_metrics_answer_loopback_only_unless_a_token_is_set(tmp_path: Path) -> None:
    with app_client(tmp_path) as (_client, app):
        with TestClient(app, client=("203.0.113.9", 4000)) as remote:
            assert remote.get("/metrics").status_code == 403
        with TestClient(app, client=("::1", 4000)) as local:
            assert local.get("/metrics").status_code == 200
    with app_client(tmp_path / "t", metrics_token="scrape-me") as (_client, app):
        with TestClient(app, client=("203.0.113.9", 4000)) as remote:
            assert remote.get("/metrics").status_code == 401
            bad = {"Authorization": "Bearer nope"}
            assert remote.get("/metrics", headers=bad).status_code == 401
            good = {"Authorization": "Bearer scrape-me"}
            answer = remote.get("/metrics", headers=good)
            assert answer.status_code == 200
            assert answer.headers["content-type"].startswith("text/plain")
        # With a token, loopback needs it too: one rule, whatever the proxy in front does.
        with TestClient(app, client=("127.0.0.1", 4000)) as local:
            assert local.get("/metrics").status_code == 401


def test_a_command_on_several_ids_counts_as_its_first_failure() -> None:
    before = samples_value("item_delete", "21")
    metrics.observe_commands(
        {"item_delete"},
        [{"type": "item_delete", "uuid": "u"}],
        {"u": {"1": "ok", "2": {"error_code": 21, "error": "Item not found"}}},
    )
    assert samples_value("item_delete", "21") == before + 1


def samples_value(kind: str, outcome: str) -> float:
    labels = {"type": kind, "outcome": outcome}
    return metrics.REGISTRY.get_sample_value("taskhaven_sync_commands_total", labels) or 0.0
