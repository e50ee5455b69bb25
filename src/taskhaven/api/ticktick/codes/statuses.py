"""Statuses. TickTick's task codes are 0 open, 1 and 2 completed (2 is what the web app
sets), -1 abandoned ("won't do"); each maps to one core ``Status`` and back, so a client
reads back the code it wrote. The Sync API sees ``checked`` = the status is closed.
"""

from __future__ import annotations

from typing import Any

from taskhaven.core.errors import InvalidArgument
from taskhaven.core.status import Status

OPEN = 0
COMPLETED = 2
COMPLETED_ALT = 1
ABANDONED = -1
STATUSES = (ABANDONED, OPEN, COMPLETED_ALT, COMPLETED)

_TO_CORE = {
    ABANDONED: Status.WONT_DO,
    OPEN: Status.OPEN,
    COMPLETED_ALT: Status.DONE_ALT,
    COMPLETED: Status.DONE,
}
_FROM_CORE: dict[int, int] = {status: code for code, status in _TO_CORE.items()}


def check_status(value: Any) -> int:
    if isinstance(value, bool) or value not in STATUSES:
        raise InvalidArgument("status", "Invalid argument value: status (-1, 0, 1 or 2)")
    return int(value)


def status_from_ticktick(value: Any) -> Status:
    """The core status a task code names; InvalidArgument for any other value."""
    return _TO_CORE[check_status(value)]


def status_to_ticktick(status: int) -> int:
    """The task code of a stored status; a value no code names reads as completed."""
    return _FROM_CORE.get(status, COMPLETED)


def is_closed(status: int) -> bool:
    return status != OPEN


def status_to_v1(status: int) -> int:
    """V1 tasks know only 0 (open) and 2 (closed)."""
    return OPEN if status == OPEN else COMPLETED


def checklist_status_to_v1(status: int | None) -> int:
    """V1 checklist items know only 0 (open) and 1 (done)."""
    return 0 if not status else 1
