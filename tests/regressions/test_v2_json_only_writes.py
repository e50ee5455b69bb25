"""V2 accepted a JSON body sent as ``text/plain``, so cookie-authenticated writes rested on
``SameSite=Lax`` alone against cross-site forms."""

from __future__ import annotations

import httpx
import orjson
import pytest

from tests.servers import RunningServer
from tests.v2.batch_helpers import V2, oid, task, v2_account
from tests.v2.clients import cookie


@pytest.fixture
def v2(server: RunningServer) -> V2:
    return v2_account(server)


def _post(v2: V2, path: str, body: bytes, content_type: str | None) -> httpx.Response:
    headers = cookie(v2.token)
    if content_type:
        headers["content-type"] = content_type
    return httpx.post(v2.url(path), content=body, headers=headers)


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", None]
)
def test_a_write_without_json_content_type_is_refused(v2: V2, content_type: str | None) -> None:
    tid = oid()
    body = orjson.dumps({"add": [task(v2.inbox, "Forged", id=tid)]})
    response = _post(v2, "batch/task", body, content_type)
    assert response.status_code == 415, response.text
    assert response.json()["errorCode"] == "invalid_parameter"
    assert tid not in v2.tasks()


def test_a_json_write_still_works(v2: V2) -> None:
    tid = oid()
    body = orjson.dumps({"add": [task(v2.inbox, "Real", id=tid)]})
    response = _post(v2, "batch/task", body, "application/json; charset=utf-8")
    assert response.status_code == 200, response.text
    assert tid in v2.tasks()


def test_a_bodiless_write_refuses_a_form_post(v2: V2) -> None:
    response = _post(v2, "user/signout", b"a=1", "text/plain")
    assert response.status_code == 415
