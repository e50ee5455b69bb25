"""per-user high-water marks of what each user can see, and seq indexes for finding who

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 01:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

KINDS = (
    "projects",
    "items",
    "notes",
    "labels",
    "filters",
    "reminders",
    "groups",
    "live_notifications",
    "account",
    "collaborators",
)


def upgrade() -> None:
    op.create_table(
        "user_marks",
        sa.Column("user_id", Id, autoincrement=False, nullable=False),
        *(sa.Column(kind, sa.BigInteger(), nullable=False) for kind in KINDS),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_marks_user_id_users")
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_user_marks")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index("ix_users_seq", ["seq"], unique=False)
    with op.batch_alter_table("project_members", schema=None) as batch_op:
        batch_op.create_index("ix_project_members_seq", ["seq"], unique=False)
    with op.batch_alter_table("live_notifications", schema=None) as batch_op:
        batch_op.create_index("ix_live_notifications_seq", ["seq"], unique=False)
    # Backfill: every existing user's marks at the current counter. A mark may be higher
    # than the newest change it covers (never lower), so this is exact enough: a client at
    # or past today's counter skips what it can, any older cursor reads as before.
    columns = ", ".join(KINDS)
    values = ", ".join("(SELECT value FROM change_counter WHERE id = 1)" for _ in KINDS)
    op.execute(f"INSERT INTO user_marks (user_id, {columns}) SELECT id, {values} FROM users")  # noqa: S608


def downgrade() -> None:
    with op.batch_alter_table("live_notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_live_notifications_seq")
    with op.batch_alter_table("project_members", schema=None) as batch_op:
        batch_op.drop_index("ix_project_members_seq")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index("ix_users_seq")
    op.drop_table("user_marks")
