"""webhook isolation: per-endpoint concurrency and rate, and the circuit breaker

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 01:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("webhooks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("max_concurrency", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("max_rate", sa.Double(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "circuit_state", sa.String(length=16), nullable=False, server_default="closed"
            )
        )
        batch_op.add_column(sa.Column("circuit_reason", sa.String(length=500), nullable=True))
        batch_op.add_column(
            sa.Column("circuit_opened_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("circuit_probe_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("unreachable_count", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("webhooks", schema=None) as batch_op:
        for column in (
            "unreachable_count",
            "circuit_probe_at",
            "circuit_opened_at",
            "circuit_reason",
            "circuit_state",
            "max_rate",
            "max_concurrency",
        ):
            batch_op.drop_column(column)
