"""Every text field of a V1 or V2 request model names its bound (``core/columns.py``): the
column it is stored in, or an explicit maximum. Pydantic checks it before the handler runs,
so an over-long value, NUL or a lone surrogate is a 400 in TickTick's envelope, never a
database error. ``tests/ticktick/test_bounds.py`` fails when a text field names none.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, get_args

from pydantic import BaseModel, GetCoreSchemaHandler
from pydantic.fields import FieldInfo
from pydantic_core import CoreSchema, core_schema

from taskhaven.core import columns
from taskhaven.core.columns import Bound


@dataclass(frozen=True)
class Fits:
    """Pydantic metadata: the raw value (every string in it) fits ``bound``. Listed last in
    an ``Annotated``, it runs before the field's other validators see the value."""

    bound: Bound

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_before_validator_function(self.check, handler(source))

    def check(self, value: Any) -> Any:
        found = columns.problem(value, self.bound)
        if found:
            raise ValueError(found)
        return value


def column(table: str, name: str) -> Fits:
    """A field stored as it is sent in ``table.name``."""
    return Fits(columns.column(table, name))


OID = column("items", "oid")
TIMESTAMP = Fits(columns.TIMESTAMP)
COLOUR = Fits(columns.COLOUR)
TAG = column("labels", "name")


@dataclass(frozen=True)
class PerObject(Fits):
    """A bound pydantic leaves alone: a V2 batch checks it object by object
    (``check_object``), so one over-long name is that object's ``id2error``, not a 400."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return handler(source)


def per_object(table: str, name: str) -> PerObject:
    return PerObject(columns.column(table, name))


def bounds_of(annotation: Any) -> list[Fits]:
    """Every ``Fits`` in a field's annotation, through unions, lists and ``Annotated``."""
    found = [meta for meta in getattr(annotation, "__metadata__", ()) if isinstance(meta, Fits)]
    for arg in get_args(annotation):
        found += bounds_of(arg)
    return found


def field_bounds(field: FieldInfo) -> list[Fits]:
    """Every ``Fits`` of a model's field (pydantic lifts a top-level ``Annotated``'s
    metadata out of the annotation)."""
    return [m for m in field.metadata if isinstance(m, Fits)] + bounds_of(field.annotation)


@cache
def _per_object_fields(model: type[BaseModel]) -> tuple[tuple[str, str, Fits | None], ...]:
    out = []
    for name, field in model.model_fields.items():
        found = [b for b in field_bounds(field) if isinstance(b, PerObject)]
        out.append((name, field.alias or name, found[0] if found else None))
    return tuple(out)


def check_object(obj: BaseModel) -> None:
    """InvalidArgument for the first value of ``obj`` (nested models too) over its bound."""
    for name, wire, bound in _per_object_fields(type(obj)):
        value = getattr(obj, name)
        if value is None:
            continue
        if bound is not None:
            columns.check_field(value, bound.bound, wire)
        for inner in value if isinstance(value, list) else [value]:
            if isinstance(inner, BaseModel):
                check_object(inner)
