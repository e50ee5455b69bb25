"""SELECTs compiled once and run straight on a driver connection: the polling read path.

An incremental sync that finds nothing new is one indexed read (docs/performance.md, the
read path). Through SQLAlchemy that statement costs about 80 µs of Python on SQLite, and
the BEGIN/COMMIT around it two more round trips on PostgreSQL; the statement itself costs a
fifth of that. ``Prepared`` keeps what SQLAlchemy would work out on every execution — the
SQL text, the parameter order, each column's result conversion — per dialect, and runs the
statement on a driver cursor.

Invariant: one statement is one snapshot on both databases (SQLite runs a statement outside
a transaction as its own read transaction; PostgreSQL gives every statement of an
autocommit connection its own snapshot). So a row read here is as consistent as the same
row read in a transaction, as long as everything the caller needs is in that one row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select
from sqlalchemy.engine import Dialect


@dataclass
class _Compiled:
    sql: str
    # Positional drivers (SQLite's qmark) take a tuple in this order; named ones a dict.
    order: tuple[str, ...] | None
    defaults: dict[str, Any]
    keys: tuple[str, ...]
    types: tuple[Any, ...]
    # Each key's position and conversion from the driver's value (None where there is
    # none), as the SQLAlchemy result would apply it: dates stored as text on SQLite,
    # booleans, JSON. Worked out at the first execution: some depend on the driver's type
    # code.
    columns: dict[str, tuple[int, Callable[[Any], Any] | None]] | None = None


class PreparedRow(Mapping[str, Any]):
    """A row keyed like ``.mappings()`` would key it, over the driver's tuple.

    A column is converted when it is first read, not when the row arrives: the polling
    read looks at a handful of the user row's columns and renders the rest only when its
    answer is not already kept. ``raw`` is what the database sent, hashable on SQLite (text,
    numbers): a caller may key a value derived from the whole row by the row itself.
    """

    __slots__ = ("_columns", "_converted", "raw")

    def __init__(
        self, raw: tuple[Any, ...], columns: dict[str, tuple[int, Callable[[Any], Any] | None]]
    ) -> None:
        self.raw = raw
        self._columns = columns
        self._converted: dict[str, Any] | None = None

    def __getitem__(self, key: str) -> Any:
        position, processor = self._columns[key]
        if processor is None:
            return self.raw[position]
        # Converted once: a JSON column read twice is the same object both times.
        converted = self._converted
        if converted is None:
            converted = self._converted = {}
        elif key in converted:
            return converted[key]
        value = converted[key] = processor(self.raw[position])
        return value

    def get(self, key: str, default: Any = None) -> Any:
        # Without raising: ``Mapping.get`` would raise and catch a KeyError per miss.
        return self[key] if key in self._columns else default

    def __contains__(self, key: object) -> bool:
        return key in self._columns

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)

    def __repr__(self) -> str:
        return f"PreparedRow({dict(self)!r})"


def driver(conn: Connection) -> Any:
    """The DB-API connection under ``conn``, in whatever transaction ``conn`` holds."""
    found = conn.connection.dbapi_connection
    assert found is not None, "an open connection"
    return found


class Prepared:
    """One SELECT, compiled per dialect on first use."""

    def __init__(self, statement: Select[Any]) -> None:
        self._statement = statement
        self._by_dialect: dict[str, _Compiled] = {}

    def _compiled(self, dialect: Dialect) -> _Compiled:
        found = self._by_dialect.get(dialect.name)
        if found is not None:
            return found
        compiled = self._statement.compile(dialect=dialect)
        columns = list(self._statement.selected_columns)
        made = _Compiled(
            sql=compiled.string,
            order=tuple(compiled.positiontup or ()) if compiled.positional else None,
            # Literals the statement binds itself (``id == 1``); the caller gives the rest.
            defaults={
                name: bind.value for name, bind in compiled.binds.items() if not bind.required
            },
            keys=tuple(str(column.key) for column in columns),
            types=tuple(column.type for column in columns),
        )
        self._by_dialect[dialect.name] = made
        return made

    def first(self, driver: Any, dialect: Dialect, **params: Any) -> PreparedRow | None:
        """The first row, keyed like ``.mappings()`` would key it, or None.

        ``driver`` is a DB-API connection outside any transaction the caller cares about
        (autocommit), so the statement is its own snapshot. Only plain parameters (text,
        integers) are bound: no bind conversion is applied.
        """
        rows = self._run(driver, dialect, params, one=True)
        return rows[0] if rows else None

    def all(self, driver: Any, dialect: Dialect, **params: Any) -> list[PreparedRow]:
        """Every row, as ``first`` gives one. ``driver`` may be the DB-API connection of a
        transaction the caller holds: the statement then reads in that transaction."""
        return self._run(driver, dialect, params, one=False)

    def _run(
        self, driver: Any, dialect: Dialect, params: dict[str, Any], one: bool
    ) -> list[PreparedRow]:
        compiled = self._compiled(dialect)
        values = {**compiled.defaults, **params}
        bound: Mapping[str, Any] | tuple[Any, ...] = (
            tuple(values[name] for name in compiled.order) if compiled.order is not None else values
        )
        cursor = driver.cursor()
        try:
            cursor.execute(compiled.sql, bound)
            found = cursor.fetchmany(1) if one else cursor.fetchall()
            if compiled.columns is None:
                processors = (
                    type_._cached_result_processor(dialect, described[1])
                    for type_, described in zip(compiled.types, cursor.description, strict=True)
                )
                compiled.columns = {
                    key: (position, processor)
                    for position, (key, processor) in enumerate(
                        zip(compiled.keys, processors, strict=True)
                    )
                }
        finally:
            cursor.close()
        columns = compiled.columns
        rows = [PreparedRow(raw, columns) for raw in found]
        return rows
