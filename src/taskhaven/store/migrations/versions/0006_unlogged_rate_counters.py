"""rate counters unlogged on PostgreSQL

Rate-limit counters are rewritten on every counted request and matter for one minute: on
PostgreSQL they skip the write-ahead log (no flush to disk per request, nothing to
replicate). A crash empties the table, which forgives at most one minute of counting.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 05:00:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE rate_counters SET UNLOGGED")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE rate_counters SET LOGGED")
