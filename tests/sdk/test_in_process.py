"""The transport seam: the async clients drive the app in-process through
`httpx.ASGITransport`, on the same backend as the running server (no sockets)."""

from __future__ import annotations

import asyncio

import httpx

from taskhaven.app import create_app
from taskhaven.sdk import AsyncSyncClient, AsyncV2Client, Settings, commands
from tests.conftest import PASSWORD, register
from tests.servers import RunningServer


def test_async_clients_over_asgi(server: RunningServer) -> None:
    app = create_app(server.backend.settings, server.backend)
    user = register(server)
    base = "http://in-process"
    v2_token = Settings(
        v2_username=user["email"], v2_password=PASSWORD, v2_base_url=server.url + "/api/v2/"
    ).v2_token
    settings = Settings(
        sync_token=user["token"], sync_base_url=base + "/API/v6/",
        v2_token=v2_token, v2_base_url=base + "/api/v2/",
    )  # fmt: skip

    async def scenario() -> tuple[list[str], list[str]]:
        transport = httpx.ASGITransport(app=app)
        async with AsyncSyncClient(settings, transport=transport) as sync:
            await sync.commit([commands.item_add("in process")])
            items = [i.content for i in (await sync.sync(["items"])).items or []]
        async with AsyncV2Client(settings, transport=httpx.ASGITransport(app=app)) as v2:
            tasks = [t.title or "" for t in (await v2.get_batch()).sync_task_bean.update]
        return items, tasks

    assert asyncio.run(scenario()) == (["in process"], ["in process"])
