"""What every client shares: settings, a transport built from them, and closing it."""

from __future__ import annotations

from typing import Any, Self

import httpx

from taskhaven.sdk._http import AsyncTransport, SyncTransport
from taskhaven.sdk._retry import RetryPolicy
from taskhaven.sdk._settings import Settings


class _Configured:
    @staticmethod
    def _base_url(settings: Settings) -> str:
        raise NotImplementedError

    @staticmethod
    def _options(settings: Settings) -> dict[str, Any]:
        """Transport options beyond the base URL (headers, cookies…)."""
        return {}


class BlockingClient(_Configured):
    """A client whose calls block; answers are validated strictly unless
    `settings.override_forbid_extra`. `client` or `transport` replace httpx's defaults (an
    `httpx.MockTransport`…); `retry` governs retries."""

    def __init__(
        self,
        settings: Settings,
        *,
        client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.settings = settings
        self._http = SyncTransport(
            self._base_url(settings), client=client, transport=transport, retry=retry,
            timeout=timeout, lenient=settings.override_forbid_extra, **self._options(settings),
        )  # fmt: skip

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class AwaitingClient(_Configured):
    """The same for asyncio (`httpx.AsyncClient`; `httpx.ASGITransport` runs an app in-process)."""

    def __init__(
        self,
        settings: Settings,
        *,
        client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.settings = settings
        self._http = AsyncTransport(
            self._base_url(settings), client=client, transport=transport, retry=retry,
            timeout=timeout, lenient=settings.override_forbid_extra, **self._options(settings),
        )  # fmt: skip

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()
