"""Joining paths onto base URLs without the seed client's doubled slashes."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


def join(base: str, path: str) -> str:
    """``base`` with ``path`` appended under it: ``join("http://h/api/v2/", "user/signon")``."""
    return base.rstrip("/") + "/" + path.lstrip("/")


def origin(url: str) -> str:
    """Scheme, host and port of ``url``: ``http://h:8000/open/v1/`` → ``http://h:8000``."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))
