"""The ``taskhaven`` command line: run the server and manage accounts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from taskhaven.core.errors import DomainError
from taskhaven.settings import Settings

app = typer.Typer(help="taskhaven: a self-hostable task sync server.", no_args_is_help=True)
user_app = typer.Typer(help="Manage user accounts.", no_args_is_help=True)
app.add_typer(user_app, name="user")
totp_app = typer.Typer(help="Two-factor sign-on (TOTP) for the V2 API.", no_args_is_help=True)
user_app.add_typer(totp_app, name="totp")
app_app = typer.Typer(help="Applications that sign users on with OAuth2.", no_args_is_help=True)
app.add_typer(app_app, name="app")
task_app = typer.Typer(help="Tasks of a user.", no_args_is_help=True)
app.add_typer(task_app, name="task")
console = Console()
err_console = Console(stderr=True)


def _settings(database: str | None) -> Settings:
    settings = Settings()
    if database:
        settings = settings.model_copy(update={"database_url": database})
    return settings


def _backend(database: str | None):  # type: ignore[no-untyped-def]
    from taskhaven.core.backend import Backend

    backend = Backend(_settings(database))
    backend.migrate()
    return backend


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="TCP port.")] = None,
    database: Annotated[str | None, typer.Option(help="Database URL.")] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, max=256, help="Server processes sharing the port.")
    ] = None,
) -> None:
    """Start the server (migrations run at start-up)."""
    import uvicorn

    from taskhaven import serving
    from taskhaven.app import create_app
    from taskhaven.observability import metrics

    update: dict[str, object] = {}
    if host:
        update["host"] = host
    if port is not None:
        update["port"] = port
    if database:
        update["database_url"] = database
    if workers is not None:
        update["workers"] = workers
    try:
        # Options win over the environment; validated as a whole (one setting may refuse
        # another: in-memory limits with several workers).
        settings = Settings(**update)  # type: ignore[arg-type]
    except ValueError as exc:
        err_console.print(f"error: {exc}")
        raise typer.Exit(2) from exc
    console.print(
        f"taskhaven listening on http://{settings.host}:{settings.port}"
        + (f" ({settings.workers} workers)" if settings.workers > 1 else "")
    )
    metrics.prepare_multiprocess_dir()
    if settings.workers == 1:
        uvicorn.Server(serving.config(serving.settled(create_app(settings)), settings)).run()
        return
    _serve_workers(settings)


def _serve_workers(settings: Settings) -> None:
    """Run ``settings.workers`` processes on one listening socket (uvicorn's supervisor).

    The migrations run here, once, before any worker starts, and so does the creation of
    the server key; each worker still takes the migration lock and finds nothing to do.
    The workers are spawned (not forked) and read their settings from the environment.
    """
    import os

    from uvicorn.supervisors import Multiprocess

    from taskhaven import serving
    from taskhaven.core.backend import Backend

    backend = Backend(settings)
    try:
        backend.migrate()
    finally:
        backend.dispose()
    os.environ.update(
        {
            "TASKHAVEN_DATABASE_URL": settings.database_url,
            "TASKHAVEN_HOST": settings.host,
            "TASKHAVEN_PORT": str(settings.port),
            "TASKHAVEN_WORKERS": str(settings.workers),
        }
    )
    config = serving.config(
        "taskhaven.serving:worker_app", settings, factory=True, workers=settings.workers
    )
    Multiprocess(config, sockets=[config.bind_socket()]).run()


@user_app.command("create")
def user_create(
    email: str,
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, help="Password.")],
    name: Annotated[str, typer.Option(help="Full name.")] = "",
    database: Annotated[str | None, typer.Option(help="Database URL.")] = None,
) -> None:
    """Create a user and print their API token."""
    from taskhaven.core import sharing, users

    backend = _backend(database)
    try:
        _row, token = users.register(
            backend,
            email=email,
            password=password,
            full_name=name,
            welcome=sharing.deliver_pending,
        )
    except DomainError as exc:
        err_console.print(f"error: {exc.message}")
        raise typer.Exit(1) from exc
    console.print(token, highlight=False)


def _user_id(backend, email: str) -> int:  # type: ignore[no-untyped-def]
    from taskhaven.core import users

    with backend.read() as conn:
        row = users.by_email(conn, email)
    if row is None:
        err_console.print(f"error: no user with e-mail {email}")
        raise typer.Exit(1)
    return int(row["id"])


@totp_app.command("enable")
def totp_enable(
    email: str,
    database: Annotated[str | None, typer.Option(help="Database URL.")] = None,
) -> None:
    """Give a user a new TOTP secret; print it and its otpauth:// URI (shown only once)."""
    from taskhaven.core import totp

    backend = _backend(database)
    enrollment = totp.enable(backend, _user_id(backend, email))
    console.print(f"secret: {enrollment.secret}", highlight=False)
    console.print(f"uri: {enrollment.uri}", highlight=False, soft_wrap=True)


@totp_app.command("disable")
def totp_disable(
    email: str,
    database: Annotated[str | None, typer.Option(help="Database URL.")] = None,
) -> None:
    """Switch a user's second factor off (sign-on needs only the password again)."""
    from taskhaven.core import totp

    backend = _backend(database)
    was_on = totp.disable(backend, _user_id(backend, email))
    console.print("TOTP disabled" if was_on else "TOTP was not enabled", highlight=False)


Database = Annotated[str | None, typer.Option(help="Database URL.")]


def _print_json(data: object) -> None:
    import json

    typer.echo(json.dumps(data, indent=2))


@app_app.command("create")
def app_create(
    name: str,
    redirect_uri: Annotated[
        list[str],
        typer.Option("--redirect-uri", help="A redirect URI the app may use (repeatable)."),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    database: Database = None,
) -> None:
    """Register an app; print its client_id and client_secret (the secret is shown once)."""
    from taskhaven.core.oauth import apps

    backend = _backend(database)
    try:
        registered, secret = apps.create(backend, name, redirect_uri)
    except DomainError as exc:
        err_console.print(f"error: {exc.message}")
        raise typer.Exit(1) from exc
    if as_json:
        _print_json(
            {
                "client_id": registered.client_id,
                "client_secret": secret,
                "name": registered.name,
                "redirect_uris": list(registered.redirect_uris),
            }
        )
        return
    console.print(f"client_id: {registered.client_id}", highlight=False)
    console.print(f"client_secret: {secret}", highlight=False)
    console.print("(the secret is stored hashed and will not be shown again)", highlight=False)


@app_app.command("list")
def app_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    database: Database = None,
) -> None:
    """List the registered apps (never their secrets)."""
    from taskhaven.core.oauth import apps

    found = apps.all_apps(_backend(database))
    if as_json:
        _print_json(
            [
                {
                    "client_id": a.client_id,
                    "name": a.name,
                    "redirect_uris": list(a.redirect_uris),
                    "created_at": a.created_at.isoformat(),
                }
                for a in found
            ]
        )
        return
    for a in found:
        console.print(f"{a.client_id}  {a.name}  {' '.join(a.redirect_uris)}", highlight=False)


@app_app.command("delete")
def app_delete(client_id: str, database: Database = None) -> None:
    """Delete an app with every code and token it holds."""
    from taskhaven.core.oauth import apps

    try:
        apps.delete_app(_backend(database), client_id)
    except DomainError as exc:
        err_console.print(f"error: no app with client_id {client_id}")
        raise typer.Exit(1) from exc
    console.print("app deleted", highlight=False)


@app_app.command("rotate-secret")
def app_rotate_secret(client_id: str, database: Database = None) -> None:
    """Give an app a new client secret (the old one stops working); print it once."""
    from taskhaven.core.oauth import apps

    try:
        secret = apps.rotate_secret(_backend(database), client_id)
    except DomainError as exc:
        err_console.print(f"error: no app with client_id {client_id}")
        raise typer.Exit(1) from exc
    console.print(f"client_secret: {secret}", highlight=False)


@user_app.command("rotate-token")
def user_rotate_token(email: str, database: Database = None) -> None:
    """Give a user a new API token (the old one stops working at once); print it."""
    from taskhaven.core import users

    backend = _backend(database)
    with backend.read() as conn:
        row = users.get(conn, _user_id(backend, email))
    console.print(f"api_token: {users.rotate_api_token(backend, row)}", highlight=False)


@user_app.command("grants")
def user_grants(
    email: str,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    database: Database = None,
) -> None:
    """List the apps a user authorised, with their scopes."""
    from taskhaven.core.oauth import grants

    backend = _backend(database)
    found = grants.grants_for(backend, _user_id(backend, email))
    if as_json:
        _print_json(
            [
                {
                    "client_id": g.client_id,
                    "app": g.app_name,
                    "scope": " ".join(g.scopes),
                    "tokens": g.tokens,
                    "granted_at": g.first_granted_at.isoformat(),
                    "expires_at": g.expires_at.isoformat(),
                }
                for g in found
            ]
        )
        return
    for g in found:
        console.print(
            f"{g.client_id}  {g.app_name}  {' '.join(g.scopes)}  expires {g.expires_at:%Y-%m-%d}",
            highlight=False,
        )


@user_app.command("revoke-grant")
def user_revoke_grant(email: str, client_id: str, database: Database = None) -> None:
    """Revoke every token a user gave an app."""
    from taskhaven.core.oauth import grants

    backend = _backend(database)
    try:
        count = grants.revoke_grant(backend, _user_id(backend, email), client_id)
    except DomainError as exc:
        err_console.print(f"error: the user granted nothing to app {client_id}")
        raise typer.Exit(1) from exc
    console.print(f"revoked {count} token(s)", highlight=False)


@app.command()
def backup(
    file: Annotated[Path, typer.Argument(help="Where to write the backup (replaced).")],
    logical: Annotated[
        bool, typer.Option(help="A logical export (restores into either database).")
    ] = False,
    database: Database = None,
) -> None:
    """Write a consistent snapshot of the database to FILE while the server runs."""
    from taskhaven.store import backup as backups

    try:
        made = backups.backup(_settings(database).database_url, file, logical=logical)
    except backups.BackupError as exc:
        err_console.print(f"error: {exc}")
        raise typer.Exit(1) from exc
    console.print(f"backup written to {file} ({made})", highlight=False)


@app.command()
def restore(
    file: Annotated[Path, typer.Argument(help="A backup written by `taskhaven backup`.")],
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite a database that holds data.")
    ] = False,
    database: Database = None,
) -> None:
    """Replace the database with the backup in FILE (stop the server first)."""
    from taskhaven.store import backup as backups

    try:
        made = backups.restore(_settings(database).database_url, file, force=force)
    except backups.BackupError as exc:
        err_console.print(f"error: {exc}")
        raise typer.Exit(1) from exc
    console.print(f"restored from {file} ({made})", highlight=False)


@user_app.command("export")
def user_export(
    email: str,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")
    ] = None,
    database: Database = None,
) -> None:
    """Print (or write) all of a user's data as JSON."""
    import json

    from taskhaven.core import export

    backend = _backend(database)
    user_id = _user_id(backend, email)
    with backend.read() as conn:
        data = export.export_user(backend, conn, user_id)
    text = json.dumps(data, ensure_ascii=False, indent=1)
    if output is None:
        typer.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")


@user_app.command("import")
def user_import(
    email: str,
    file: Annotated[Path, typer.Argument(help="A file written by `taskhaven user export`.")],
    database: Database = None,
) -> None:
    """Import a user export into the account EMAIL (created when missing)."""
    import json

    from taskhaven.core import export

    backend = _backend(database)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        err_console.print(f"error: cannot read {file}: {exc}")
        raise typer.Exit(1) from exc
    try:
        imported = export.import_user(backend, email, data)
    except DomainError as exc:
        err_console.print(f"error: {exc.message}")
        raise typer.Exit(1) from exc
    counts = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in imported.counts.items())
    console.print(f"imported {counts}", highlight=False)
    if imported.token:
        console.print(f"new account; API token: {imported.token}", highlight=False)


@task_app.command("add")
def task_add(
    email: str,
    text: str,
    note: Annotated[str | None, typer.Option(help="A note on the new task.")] = None,
    reminder: Annotated[
        str | None, typer.Option(help="An absolute reminder, in free text.")
    ] = None,
    database: Database = None,
) -> None:
    """Add a task from one quick-add line ("Pay rent every 1st at 9am p1 #Home @bills")
    and print it as JSON (the Sync API's item)."""
    from taskhaven.api.todoist.v6 import render
    from taskhaven.core import items

    backend = _backend(database)
    user_id = _user_id(backend, email)
    try:
        with backend.write(user_id) as unit:
            row = items.quick_add(unit, text, note=note, reminder=reminder)
    except DomainError as exc:
        err_console.print(f"error: {exc.message}")
        raise typer.Exit(1) from exc
    _print_json(render.item(row))


if __name__ == "__main__":
    app()
