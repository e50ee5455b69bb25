"""An item's status: the one truth about completion, and the SQL every count asks it with.

The values are the ones stored in ``items.status``. Two codes mean "done": 2 is what
completing stores, 1 is a completion some TickTick clients write; both are kept as given so
a client reads back what it wrote.

Two questions about completions have different answers, on purpose:

- ``is_completed``: the task *is* completed now (closed as done, with a completion time).
  The completed list and the completed-task counts ask this.
- ``counts_as_completion``: a completion is *on record* for the task: the above, or a
  recurring task whose last occurrence was completed (it stays open and keeps that moment
  in ``completed_at``). Productivity streaks and "completed today" ask this.

"Won't do" is a closed task but never a completion.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from sqlalchemy import ColumnElement, and_

from taskhaven.core.errors import InvalidArgument


class Status(IntEnum):
    WONT_DO = -1
    OPEN = 0
    DONE_ALT = 1  # done, as some TickTick clients write it
    DONE = 2  # done, as completing stores it

    @property
    def is_closed(self) -> bool:
        """Done or won't do: the task has left the open list."""
        return self is not Status.OPEN

    @property
    def is_done(self) -> bool:
        return self in DONE


DONE = (Status.DONE_ALT, Status.DONE)
STATUSES = tuple(Status)


def check_status(value: Any) -> Status:
    """The status ``value`` names; InvalidArgument for anything else."""
    if isinstance(value, bool) or value not in STATUSES:
        raise InvalidArgument("status", "Invalid argument value: status (-1, 0, 1 or 2)")
    return Status(value)


def is_open(status: ColumnElement[Any]) -> ColumnElement[bool]:
    return status == Status.OPEN.value


def is_done(status: ColumnElement[Any]) -> ColumnElement[bool]:
    return status.in_([s.value for s in DONE])


def is_completed(
    status: ColumnElement[Any], completed_at: ColumnElement[Any]
) -> ColumnElement[bool]:
    """The task is completed: closed as done, with a completion time."""
    return and_(is_done(status), completed_at.is_not(None))


def counts_as_completion(
    status: ColumnElement[Any], completed_at: ColumnElement[Any]
) -> ColumnElement[bool]:
    """A completion is on record: completed, or an open recurring task whose last
    occurrence was completed; never "won't do"."""
    return and_(status != Status.WONT_DO.value, completed_at.is_not(None))
