"""``taskhaven-sdk``: sign on, keep the tokens, and work offline-first from a terminal.

Settings come from ``TASKHAVEN_SDK_*`` (and ``--env-file``); tokens are kept in a 0600 file
(``--tokens``, default ``~/.config/taskhaven/tokens.json``) or the system keyring
(``--keyring``); the local copy and the command queue in ``--db``
(default ``~/.local/share/taskhaven/sdk.db``).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from taskhaven.sdk import commands
from taskhaven.sdk._exceptions import TaskhavenError
from taskhaven.sdk._offline import OfflineSync
from taskhaven.sdk._settings import Settings, TokenV1
from taskhaven.sdk._sync_client import SyncClient
from taskhaven.sdk._tokens import FileTokenStore, KeyringTokenStore, TokenStore

DEFAULT_TOKENS = "~/.config/taskhaven/tokens.json"
DEFAULT_DB = "~/.local/share/taskhaven/sdk.db"


def _store(args: argparse.Namespace) -> TokenStore:
    if args.keyring:
        return KeyringTokenStore()
    return FileTokenStore(Path(args.tokens).expanduser())


def _settings(args: argparse.Namespace, **values: Any) -> Settings:
    if args.env_file:
        values["_env_file"] = args.env_file
    return Settings.from_store(_store(args), **values)


def _save(args: argparse.Namespace, **tokens: Any) -> None:
    store = _store(args)
    store.save({**store.load(), **tokens})


def cmd_login(args: argparse.Namespace) -> int:
    """Sync API: log in with the password; keep the API token."""
    password = os.environ.get("TASKHAVEN_SDK_V2_PASSWORD") or getpass.getpass("Password: ")
    user = SyncClient.login(args.email, password, base_url=args.base_url)
    _save(args, sync_token=user.token)
    print(f"Logged in as {user.email}; the Sync API token is saved.")
    return 0


def cmd_signon(args: argparse.Namespace) -> int:
    """V2 with the password (and TOTP), or V1 through the browser; keep the token."""
    if args.api == "v2":
        settings = _settings(args)
        if settings.v2_token is None:
            print("Set TASKHAVEN_SDK_V2_USERNAME and TASKHAVEN_SDK_V2_PASSWORD.", file=sys.stderr)
            return 2
        _save(args, v2_token=settings.v2_token)
        print("Signed on to the V2 API; the session token is saved.")
        return 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "without a terminal": handled below
        settings = _settings(args, v1_token=None)  # a fresh token, not the saved one
    if settings.v1_client_id is None or settings.v1_client_secret is None:
        print("Set TASKHAVEN_SDK_V1_CLIENT_ID and TASKHAVEN_SDK_V1_CLIENT_SECRET.", file=sys.stderr)
        return 2
    v1 = settings.v1_token  # signed on while building when a terminal is at hand
    if v1 is None:
        token = Settings.v1_signon(
            settings.v1_client_id,
            settings.v1_client_secret.get_secret_value(),
            str(settings.v1_oauth_redirect_url),
            oauth_base_url=settings.oauth_base_url,
            open_browser=not args.no_browser,
        )
        expiration = int(time.time()) + token.expires_in
        v1 = TokenV1(value=token.access_token, expiration=expiration)
    _save(args, v1_token=v1.model_dump(mode="json"))
    print("Signed on to the V1 API; the token is saved.")
    return 0


def _offline(args: argparse.Namespace) -> OfflineSync:
    path = Path(args.db).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    return OfflineSync(SyncClient(_settings(args)), path)


def cmd_add(args: argparse.Namespace) -> int:
    """Queue an item, then try to send it (it stays queued when the server is out of reach)."""
    fields: dict[str, Any] = {}
    if args.project is not None:
        fields["project_id"] = args.project
    if args.date:
        fields["date_string"] = args.date
    if args.priority:
        fields["priority"] = args.priority
    local = _offline(args)
    local.enqueue(commands.item_add(args.content, **fields))
    try:
        local.sync()
    except TaskhavenError as exc:
        print(f"Queued; not sent yet ({exc.__class__.__name__}).", file=sys.stderr)
        return 0
    print("Added.")
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    """Send the queue and fetch what changed."""
    local = _offline(args)
    pushed = local.push()
    local.pull()
    print(f"Sent {pushed} command(s); {len(local.items())} item(s) here; "
          f"{len(local.rejected())} refused.")  # fmt: skip
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """The items of the local copy (run ``sync`` to refresh it)."""
    local = _offline(args)
    for item in sorted(local.items(), key=lambda i: (i.project_id, i.item_order)):
        done = "x" if item.checked else " "
        due = f"  ({item.date_string})" if item.date_string else ""
        print(f"[{done}] {item.id:>6}  {item.content}{due}")
    pending = len(local.pending())
    if pending:
        print(f"{pending} command(s) waiting to be sent.")
    return 0


def cmd_forget(args: argparse.Namespace) -> int:
    """Delete the saved tokens."""
    _store(args).delete()
    print("The saved tokens are deleted.")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="taskhaven-sdk", description=__doc__.split("\n")[0])
    top.add_argument("--tokens", default=DEFAULT_TOKENS, help="token file (mode 0600)")
    top.add_argument("--keyring", action="store_true", help="keep tokens in the system keyring")
    top.add_argument("--env-file", help="a .env file with TASKHAVEN_SDK_* settings")
    top.add_argument("--db", default=DEFAULT_DB, help="the local copy and command queue")
    sub = top.add_subparsers(dest="command", required=True)

    login = sub.add_parser("login", help=cmd_login.__doc__)
    login.add_argument("email")
    login.add_argument("--base-url", default=None, help="the Sync API's base URL")
    login.set_defaults(run=cmd_login)

    signon = sub.add_parser("signon", help=cmd_signon.__doc__)
    signon.add_argument("api", choices=["v1", "v2"])
    signon.add_argument("--no-browser", action="store_true", help="only print the URL")
    signon.set_defaults(run=cmd_signon)

    add = sub.add_parser("add", help=cmd_add.__doc__)
    add.add_argument("content")
    add.add_argument("--project", type=int, help="project id (default: the inbox)")
    add.add_argument("--date", help='due date in words, e.g. "tomorrow"')
    add.add_argument("--priority", type=int, choices=[1, 2, 3, 4], help="4 is the most urgent")
    add.set_defaults(run=cmd_add)

    for name, run in (("sync", cmd_sync), ("list", cmd_list), ("forget", cmd_forget)):
        sub.add_parser(name, help=run.__doc__).set_defaults(run=run)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        code: int = args.run(args)
    except (TaskhavenError, ValueError) as exc:
        print(f"taskhaven-sdk: {exc}", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())
