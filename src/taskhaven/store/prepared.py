"""Statements compiled once and run straight on a driver connection: the polling read path
(``Prepared``), and the one-row INSERT a command batch repeats (``PreparedInsert``).

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
A prepared write run that way (the rate counter's upsert) is its own transaction: only a
write that is whole in one statement may be.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Connection, Select, Table, UpdateBase, bindparam, insert
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError

from taskhaven.store.engine import without_detail

# An INSERT, UPDATE or DELETE with a RETURNING clause (its rows are what ``first`` reads).
ReturningStatement = UpdateBase


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
    """One SELECT, or one INSERT/UPDATE/DELETE … RETURNING, compiled per dialect on first
    use. Run outside a transaction, a write is committed when it returns: only a write that
    is whole in one statement (an atomic upsert) may be prepared."""

    def __init__(self, statement: Select[Any] | ReturningStatement) -> None:
        self._statement = statement
        self._by_dialect: dict[str, _Compiled] = {}

    def _compiled(self, dialect: Dialect) -> _Compiled:
        found = self._by_dialect.get(dialect.name)
        if found is not None:
            return found
        statement = self._statement
        compiled = statement.compile(dialect=dialect)
        columns = list(
            statement.selected_columns
            if isinstance(statement, Select)
            else statement.exported_columns
        )
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


@dataclass(frozen=True)
class _CompiledInsert:
    sql: str
    # The values in the statement's order, each with its bind conversion (None: as is).
    order: tuple[tuple[str, Callable[[Any], Any] | None], ...]
    positional: bool
    # Columns the caller left out that have a Python-side default: filled as SQLAlchemy would.
    defaults: tuple[tuple[str, Callable[[], Any]], ...]


class PreparedInsert:
    """One table's single-row INSERT, compiled per dialect and set of given columns, run on
    the driver cursor of the caller's transaction; returns the new row's id.

    A command batch is mostly inserts of one wide row each (``item_add``): through
    SQLAlchemy, working out the parameters, defaults, events and result object of each cost
    several times the statement itself. This does what SQLAlchemy would do for the same
    values — the same Python-side defaults, the same bind conversions (dates as text on
    SQLite, JSON, booleans) — once per shape, and errors come back as SQLAlchemy's
    (``IntegrityError``…, without parameters or PostgreSQL's DETAIL), so callers catch
    what they caught before. Only scalar and plain callable defaults are supported: a
    table with a SQL expression default is refused when first compiled.
    """

    def __init__(self, table: Table) -> None:
        self.table = table
        (self._key,) = (column for column in table.primary_key.columns)
        self._by_shape: dict[tuple[str, frozenset[str]], _CompiledInsert] = {}

    def run(self, cursor: Any, dialect: Dialect, values: Mapping[str, Any]) -> int:
        shape = (dialect.name, frozenset(values))
        compiled = self._by_shape.get(shape)
        if compiled is None:
            compiled = self._by_shape[shape] = self._compile(dialect, values)
        filled = dict(values)
        for name, make in compiled.defaults:
            filled[name] = make()
        converted = [
            value if process is None else process(value)
            for value, process in ((filled[name], process) for name, process in compiled.order)
        ]
        bound: tuple[Any, ...] | dict[str, Any] = (
            tuple(converted)
            if compiled.positional
            else {name: value for (name, _), value in zip(compiled.order, converted, strict=True)}
        )
        try:
            cursor.execute(compiled.sql, bound)
            found = cursor.fetchone()
        except dialect.loaded_dbapi.Error as exc:
            orig = without_detail(exc) or exc
            raise DBAPIError.instance(
                compiled.sql, None, orig, dialect.loaded_dbapi.Error,
                hide_parameters=True, dialect=dialect,
            ) from None  # fmt: skip
        return int(found[0])

    def _compile(self, dialect: Dialect, values: Mapping[str, Any]) -> _CompiledInsert:
        table = self.table
        unknown = set(values) - set(table.c.keys())
        if unknown:
            raise KeyError(f"{table.name} has no column(s) {sorted(unknown)}")
        defaults = tuple(
            (str(column.key), _python_default(column))
            for column in table.columns
            if column.key not in values and column.default is not None
        )
        names = [*values, *(name for name, _ in defaults)]
        statement = (
            insert(table)
            .values({name: bindparam(name, type_=table.c[name].type) for name in names})
            .returning(self._key)
        )
        compiled = statement.compile(dialect=dialect)
        ordered = list(compiled.positiontup or ()) if compiled.positional else names
        return _CompiledInsert(
            sql=compiled.string,
            order=tuple(
                (name, table.c[name].type._cached_bind_processor(dialect)) for name in ordered
            ),
            positional=bool(compiled.positional),
            defaults=defaults,
        )


def _python_default(column: Column[Any]) -> Callable[[], Any]:
    default = column.default
    if default is not None and default.is_scalar:
        value = default.arg  # type: ignore[attr-defined]
        return lambda: value
    if default is not None and default.is_callable:
        wrapped = default.arg  # type: ignore[attr-defined]  # SQLAlchemy's fn(context)
        return lambda: wrapped(None)
    raise TypeError(f"{column}: only scalar and callable defaults can be prepared")
