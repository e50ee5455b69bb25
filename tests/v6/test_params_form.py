"""The Sync API's own form decoding gives what Starlette's form parser gives, for any body."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.formparsers import FormParser

from taskhaven.api.todoist.v6 import params
from taskhaven.api.todoist.v6.params import _form_fields, _urlencoded
from taskhaven.core.errors import InvalidArgument
from tests.conftest import PASSWORD, register
from tests.servers import RunningServer


def starlettes(body: bytes) -> dict[str, list[str]]:
    async def stream() -> AsyncGenerator[bytes, None]:
        yield body

    async def parse() -> dict[str, list[str]]:
        form = await FormParser(Headers(), stream()).parse()
        found: dict[str, list[str]] = {}
        for key, value in form.multi_items():
            assert isinstance(value, str)
            found.setdefault(key, []).append(value)
        return found

    return asyncio.run(parse())


# Bytes weighted towards what a form body is made of: separators, escapes, plus signs.
_PIECES = st.sampled_from(
    [b"&", b"=", b"+", b"%", b"%2", b"%26", b"%3D", b"%C3%A9", b"%FF", b"%00", b"a", b"token",
     b"\xc3\xa9", b"\xff", b" ", b";", b"[", b'"']
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.binary(max_size=4)), max_size=30).map(b"".join))
def test_decoding_matches_starlettes_form_parser(body: bytes) -> None:
    assert _urlencoded(body) == starlettes(body)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.binary(max_size=4)), max_size=30).map(b"".join))
def test_a_kept_body_gives_the_same_fields_every_time(body: bytes) -> None:
    """A body's fields are kept only once checked: a refused body is refused again, a kept
    one answers what decoding it anew would (and a later request cannot change them)."""
    for _ in range(2):
        try:
            found = _form_fields(body)
        except (InvalidArgument, HTTPException):
            assert body not in params._KEPT
            continue
        assert found == _urlencoded(body)
        assert (body in params._KEPT) is (len(body) <= params._KEPT_BODY_BYTES)


def test_too_many_fields_is_the_same_400() -> None:
    body = b"&".join(b"f%d=1" % i for i in range(1001))
    with pytest.raises(HTTPException) as caught:
        _urlencoded(body)
    assert caught.value.status_code == 400
    assert "Maximum number of fields is 1000" in caught.value.detail
    assert len(_urlencoded(b"&".join(b"f%d=1" % i for i in range(1000)))) == 1000


def test_empty_chunks_are_not_fields() -> None:
    body = b"&" * 5000 + b"token=t"
    assert _urlencoded(body) == starlettes(body) == {"token": ["t"]}


def _sync(server: RunningServer, **data: str) -> httpx.Response:
    return httpx.post(server.url + "/API/v6/sync", data=data)


def test_refused_parameters_are_named_in_the_sync_apis_error(server: RunningServer) -> None:
    """Characters are checked once on arrival, lengths by each call's bounds, and the parsed
    resource types are kept per text: a refused text is refused every time."""
    token = register(server)["token"]
    for _ in range(2):
        bad = _sync(server, token=token, resource_types="[all")
        assert bad.status_code == 400
        assert bad.json()["error"] == "Invalid JSON in parameter: resource_types"
    nul = _sync(server, token=token, resource_types='["\\u0000"]')
    assert nul.status_code == 400 and "resource_types (contains NUL)" in nul.json()["error"]
    raw_nul = _sync(server, token=token, day_orders_timestamp="1\x00")
    assert raw_nul.status_code == 400
    assert raw_nul.json()["error"] == "Invalid argument value: day_orders_timestamp (contains NUL)"
    long = _sync(server, token="x" * 257)
    assert long.status_code == 400
    assert long.json()["error"] == "Invalid argument value: token (longer than 256 characters)"
    good = _sync(server, token=token, resource_types='["user"]')
    assert good.status_code == 200 and set(good.json()) >= {"User", "seq_no"}


def test_only_the_polled_call_keeps_bodies(server: RunningServer) -> None:
    """The sync call's small bodies are kept; a sign-in body (a password) never is."""
    account = register(server)
    login = httpx.post(
        server.url + "/API/v6/login", data={"email": account["email"], "password": PASSWORD}
    )
    assert login.status_code == 200
    assert not any(PASSWORD.encode() in body for body in params._KEPT)
    sync = {"token": account["token"], "resource_types": '["user"]', "seq_no": "0"}
    assert _sync(server, **sync).status_code == 200
    assert any(account["token"].encode() in body for body in params._KEPT)
    # Kept or not, every answer is the same as the first.
    answers = [_sync(server, **sync).json()["User"]["id"] for _ in range(3)]
    assert answers == [account["id"]] * 3
