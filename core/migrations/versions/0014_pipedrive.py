"""connections.status holds reauthorization_required (the Pipedrive connector's branch)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 02:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("connections", schema=None) as batch_op:
        batch_op.alter_column(
            "status", existing_type=sa.String(length=16), type_=sa.String(length=32)
        )


def downgrade() -> None:
    op.execute(
        "UPDATE connections SET status = 'error' WHERE status = 'reauthorization_required'"
    )
    with op.batch_alter_table("connections", schema=None) as batch_op:
        batch_op.alter_column(
            "status", existing_type=sa.String(length=32), type_=sa.String(length=16)
        )
