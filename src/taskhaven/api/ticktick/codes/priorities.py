"""Priorities: core 1..4 (4 most urgent, the Sync API's scale) <-> TickTick 0/1/3/5."""

from __future__ import annotations

from typing import Any

from taskhaven.core.errors import InvalidArgument

PRIORITY_TO_TICKTICK = {1: 0, 2: 1, 3: 3, 4: 5}
PRIORITY_FROM_TICKTICK = {v: k for k, v in PRIORITY_TO_TICKTICK.items()}


def priority_to_ticktick(priority: int) -> int:
    """Out-of-range stored values read as "none" rather than breaking a strict client."""
    return PRIORITY_TO_TICKTICK.get(priority, 0)


def priority_from_ticktick(value: Any) -> int:
    if isinstance(value, bool) or value not in PRIORITY_FROM_TICKTICK:
        raise InvalidArgument("priority", "Invalid argument value: priority (0, 1, 3 or 5)")
    return PRIORITY_FROM_TICKTICK[value]
