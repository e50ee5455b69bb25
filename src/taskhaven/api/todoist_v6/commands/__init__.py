"""Every Sync API command type, registered by importing its module."""

from taskhaven.api.todoist_v6.commands import projects  # noqa: F401
from taskhaven.api.todoist_v6.commands.base import COMMANDS

__all__ = ["COMMANDS"]
