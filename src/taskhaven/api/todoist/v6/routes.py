"""The Sync API's HTTP surface, mounted at ``/API/v6`` (and ``/api/v6``).

Every path accepts GET and POST, with parameters from the query string or the body.
``HANDLERS`` is the whole table of calls: ``sync``, the sign-on calls, and the standard calls.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import RowMapping
from starlette.requests import Request
from starlette.routing import Route

from taskhaven.api.todoist.v6 import render, unchanged
from taskhaven.api.todoist.v6.commands import COMMANDS
from taskhaven.api.todoist.v6.http import (
    NEVER,
    READ,
    Endpoint,
    Handler,
    authenticate,
    command_scopes,
    credential,
    render_error,
)
from taskhaven.api.todoist.v6.params import Params
from taskhaven.api.todoist.v6.standard import STANDARD
from taskhaven.api.todoist.v6.sync import (
    handle_sync,
    needs_rows,
    parse_commands,
    read,
    sync_reads,
    wanted_types,
)
from taskhaven.core import export, ratelimit, reader, sharing, signon, users
from taskhaven.core.backend import Backend, utcnow
from taskhaven.core.limits import ReadTooLarge
from taskhaven.core.oauth import scopes
from taskhaven.middleware.protocol import ProtocolApp, protocol_app
from taskhaven.observability import metrics


def sync(backend: Backend, params: Params, request: Request) -> Any:
    start: reader.Start | None = getattr(request.state, "sync_start", None)
    if start is None:
        # The token, the user, the counter and the marks in one statement.
        start = reader.by_api_token(backend, params.raw("token") or "")
    if start is not None:
        user, held = start.user, None
    else:
        user, held = credential(backend, params)
    batch = parse_commands(params, backend.settings.max_commands_per_request)
    if held is not None:
        # An app's token: every command and the read must be within its scopes, checked
        # before anything runs (a read-only token cannot commit at all).
        for cmd in batch:
            scopes.require(held, *command_scopes(cmd["type"]))
        if wanted_types(params.json("resource_types")):
            scopes.require(held, *READ)
    settings = backend.settings
    if batch:
        # Writes have their own, much higher ceiling: a refused commit can cost a client
        # its queue, so the read limit never applies to one (docs/security.md).
        ratelimit.hit(backend, f"v6-write:{user['id']}", settings.write_rate_limit_per_minute)
    elif not getattr(request.state, "sync_counted", False):
        ratelimit.hit(backend, f"v6-sync:{user['id']}", settings.sync_rate_limit_per_minute)
    answer = handle_sync(backend, user, params, start)
    if batch:
        metrics.observe_commands(COMMANDS, batch, answer["SyncStatus"])
    # Full or incremental by the cursor the client sent (0: it holds nothing yet).
    metrics.observe_read(answer, full=not params.integer("seq_no", 0))
    return answer


# The most rows of one kind an incremental sync reads on the event loop; one that finds
# more is read again in the thread pool.
LOOP_ROWS = 50


def sync_inline(backend: Backend, params: Params, request: Request) -> Any | None:
    """An incremental sync answered on the event loop, on the loop's own connection: with
    nothing new, from one statement (token, user, counter, marks); with a few changes, by a
    read bounded to ``LOOP_ROWS`` rows per kind of the user's own rows. None hands the
    request to ``sync`` in the thread pool: anything that writes (commands, a rate counter
    that may wait: SQLite's or Redis's), a full sync, and any read the bound refuses
    (docs/performance.md, the read path)."""
    if params.raw("commands") not in (None, "", "[]"):
        return None
    limit = backend.settings.sync_rate_limit_per_minute
    if limit > 0 and not ratelimit.counts_on_loop(backend):
        return None  # the count may wait (ratelimit.counts_on_loop)
    start = reader.by_api_token(backend, params.raw("token") or "")
    if start is None:
        return None  # not the account's token (an app's, or none): the pool decides
    request.state.sync_start = start
    types, since = sync_reads(params)
    day_orders = params.text("day_orders_timestamp")
    if not needs_rows(start, types, since, day_orders):
        ratelimit.hit(backend, f"v6-sync:{start.user['id']}", limit)
        return unchanged.answer(backend, start, types, since, day_orders)
    if since == 0:
        return None  # a full sync: as long as the account
    # Counted once: a read handed on below is not counted again by ``sync``.
    ratelimit.hit(backend, f"v6-sync:{start.user['id']}", limit)
    request.state.sync_counted = True
    token, loop_read = start.token, backend.loop_read
    try:
        head = read(backend, start.user, types, since, day_orders, token, start, loop_read,
                    at_most=LOOP_ROWS, with_start_fields=False)  # fmt: skip
    except ReadTooLarge:
        return None
    return unchanged.with_changes(backend, start, types, head)


def _user_with_token(backend: Backend, row: RowMapping, token: str) -> dict[str, Any]:
    now = utcnow()
    with backend.read() as conn:
        done_today = users.completed_today(conn, row, now)
    data = render.user(row, token, now, done_today)
    data["api_token"] = token
    data["seq_no"] = 0
    return data


def _caller(request: Request) -> signon.Caller:
    return signon.Caller(
        address=request.client.host if request.client else None,
        user_agent=request.headers.get("user-agent"),
    )


def login(backend: Backend, params: Params, request: Request) -> Any:
    row = signon.check_password(
        backend, params.required("email"), params.required("password"), _caller(request)
    )
    return _user_with_token(backend, row, users.token_after_login(backend, row))


def register(backend: Backend, params: Params, _request: Request) -> Any:
    row, token = users.register(
        backend,
        email=params.required("email"),
        password=params.required("password"),
        full_name=params.text("full_name", "") or "",
        timezone=params.text("timezone", "UTC") or "UTC",
        lang=params.text("lang", "en") or "en",
        welcome=sharing.deliver_pending,
    )
    return _user_with_token(backend, row, token)


def delete_user(backend: Backend, params: Params, request: Request) -> Any:
    user = authenticate(backend, params, NEVER)
    signon.delete_account(backend, user, params.required("current_password"), _caller(request))
    return "ok"


def export_data(backend: Backend, params: Params, request: Request) -> Any:
    """The caller's data as ``taskhaven user export`` writes it; the account's own token and
    its password, never an app's token (the export holds the password hash and every file)."""
    user = authenticate(backend, params, NEVER)
    signon.confirm_password(backend, user, params.required("current_password"), _caller(request))
    with backend.read() as conn:
        return export.export_user(backend, conn, user["id"])


HANDLERS: dict[str, Handler] = {
    "sync": sync,
    "login": login,
    "register": register,
    "delete_user": delete_user,
    "export_data": export_data,
    **STANDARD,
}


INLINE = {"sync": sync_inline}


def routes() -> list[Route]:
    """One route per call, relative to the mount point."""
    return [
        Route("/" + name, Endpoint(handler, name, INLINE.get(name)), methods=["GET", "POST"])
        for name, handler in HANDLERS.items()
    ]


def create_app(backend: Backend) -> ProtocolApp:
    """The Sync API as its own app: its routes and the ``{"error_code", "error"}`` format."""
    return protocol_app(routes(), render_error, backend)
