"""The sizes of text the wire may carry: the one module every protocol's bounds come from.

A ``String(n)`` column's size is read from the schema, so a new or resized column is covered
without another edit. A ``Text`` column has no size in the schema; its maximum is in
``TEXT_LIMITS`` (a ``Text`` column missing there is a failing test, unless it is in
``NOT_FROM_WIRE``). A wire field that is not stored as it is sent (a timestamp parsed into a
datetime column, a JSON list of ids, a password hashed) has an explicit ``Bound`` below.

Adapters may not import ``store`` (import-linter); each protocol's table of its fields
(``api/todoist/v6/bounds.py``, ``api/ticktick/codes/bounds.py`` for V1 and V2, the web's
forms) names a ``Bound`` from here for every field, and checks it before core runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import String, Text

from taskhaven.core.errors import InvalidArgument
from taskhaven.store.schema import metadata

TEXT_LIMITS: Mapping[tuple[str, str], int] = {
    ("items", "content"): 100_000,
    ("items", "description"): 100_000,
    ("notes", "content"): 100_000,
    ("filters", "query"): 4096,
    ("oauth_codes", "redirect_uri"): 2000,
}
"""The longest value of each ``Text`` column that a wire field is stored in."""

NOT_FROM_WIRE: frozenset[tuple[str, str]] = frozenset(
    {
        ("users", "password_hash"),  # an argon2 hash of the (bounded) password
        ("users", "api_token_enc"),  # a token the server made, sealed
        ("users", "totp_secret_enc"),  # a secret the server made, sealed
    }
)
"""``Text`` columns the server fills itself: no wire field reaches them as sent."""

_REFUSED = re.compile("[\x00\ud800-\udfff]")
"""NUL (PostgreSQL refuses it in text) and lone surrogates (not UTF-8: neither database nor
orjson can hold them). Refused everywhere, so both databases keep the same strings."""


@cache
def lengths() -> Mapping[tuple[str, str], int]:
    """``(table, column)`` → the longest value of every text column the wire reaches."""
    found: dict[tuple[str, str], int] = {}
    for table in metadata.sorted_tables:
        for column in table.columns:
            key = (table.name, column.name)
            if isinstance(column.type, Text) and key in TEXT_LIMITS:
                found[key] = TEXT_LIMITS[key]
            elif isinstance(column.type, String) and column.type.length:
                found[key] = column.type.length
    return found


def length(table: str, column: str) -> int:
    """The length of ``table.column``; a KeyError for a column that has none (a bug)."""
    return lengths()[(table, column)]


@dataclass(frozen=True)
class Bound:
    """The longest string a wire field may carry, whether the field is that string or holds
    it (list elements, object keys and values), and where the number comes from."""

    limit: int
    source: str
    column: tuple[str, str] | None = None
    """The column the field is stored in as it is sent, when it is."""


def column(table: str, name: str) -> Bound:
    """The bound of a field stored as it is in ``table.name``."""
    return Bound(length(table, name), f"{table}.{name}", (table, name))


# --- fields not stored as they are sent ---------------------------------------------------------

NUMBER = Bound(32, "a number sent as text")
TIMESTAMP = Bound(64, "a date or moment sent as text, stored as a datetime")
ID = column("temp_ids", "temp_id")
"""An id as the Sync API carries it: a number, a numeric string or a temp id (lists and
objects of them too: every string inside is bounded)."""
JSON_PARAM = Bound(64 * 1024, "a Sync API parameter holding JSON, whose parts core checks")
PASSWORD = Bound(1024, "a password, stored as a hash")
CODE = Bound(32, "a one-time code (TOTP or recovery)")
TOKEN = Bound(256, "a token or secret the server issued")
PREF_TEXT = Bound(255, "a user preference kept in users.prefs")
CHECKLIST_TITLE = Bound(10_000, "a checklist entry's title, kept in items.checklist")
CHECKLIST_TEXT = Bound(64, "a checklist entry's date or zone text, kept in items.checklist")
ATTACHMENT = Bound(4096, "a note's file attachment field, kept in notes.file_attachment")
QUERY = Bound(255, "one filter query run by the Sync API's query call")
COLOUR = Bound(64, "a colour in any CSS spelling, stored as #rrggbb")
PATH = Bound(2000, "a URL or path, not stored")
UNSTORED = Bound(1024, "free text that is read but not stored (a form field, a reason)")
DOCUMENT = Bound(2**31 - 1, "a JSON document bounded by the body limit, its parts one by one")
"""The Sync API's ``commands`` and an uploaded file: the body limit bounds them, and each
command's arguments are checked against their own bounds."""


def problem(value: Any, bound: Bound) -> str | None:
    """Why ``value`` (or a string inside it, keys included) may not pass, or None."""
    if isinstance(value, str):
        if len(value) > bound.limit:
            return f"longer than {bound.limit} characters"
        if _REFUSED.search(value):
            return "contains NUL or an unpaired surrogate"
        return None
    if isinstance(value, Mapping):
        for key, item in value.items():
            found = problem(key, bound) or problem(item, bound)
            if found:
                return found
    elif isinstance(value, list | tuple):
        for item in value:
            found = problem(item, bound)
            if found:
                return found
    return None


def check_field(value: Any, bound: Bound, argument: str) -> Any:
    """``value`` unchanged, or InvalidArgument naming ``argument`` and what is wrong."""
    found = problem(value, bound)
    if found:
        raise InvalidArgument(argument, f"Invalid argument value: {argument} ({found})")
    return value


def refused(value: Any) -> bool:
    """True when ``value`` or any string inside it (keys included) holds a character no
    database keeps (NUL, a lone surrogate), whatever its length."""
    if isinstance(value, str):
        return _REFUSED.search(value) is not None
    if isinstance(value, Mapping):
        return any(refused(k) or refused(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(refused(v) for v in value)
    return False


def check(value: Any, table: str, column_name: str, argument: str | None = None) -> str:
    """``value`` when it is a string that fits ``table.column_name`` (see ``check_field``)."""
    name = argument or column_name
    if not isinstance(value, str):
        raise InvalidArgument(name, f"Invalid argument value: {name} (must be text)")
    return str(check_field(value, column(table, column_name), name))
