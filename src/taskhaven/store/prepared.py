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

from collections.abc import Callable, Mapping
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
    # The columns that need a conversion from the driver's value, by position, as the
    # SQLAlchemy result would apply it: dates stored as text on SQLite, booleans, JSON.
    # Worked out at the first execution: some depend on the driver's type code.
    convert: tuple[tuple[int, str, Callable[[Any], Any]], ...] | None = None


class PreparedRow(dict[str, Any]):
    """A row keyed like ``.mappings()`` would key it, with the driver's tuple beside it.

    ``raw`` is what the database sent, before any conversion: hashable on SQLite (text,
    numbers), so a caller can key a value it derives from the whole row by the row itself.
    """

    __slots__ = ("raw",)
    raw: tuple[Any, ...]


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
        """The first row as a dict keyed like ``.mappings()`` would key it, or None.

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
            if compiled.convert is None:
                processors = (
                    type_._cached_result_processor(dialect, described[1])
                    for type_, described in zip(compiled.types, cursor.description, strict=True)
                )
                compiled.convert = tuple(
                    (position, key, processor)
                    for position, (key, processor) in enumerate(
                        zip(compiled.keys, processors, strict=True)
                    )
                    if processor is not None
                )
        finally:
            cursor.close()
        keys, convert = compiled.keys, compiled.convert
        rows = []
        for raw in found:
            # The driver's values as they are, then the few columns that need converting.
            row = PreparedRow(zip(keys, raw, strict=True))
            for position, key, processor in convert:
                row[key] = processor(raw[position])
            row.raw = raw
            rows.append(row)
        return rows
