"""What happened, for whoever counts it: core names an event, an outer layer listens.

Core knows no metrics library; ``taskhaven.observability`` subscribes a listener that turns
events into counters. A listener runs on the request's thread, so it must be cheap and must
not raise (an exception would fail the request that emitted the event).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

Event = Literal["rate_limited", "signon_failed"]
# (event, kind): ``kind`` is a fixed word chosen by core (a limit's name, a failure's
# reason), never a user's value, so a listener may use it as a metric label.
Listener = Callable[[Event, str], None]

_listeners: list[Listener] = []


def listen(listener: Listener) -> None:
    """Subscribe ``listener`` to every event (once, however often it is called)."""
    if listener not in _listeners:
        _listeners.append(listener)


def emit(event: Event, kind: str) -> None:
    for listener in _listeners:
        listener(event, kind)
