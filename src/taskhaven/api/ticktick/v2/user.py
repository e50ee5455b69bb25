"""V2 sign-on (password, then TOTP when on), sessions, and the user's profile/status/statistics.

Response shapes are exactly pyticktick 0.3.0's models, which forbid unknown keys: add nothing.
"""

from __future__ import annotations

import hashlib
import time
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr
from sqlalchemy import RowMapping
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from taskhaven.api.ticktick.codes import bounds, format_v2
from taskhaven.api.ticktick.codes.bounds import Fits
from taskhaven.api.ticktick.v2 import statistics as v2_statistics
from taskhaven.api.ticktick.v2.auth import COOKIE, current_session, current_user
from taskhaven.api.ticktick.v2.errors import V2Error
from taskhaven.api.ticktick.v2.http import endpoint, json_response, parse
from taskhaven.core import columns, sessions, signon, statistics
from taskhaven.core.backend import Backend

# The server has no paid tier: every account is a free account that was never subscribed.
# pyticktick needs ``proEndDate`` to be a non-empty string even then.
NEVER = "2000-01-01T00:00:00.000+0000"
SITE_DOMAIN = "ticktick.com"
LOCALES = {
    "cs": "cs_CZ", "da": "da_DK", "de": "de_DE", "en": "en_US", "es": "es_ES", "fi": "fi_FI",
    "fr": "fr_FR", "it": "it_IT", "ja": "ja_JP", "ko": "ko_KR", "nb": "nb_NO", "nl": "nl_NL",
    "pl": "pl_PL", "pt": "pt_BR", "ru": "ru_RU", "sv": "sv_SE", "tr": "tr_TR", "uk": "uk_UA",
    "zh": "zh_CN",
}  # fmt: skip
VERIFY_HEADER = "x-verify-id"


class SignOnBody(BaseModel):
    model_config = ConfigDict(extra="ignore")

    username: Annotated[StrictStr, bounds.column("users", "email")] = Field(min_length=1)
    password: Annotated[StrictStr, Fits(columns.PASSWORD)] = Field(min_length=1)


class VerifyBody(BaseModel):
    model_config = ConfigDict(extra="ignore")

    code: Annotated[StrictStr, Fits(columns.CODE)]
    method: Literal["app"] = "app"


# -- rendering -------------------------------------------------------------------------------


def _account(user: RowMapping) -> dict[str, Any]:
    """The subscription fields sign-on and status share."""
    user_id = str(user["id"])
    return {
        "userId": user_id,
        "userCode": user["user_code"],
        "username": user["email"],
        "teamPro": False,
        "proStartDate": None,
        "proEndDate": NEVER,
        "subscribeType": None,
        "subscribeFreq": None,
        "needSubscribe": False,
        "freq": None,
        "inboxId": f"inbox{user_id}",
        "teamUser": False,
        "activeTeamUser": False,
        "freeTrial": False,
        "pro": False,
        "ds": False,
        "gracePeriod": None,
    }


def signon_answer(user: RowMapping, token: str) -> dict[str, Any]:
    return {"token": token, **_account(user)}


def status_answer(user: RowMapping) -> dict[str, Any]:
    return {**_account(user), "timeStamp": int(time.time())}


def locale(lang: str | None) -> str:
    lang = (lang or "").strip().replace("-", "_")
    if "_" in lang:
        language, _, region = lang.partition("_")
        return f"{language.lower()}_{region.upper()}"
    return LOCALES.get(lang.lower(), lang or "en_US")


def picture(email: str) -> str:
    """An identicon keyed by the address hash, as the real service answers."""
    return (
        "https://www.gravatar.com/avatar/"
        + hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()
        + "?d=identicon"
    )


def profile_answer(user: RowMapping) -> dict[str, Any]:
    full_name = (user["full_name"] or "").strip()
    return {
        "etimestamp": None,
        "username": user["email"],
        "siteDomain": SITE_DOMAIN,
        "createdCampaign": None,
        "createdDeviceInfo": None,
        "filledPassword": True,
        "accountDomain": None,
        "extenalId": None,
        "email": user["email"],
        "verifiedEmail": False,
        "fakedEmail": False,
        "phone": None,
        "name": full_name or None,
        "givenName": None,
        "familyName": None,
        "link": None,
        "picture": picture(user["email"]),
        "gender": None,
        "locale": locale(user["lang"]),
        "userCode": user["user_code"],
        "verCode": None,
        "verKey": None,
        "externalId": None,
        "phoneWithoutCountryCode": None,
        "displayName": full_name or user["email"],
    }


def session_answer(session: sessions.Session, current: sessions.Session) -> dict[str, Any]:
    return {
        "id": str(session.id),
        "current": session.id == current.id,
        "createdTime": format_v2(session.created_at),
        "lastUsedTime": format_v2(session.last_used_at),
        "expireTime": format_v2(session.expires_at),
        "userAgent": session.user_agent,
        "ip": session.address,
    }


# -- cookies ---------------------------------------------------------------------------------


def _cookie(backend: Backend, value: str, max_age: int) -> str:
    secure = "; Secure" if backend.settings.base_url.startswith("https://") else ""
    return f"{COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"


def _signed_on(backend: Backend, done: signon.SignedOn) -> Response:
    max_age = max(0, int((done.session.expires_at - done.session.created_at).total_seconds()))
    return json_response(
        signon_answer(done.user, done.token),
        headers={"Set-Cookie": _cookie(backend, done.token, max_age)},
    )


def _caller(request: Request) -> signon.Caller:
    return signon.Caller(
        address=request.client.host if request.client else None,
        user_agent=request.headers.get("user-agent"),
    )


# -- handlers --------------------------------------------------------------------------------


def sign_on(backend: Backend, request: Request, payload: Any) -> Any:
    # ``wc`` and ``remember`` in the query are accepted and ignored: sessions always last
    # ``session_days``.
    body = parse(SignOnBody, payload)
    result = signon.sign_on(backend, body.username, body.password, _caller(request))
    if isinstance(result, signon.SecondFactorNeeded):
        # Exactly these two keys: pyticktick recognises the 2FA branch by this shape alone.
        return {"authId": result.auth_id, "expireTime": int(result.expires_at.timestamp())}
    return _signed_on(backend, result)


def verify_code(backend: Backend, request: Request, payload: Any) -> Any:
    body = parse(VerifyBody, payload)
    auth_id = request.headers.get(VERIFY_HEADER, "").strip()
    if not auth_id:
        raise V2Error(400, "invalid_parameter", f"Missing header {VERIFY_HEADER}")
    done = signon.verify_second_factor(backend, auth_id, body.code, _caller(request))
    return _signed_on(backend, done)


def profile(backend: Backend, request: Request, _payload: Any) -> Any:
    return profile_answer(current_user(backend, request))


def status(backend: Backend, request: Request, _payload: Any) -> Any:
    return status_answer(current_user(backend, request))


def general_statistics(backend: Backend, request: Request, _payload: Any) -> Any:
    user = current_user(backend, request)
    return v2_statistics.answer(statistics.counts(backend, user))


def list_sessions(backend: Backend, request: Request, _payload: Any) -> Any:
    user, current = current_session(backend, request)
    return [session_answer(s, current) for s in sessions.list_for(backend, user["id"])]


def revoke_session(backend: Backend, request: Request, _payload: Any) -> Any:
    user: RowMapping = current_user(backend, request)
    raw = str(request.path_params["session_id"])
    if not raw.isdecimal() or len(raw) > 18:
        raise V2Error(404, "not_existed", "Session not found")
    sessions.revoke(backend, user["id"], int(raw))
    return Response(status_code=204)


def sign_out(backend: Backend, request: Request, _payload: Any) -> Any:
    user, current = current_session(backend, request)
    sessions.revoke(backend, user["id"], current.id)
    return Response(status_code=204, headers={"Set-Cookie": _cookie(backend, "", 0)})


def routes(prefix: str) -> list[BaseRoute]:
    return [
        Route(prefix + "/user/signon", endpoint(sign_on, body=True), methods=["POST"]),
        Route(
            prefix + "/user/sign/mfa/code/verify",
            endpoint(verify_code, body=True),
            methods=["POST"],
        ),
        Route(prefix + "/user/signout", endpoint(sign_out), methods=["POST"]),
        Route(prefix + "/user/profile", endpoint(profile), methods=["GET"]),
        Route(prefix + "/user/status", endpoint(status), methods=["GET"]),
        Route(prefix + "/statistics/general", endpoint(general_statistics), methods=["GET"]),
        Route(prefix + "/user/sessions", endpoint(list_sessions), methods=["GET"]),
        Route(
            prefix + "/user/sessions/{session_id}",
            endpoint(revoke_session),
            methods=["DELETE"],
        ),
    ]
