"""The scopes an app may ask for, in words, and what each lets a token do.

Two families: TickTick's (``tasks:read tasks:write``, for the V1 API) and Todoist's (for the
Sync API). One grant holds scopes of one family only, so a token works on one API.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from taskhaven.core import columns
from taskhaven.core.errors import Forbidden, InvalidArgument

TICKTICK = "ticktick"
TODOIST = "todoist"


@dataclass(frozen=True)
class Scope:
    name: str
    family: str
    words: str


# Catalogue order is the order scopes are written back in: pyticktick accepts only the exact
# text ``tasks:read tasks:write``.
CATALOGUE: tuple[Scope, ...] = (
    Scope("tasks:read", TICKTICK, "See your lists and tasks"),
    Scope("tasks:write", TICKTICK, "Create, change, complete and delete your lists and tasks"),
    Scope("data:read", TODOIST, "See all your data: projects, tasks, labels, notes, filters"),
    Scope(
        "data:read_write",
        TODOIST,
        "See and change all your data: projects, tasks, labels, notes, filters",
    ),
    Scope("data:delete", TODOIST, "Delete your tasks, labels, notes and filters"),
    Scope("task:add", TODOIST, "Add new tasks (without seeing your existing data)"),
    Scope("project:delete", TODOIST, "Delete your projects"),
)
BY_NAME = {scope.name: scope for scope in CATALOGUE}
ALL = tuple(scope.name for scope in CATALOGUE)

# What a held scope also grants.
_IMPLIES: dict[str, frozenset[str]] = {
    "data:read_write": frozenset({"data:read"}),
}

MAX_SCOPE_TEXT = columns.length("oauth_codes", "scope")


def parse(text: str | None) -> tuple[str, ...]:
    """The canonical scope tuple of a request's ``scope`` text (space or comma separated).

    InvalidArgument for an unknown scope, no scope at all, or scopes of two families.
    """
    if not text or len(text) > MAX_SCOPE_TEXT:
        raise InvalidArgument("scope", "No scope or too long a scope was requested")
    wanted = {part for part in text.replace(",", " ").split() if part}
    unknown = wanted - BY_NAME.keys()
    if unknown or not wanted:
        raise InvalidArgument("scope", f"Unknown scope: {' '.join(sorted(unknown))}")
    families = {BY_NAME[name].family for name in wanted}
    if len(families) != 1:
        raise InvalidArgument("scope", "Scopes of TickTick and Todoist cannot be mixed")
    return tuple(name for name in ALL if name in wanted)


def text(scopes: Iterable[str]) -> str:
    held = set(scopes)
    return " ".join(name for name in ALL if name in held)


def family(scopes: Iterable[str]) -> str | None:
    found = {BY_NAME[name].family for name in scopes if name in BY_NAME}
    return found.pop() if len(found) == 1 else None


def words(scopes: Iterable[str]) -> list[str]:
    return [BY_NAME[name].words for name in scopes if name in BY_NAME]


def effective(scopes: Iterable[str]) -> frozenset[str]:
    held = set(scopes)
    for name in list(held):
        held |= _IMPLIES.get(name, frozenset())
    return frozenset(held)


def require(held: Iterable[str] | None, *any_of: str) -> None:
    """Forbidden unless ``held`` grants one of ``any_of``. ``None`` = a full-access
    credential (the account's own API token or session): everything is allowed."""
    if held is None:
        return
    if not effective(held) & set(any_of):
        raise InsufficientScope(any_of)


class InsufficientScope(Forbidden):
    """The token is valid but was not granted the scope this request needs."""

    def __init__(self, needed: Iterable[str]) -> None:
        self.needed = tuple(needed)
        super().__init__(f"Insufficient scope: this request needs {' or '.join(self.needed)}")
