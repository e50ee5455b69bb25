"""Sharing commands (spec §4.5): invitations, members, ownership; live notification marks."""

from __future__ import annotations

from taskhaven.api.todoist.v6.commands.base import Args, Created, Ctx, as_int, command
from taskhaven.core import notifications, sharing


@command("share_project")
def share_project(ctx: Ctx, args: Args) -> Created | None:
    invitation = sharing.share(ctx.unit, args.id("project_id"), args.required("email"))
    # The client sends a temp id it never resolves; map it to the invitation anyway.
    return Created(invitation) if invitation else None


@command("accept_invitation")
def accept_invitation(ctx: Ctx, args: Args) -> None:
    sharing.accept(
        ctx.unit,
        _invitation_id(args),
        args.required("invitation_secret"),
    )


@command("reject_invitation")
def reject_invitation(ctx: Ctx, args: Args) -> None:
    sharing.reject(ctx.unit, _invitation_id(args), args.required("invitation_secret"))


@command("delete_invitation")
def delete_invitation(ctx: Ctx, args: Args) -> None:
    sharing.delete_invitation(ctx.unit, _invitation_id(args))


@command("delete_collaborator")
def delete_collaborator(ctx: Ctx, args: Args) -> None:
    sharing.delete_collaborator(ctx.unit, args.id("project_id"), args.required("email"))


@command("take_ownership")
def take_ownership(ctx: Ctx, args: Args) -> None:
    sharing.take_ownership(ctx.unit, args.id("project_id"))


def _invitation_id(args: Args) -> int:
    return as_int(args.required("invitation_id"), "invitation_id")


@command("live_notifications_mark_read")
def live_notifications_mark_read(ctx: Ctx, args: Args) -> None:
    notifications.mark(ctx.unit, as_int(args.required("id"), "id"), unread=False)


@command("live_notifications_mark_unread")
def live_notifications_mark_unread(ctx: Ctx, args: Args) -> None:
    notifications.mark(ctx.unit, as_int(args.required("id"), "id"), unread=True)


@command("live_notifications_mark_read_all")
def live_notifications_mark_read_all(ctx: Ctx, args: Args) -> None:
    notifications.mark_all_read(ctx.unit)
