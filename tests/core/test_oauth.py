"""core/oauth without HTTP: scope rules, codes and tokens."""

from __future__ import annotations

import uuid

import pytest

from taskhaven.core.backend import Backend
from taskhaven.core.errors import AuthenticationFailed, Forbidden, InvalidArgument, NotFound
from taskhaven.core.oauth import apps, grants, scopes
from taskhaven.store.schema import oauth_apps, oauth_codes, oauth_tokens


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tasks:write tasks:read", ("tasks:read", "tasks:write")),
        ("data:read,data:delete", ("data:read", "data:delete")),
        ("task:add  task:add", ("task:add",)),
    ],
)
def test_scopes_parse_to_catalogue_order(text: str, expected: tuple[str, ...]) -> None:
    assert scopes.parse(text) == expected


@pytest.mark.parametrize("text", [None, "", "admin", "tasks:read data:read", "x" * 300, " , "])
def test_bad_scopes(text: str | None) -> None:
    with pytest.raises(InvalidArgument):
        scopes.parse(text)


def test_require() -> None:
    scopes.require(None, "data:delete")  # the account's own token
    scopes.require(("data:read_write",), "data:read")  # implied
    with pytest.raises(Forbidden):
        scopes.require(("data:read",), "data:read_write")
    with pytest.raises(Forbidden):
        scopes.require(("data:read_write",))  # nothing an app may do


def test_secrets_codes_and_tokens_are_stored_by_digest(backend: Backend, user_id: int) -> None:
    app, secret = apps.create(backend, "Digest", ["https://a.example/cb"])
    code = grants.new_code()
    grants.store_code(backend, code, app, user_id, ("tasks:read",), redirect_uri=None)
    token = grants.new_token("uuid4")
    assert uuid.UUID(token).version == 4
    found = grants.redeem_code(backend, app, code)
    assert found is not None
    grants.store_token(backend, token, app.id, user_id, found.scopes, code_id=found.id)
    with backend.read() as conn:
        stored = " ".join(
            str(value)
            for table in (oauth_apps, oauth_codes, oauth_tokens)
            for row in conn.execute(table.select()).all()
            for value in row
        )
    assert secret not in stored and code not in stored and token not in stored
    grant = grants.authenticate(backend, token, family=scopes.TICKTICK)
    assert (grant.user_id, grant.scopes) == (user_id, ("tasks:read",))
    with pytest.raises(AuthenticationFailed):
        grants.authenticate(backend, token, family=scopes.TODOIST)


def test_revoke_grant_is_scoped_to_the_user(backend: Backend, user_id: int) -> None:
    app, _secret = apps.create(backend, "Scoped", ["https://a.example/cb"])
    token = grants.new_token("hex40")
    grants.store_token(backend, token, app.id, user_id, ("data:read",), code_id=None)
    with pytest.raises(NotFound):
        grants.revoke_grant(backend, user_id + 10_000, app.client_id)
    grants.authenticate(backend, token)
    assert grants.revoke_grant(backend, user_id, app.client_id) == 1
    with pytest.raises(AuthenticationFailed):
        grants.authenticate(backend, token)


@pytest.mark.parametrize(
    "uri",
    [
        "javascript:alert(1)",
        "https://a.example/cb#frag",
        "relative/path",
        "https:///nohost",
        'https://a.example/"x',
        "https://a.example/a;b",
        "https://a.example/ space",
    ],
)
def test_unusable_redirect_uris(uri: str) -> None:
    with pytest.raises(InvalidArgument):
        apps.check_redirect_uri(uri)


def test_native_and_loopback_redirect_uris_are_fine() -> None:
    for uri in ("http://127.0.0.1:8080/", "com.example.app:/oauth", "https://a.example/cb?x=1"):
        assert apps.check_redirect_uri(uri) == uri
