"""Versions: the etag of a row and the checkPoint of a reader, both from the change counter."""

from __future__ import annotations

import re
import string
from typing import Any

from taskhaven.core.errors import InvalidArgument
from taskhaven.core.limits import MAX_BIGINT

_BASE36 = string.digits + string.ascii_lowercase
_ETAG_SPACE = 36**8


def etag(seq: int) -> str:
    """8 characters of ``[a-z0-9]``: the row's ``seq`` in base 36.

    Every change stamps a new ``seq``, so the etag changes with every change; two rows
    stamped by the same draw share an etag, which clients never compare across objects.
    """
    value = int(seq) % _ETAG_SPACE
    digits = []
    for _ in range(8):
        value, rest = divmod(value, 36)
        digits.append(_BASE36[rest])
    return "".join(reversed(digits))


def check_point(cursor: int) -> int:
    """The V2 cursor is the change counter itself: the Sync API's ``seq_no`` and a V2
    ``checkPoint`` name the same moment, so a change from either protocol shows in both."""
    return int(cursor)


def since_check_point(value: Any) -> int:
    """The sequence number a client's checkPoint stands for (0 = full snapshot)."""
    if isinstance(value, bool):
        raise InvalidArgument("checkPoint")
    if isinstance(value, str):
        if not re.fullmatch(r"[0-9]{1,19}", value):
            raise InvalidArgument("checkPoint")
        value = int(value)
    if not isinstance(value, int) or not 0 <= value <= MAX_BIGINT:
        raise InvalidArgument("checkPoint")
    return value
