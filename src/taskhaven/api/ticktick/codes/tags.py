r"""Tags. A tag *label* is display text: no whitespace and none of \ / " # : * ? < > |.
Its *name* (the identity TickTick clients use) is the label lowercased.
"""

from __future__ import annotations

import re
import string
from typing import Any

from taskhaven.core import columns
from taskhaven.core.errors import InvalidArgument

TAG_FORBIDDEN = frozenset('\\/"#:*?<>|')
MAX_TAG = columns.length("labels", "name")
# Python's str.isspace() and the regex \s that strict clients use disagree on a few code
# points; a character either calls whitespace is treated as whitespace.
_SPACE = re.compile(r"\s")


def _bad_tag_char(ch: str) -> bool:
    return ch in TAG_FORBIDDEN or ch.isspace() or bool(_SPACE.match(ch))


def is_tag_label(value: Any) -> bool:
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_TAG
        and not any(_bad_tag_char(ch) for ch in value)
    )


def is_tag_name(value: Any) -> bool:
    return is_tag_label(value) and not any(ch in string.ascii_uppercase for ch in value)


def check_tag_label(value: Any, argument: str = "label") -> str:
    if not is_tag_label(value):
        raise InvalidArgument(
            argument,
            f"Invalid argument value: {argument} (1-{MAX_TAG} characters, no whitespace "
            'and none of \\ / " # : * ? < > |)',
        )
    return str(value)


def tag_name(label: str) -> str:
    """The identity of a tag: its label lowercased (as TickTick clients compute it)."""
    return label.lower()


def tag_label_from_label_name(name: str) -> str:
    """A valid tag label for any Sync API label name: bad characters become ``_``.

    Sync API labels may hold spaces and punctuation that TickTick clients reject; a V2
    reader sees this sanitised spelling, and writes through V2 store a valid label as is.
    """
    cleaned = "".join("_" if _bad_tag_char(ch) else ch for ch in name)[:MAX_TAG]
    return cleaned or "_"


def tag_name_from_label_name(name: str) -> str:
    result = tag_name(tag_label_from_label_name(name))
    # Lowercasing may lengthen a string (e.g. "İ"); keep within the limit.
    return result[:MAX_TAG]
