"""Credentials never reach the access log."""

from __future__ import annotations

import logging

import pytest

from taskhaven.middleware.redact import RedactSecrets, redact
from tests.servers import RunningServer


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/API/v6/get_item?token=abc123&item_id=5", "/API/v6/get_item?token=***&item_id=5"),
        (
            "/API/v6/delete_user?current_password=hunter2",
            "/API/v6/delete_user?current_password=***",
        ),
        ("/x?item_id=1&TOKEN=zz", "/x?item_id=1&TOKEN=***"),
        ("/api/v2/batch/check/0", "/api/v2/batch/check/0"),
        ("/x?tokens=1", "/x?tokens=1"),
        # Regression: percent-encoded names logged the token.
        ("/API/v6/sync?%74oken=abc", "/API/v6/sync?%74oken=***"),
        ("/API/v6/sync?%2574oken=abc", "/API/v6/sync?%2574oken=***"),
        ("/x?pass%77ord=pw&a=1", "/x?pass%77ord=***&a=1"),
        ("/x?+token=abc", "/x?+token=***"),
        ("/x?a=1;token=abc#f", "/x?a=1;token=***#f"),
        (
            "/oauth/token?client_id=c&client_secret=s3&code=AbC&grant_type=authorization_code"
            "&code_verifier=vvv",
            "/oauth/token?client_id=c&client_secret=***&code=***&grant_type=authorization_code"
            "&code_verifier=***",
        ),
    ],
)
def test_redact(path: str, expected: str) -> None:
    assert redact(path) == expected


def test_access_log_records_are_redacted() -> None:
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5", "GET", "/API/v6/sync?token=deadbeef", "1.1", 200), None,
    )  # fmt: skip
    assert RedactSecrets().filter(record)
    assert "deadbeef" not in record.getMessage()


def test_the_running_server_filters_its_access_log(server: RunningServer) -> None:
    logger = logging.getLogger("uvicorn.access")
    assert any(isinstance(f, RedactSecrets) for f in logger.filters)
