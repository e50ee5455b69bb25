"""Request parameters of the Sync API: query string and form body merged, body winning."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

import orjson
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import Scope

from taskhaven.core import columns
from taskhaven.core.errors import InvalidArgument, MissingArgument
from taskhaven.core.limits import MAX_BIGINT


class BadJson(InvalidArgument):
    """A parameter that should hold JSON text does not."""

    def __init__(self, name: str) -> None:
        super().__init__(name, f"Invalid JSON in parameter: {name}")


# What Starlette's form parser allows, and its answer beyond it.
_MAX_FIELDS = 1000


def _urlencoded(body: bytes) -> dict[str, list[str]]:
    """A form body's fields, decoded as Starlette's parser decodes them (``&`` separates,
    ``+`` is a space, escapes are UTF-8 with replacement) at a fraction of its cost: every
    polling client sends one of these (docs/performance.md, the read path).

    ``parse_qsl`` with blank values kept, step for step, minus the work a field without
    ``%`` or ``+`` does not need."""
    fields = [field for field in body.decode("latin-1").split("&") if field]
    if len(fields) > _MAX_FIELDS:
        raise HTTPException(400, f"Too many fields. Maximum number of fields is {_MAX_FIELDS}.")
    found: dict[str, list[str]] = {}
    for field in fields:
        key, _, value = field.partition("=")
        if "+" in key or "%" in key:
            key = unquote(key.replace("+", " "), errors="replace")
        if "+" in value or "%" in value:
            value = unquote(value.replace("+", " "), errors="replace")
        found.setdefault(key, []).append(value)
    return found


def _check_characters(values: Mapping[str, list[str]]) -> None:
    """Refuse a name or value holding a character no column stores (NUL): one scan of
    everything, the field named only when there is one."""
    if columns.refused("".join([*values, *(v for found in values.values() for v in found)])):
        for name, found in values.items():
            if columns.refused(name) or any(columns.refused(value) for value in found):
                raise InvalidArgument(name, f"Invalid argument value: {name} (contains NUL)")


# A polling client sends the same body until something changes (its token, its cursor, the
# types it wants): the same bytes give the same fields. Small bodies' fields are kept,
# checked, and shared by every request that sends them; nothing changes a ``Params``'
# lists after it is built. Emptied when full: a new set of pollers refills it at once.
_KEPT: dict[bytes, dict[str, list[str]]] = {}
_KEPT_MOST = 4096
_KEPT_BODY_BYTES = 1024


def _checked(body: bytes) -> dict[str, list[str]]:
    found = _urlencoded(body)
    _check_characters(found)
    return found


def _form_fields(body: bytes) -> dict[str, list[str]]:
    """``_checked`` fields of ``body``, kept for small bodies."""
    found = _KEPT.get(body)
    if found is not None:
        return found
    found = _checked(body)
    if len(body) <= _KEPT_BODY_BYTES:
        if len(_KEPT) >= _KEPT_MOST:
            _KEPT.clear()
        _KEPT[body] = found
    return found


def parse_json(name: str, value: str, *, nul: bool = False) -> Any:
    """The JSON text ``value`` of parameter ``name``; see ``Params.json``."""
    try:
        data = orjson.loads(value)
    except orjson.JSONDecodeError as exc:
        raise BadJson(name) from exc
    if not nul and columns.refused(data):
        raise InvalidArgument(name, f"Invalid argument value: {name} (contains NUL)")
    return data


def _content_type(scope: Scope) -> str:
    """The request's content type, read straight off the scope (as ``Headers`` would)."""
    for name, value in scope.get("headers") or ():
        if name == b"content-type":
            return str(value.decode("latin-1"))
    return ""


class Params:
    """Every value arrives as text; these getters convert and say clearly what is wrong."""

    def __init__(self, values: dict[str, list[str]], files: dict[str, UploadFile]) -> None:
        self._values = values
        self.files = files

    @classmethod
    async def from_request(cls, request: Request, *, keep: bool = False) -> Params:
        """``keep``: the call is polled (the sync call), its small bodies' fields are kept
        (``_form_fields``); never for a call whose body may hold a password."""
        values: dict[str, list[str]] = {}
        if request.scope.get("query_string"):
            for key, value in request.query_params.multi_items():
                values.setdefault(key, []).append(value)
            _check_characters(values)
        files: dict[str, UploadFile] = {}
        if request.scope["method"] in ("POST", "PUT", "PATCH"):
            content_type = _content_type(request.scope)
            if content_type.startswith("application/x-www-form-urlencoded"):
                body_text = await request.body()
                values.update(_form_fields(body_text) if keep else _checked(body_text))
            elif content_type.startswith("multipart/form-data"):
                # One field may be as large as the body limit (the default part limit
                # is 1 MiB, far below the documented 10 MiB).
                limit = request.app.state.backend.settings.max_body_bytes
                form = await request.form(max_part_size=limit)
                body: dict[str, list[str]] = {}
                for key, item in form.multi_items():
                    if isinstance(item, UploadFile):
                        files[key] = item
                    else:
                        body.setdefault(key, []).append(item)
                _check_characters(body)
                values.update(body)
        return cls(values, files)

    def values(self) -> Mapping[str, list[str]]:
        """Every text parameter by name (files aside), for the bounds check."""
        return self._values

    def __contains__(self, name: str) -> bool:
        return name in self._values

    def raw(self, name: str) -> str | None:
        found = self._values.get(name)
        return found[-1] if found else None

    def all(self, name: str) -> list[str]:
        return list(self._values.get(name, []))

    def text(self, name: str, default: str | None = None) -> str | None:
        value = self.raw(name)
        return default if value is None else value

    def required(self, name: str) -> str:
        value = self.raw(name)
        if value is None or value == "":
            raise MissingArgument(name)
        return value

    def integer(self, name: str, default: int | None = None) -> int | None:
        value = self.raw(name)
        if value is None or value.strip() == "":
            return default
        try:
            number = int(value.strip())
        except ValueError as exc:
            raise InvalidArgument(name) from exc
        if abs(number) > MAX_BIGINT:
            raise InvalidArgument(name)
        return number

    def json(self, name: str, default: Any = None, *, nul: bool = False) -> Any:
        """The parsed JSON of ``name``; NUL anywhere in it is refused unless ``nul``
        (the caller then checks it part by part, as ``sync`` does per command)."""
        value = self.raw(name)
        if value is None or value == "":
            return default
        return parse_json(name, value, nul=nul)

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.raw(name)
        if value is None or value == "":
            return default
        return value.strip().lower() in ("1", "true", "yes", "on")
