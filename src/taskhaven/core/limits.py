"""The limits and constants several modules check against, each defined once."""

from __future__ import annotations

from collections.abc import Sized

MAX_BIGINT = 2**63 - 1
"""The largest id, order or change number a BIGINT column holds, on both databases."""

MAX_INT32 = 2**31 - 1
"""The largest value of an INTEGER column (day orders)."""

IN_CHUNK = 500
"""Values per ``IN (...)`` list: far below SQLite's and PostgreSQL's limits on bound
parameters, whatever ``max_commands_per_request`` an operator sets."""


class ReadTooLarge(Exception):
    """A read bounded by ``at_most`` met more than that: its caller reads again without the
    bound, where a long read does no harm (the thread pool, not the event loop)."""


def check_within(found: Sized, at_most: int, kind: str) -> None:
    """``ReadTooLarge`` naming ``kind`` when ``found``, read with a LIMIT of ``at_most + 1``,
    holds more than ``at_most``."""
    if len(found) > at_most:
        raise ReadTooLarge(kind)


MAX_INDENT = 4
"""The deepest level of the tree: top-level projects and items have indent 1."""

MAX_PER_ITEM = 500
"""Labels, checklist entries or reminders on one item."""

DATE_LANGS = frozenset(
    ("en", "da", "pl", "zh", "ko", "de", "pt", "ja", "it", "fr", "sv", "ru", "es", "nl")
)
"""The languages a ``date_string`` may be written in (``date_lang``)."""
