"""The request layer under every client: headers, retries, error mapping, model validation.

`SyncTransport` and `AsyncTransport` differ only in ``await``; both use `RetryPolicy` for the
decision and `_exceptions.from_response` for the mapping, so each rule lives in one place.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from taskhaven.sdk._exceptions import ResponseValidationError, TransportError, from_response
from taskhaven.sdk._retry import RetryPolicy, is_safe
from taskhaven.sdk._urls import join
from taskhaven.sdk.models._base import LENIENT

T = TypeVar("T")
DEFAULT_TIMEOUT = 30.0


def validate(shape: Any, response: httpx.Response, *, lenient: bool) -> Any:
    """The response's JSON validated as `shape` (a model or any type pydantic adapts)."""
    try:
        data = response.json()
    except ValueError as exc:
        raise ResponseValidationError(
            f"{response.request.method} {response.request.url}: the answer is not JSON"
        ) from exc
    try:
        if isinstance(shape, type) and issubclass(shape, BaseModel):
            return shape.model_validate(data, context={LENIENT: lenient})
        return TypeAdapter(shape).validate_python(data, context={LENIENT: lenient})
    except ValidationError as exc:
        raise ResponseValidationError(
            f"{response.request.method} {response.request.url.path}: {exc}"
        ) from exc


class _Base:
    def __init__(
        self,
        base_url: str,
        *,
        headers: Mapping[str, str] | None = None,
        cookies: Mapping[str, str] | None = None,
        lenient: bool = False,
        retry: RetryPolicy | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.base_url = base_url
        self.headers = dict(headers or {})
        self.cookies = dict(cookies or {})
        self.lenient = lenient
        self.retry = retry or RetryPolicy()
        self.timeout = timeout

    def _build(
        self,
        http: httpx.Client | httpx.AsyncClient,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        json: Any,
        data: Mapping[str, Any] | None,
        files: Mapping[str, Any] | None = None,
    ) -> httpx.Request:
        headers = dict(self.headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        url = path if "://" in path else join(self.base_url, path)  # absolute: a file URL
        return http.build_request(
            method, url, params=params, json=json, data=data,
            files=files, headers=headers, timeout=self.timeout,
        )  # fmt: skip

    def _wait_or_raise(
        self,
        attempt: int,
        request: httpx.Request,
        safe: bool | None,
        failure: httpx.Response | httpx.TransportError,
    ) -> float:
        """Seconds to wait before the next attempt, or the mapped error raised."""
        if isinstance(failure, httpx.Response):
            error: Exception = from_response(failure)
        else:
            error = TransportError(f"{request.method} {request.url}: {failure!r}")
        wait = self.retry.delay(attempt, error, safe=is_safe(request.method, safe))
        if wait is None:
            if isinstance(failure, httpx.Response):
                raise error
            raise error from failure
        return wait


class SyncTransport(_Base):
    """Blocking requests on an `httpx.Client` (owned unless one is given)."""

    def __init__(
        self,
        base_url: str,
        *,
        client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        **options: Any,
    ) -> None:
        super().__init__(base_url, **options)
        self._owned = client is None
        self.http = client or httpx.Client(transport=transport)
        self.sleep = sleep

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
        files: Mapping[str, Any] | None = None,
        safe: bool | None = None,
    ) -> httpx.Response:
        """Send, retrying what is safe to repeat; an error status raises its `APIError`."""
        attempt = 0
        while True:
            attempt += 1
            request = self._build(self.http, method, path, params, json, data, files)
            try:
                response = self.http.send(request)
            except httpx.TransportError as exc:
                self.sleep(self._wait_or_raise(attempt, request, safe, exc))
                continue
            if response.is_success:
                return response
            self.sleep(self._wait_or_raise(attempt, request, safe, response))

    def close(self) -> None:
        if self._owned:
            self.http.close()


class AsyncTransport(_Base):
    """The same on an `httpx.AsyncClient`."""

    def __init__(
        self,
        base_url: str,
        *,
        client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Any] = asyncio.sleep,
        **options: Any,
    ) -> None:
        super().__init__(base_url, **options)
        self._owned = client is None
        self.http = client or httpx.AsyncClient(transport=transport)
        self.sleep = sleep

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
        files: Mapping[str, Any] | None = None,
        safe: bool | None = None,
    ) -> httpx.Response:
        """Send, retrying what is safe to repeat; an error status raises its `APIError`."""
        attempt = 0
        while True:
            attempt += 1
            request = self._build(self.http, method, path, params, json, data, files)
            try:
                response = await self.http.send(request)
            except httpx.TransportError as exc:
                await self.sleep(self._wait_or_raise(attempt, request, safe, exc))
                continue
            if response.is_success:
                return response
            await self.sleep(self._wait_or_raise(attempt, request, safe, response))

    async def aclose(self) -> None:
        if self._owned:
            await self.http.aclose()
