"""TickTick's error envelope ``{errorId, errorCode, errorMessage, data}``, which V1 and V2
answer with; each adapter keeps its own mapping from core errors to status and code."""

from __future__ import annotations

import secrets
from typing import Any

import orjson
from starlette.responses import Response


class TickTickError(Exception):
    """An error decided by the adapter itself (not by core), already in wire terms."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def envelope(code: str, message: str, data: Any = None) -> dict[str, Any]:
    return {
        "errorId": secrets.token_hex(8),
        "errorCode": code,
        "errorMessage": message,
        "data": data,
    }


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        orjson.dumps(envelope(code, message)),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )
