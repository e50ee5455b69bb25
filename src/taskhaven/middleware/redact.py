"""Keep credentials out of access logs.

Sync API clients send ``token`` (and ``password`` on sign-up) in query strings, and
pyticktick sends its whole OAuth2 token request there (``client_secret``, ``code``), which
uvicorn's access log would otherwise write out verbatim.
"""

from __future__ import annotations

import logging
import re

_SECRET_PARAMS = re.compile(
    r"((?:^|[?&])(?:token|password|current_password|oauth2_token|secret|invitation_secret"
    r"|code|code_verifier|access_token|client_secret)=)[^&#\s]*",
    re.IGNORECASE,
)


def redact(path: str) -> str:
    return _SECRET_PARAMS.sub(r"\1***", path)


class RedactSecrets(logging.Filter):
    """Rewrites the request path of uvicorn access-log records (their third argument)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], redact(args[2]), *args[3:])
        return True


def install() -> None:
    logger = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactSecrets) for f in logger.filters):
        logger.addFilter(RedactSecrets())
