"""The command framework: argument access with temp-id resolution, and the registry.

A handler receives a ``Ctx`` (the write unit plus temp-id state) and ``Args``; it returns
the id it created (for ``*_add`` commands) or ``None``. Multi-object commands build their
per-id status map with ``Ctx.each``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from taskhaven.core import commands as core_commands
from taskhaven.core.backend import Backend, Unit
from taskhaven.core.errors import DomainError, InvalidArgument, InvalidTempId, MissingArgument
from taskhaven.core.limits import MAX_BIGINT

TEMP_ID_MAX = 128  # the temp_ids column's size


@dataclass
class Ctx:
    backend: Backend
    unit: Unit
    # Temp ids created earlier in this request (and looked up from earlier requests).
    temp_ids: dict[str, int] = field(default_factory=dict)

    def resolve(self, value: Any, argument: str) -> int:
        """An id as the client may send it: int, digit string, or temp id."""
        if isinstance(value, bool):
            raise InvalidArgument(argument)
        if isinstance(value, int):
            if not 0 < value <= MAX_BIGINT:
                raise InvalidArgument(argument)
            return value
        if isinstance(value, str) and value:
            if value.isdecimal() and len(value) <= 20:
                return self.resolve(int(value), argument)
            if value in self.temp_ids:
                return self.temp_ids[value]
            if len(value) > TEMP_ID_MAX or "\x00" in value:
                raise InvalidTempId(value[:TEMP_ID_MAX])  # no stored temp id is like it
            found = core_commands.resolve_temp_id(self.unit.conn, self.unit.user_id, value)
            if found is None:
                raise InvalidTempId(value)
            self.temp_ids[value] = found
            return found
        raise InvalidArgument(argument)

    def each(
        self, raw_ids: Iterable[Any], action: Callable[[int], None], argument: str = "ids"
    ) -> dict[str, Any]:
        """Run ``action`` per id, each in its own savepoint; SyncStatus keyed as sent."""
        from taskhaven.api.todoist.v6.errors import map_error

        result: dict[str, Any] = {}
        for raw in raw_ids:
            key = str(raw)
            try:
                with self.unit.savepoint():
                    action(self.resolve(raw, argument))
                result[key] = "ok"
            except DomainError as exc:
                result[key] = map_error(exc)[1]
        return result

    def each_value(
        self, values: Mapping[Any, Any], action: Callable[[int, Any], None], argument: str
    ) -> dict[str, Any]:
        """``each`` over an ``{id: value}`` argument: ``action(id, value)`` per id."""
        result: dict[str, Any] = {}
        for raw, value in values.items():
            result.update(self.each([raw], partial(_with_value, action, value), argument))
        return result


def _with_value(action: Callable[[int, Any], None], value: Any, object_id: int) -> None:
    action(object_id, value)


class Args:
    """A command's ``args`` object with typed, resolving getters."""

    def __init__(self, ctx: Ctx, data: dict[str, Any]) -> None:
        self._ctx = ctx
        self.data = data

    def __contains__(self, name: str) -> bool:
        return name in self.data

    def has(self, name: str) -> bool:
        return name in self.data

    def get(self, name: str, default: Any = None) -> Any:
        return self.data.get(name, default)

    def required(self, name: str) -> Any:
        if name not in self.data or self.data[name] is None:
            raise MissingArgument(name)
        return self.data[name]

    def id(self, name: str) -> int:
        return self._ctx.resolve(self.required(name), name)

    def optional_id(self, name: str) -> int | None:
        value = self.data.get(name)
        if value is None or value == "":
            return None
        return self._ctx.resolve(value, name)

    def id_list(self, name: str) -> list[Any]:
        """A list of raw ids (resolved later, one by one, by ``Ctx.each``)."""
        value = self.required(name)
        if isinstance(value, (int, str)) and not isinstance(value, bool):
            return [value]
        if not isinstance(value, list):
            raise InvalidArgument(name)
        return value

    def resolved_ids(self, name: str) -> list[int]:
        return [self._ctx.resolve(v, name) for v in self.id_list(name)]

    def mapping(self, name: str) -> dict[str, Any]:
        value = self.required(name)
        if not isinstance(value, dict):
            raise InvalidArgument(name)
        return value

    def integer(self, name: str, default: Any = None) -> Any:
        if name not in self.data or self.data[name] is None:
            return default
        return as_int(self.data[name], name)

    def text(self, name: str, default: Any = None) -> Any:
        if name not in self.data or self.data[name] is None:
            return default
        value = self.data[name]
        if not isinstance(value, str):
            raise InvalidArgument(name)
        return value


def as_int(value: Any, name: str) -> int:
    """Numbers may arrive as numeric strings (clients send ``"15"``)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        if abs(value) > MAX_BIGINT:
            raise InvalidArgument(name)
        return value
    if isinstance(value, float) and value.is_integer():
        return as_int(int(value), name)
    if isinstance(value, str) and value.strip().lstrip("-").isdecimal() and len(value) <= 30:
        return as_int(int(value.strip()), name)
    raise InvalidArgument(name)


Handler = Callable[[Ctx, Args], Any]
COMMANDS: dict[str, Handler] = {}


def command(*names: str) -> Callable[[Handler], Handler]:
    """Register a handler under one or more command types (aliases included)."""

    def register(handler: Handler) -> Handler:
        for name in names:
            COMMANDS[name] = handler
        return handler

    return register


@dataclass(frozen=True)
class Created:
    """Returned by creation handlers: the new object's id, for TempIdMapping."""

    object_id: int
