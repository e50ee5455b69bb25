"""Statuses. The core stores TickTick's codes as given: 0 open, 1 and 2 completed (2 is what
the web app sets), -1 abandoned ("won't do"). The Sync API sees ``checked`` = status != 0.
"""

from __future__ import annotations

from typing import Any

from taskhaven.core.errors import InvalidArgument

OPEN = 0
COMPLETED = 2
COMPLETED_ALT = 1
ABANDONED = -1
STATUSES = (ABANDONED, OPEN, COMPLETED_ALT, COMPLETED)


def check_status(value: Any) -> int:
    if isinstance(value, bool) or value not in STATUSES:
        raise InvalidArgument("status", "Invalid argument value: status (-1, 0, 1 or 2)")
    return int(value)


def is_closed(status: int) -> bool:
    return status != OPEN


def status_to_v1(status: int) -> int:
    """V1 tasks know only 0 (open) and 2 (closed)."""
    return OPEN if status == OPEN else COMPLETED


def checklist_status_to_v1(status: int | None) -> int:
    """V1 checklist items know only 0 (open) and 1 (done)."""
    return 0 if not status else 1
