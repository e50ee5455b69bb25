"""todoist-python 0.2.26 empties its command queue when a commit is answered 429: a script
syncing more than the read limit per minute lost its writes without a word."""

from __future__ import annotations

from typing import Any

import todoist

from tests.conftest import register


def test_a_commit_is_not_refused_by_the_read_limit(make_server: Any) -> None:
    server = make_server(sync_rate_limit_per_minute=2)
    user = register(server)
    api = todoist.TodoistAPI(user["token"], api_endpoint=server.url)
    api.sync()
    api.sync()
    assert "error_code" in api.sync()  # the third read is over the limit
    api.projects.add("Kept")
    answer = api.commit()
    assert "error_code" not in answer, answer
    assert list(answer.values()) == ["ok"]


def test_writes_have_their_own_ceiling(make_server: Any) -> None:
    server = make_server(sync_rate_limit_per_minute=1, write_rate_limit_per_minute=2)
    user = register(server)
    api = todoist.TodoistAPI(user["token"], api_endpoint=server.url)
    for name in ("One", "Two"):
        api.projects.add(name)
        assert "error_code" not in api.commit()
    api.projects.add("Three")
    refused = api.commit()
    assert refused["error_code"] == 35
