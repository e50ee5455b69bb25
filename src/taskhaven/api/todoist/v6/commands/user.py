"""User commands: ``user_update``, ``update_goals``, ``live_notifications_mark_as_read``."""

from __future__ import annotations

from taskhaven.api.todoist.v6.commands.base import Args, Ctx, as_int, command
from taskhaven.core import users

# The user_update arguments v6 documents; anything else is ignored (spec §4.4).
USER_FIELDS = (
    "email",
    "full_name",
    "password",
    "timezone",
    "start_page",
    "start_day",
    "next_week",
    "time_format",
    "date_format",
    "sort_order",
    "default_reminder",
    "auto_reminder",
    "mobile_number",
    "mobile_host",
    "theme",
)
GOAL_FIELDS = ("daily_goal", "weekly_goal", "ignore_days", "vacation_mode", "karma_disabled")


@command("user_update")
def user_update(ctx: Ctx, args: Args) -> None:
    values = {k: args.get(k) for k in USER_FIELDS if args.has(k)}
    users.update_user(ctx.unit, values, ctx.backend.passwords)


@command("update_goals")
def update_goals(ctx: Ctx, args: Args) -> None:
    users.update_goals(ctx.unit, {k: args.get(k) for k in GOAL_FIELDS if args.has(k)})


@command("live_notifications_mark_as_read")
def live_notifications_mark_as_read(ctx: Ctx, args: Args) -> None:
    users.set_live_notifications_last_read(ctx.unit, as_int(args.required("seq_no"), "seq_no"))
