"""Whatever fails in between — no connection, lost answers, several at a row — every queued
command runs exactly once, in order, and the local copy ends equal to the server's."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taskhaven.sdk import OfflineSync, RetryPolicy, Settings, SyncClient, TaskhavenError, commands
from tests.conftest import PASSWORD, new_email
from tests.sdk.test_offline import Flaky
from tests.servers import RunningServer

STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(min_value=1, max_value=3)),
        st.tuples(st.just("down"), st.booleans()),
        st.tuples(st.just("lose"), st.integers(min_value=1, max_value=2)),
        st.tuples(st.just("sync"), st.just(0)),
    ),
    max_size=12,
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=STEPS)
def test_every_command_runs_once_whatever_fails(
    server: RunningServer, steps: list[tuple[str, object]]
) -> None:
    base = server.url + "/API/v6/"
    token = SyncClient.register(new_email(), "Prop", PASSWORD, base_url=base).token
    flaky = Flaky()
    client = SyncClient(Settings(sync_token=token, sync_base_url=base), transport=flaky,
                        retry=RetryPolicy(attempts=1))  # fmt: skip
    added: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        local = OfflineSync(client, Path(tmp) / "local.db")
        for step, value in steps:
            if step == "add":
                names = [f"task {len(added) + n}" for n in range(int(str(value)))]
                local.enqueue(*[commands.item_add(name) for name in names])
                added += names
            elif step == "down":
                flaky.down = bool(value)
            elif step == "lose":
                flaky.lose_answers = int(str(value))
            else:
                with contextlib.suppress(TaskhavenError):  # the queue keeps the unanswered
                    local.sync()
        flaky.down, flaky.lose_answers = False, 0
        local.sync()
        assert local.pending() == []
        assert sorted(i.content for i in local.items()) == sorted(added)
        server_side = client.sync(["items"]).items or []
        assert sorted(i.content for i in server_side) == sorted(added)
        local.close()
