"""Jinja2 templates of the web pages (autoescaped; no JavaScript)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.responses import HTMLResponse

# Pages are never cached and never framed (no click-jacking of the consent buttons).
HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; "
    "form-action 'self'{extra}; frame-ancestors 'none'; base-uri 'none'"
)


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("taskhaven.web", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def page(
    template: str, status: int = 200, *, form_target: str | None = None, **context: Any
) -> HTMLResponse:
    """``form_target``: an origin a form's answer may redirect to (browsers apply
    ``form-action`` to the redirect after a post too: the consent form ends at the app)."""
    html = environment().get_template(template).render(**context)
    extra = f" {form_target}" if form_target else ""
    headers = {**HEADERS, "Content-Security-Policy": CSP.format(extra=extra)}
    return HTMLResponse(html, status_code=status, headers=headers)
