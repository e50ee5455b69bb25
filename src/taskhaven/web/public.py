"""The URL Authlib is handed for a request: never built on the ``Host`` header.

The name and path prefix come from the configured public URL (``Settings.base_url``); the
scheme is the one the request arrived with (``https`` behind a proxy sending
``X-Forwarded-Proto`` from a trusted address). So a forged ``Host`` header can neither
appear in an answer nor pass the plain-HTTP check by naming ``localhost``, and a request
that reached the server over plain HTTP is still refused off loopback.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from starlette.requests import Request

from taskhaven.core.backend import Backend


def uri(backend: Backend, request: Request) -> str:
    """``request``'s URL on the public name: the request's scheme, path and query."""
    public = urlsplit(backend.settings.base_url)
    # A mounted sub-app sees its prefix in ``root_path``; ``url.path`` holds the whole path.
    path = public.path.rstrip("/") + request.url.path
    return urlunsplit((request.url.scheme, public.netloc, path, request.url.query, ""))
