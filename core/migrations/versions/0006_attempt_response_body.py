"""webhook attempts keep the start of the receiver's answer

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 02:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("webhook_delivery_attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("response_body", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("webhook_delivery_attempts", schema=None) as batch_op:
        batch_op.drop_column("response_body")
