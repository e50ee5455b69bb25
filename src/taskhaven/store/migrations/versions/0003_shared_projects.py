"""shared projects: members and invitations, live notifications, authors

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 23:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("shared", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("author_id", sa.BigInteger(), nullable=True))
        batch_op.create_index("ix_items_project_seq", ["project_id", "seq"], unique=False)
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("author_id", sa.BigInteger(), nullable=True))
        batch_op.create_index("ix_notes_project_seq", ["project_id", "seq"], unique=False)

    op.create_table(
        "project_members",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("project_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", Id, nullable=True),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("inviter_id", sa.BigInteger(), nullable=False),
        sa.Column("secret", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_project_members_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_members")),
    )
    with op.batch_alter_table("project_members", schema=None) as batch_op:
        batch_op.create_index("ix_project_members_user_seq", ["user_id", "seq"], unique=False)
        batch_op.create_index("ix_project_members_project", ["project_id"], unique=False)
        batch_op.create_index("ix_project_members_email", ["email"], unique=False)

    op.create_table(
        "live_notifications",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("user_id", Id, nullable=False),
        sa.Column("kind", sa.String(length=48), nullable=False),
        sa.Column("from_uid", sa.BigInteger(), nullable=False),
        sa.Column("project_id", sa.BigInteger(), nullable=True),
        sa.Column("invitation_id", sa.BigInteger(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("is_unread", sa.Boolean(), nullable=False),
        sa.Column("is_deleted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_live_notifications_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_notifications")),
    )
    with op.batch_alter_table("live_notifications", schema=None) as batch_op:
        batch_op.create_index("ix_live_notifications_user_seq", ["user_id", "seq"], unique=False)
        batch_op.create_index("ix_live_notifications_invitation", ["invitation_id"], unique=False)


def downgrade() -> None:
    op.drop_table("live_notifications")
    op.drop_table("project_members")
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.drop_index("ix_notes_project_seq")
        batch_op.drop_column("author_id")
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.drop_index("ix_items_project_seq")
        batch_op.drop_column("author_id")
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_column("shared")
