"""The base of every wire model: strict by default, lenient on request.

Strict (the default) forbids keys the model does not know, so a server that drifts from the
protocol is caught at once. `lenient` (the ``override_forbid_extra`` setting) drops unknown keys
instead, at every depth, for this one validation only — nothing process-wide changes.
"""

from __future__ import annotations

from typing import Any, Self

from pydantic import BaseModel, ConfigDict, ValidationInfo, model_validator
from pydantic.alias_generators import to_camel

LENIENT = "lenient"


class WireModel(BaseModel):
    """A JSON object of a protocol. Subclasses name their fields in snake_case."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=False)

    @model_validator(mode="before")
    @classmethod
    def _drop_unknown_when_lenient(cls, data: Any, info: ValidationInfo) -> Any:
        if not (isinstance(data, dict) and info.context and info.context.get(LENIENT)):
            return data
        known: set[str] = set()
        for name, field in cls.model_fields.items():
            known.add(name)
            if field.alias:
                known.add(field.alias)
        return {key: value for key, value in data.items() if key in known}

    @classmethod
    def parse(cls, data: Any, *, lenient: bool = False) -> Self:
        """Validate a decoded JSON value; `lenient` ignores unknown keys at every depth."""
        return cls.model_validate(data, context={LENIENT: lenient})

    def wire(self) -> dict[str, Any]:
        """The JSON object to send: wire names, unset fields left out."""
        data: dict[str, Any] = self.model_dump(mode="json", by_alias=True, exclude_unset=True)
        return data


class CamelModel(WireModel):
    """A TickTick object: camelCase on the wire, snake_case in Python (both accepted)."""

    model_config = ConfigDict(alias_generator=to_camel)
