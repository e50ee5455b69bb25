"""The sign-in steps every page shares: password, then the TOTP code when the account has 2FA.

Both steps go through ``core.signon``, so they count against the same failure limits as the
V2 sign-on. A successful sign-in opens a core session and sets the session cookie; the page
then answers 303 to its own URL, which shows what comes next (consent, the grants list).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from taskhaven.core import signon
from taskhaven.core.backend import Backend
from taskhaven.core.errors import AuthenticationFailed, LimitExceeded
from taskhaven.web import bounds, browser
from taskhaven.web.render import page


def caller(request: Request) -> signon.Caller:
    return signon.Caller(
        address=request.client.host if request.client else None,
        user_agent=request.headers.get("user-agent"),
    )


def form_page(
    backend: Backend, request: Request, template: str, status: int = 200, **context: Any
) -> Response:
    """A page with a form: the CSRF token filled in, the CSRF cookie set when new."""
    response = page(
        template,
        status,
        csrf_token=browser.csrf_token(backend, request),
        action=request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        **context,
    )
    browser.ensure_csrf(request, response)
    return response


def first_step(backend: Backend, request: Request, **context: Any) -> Response:
    """The sign-in form, or the code form while a second-factor challenge is open."""
    if request.cookies.get(browser.MFA_COOKIE):
        return form_page(backend, request, "totp.html", **context)
    return form_page(backend, request, "signin.html", **context)


def _again(request: Request) -> RedirectResponse:
    return RedirectResponse(
        request.url.path + (f"?{request.url.query}" if request.url.query else ""), 303
    )


async def step(
    backend: Backend, request: Request, form: Mapping[str, Any], **context: Any
) -> Response | None:
    """Handle a ``signin`` or ``totp`` form post; None when the post is another step."""
    kind = form.get("step")
    if kind in ("signin", "totp"):
        refused = bounds.first_problem(form.items(), bounds.FORM)
        if refused is not None:
            name, problem = refused
            return form_page(
                backend,
                request,
                "signin.html",
                400,
                error=f"The {name} field is {problem}.",
                **context,
            )
    if kind == "signin":
        email = str(form.get("email") or "")
        password = str(form.get("password") or "")
        try:
            outcome = await run_in_threadpool(
                signon.sign_on, backend, email, password, caller(request)
            )
        except LimitExceeded:
            return form_page(
                backend,
                request,
                "signin.html",
                429,
                error="Too many failed sign-in attempts. Try again later.",
                email=email,
                **context,
            )
        except AuthenticationFailed:
            return form_page(
                backend,
                request,
                "signin.html",
                401,
                error="Wrong e-mail or password.",
                email=email,
                **context,
            )
        response = _again(request)
        if isinstance(outcome, signon.SecondFactorNeeded):
            browser.set_cookie(
                response,
                request,
                browser.MFA_COOKIE,
                outcome.auth_id,
                max_age=backend.settings.mfa_challenge_seconds,
            )
            return response
        _signed_on(backend, request, response, outcome)
        return response
    if kind == "totp":
        auth_id = request.cookies.get(browser.MFA_COOKIE, "")
        code = str(form.get("code") or "")
        try:
            signed = await run_in_threadpool(
                signon.verify_second_factor, backend, auth_id, code, caller(request)
            )
        except (AuthenticationFailed, LimitExceeded) as exc:
            # The challenge is spent by any attempt: back to the password.
            message = (
                "Too many failed sign-in attempts. Try again later."
                if isinstance(exc, LimitExceeded)
                else "That code was not right, or it took too long. Sign in again."
            )
            failed = form_page(
                backend,
                request,
                "signin.html",
                429 if isinstance(exc, LimitExceeded) else 401,
                error=message,
                **context,
            )
            browser.clear_cookie(failed, request, browser.MFA_COOKIE)
            return failed
        response = _again(request)
        _signed_on(backend, request, response, signed)
        return response
    return None


def _signed_on(
    backend: Backend, request: Request, response: Response, signed: signon.SignedOn
) -> None:
    browser.clear_cookie(response, request, browser.MFA_COOKIE)
    browser.set_cookie(
        response,
        request,
        browser.SESSION_COOKIE,
        signed.token,
        max_age=backend.settings.session_days * 86400,
    )
