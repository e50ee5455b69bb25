"""Keep credentials out of access logs.

Sync API clients send ``token`` (and ``password`` on sign-up) in query strings, and
pyticktick sends its whole OAuth2 token request there (``client_secret``, ``code``), which
uvicorn's access log would otherwise write out verbatim.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote_plus

SECRET_NAMES = frozenset(
    (
        "token",
        "password",
        "current_password",
        "oauth2_token",
        "secret",
        "invitation_secret",
        "code",
        "code_verifier",
        "access_token",
        "refresh_token",
        "client_secret",
    )
)
_SEPARATORS = re.compile(r"([&;#])")


def _is_secret(raw_name: str) -> bool:
    # Compare after percent-decoding (twice: ``%2574oken`` is ``%74oken`` is ``token``),
    # as the application will see the name, so ``?%74oken=`` is caught too.
    name = unquote_plus(unquote_plus(raw_name))
    return name.strip().lower() in SECRET_NAMES


def redact(path: str) -> str:
    base, mark, query = path.partition("?")
    parts = _SEPARATORS.split(query)
    for index in range(0, len(parts), 2):
        if index and parts[index - 1] == "#":
            break  # the fragment is not parameters
        name, equals, value = parts[index].partition("=")
        if equals and value and _is_secret(name):
            parts[index] = f"{name}=***"
    return base + mark + "".join(parts)


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
