"""``/oauth/authorize``: sign in, the TOTP step when enabled, consent, then the redirect.

Every step is a form posted back to the same URL, so the app's query string travels with
the page and is checked again (by Authlib) on every request. Errors before the client and
its redirect URI are known good show a page here; later ones go back to the app as
``error=…&state=…`` — never to an unregistered URI.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from authlib.oauth2.rfc6749 import InsecureTransportError, OAuth2Error
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from taskhaven.core import sessions
from taskhaven.core.backend import Backend
from taskhaven.core.oauth import scopes as scope_rules
from taskhaven.web import bounds, browser, public, signin
from taskhaven.web.oauth_server import StarletteServer, WireRequest
from taskhaven.web.render import page

MAX_QUERY = 8192
INSECURE = (
    "This server signs users in for apps only over HTTPS (or on this computer's own "
    "loopback address). Ask its operator to put it behind TLS."
)


def _wire(backend: Backend, request: Request) -> WireRequest:
    # Only the query string: the form fields of our own pages are not OAuth parameters.
    return WireRequest(
        request.method,
        public.uri(backend, request),
        request.headers,
        request.query_params.multi_items(),
    )


def _error_page(message: str, status: int = 400) -> Response:
    return page("error.html", status, title="This link does not work", message=message, user=None)


def _describe(error: OAuth2Error) -> str:
    return str(error.description or error.error)


async def authorize(request: Request) -> Response:
    backend: Backend = request.app.state.backend
    server: StarletteServer = request.app.state.oauth_server
    if len(request.url.query) > MAX_QUERY:
        return _error_page("The request is too long.")
    refused = bounds.first_problem(request.query_params.multi_items(), bounds.OAUTH)
    if refused is not None:
        return _error_page(f"The request's {refused[0]} is {refused[1]}.")
    try:
        wire = _wire(backend, request)
    except InsecureTransportError:
        return _error_page(INSECURE)
    try:
        grant = await run_in_threadpool(server.get_consent_grant, wire, None)
    except OAuth2Error as error:
        if error.redirect_uri:
            # Client and redirect URI are known good: the app hears about it.
            return server.handle_error_response(wire, error)  # type: ignore[no-any-return]
        return _error_page(_describe(error))
    client = grant.client
    context = {"app_name": client.app.name}
    form = await request.form() if request.method == "POST" else None
    if form is not None and not browser.csrf_ok(backend, request, form.get("csrf_token")):
        return _error_page(
            "The form expired or was not sent by this site. Go back and reload.", 403
        )
    signed_in = await run_in_threadpool(browser.current, backend, request)
    if signed_in is None:
        if form is not None:
            done = await signin.step(backend, request, form, **context)
            if done is not None:
                return done
        return signin.first_step(backend, request, user=None, **context)
    user, session = signed_in
    if form is not None and form.get("step") == "signout":
        await run_in_threadpool(sessions.revoke, backend, user["id"], session.id)
        response = RedirectResponse(str(request.url.path) + "?" + request.url.query, 303)
        browser.clear_cookie(response, request, browser.SESSION_COOKIE)
        return response
    if form is not None and form.get("step") == "consent":
        decision = form.get("decision")
        grant_user = int(user["id"]) if decision == "allow" else None
        return await run_in_threadpool(  # type: ignore[no-any-return]
            server.create_authorization_response, wire, grant_user, grant
        )
    held = scope_rules.parse(wire.scope)
    target = urlsplit(grant.redirect_uri)
    return signin.form_page(
        backend,
        request,
        "consent.html",
        form_target=f"{target.scheme}://{target.netloc}" if target.netloc else f"{target.scheme}:",
        user=user,
        redirect_host=target.netloc or grant.redirect_uri,
        scope_words=scope_rules.words(held),
        **context,
    )
