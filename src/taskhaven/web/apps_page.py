"""``/web/apps``: the apps a user authorised, each with a "revoke" button."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from taskhaven.core import sessions
from taskhaven.core.backend import Backend
from taskhaven.core.errors import NotFound
from taskhaven.core.oauth import grants
from taskhaven.core.oauth import scopes as scope_rules
from taskhaven.web import browser, signin
from taskhaven.web.render import page


def _rows(found: list[grants.AppGrant]) -> list[dict[str, object]]:
    return [
        {
            "client_id": g.client_id,
            "app_name": g.app_name,
            "host": urlsplit(g.redirect_uris[0]).netloc if g.redirect_uris else "",
            "words": scope_rules.words(g.scopes),
            "since": f"{g.first_granted_at:%Y-%m-%d}",
            "until": f"{g.expires_at:%Y-%m-%d}",
        }
        for g in found
    ]


async def apps(request: Request) -> Response:
    backend: Backend = request.app.state.backend
    form = await request.form() if request.method == "POST" else None
    if form is not None and not browser.csrf_ok(backend, request, form.get("csrf_token")):
        return page(
            "error.html",
            403,
            title="Form expired",
            message="The form expired or was not sent by this site. Go back and reload.",
            user=None,
        )
    signed_in = await run_in_threadpool(browser.current, backend, request)
    if signed_in is None:
        if form is not None:
            done = await signin.step(backend, request, form)
            if done is not None:
                return done
        return signin.first_step(backend, request, user=None)
    user, session = signed_in
    notice = None
    if form is not None:
        kind = form.get("step")
        if kind == "signout":
            await run_in_threadpool(sessions.revoke, backend, user["id"], session.id)
            response = RedirectResponse("/web/apps", 303)
            browser.clear_cookie(response, request, browser.SESSION_COOKIE)
            return response
        if kind == "revoke":
            try:
                await run_in_threadpool(
                    grants.revoke_grant, backend, user["id"], str(form.get("client_id") or "")
                )
            except NotFound:
                notice = "That app held nothing of yours any more."
            else:
                return RedirectResponse("/web/apps", 303)
    found = await run_in_threadpool(grants.grants_for, backend, user["id"])
    return signin.form_page(
        backend, request, "apps.html", user=user, grants=_rows(found), notice=notice
    )
