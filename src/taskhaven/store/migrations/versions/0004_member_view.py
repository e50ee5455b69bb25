"""member view: a member's own place, depth and folding of a shared project; departures

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 01:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("project_members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("item_order", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("indent", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("collapsed", sa.Boolean(), nullable=True))
    op.create_table(
        "departures",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("row_id", sa.BigInteger(), nullable=False),
        sa.Column("project_id", sa.BigInteger(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_departures")),
    )
    with op.batch_alter_table("departures", schema=None) as batch_op:
        batch_op.create_index("ix_departures_project_seq", ["project_id", "seq"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("departures", schema=None) as batch_op:
        batch_op.drop_index("ix_departures_project_seq")
    op.drop_table("departures")
    with op.batch_alter_table("project_members", schema=None) as batch_op:
        batch_op.drop_column("collapsed")
        batch_op.drop_column("indent")
        batch_op.drop_column("item_order")
