"""``MountIndex`` answers every path as Starlette's router would: the same app reached, with
the same scope, for any path; and it refuses a route table whose answer would depend on
the order of its routes."""

from __future__ import annotations

import string

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.testclient import TestClient

from taskhaven.app import any_character
from taskhaven.middleware.mounts import MountIndex


def echo(name: str) -> Starlette:
    """A mounted app that tells what it was handed."""

    async def show(request: Request) -> JSONResponse:
        scope = request.scope
        return JSONResponse(
            {
                "app": name,
                "root_path": scope["root_path"],
                "path": scope["path"],
                "path_params": scope["path_params"],
                "app_root_path": scope.get("app_root_path"),
                "url": str(request.url),
            }
        )

    return Starlette(routes=[Route("/", show), Route("/{rest:path}", show, methods=["GET"])])


async def health(_request: Request) -> PlainTextResponse:
    return PlainTextResponse("ok")


def routes() -> list[BaseRoute]:
    # As the app's own table: a mount's rest of the path may hold a newline.
    return any_character(
        [
            Route("/healthz", health),
            Mount("/API/v6", app=echo("v6")),
            Mount("/api/v2", app=echo("v2")),
            Mount("/oauth", app=echo("oauth")),
        ]
    )


def app(indexed: bool) -> Starlette:
    table = routes()
    middleware = [Middleware(MountIndex, routes=table)] if indexed else []
    return Starlette(routes=table, middleware=middleware)


PLAIN, INDEXED = TestClient(app(False)), TestClient(app(True))
SEGMENTS = st.one_of(
    st.sampled_from(["API", "v6", "api", "v2", "oauth", "healthz", "", "x", "%2F", "a%0Ab", "%0A"]),
    st.text(string.ascii_letters + "%-._~", max_size=6),
)


@settings(max_examples=300)
@given(st.lists(SEGMENTS, min_size=1, max_size=5), st.sampled_from(["GET", "POST"]))
def test_every_path_is_answered_as_the_router_answers_it(segments: list[str], method: str) -> None:
    path = "/" + "/".join(segments)
    assume(not path.startswith("//"))  # not a relative URL (the app collapses these first)
    plain = PLAIN.request(method, path, follow_redirects=False)
    indexed = INDEXED.request(method, path, follow_redirects=False)
    assert (indexed.status_code, indexed.content) == (plain.status_code, plain.content), path
    assert indexed.headers.get("location") == plain.headers.get("location")


def test_a_path_under_a_mount_reaches_it_with_the_mounts_scope() -> None:
    answer = INDEXED.get("/API/v6/sync").json()
    assert answer["app"] == "v6"
    assert (answer["root_path"], answer["path"]) == ("/API/v6", "/API/v6/sync")
    assert answer["path_params"] == {"rest": "sync"}


@pytest.mark.parametrize(
    "table",
    [
        [Mount("/api", app=echo("a")), Route("/api/ping", health)],
        [Route("/api/v2/ping", health), Mount("/api/v2", app=echo("a"))],
        [Mount("/api", app=echo("a")), Mount("/api/v2", app=echo("b"))],
    ],
)
def test_a_table_whose_answer_depends_on_route_order_is_refused(table: list[BaseRoute]) -> None:
    with pytest.raises(ValueError, match="under mount"):
        MountIndex(echo("x"), table)
