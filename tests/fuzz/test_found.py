"""Regressions the fuzz suite found, one per bug, on the database under test."""

from __future__ import annotations

import json

import pytest

from tests.fuzz.conftest import Account
from tests.v2.clients import BROWSER


def sync(account: Account, *commands: dict[str, object]) -> dict[str, object]:
    form = {"token": account.token, "commands": json.dumps(list(commands))}
    answer = account.client.post("/API/v6/sync", data=form)
    assert answer.status_code == 200, answer.text
    status: dict[str, object] = answer.json()["SyncStatus"]
    return status


@pytest.mark.parametrize("digit", ["²", "1²", "٣", "9" * 5000])
def test_a_digit_int_refuses_is_an_invalid_argument(target: Account, digit: str) -> None:
    """``"²".isdigit()`` is true and ``int("²")`` raises, and so does ``int`` of more than
    4300 digits: colours, ids and orders answered 500."""
    account = target
    status = sync(
        account,
        {"type": "label_add", "uuid": "c" + digit[:9], "temp_id": "t" + digit[:9],
         "args": {"name": "sup" + digit, "color": digit}},
        {"type": "item_delete", "uuid": "d" + digit[:9], "args": {"ids": [digit]}},
        {"type": "item_update", "uuid": "u" + digit[:9], "args": {"id": digit, "priority": digit}},
        {"type": "note_add", "uuid": "n" + digit[:9], "args": {"item_id": "\x00", "content": "x"}},
    )  # fmt: skip
    assert all(v == "ok" or "error_code" in str(v) for v in status.values()), status
    answer = account.client.delete(
        f"/api/v2/user/sessions/{digit[:9]}", headers={**BROWSER, "Cookie": f"t={account.cookie}"}
    )
    assert answer.status_code < 500


@pytest.mark.parametrize("oid", ["%00", "a%00b", "f" * 65])
def test_a_string_id_no_column_can_hold_is_not_found(target: Account, oid: str) -> None:
    """PostgreSQL refuses NUL in a query parameter: a V1 path with one answered 500."""
    account = target
    headers = {"Authorization": f"Bearer {account.bearer}"}
    answer = account.client.get(f"/open/v1/project/{oid}", headers=headers)
    assert answer.status_code == 404
    assert answer.json()["errorCode"]
    v2 = account.client.get(
        f"/api/v2/task/{oid}", headers={**BROWSER, "Cookie": f"t={account.cookie}"}
    )
    assert v2.status_code in (400, 404) and v2.json()["errorCode"]


@pytest.mark.parametrize(
    "path", ["/api/v2/task/%0A", "/open/v1/project/%0Ax", "/API/v6/get_item%0A"]
)
def test_a_newline_in_a_path_gets_the_protocols_error(target: Account, path: str) -> None:
    """Starlette's mount pattern stops at a newline: the request missed the protocol app and
    got a plain-text 404."""
    account = target
    answer = account.client.get(path, headers={"Authorization": f"Bearer {account.bearer}"})
    assert answer.status_code < 500
    body = answer.json()
    assert "errorCode" in body or "error_code" in body
