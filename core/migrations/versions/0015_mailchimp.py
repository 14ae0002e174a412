"""leads: email marketing consent

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 01:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "email_consent", sa.String(length=16), nullable=False, server_default="unknown"
            )
        )
        batch_op.add_column(sa.Column("email_consent_at", sa.DateTime(timezone=True)))
        batch_op.add_column(sa.Column("email_consent_source", sa.String(length=100)))


def downgrade() -> None:
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.drop_column("email_consent_source")
        batch_op.drop_column("email_consent_at")
        batch_op.drop_column("email_consent")
