"""Every Sync API command type, registered by importing its module."""

from taskhaven.api.todoist.v6.commands import (  # noqa: F401
    filters,
    items,
    labels,
    notes,
    projects,
    reminders,
    sharing,
    user,
)
from taskhaven.api.todoist.v6.commands.base import COMMANDS

__all__ = ["COMMANDS"]
