"""Statistics (issue 13): intake categories as rows, the demo flag, statistics indexes,
audit_log.detail, report_runs (one row per scheduled report). The data step (JSON
categories copied into rows before the column goes) is storage/intake_upgrade.py, written by
the statistics work for exactly this use.

Revision ID: 0005
Follows: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.intake_upgrade import upgrade_intake_statistics

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    upgrade_intake_statistics(op.get_bind())
    op.create_table(
        "report_runs",
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_report_runs")),
    )


def downgrade() -> None:
    raise NotImplementedError("restore a backup from before the statistics upgrade")
