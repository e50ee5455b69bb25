"""The ``taskhaven`` command line: run the server and manage accounts."""

from __future__ import annotations

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
) -> None:
    """Start the server (migrations run at start-up)."""
    import uvicorn

    from taskhaven.app import create_app

    settings = _settings(database)
    update: dict[str, object] = {}
    if host:
        update["host"] = host
    if port is not None:
        update["port"] = port
    settings = settings.model_copy(update=update)
    console.print(f"taskhaven listening on http://{settings.host}:{settings.port}")
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        proxy_headers=True,
    )


@user_app.command("create")
def user_create(
    email: str,
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, help="Password.")],
    name: Annotated[str, typer.Option(help="Full name.")] = "",
    database: Annotated[str | None, typer.Option(help="Database URL.")] = None,
) -> None:
    """Create a user and print their API token."""
    from taskhaven.core import users

    backend = _backend(database)
    try:
        _row, token = users.register(backend, email=email, password=password, full_name=name)
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


if __name__ == "__main__":
    app()
