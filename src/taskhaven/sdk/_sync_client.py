"""`SyncClient` and `AsyncSyncClient`: the Sync API (Todoist v6 style), fully typed.

`sync` reads; `commit` sends commands, at most `MAX_COMMANDS` per request (a longer list is
split; temp ids of an earlier part stay valid in later parts, the server remembers them).
Commits are retried after a failure because every command carries a uuid the server runs
only once; a repeat answers with the stored outcome.
"""

from __future__ import annotations

import json
import os
import webbrowser
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import httpx

from taskhaven.sdk import _oauth
from taskhaven.sdk._call import Call
from taskhaven.sdk._client_base import AwaitingClient, BlockingClient
from taskhaven.sdk._http import SyncTransport, validate
from taskhaven.sdk._settings import DEFAULT_SYNC_BASE_URL, Settings
from taskhaven.sdk.models.oauth import SYNC_SCOPE, OAuthTokenSync
from taskhaven.sdk.models.sync import (
    Backup,
    BusinessInvitation,
    Command,
    CompletedItems,
    FilterInfo,
    Item,
    ItemInfo,
    LabelInfo,
    LoginUser,
    NoteInfo,
    NotificationSetting,
    ProductivityStats,
    ProjectInfo,
    QueryResult,
    RedirectLink,
    ReminderInfo,
    SyncResponse,
    TemplateFile,
    TemplateStatus,
    Upload,
    UploadEntry,
)

T = TypeVar("T")
MAX_COMMANDS = 100
ALL = ("all",)


def chunks(commands: Sequence[Command], size: int = MAX_COMMANDS) -> list[Sequence[Command]]:
    """`commands` in order, in parts of at most `size`."""
    return [commands[i : i + size] for i in range(0, len(commands), size)]


def merge(answers: Sequence[SyncResponse]) -> SyncResponse:
    """One answer for a commit sent in parts: every status and temp id, the last seq_no."""
    status: dict[str, Any] = {}
    mapping: dict[str, int] = {}
    for answer in answers:
        status.update(answer.sync_status or {})
        mapping.update(answer.temp_id_mapping or {})
    last = answers[-1]
    return last.model_copy(update={"sync_status": status, "temp_id_mapping": mapping})


class _SyncCalls:
    """Every Sync API call as a `Call` with its parameters (the token is added by the client)."""

    @staticmethod
    def sync(
        resource_types: Iterable[str] | None,
        seq_no: int,
        seq_no_global: int | None,
        day_orders_timestamp: str | None,
        commands: Sequence[Command] | None,
    ) -> Call[SyncResponse]:
        if commands and len(commands) > MAX_COMMANDS:
            raise ValueError(f"at most {MAX_COMMANDS} commands per request: use commit()")
        data: dict[str, Any] = {"seq_no": seq_no, "seq_no_global": seq_no_global or seq_no}
        if resource_types is not None:
            data["resource_types"] = json.dumps(list(resource_types))
        if day_orders_timestamp is not None:
            data["day_orders_timestamp"] = day_orders_timestamp
        if commands:
            data["commands"] = json.dumps([c.wire() for c in commands])
        # Safe to repeat: a read, or commands whose uuids the server runs once.
        return Call("POST", "sync", SyncResponse, data=data, safe=True)

    @staticmethod
    def commit(part: Sequence[Command]) -> Call[SyncResponse]:
        return _SyncCalls.sync(None, 0, None, None, part)

    @staticmethod
    def get(path: str, shape: type[T], params: Mapping[str, Any] | None = None) -> Call[T]:
        return Call("GET", path, shape, params=dict(params or {}))

    @staticmethod
    def query(queries: Sequence[str], as_count: bool) -> Call[list[QueryResult]]:
        params = {"queries": json.dumps(list(queries)), "as_count": int(as_count)}
        return Call("GET", "query", list[QueryResult], params=params)

    @staticmethod
    def add_item(content: str, fields: Mapping[str, Any]) -> Call[Item]:
        params = {"content": content, **fields}
        if isinstance(params.get("labels"), list):
            params["labels"] = json.dumps(params["labels"])
        return Call("GET", "add_item", Item, params=params, safe=False)  # it creates an item

    @staticmethod
    def redirect_link(path: str | None, hash: str | None) -> Call[RedirectLink]:
        return _SyncCalls.get("get_redirect_link", RedirectLink, _present(path=path, hash=hash))

    @staticmethod
    def notification_setting(
        notification_type: str, service: str, dont_notify: bool
    ) -> Call[dict[str, NotificationSetting]]:
        data = {"notification_type": notification_type, "service": service,
                "dont_notify": int(dont_notify)}  # fmt: skip
        shape = dict[str, NotificationSetting]
        return Call("POST", "update_notification_setting", shape, data=data, safe=True)

    @staticmethod
    def upload(name: str, content: bytes, file_name: str | None) -> Call[Upload]:
        files = {"file": (name, content)}
        return Call("POST", "uploads/add", Upload, data=_present(file_name=file_name),
                    files=files, safe=False)  # fmt: skip

    @staticmethod
    def uploads(limit: int | None, last_id: int | None) -> Call[list[UploadEntry]]:
        params = _present(limit=limit, last_id=last_id)
        return _SyncCalls.get("uploads/get", list[UploadEntry], params)

    @staticmethod
    def download(file_url: str) -> Call[bytes]:
        return Call("GET", file_url, bytes)

    @staticmethod
    def delete_upload(file_url: str) -> Call[None]:
        return Call("GET", "uploads/delete", params={"file_url": file_url})

    @staticmethod
    def import_template(project_id: int, name: str, content: bytes) -> Call[TemplateStatus]:
        files = {"file": (name, content, "text/csv")}
        return Call("POST", "templates/import_into_project", TemplateStatus,
                    data={"project_id": project_id}, files=files, safe=False)  # fmt: skip

    @staticmethod
    def export_as_file(project_id: int) -> Call[str]:
        data = {"project_id": project_id}
        return Call("POST", "templates/export_as_file", str, data=data, safe=True)

    @staticmethod
    def export_as_url(project_id: int) -> Call[TemplateFile]:
        data = {"project_id": project_id}
        return Call("POST", "templates/export_as_url", TemplateFile, data=data, safe=False)

    @staticmethod
    def business_invite(email_list: Sequence[str]) -> Call[list[BusinessInvitation]]:
        params = {"email_list": json.dumps(list(email_list))}
        return Call("GET", "business/users/invite", list[BusinessInvitation], params=params,
                    safe=False)  # fmt: skip

    @staticmethod
    def business_answer(verb: str, id: int, secret: str) -> Call[None]:
        params = {"id": id, "secret": secret}
        return Call("GET", f"business/users/{verb}_invitation", params=params, safe=False)

    @staticmethod
    def backups() -> Call[list[Backup]]:
        return Call("POST", "backups/get", list[Backup], data={}, safe=True)

    @staticmethod
    def export_data(current_password: str) -> Call[dict[str, Any]]:
        # POST: the password goes in the form body, never in a URL a log could keep.
        data = {"current_password": current_password}
        return Call("POST", "export_data", dict[str, Any], data=data, safe=True)

    @staticmethod
    def delete_user(current_password: str, fields: Mapping[str, Any]) -> Call[None]:
        params = {"current_password": current_password, **fields}
        return Call("GET", "delete_user", params=params, safe=False)


def _with_token(call: Call[Any], token: str) -> dict[str, Any]:
    """The transport's keyword arguments for `call`, the token added where the method puts
    its parameters (the query string of a GET, the form body of a POST)."""
    request: dict[str, Any] = {"method": call.method, "path": call.path, "safe": call.safe}
    if call.method == "GET":
        request["params"] = {"token": token, **(call.params or {})}
    else:
        request["data"] = {"token": token, **(call.data or {})}
        request["files"] = call.files
    return request


def _answer(call: Call[T], response: httpx.Response, lenient: bool) -> T:
    if call.shape is None:
        return None  # type: ignore[return-value]
    if call.shape is str:
        return response.text  # type: ignore[return-value]
    if call.shape is bytes:
        return response.content  # type: ignore[return-value]
    result: T = validate(call.shape, response, lenient=lenient)
    return result


def _present(**values: Any) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def _default_base_url() -> str:
    return os.environ.get("TASKHAVEN_SDK_SYNC_BASE_URL") or DEFAULT_SYNC_BASE_URL


def _tokenless(
    path: str,
    data: dict[str, Any],
    base_url: str | None,
    transport: httpx.BaseTransport | None,
    *,
    safe: bool,
) -> LoginUser:
    """A call made before there is a token: the user it signs on, with its token."""
    http = SyncTransport(base_url or _default_base_url(), transport=transport)
    try:
        response = http.request("POST", path, data=data, safe=safe)
        user: LoginUser = validate(LoginUser, response, lenient=False)
        return user
    finally:
        http.close()


class _SyncConfig:
    settings: Settings

    @staticmethod
    def _base_url(settings: Settings) -> str:
        return str(settings.sync_base_url)

    @staticmethod
    def _options(settings: Settings) -> dict[str, Any]:
        settings.sync_params  # noqa: B018 — no token: ValueError now, not at the first call
        return {}

    @property
    def _token(self) -> str:
        return self.settings.sync_params["token"]


class SyncClient(_SyncConfig, BlockingClient):
    """The Sync API with `settings.sync_token`; blocking. Answers are validated strictly
    unless `settings.override_forbid_extra`."""

    # -- without a token -----------------------------------------------------------------------

    @staticmethod
    def login(
        email: str,
        password: str,
        *,
        base_url: str | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> LoginUser:
        """The user with its API token (``token``): put it in `Settings.sync_token`.

        `base_url` defaults to ``TASKHAVEN_SDK_SYNC_BASE_URL``, else the local server.
        """
        data = {"email": email, "password": password}
        return _tokenless("login", data, base_url, transport, safe=True)

    @staticmethod
    def oauth_signon(
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        *,
        scope: str = SYNC_SCOPE,
        oauth_base_url: str | None = None,
        listen: bool = True,
        open_browser: bool = True,
        timeout: float | None = 300,
        client: httpx.Client | None = None,
    ) -> OAuthTokenSync:
        """An app's token for the Sync API by the Todoist-style OAuth flow (with PKCE).

        The same flow as `Settings.v1_signon` (browser, loopback listener or pasted URL), with
        Todoist's scopes (comma-separated: ``data:read``, ``data:read_write``,
        ``data:delete``, ``task:add``, ``project:delete``) and its token endpoint
        ``<oauth_base_url>access_token``; the base defaults to ``<origin of the Sync API's base
        URL>/oauth/``. Put the answer's `access_token` in `Settings.sync_token`.
        """
        auth = _oauth.Authorization(
            client_id=client_id,
            redirect_uri=redirect_uri,
            oauth_base_url=oauth_base_url or _oauth.oauth_base_for(_default_base_url()),
            scope=scope,
        )
        opener = webbrowser.open if open_browser else None
        code = _oauth.authorize(auth, listen=listen, open_browser=opener, timeout=timeout)
        return _oauth.exchange(
            auth, code, client_secret, client=client, endpoint="access_token",
            answer=OAuthTokenSync,
        )  # fmt: skip

    @staticmethod
    def login_with_google(
        email: str,
        oauth2_token: str,
        *,
        base_url: str | None = None,
        transport: httpx.BaseTransport | None = None,
        **fields: Any,
    ) -> LoginUser:
        """Sign on with a Google OAuth2 token (`fields`: auto_signup, full_name, timezone,
        lang); taskhaven cannot verify Google tokens and always refuses (401)."""
        data = {"email": email, "oauth2_token": oauth2_token, **fields}
        return _tokenless("login_with_google", data, base_url, transport, safe=False)

    @staticmethod
    def register(
        email: str,
        full_name: str,
        password: str,
        *,
        base_url: str | None = None,
        transport: httpx.BaseTransport | None = None,
        **fields: Any,
    ) -> LoginUser:
        """A new account (`fields`: lang, timezone); the answer carries its token."""
        data = {"email": email, "full_name": full_name, "password": password, **fields}
        return _tokenless("register", data, base_url, transport, safe=False)

    # -- plumbing ------------------------------------------------------------------------------

    def _run(self, call: Call[T]) -> T:
        response = self._http.request(**_with_token(call, self._token))
        return _answer(call, response, self._http.lenient)

    # -- sync ----------------------------------------------------------------------------------

    def sync(
        self,
        resource_types: Iterable[str] | None = ALL,
        *,
        seq_no: int = 0,
        seq_no_global: int | None = None,
        day_orders_timestamp: str | None = "",
        commands: Sequence[Command] | None = None,
    ) -> SyncResponse:
        """Read `resource_types` changed after `seq_no` (0: everything), after `commands`."""
        call = _SyncCalls.sync(
            resource_types, seq_no, seq_no_global, day_orders_timestamp, commands
        )
        return self._run(call)

    def commit(self, commands: Sequence[Command]) -> SyncResponse:
        """Send `commands` (split by `MAX_COMMANDS`); the outcomes and temp-id mapping."""
        answers = [self._run(_SyncCalls.commit(part)) for part in chunks(commands)]
        if not answers:
            return self.sync(None)
        return merge(answers)

    # -- the plain calls -----------------------------------------------------------------------

    def query(self, queries: Sequence[str], *, as_count: bool = False) -> list[QueryResult]:
        return self._run(_SyncCalls.query(queries, as_count))

    def add_item(self, content: str, **fields: Any) -> Item:
        """One item at once (`fields`: project_id, date_string, priority, labels, note, …)."""
        return self._run(_SyncCalls.add_item(content, fields))

    def get_item(self, item_id: int) -> ItemInfo:
        return self._run(_SyncCalls.get("get_item", ItemInfo, {"item_id": item_id}))

    def get_project(self, project_id: int) -> ProjectInfo:
        return self._run(_SyncCalls.get("get_project", ProjectInfo, {"project_id": project_id}))

    def get_label(self, label_id: int) -> LabelInfo:
        return self._run(_SyncCalls.get("get_label", LabelInfo, {"label_id": label_id}))

    def get_note(self, note_id: int) -> NoteInfo:
        return self._run(_SyncCalls.get("get_note", NoteInfo, {"note_id": note_id}))

    def get_filter(self, filter_id: int) -> FilterInfo:
        return self._run(_SyncCalls.get("get_filter", FilterInfo, {"filter_id": filter_id}))

    def get_reminder(self, reminder_id: int) -> ReminderInfo:
        params = {"reminder_id": reminder_id}
        return self._run(_SyncCalls.get("get_reminder", ReminderInfo, params))

    def get_all_completed_items(self, **params: Any) -> CompletedItems:
        """`params`: project_id, limit, offset, since, until, annotate_notes."""
        return self._run(_SyncCalls.get("get_all_completed_items", CompletedItems, params))

    def get_completed_items(self, project_id: int) -> list[Item]:
        params = {"project_id": project_id}
        return self._run(_SyncCalls.get("get_completed_items", list[Item], params))

    def get_productivity_stats(self) -> ProductivityStats:
        return self._run(_SyncCalls.get("get_productivity_stats", ProductivityStats))

    def get_redirect_link(self, path: str | None = None, hash: str | None = None) -> str:
        return self._run(_SyncCalls.redirect_link(path, hash)).link

    def update_notification_setting(
        self, notification_type: str, service: str, dont_notify: bool
    ) -> dict[str, NotificationSetting]:
        """Mute (`dont_notify`) or unmute one notification; all the settings after it."""
        call = _SyncCalls.notification_setting(notification_type, service, dont_notify)
        return self._run(call)

    def upload_file(self, path: Path | str, *, file_name: str | None = None) -> Upload:
        path = Path(path)
        return self._run(_SyncCalls.upload(path.name, path.read_bytes(), file_name))

    def get_uploads(
        self, *, limit: int | None = None, last_id: int | None = None
    ) -> list[UploadEntry]:
        return self._run(_SyncCalls.uploads(limit, last_id))

    def download(self, file_url: str) -> bytes:
        """The bytes of an upload (its `file_url`)."""
        return self._run(_SyncCalls.download(file_url))

    def delete_upload(self, file_url: str) -> None:
        self._run(_SyncCalls.delete_upload(file_url))

    def import_template(self, project_id: int, path: Path | str) -> TemplateStatus:
        path = Path(path)
        return self._run(_SyncCalls.import_template(project_id, path.name, path.read_bytes()))

    def export_template_as_file(self, project_id: int) -> str:
        """The project as template CSV text."""
        return self._run(_SyncCalls.export_as_file(project_id))

    def export_template_as_url(self, project_id: int) -> TemplateFile:
        return self._run(_SyncCalls.export_as_url(project_id))

    def business_users_invite(self, email_list: Sequence[str]) -> list[BusinessInvitation]:
        return self._run(_SyncCalls.business_invite(email_list))

    def business_users_accept_invitation(self, id: int, secret: str) -> None:
        self._run(_SyncCalls.business_answer("accept", id, secret))

    def business_users_reject_invitation(self, id: int, secret: str) -> None:
        self._run(_SyncCalls.business_answer("reject", id, secret))

    def get_backups(self) -> list[Backup]:
        return self._run(_SyncCalls.backups())

    def export_data(self, current_password: str) -> dict[str, Any]:
        """All of the account's data, uploaded files included, as `taskhaven user export`
        writes it (needs the account's own token, not an app's, and its password)."""
        return self._run(_SyncCalls.export_data(current_password))

    def delete_user(self, current_password: str, **fields: Any) -> None:
        """Delete the account for good (`fields`: reason_for_delete, in_background)."""
        self._run(_SyncCalls.delete_user(current_password, fields))


class AsyncSyncClient(_SyncConfig, AwaitingClient):
    """`SyncClient` for asyncio: the same methods, awaited (`login`/`register` stay blocking)."""

    # -- plumbing ------------------------------------------------------------------------------

    async def _run(self, call: Call[T]) -> T:
        response = await self._http.request(**_with_token(call, self._token))
        return _answer(call, response, self._http.lenient)

    # -- sync ----------------------------------------------------------------------------------

    async def sync(
        self,
        resource_types: Iterable[str] | None = ALL,
        *,
        seq_no: int = 0,
        seq_no_global: int | None = None,
        day_orders_timestamp: str | None = "",
        commands: Sequence[Command] | None = None,
    ) -> SyncResponse:
        """Read `resource_types` changed after `seq_no` (0: everything), after `commands`."""
        call = _SyncCalls.sync(
            resource_types, seq_no, seq_no_global, day_orders_timestamp, commands
        )
        return await self._run(call)

    async def commit(self, commands: Sequence[Command]) -> SyncResponse:
        """Send `commands` (split by `MAX_COMMANDS`); the outcomes and temp-id mapping."""
        answers = [await self._run(_SyncCalls.commit(part)) for part in chunks(commands)]
        if not answers:
            return await self.sync(None)
        return merge(answers)

    # -- the plain calls -----------------------------------------------------------------------

    async def query(self, queries: Sequence[str], *, as_count: bool = False) -> list[QueryResult]:
        return await self._run(_SyncCalls.query(queries, as_count))

    async def add_item(self, content: str, **fields: Any) -> Item:
        """One item at once (`fields`: project_id, date_string, priority, labels, note, …)."""
        return await self._run(_SyncCalls.add_item(content, fields))

    async def get_item(self, item_id: int) -> ItemInfo:
        return await self._run(_SyncCalls.get("get_item", ItemInfo, {"item_id": item_id}))

    async def get_project(self, project_id: int) -> ProjectInfo:
        return await self._run(
            _SyncCalls.get("get_project", ProjectInfo, {"project_id": project_id})
        )

    async def get_label(self, label_id: int) -> LabelInfo:
        return await self._run(_SyncCalls.get("get_label", LabelInfo, {"label_id": label_id}))

    async def get_note(self, note_id: int) -> NoteInfo:
        return await self._run(_SyncCalls.get("get_note", NoteInfo, {"note_id": note_id}))

    async def get_filter(self, filter_id: int) -> FilterInfo:
        return await self._run(_SyncCalls.get("get_filter", FilterInfo, {"filter_id": filter_id}))

    async def get_reminder(self, reminder_id: int) -> ReminderInfo:
        params = {"reminder_id": reminder_id}
        return await self._run(_SyncCalls.get("get_reminder", ReminderInfo, params))

    async def get_all_completed_items(self, **params: Any) -> CompletedItems:
        """`params`: project_id, limit, offset, since, until, annotate_notes."""
        return await self._run(_SyncCalls.get("get_all_completed_items", CompletedItems, params))

    async def get_completed_items(self, project_id: int) -> list[Item]:
        params = {"project_id": project_id}
        return await self._run(_SyncCalls.get("get_completed_items", list[Item], params))

    async def get_productivity_stats(self) -> ProductivityStats:
        return await self._run(_SyncCalls.get("get_productivity_stats", ProductivityStats))

    async def get_redirect_link(self, path: str | None = None, hash: str | None = None) -> str:
        return (await self._run(_SyncCalls.redirect_link(path, hash))).link

    async def update_notification_setting(
        self, notification_type: str, service: str, dont_notify: bool
    ) -> dict[str, NotificationSetting]:
        """Mute (`dont_notify`) or unmute one notification; all the settings after it."""
        call = _SyncCalls.notification_setting(notification_type, service, dont_notify)
        return await self._run(call)

    async def upload_file(self, path: Path | str, *, file_name: str | None = None) -> Upload:
        path = Path(path)
        return await self._run(_SyncCalls.upload(path.name, path.read_bytes(), file_name))

    async def get_uploads(
        self, *, limit: int | None = None, last_id: int | None = None
    ) -> list[UploadEntry]:
        return await self._run(_SyncCalls.uploads(limit, last_id))

    async def download(self, file_url: str) -> bytes:
        """The bytes of an upload (its `file_url`)."""
        return await self._run(_SyncCalls.download(file_url))

    async def delete_upload(self, file_url: str) -> None:
        await self._run(_SyncCalls.delete_upload(file_url))

    async def import_template(self, project_id: int, path: Path | str) -> TemplateStatus:
        path = Path(path)
        return await self._run(_SyncCalls.import_template(project_id, path.name, path.read_bytes()))

    async def export_template_as_file(self, project_id: int) -> str:
        """The project as template CSV text."""
        return await self._run(_SyncCalls.export_as_file(project_id))

    async def export_template_as_url(self, project_id: int) -> TemplateFile:
        return await self._run(_SyncCalls.export_as_url(project_id))

    async def business_users_invite(self, email_list: Sequence[str]) -> list[BusinessInvitation]:
        return await self._run(_SyncCalls.business_invite(email_list))

    async def business_users_accept_invitation(self, id: int, secret: str) -> None:
        await self._run(_SyncCalls.business_answer("accept", id, secret))

    async def business_users_reject_invitation(self, id: int, secret: str) -> None:
        await self._run(_SyncCalls.business_answer("reject", id, secret))

    async def get_backups(self) -> list[Backup]:
        return await self._run(_SyncCalls.backups())

    async def export_data(self, current_password: str) -> dict[str, Any]:
        """All of the account's data, uploaded files included, as `taskhaven user export`
        writes it (needs the account's own token, not an app's, and its password)."""
        return await self._run(_SyncCalls.export_data(current_password))

    async def delete_user(self, current_password: str, **fields: Any) -> None:
        """Delete the account for good (`fields`: reason_for_delete, in_background)."""
        await self._run(_SyncCalls.delete_user(current_password, fields))
