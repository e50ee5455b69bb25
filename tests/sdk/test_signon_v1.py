"""V1 OAuth sign-on: PKCE, derived URLs, the loopback listener and the pasted-URL fallback.

The provider is an `httpx.MockTransport` following the spec (§1.2 and RFC 6749/7636); the
"browser" is an HTTP client that follows the authorize URL to the redirect.
"""

from __future__ import annotations

import base64
import hashlib
import threading
import uuid
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from taskhaven.sdk import (
    APIError,
    OAuthError,
    OAuthTokenV1,
    ResponseValidationError,
    Settings,
    _oauth,
)
from taskhaven.sdk._oauth import Authorization, authorize, is_loopback, oauth_base_for
from tests.servers import free_port

ACCESS = str(uuid.uuid4())


class Provider:
    """A minimal authorization server: one client, codes bound to the PKCE challenge."""

    def __init__(self, token_answer: dict[str, Any] | None = None) -> None:
        self.codes: dict[str, dict[str, str]] = {}
        self.token_requests: list[httpx.Request] = []
        self.token_answer = token_answer or {
            "access_token": ACCESS, "token_type": "Bearer", "expires_in": 15552000,
            "scope": "tasks:read tasks:write", "refresh_token": "ignored",
        }  # fmt: skip

    def authorize(self, url: str, *, deny: bool = False) -> str:
        """Where the authorize page redirects the browser after the user's choice."""
        query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        assert query["response_type"] == "code"
        assert query["code_challenge_method"] == "S256"
        assert query["scope"] == "tasks:read tasks:write"
        if deny:
            answer = {"error": "access_denied", "state": query["state"]}
        else:
            code = uuid.uuid4().hex[:6]
            self.codes[code] = query
            answer = {"code": code, "state": query["state"]}
        return query["redirect_uri"] + "?" + urlencode(answer)

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/authorize":
            return httpx.Response(302, headers={"Location": self.authorize(str(request.url))})
        assert request.url.path == "/oauth/token"
        self.token_requests.append(request)
        form = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
        basic = request.headers["authorization"].removeprefix("Basic ")
        assert base64.b64decode(basic).decode() == "cid:csecret"
        granted = self.codes.pop(form["code"], None)
        if granted is None:
            return httpx.Response(400, json={"error": "invalid_grant"})
        digest = hashlib.sha256(form["code_verifier"].encode()).digest()
        if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != granted["code_challenge"]:
            return httpx.Response(400, json={"error": "invalid_grant"})
        assert form["redirect_uri"] == granted["redirect_uri"]
        assert form["grant_type"] == "authorization_code"
        return httpx.Response(200, json=self.token_answer)

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self.handle))


def test_oauth_urls_derive_from_the_v1_base() -> None:
    assert oauth_base_for("http://127.0.0.1:8000/open/v1/") == "http://127.0.0.1:8000/oauth/"
    assert oauth_base_for("https://api.example.com/open/v1") == "https://api.example.com/oauth/"
    auth = Authorization("cid", "http://127.0.0.1:8080/", "https://auth.example.com/x/")
    assert auth.url.startswith("https://auth.example.com/x/authorize?client_id=cid&")


def test_pkce_pairs_follow_rfc_7636() -> None:
    verifier, challenge = _oauth.pkce_pair()
    assert 43 <= len(verifier) <= 128
    digest = hashlib.sha256(verifier.encode()).digest()
    assert challenge == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    assert _oauth.pkce_pair() != (verifier, challenge)


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:8080/", True),
        ("http://127.1.2.3:8080/cb", True),
        ("http://[::1]:8080/", True),
        ("http://localhost:8080/", True),
        ("https://127.0.0.1:8080/", False),
        ("http://example.com/", False),
        ("com.example.app:/cb", False),
    ],
)
def test_loopback_redirect_uris(url: str, loopback: bool) -> None:
    assert is_loopback(url) is loopback


def test_the_redirects_state_must_match() -> None:
    auth = Authorization("cid", "http://127.0.0.1:8080/", "http://h/oauth/")
    assert auth.code_from(f"http://127.0.0.1:8080/?code=abc&state={auth.state}") == "abc"
    with pytest.raises(OAuthError, match="state"):
        auth.code_from("http://127.0.0.1:8080/?code=abc&state=None")
    with pytest.raises(OAuthError, match="No `code`"):
        auth.code_from(f"http://127.0.0.1:8080/?state={auth.state}")
    with pytest.raises(OAuthError, match="access_denied"):
        auth.code_from(f"http://127.0.0.1:8080/?error=access_denied&state={auth.state}")


def browser_following(provider: Provider) -> Any:
    """A browser: opens the authorize URL and follows the redirect to the loopback listener."""

    def open_browser(url: str) -> bool:
        def run() -> None:
            location = provider.authorize(url)
            httpx.get(location, timeout=10)

        threading.Thread(target=run, daemon=True).start()
        return True

    return open_browser


def no_prompt(_: str) -> str:
    raise AssertionError("asked for the URL although the listener caught it")


def test_the_loopback_listener_catches_the_redirect_end_to_end() -> None:
    provider = Provider()
    redirect = f"http://127.0.0.1:{free_port()}/callback"
    auth = Authorization("cid", redirect, "http://auth.test/oauth/")
    printed: list[str] = []
    code = authorize(
        auth, open_browser=browser_following(provider), prompt=no_prompt,
        echo=printed.append, timeout=10,
    )  # fmt: skip
    assert code in provider.codes
    token = _oauth.exchange(auth, code, "csecret", client=provider.client())
    assert str(token.access_token) == ACCESS and token.token_type == "bearer"
    assert auth.url in printed[0]
    assert all(code not in line for line in printed)  # the code is never printed


def test_the_listener_answers_404_elsewhere_and_keeps_waiting() -> None:
    port = free_port()
    listener = _oauth.LoopbackListener(f"http://127.0.0.1:{port}/callback")
    try:
        assert httpx.get(f"http://127.0.0.1:{port}/favicon.ico").status_code == 404
        assert listener.wait(0.1) is None
        page = httpx.get(f"http://127.0.0.1:{port}/callback?code=x&state=y")
        assert page.status_code == 200 and "close this window" in page.text
        assert listener.wait(1) == f"http://127.0.0.1:{port}/callback?code=x&state=y"
    finally:
        listener.close()


def test_a_taken_port_falls_back_to_the_pasted_url() -> None:
    provider = Provider()
    blocker = _oauth.LoopbackListener(f"http://127.0.0.1:{free_port()}/")
    try:
        redirect = f"http://127.0.0.1:{blocker.port}/"
        auth = Authorization("cid", redirect, "http://auth.test/oauth/")
        pasted: list[str] = []

        def prompt(question: str) -> str:
            pasted.append(provider.authorize(auth.url))
            return pasted[-1]

        code = authorize(auth, open_browser=None, prompt=prompt, echo=lambda _: None)
        assert pasted and code in provider.codes
    finally:
        blocker.close()


def test_a_non_loopback_redirect_asks_for_the_pasted_url() -> None:
    provider = Provider()
    auth = Authorization("cid", "https://app.example.com/cb", "http://auth.test/oauth/")
    code = authorize(
        auth, open_browser=lambda _: False, prompt=lambda _: provider.authorize(auth.url),
        echo=lambda _: None,
    )  # fmt: skip
    assert code in provider.codes


def test_nothing_within_the_timeout_falls_back_to_the_pasted_url() -> None:
    provider = Provider()
    auth = Authorization("cid", f"http://127.0.0.1:{free_port()}/", "http://auth.test/oauth/")
    code = authorize(
        auth, open_browser=None, prompt=lambda _: provider.authorize(auth.url),
        echo=lambda _: None, timeout=0.2,
    )  # fmt: skip
    assert code in provider.codes


def test_a_denied_authorization() -> None:
    provider = Provider()
    auth = Authorization("cid", "https://app.example.com/cb", "http://auth.test/oauth/")
    with pytest.raises(OAuthError, match="access_denied"):
        authorize(
            auth, open_browser=None, prompt=lambda _: provider.authorize(auth.url, deny=True),
            echo=lambda _: None,
        )  # fmt: skip


def test_a_wrong_verifier_is_refused_by_the_provider() -> None:
    provider = Provider()
    auth = Authorization("cid", "https://app.example.com/cb", "http://auth.test/oauth/")
    code = auth.code_from(provider.authorize(auth.url))
    auth.verifier = "x" * 64
    with pytest.raises(APIError) as caught:
        _oauth.exchange(auth, code, "csecret", client=provider.client())
    assert caught.value.status_code == 400 and caught.value.code == "invalid_grant"


def test_a_token_answer_that_is_no_uuid4_is_refused() -> None:
    provider = Provider({"access_token": "abc", "token_type": "bearer", "expires_in": 1})
    auth = Authorization("cid", "https://app.example.com/cb", "http://auth.test/oauth/")
    code = auth.code_from(provider.authorize(auth.url))
    with pytest.raises(ResponseValidationError):
        _oauth.exchange(auth, code, "csecret", client=provider.client())


def test_v1_signon_runs_the_whole_flow(monkeypatch: pytest.MonkeyPatch) -> None:
    provider = Provider()
    monkeypatch.setattr("webbrowser.open", browser_following(provider))
    monkeypatch.setattr("builtins.input", no_prompt)
    redirect = f"http://127.0.0.1:{free_port()}/"
    token = Settings.v1_signon(
        "cid", "csecret", redirect, oauth_base_url="http://auth.test/oauth/",
        client=provider.client(), timeout=10,
    )  # fmt: skip
    assert isinstance(token, OAuthTokenV1)
    assert str(token.access_token) == ACCESS and token.expires_in == 15552000
    request = provider.token_requests[0]
    assert str(request.url) == "http://auth.test/oauth/token"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
