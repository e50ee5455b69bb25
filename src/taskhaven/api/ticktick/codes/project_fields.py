"""A TickTick project's fields into core project fields, for V1 and V2 alike (merge: a None
value keeps what is stored; ``color`` ``""`` clears the colour)."""

from __future__ import annotations

from typing import Any, Protocol

from taskhaven.api.ticktick.codes.colours import normalise_color


class ProjectSpec(Protocol):
    """The project fields V1 and V2 send alike."""

    @property
    def name(self) -> str | None: ...

    @property
    def color(self) -> str | None: ...

    @property
    def kind(self) -> str | None: ...

    @property
    def view_mode(self) -> str | None: ...

    @property
    def sort_order(self) -> int | None: ...


def project_changes(spec: ProjectSpec, *, muted: bool | None = None) -> dict[str, Any]:
    """Core project fields for what a client sent (the group is the caller's: V1 has none;
    so is ``muted``: V1 cannot send it)."""
    changes: dict[str, Any] = {}
    if spec.name is not None:
        changes["name"] = spec.name
    if spec.color is not None:
        changes["color"] = normalise_color(spec.color)
    fields = {
        "kind": spec.kind,
        "view_mode": spec.view_mode,
        "item_order": spec.sort_order,
        "muted": muted,
    }
    return changes | {key: value for key, value in fields.items() if value is not None}
