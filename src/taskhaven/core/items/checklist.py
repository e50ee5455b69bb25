"""Checklist entries (an item's ``checklist`` column) sent whole by a client."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from taskhaven.core.rows import Row

Entry = dict[str, Any]
# Checks one entry as a client family sends it and merges it over the stored entry with
# its id (None when it is new); its format is that family's (api/ticktick/codes).
EntryBuilder = Callable[[Mapping[str, Any], Mapping[str, Any] | None], Entry]


def merge_checklist(
    current: Row | None, entries: Sequence[Mapping[str, Any]], build: EntryBuilder
) -> list[Entry]:
    """The checklist an item gets when a client sends all its entries.

    Each entry is merged over the stored entry with the same ``id``, so a field the client
    leaves out (None) keeps its value; a new entry without a ``sort_order`` goes where it
    was listed; for an id sent twice the later entry wins; stored entries not sent go.
    """
    previous = {
        entry["id"]: entry
        for entry in (current["checklist"] if current else None) or []
        if isinstance(entry, Mapping) and isinstance(entry.get("id"), str)
    }
    result: dict[str, Entry] = {}
    for position, fields in enumerate(entries):
        prev = previous.get(fields["id"]) if fields.get("id") else None
        if fields.get("sort_order") is None and prev is None:
            fields = {**fields, "sort_order": position}
        entry = build(fields, prev)
        result[entry["id"]] = entry
    return list(result.values())
