"""The request layer: error mapping from each wire format, retries, 429 ``Retry-After``."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from taskhaven.sdk import (
    APIError,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    RateLimitError,
    ResponseValidationError,
    RetryPolicy,
    ServerError,
    Settings,
    TransportError,
    V2Client,
)
from taskhaven.sdk._exceptions import error_class, from_response, retry_after
from taskhaven.sdk._http import AsyncTransport, SyncTransport
from taskhaven.sdk.models.user import TaskCountV2


def answer(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    request = httpx.Request("GET", "http://h/x")
    return httpx.Response(status, json=body, headers=headers, request=request)


# -- mapping -----------------------------------------------------------------------------------


def test_the_sync_api_format() -> None:
    error = from_response(answer(400, {"error_code": 36, "error": "Too many commands"}))
    assert isinstance(error, BadRequestError)
    assert (error.code, error.message, error.error_id) == (36, "Too many commands", None)


def test_the_ticktick_format() -> None:
    body = {"errorId": "e1", "errorCode": "user_not_sign_on", "errorMessage": "no", "data": None}
    error = from_response(answer(401, body))
    assert isinstance(error, AuthenticationError)
    assert (error.code, error.error_id, error.message) == ("user_not_sign_on", "e1", "no")


def test_the_oauth_format() -> None:
    error = from_response(answer(400, {"error": "invalid_grant", "error_description": "used"}))
    assert (error.code, error.message) == ("invalid_grant", "used")


def test_a_bare_status() -> None:
    request = httpx.Request("GET", "http://h/x")
    error = from_response(httpx.Response(404, text="Not Found", request=request))
    assert isinstance(error, NotFoundError)
    assert error.body == "Not Found" and error.code is None
    assert str(error) == "Response [404]:\nNot Found"


@given(st.integers(min_value=400, max_value=599))
def test_every_error_status_maps_to_an_api_error(status: int) -> None:
    cls = error_class(status)
    assert issubclass(cls, APIError) and issubclass(cls, ValueError)
    assert (status >= 500) == issubclass(cls, ServerError)


@given(
    st.one_of(
        st.text(),
        st.lists(st.integers()),
        st.dictionaries(st.text(), st.one_of(st.none(), st.integers(), st.text())),
    )
)
def test_any_body_maps_without_failing(body: Any) -> None:
    error = from_response(answer(418, body))
    assert error.status_code == 418
    assert error.code is None or isinstance(error.code, int | str)
    assert json.dumps(body, ensure_ascii=False) in str(error) or isinstance(body, str)


@given(st.floats(min_value=0, max_value=1e6, allow_nan=False))
def test_retry_after_in_seconds(seconds: float) -> None:
    assert retry_after(str(seconds)) == pytest.approx(seconds)


def test_retry_after_as_a_date_and_garbage() -> None:
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past: now
    assert retry_after("soon") is None
    assert retry_after(None) is None


# -- retries -----------------------------------------------------------------------------------


class Script:
    """A transport answering from a list, recording each request."""

    def __init__(self, *answers: httpx.Response | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.answers.pop(0)
        if isinstance(step, Exception):
            raise step
        return step


def transport(script: Script, slept: list[float], **options: Any) -> SyncTransport:
    return SyncTransport(
        "http://h/api/", transport=httpx.MockTransport(script), sleep=slept.append, **options
    )


def test_429_waits_retry_after_then_succeeds() -> None:
    script = Script(
        httpx.Response(429, json={"error_code": 35}, headers={"Retry-After": "2"}),
        httpx.Response(200, json={}),
    )
    slept: list[float] = []
    assert transport(script, slept).request("GET", "x").status_code == 200
    assert slept == [2.0] and len(script.requests) == 2


def test_a_post_is_not_retried_unless_marked_safe() -> None:
    limited = httpx.Response(429, headers={"Retry-After": "1"})
    slept: list[float] = []
    with pytest.raises(RateLimitError) as caught:
        transport(Script(limited), slept).request("POST", "x")
    assert caught.value.retry_after == 1.0 and slept == []
    script = Script(limited, httpx.Response(200, json={}))
    transport(script, slept).request("POST", "x", safe=True)
    assert slept == [1.0]
    assert script.requests[0].content == script.requests[1].content


def test_connection_errors_back_off_and_give_up() -> None:
    script = Script(*[httpx.ConnectError("refused")] * 3)
    slept: list[float] = []
    with pytest.raises(TransportError):
        transport(script, slept, retry=RetryPolicy(attempts=3, backoff=1)).request("GET", "x")
    assert len(slept) == 2 and 0.5 <= slept[0] <= 1 and 1 <= slept[1] <= 2


def test_a_500_is_not_retried_and_a_503_is() -> None:
    slept: list[float] = []
    with pytest.raises(ServerError):
        transport(Script(httpx.Response(500)), slept).request("GET", "x")
    script = Script(httpx.Response(503), httpx.Response(200, json={}))
    transport(script, slept).request("GET", "x")
    assert len(slept) == 1


def test_a_retry_after_longer_than_allowed_raises_at_once() -> None:
    slept: list[float] = []
    script = Script(httpx.Response(429, headers={"Retry-After": "3600"}))
    with pytest.raises(RateLimitError):
        transport(script, slept, retry=RetryPolicy(max_wait=60)).request("GET", "x")
    assert slept == []


def test_the_async_transport_retries_the_same_way() -> None:
    script = Script(httpx.Response(429, headers={"Retry-After": "0"}), httpx.Response(200))
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    async def run() -> int:
        http = AsyncTransport("http://h/", transport=httpx.MockTransport(script), sleep=sleep)
        response = await http.request("GET", "x")
        await http.aclose()
        return response.status_code

    assert asyncio.run(run()) == 200 and slept == [0.0]


# -- strict and lenient models -----------------------------------------------------------------


def v2_answering(body: Any, lenient: bool) -> V2Client:
    settings = Settings(v2_token="t", override_forbid_extra=lenient)
    mock = httpx.MockTransport(lambda request: httpx.Response(200, json=body))
    return V2Client(settings, transport=mock)


def test_an_unknown_key_fails_strict_models_and_passes_lenient_ones() -> None:
    counts = {"completeCount": 1, "notCompleteCount": 2, "registerDate": "x"}
    body = [{"id": "a" * 24, "current": True, "createdTime": "2025-01-02T03:04:05.000+0000",
             "lastUsedTime": None, "expireTime": "2025-02-02T03:04:05.000+0000",
             "userAgent": None, "ip": None, "country": "nowhere"}]  # fmt: skip
    with pytest.raises(ResponseValidationError, match="country"):
        v2_answering(body, lenient=False).get_sessions()
    (session,) = v2_answering(body, lenient=True).get_sessions()
    assert session.current
    with pytest.raises(ValidationError):
        TaskCountV2.parse(counts)
    assert TaskCountV2.parse(counts, lenient=True).not_complete_count == 2


def test_lenient_never_excuses_a_missing_key() -> None:
    with pytest.raises(ResponseValidationError, match="expireTime"):
        v2_answering([{"id": "a", "current": True}], lenient=True).get_sessions()


def test_an_answer_that_is_not_json() -> None:
    settings = Settings(v2_token="t")
    mock = httpx.MockTransport(lambda request: httpx.Response(200, text="<html>"))
    with pytest.raises(ResponseValidationError, match="not JSON"):
        V2Client(settings, transport=mock).get_profile()
