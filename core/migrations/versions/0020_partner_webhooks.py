"""partner webhooks: a subscription belongs to a workspace or to a partner

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 05:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("webhooks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("partner_id", sa.String(length=40), nullable=True))
        batch_op.alter_column("workspace_id", existing_type=sa.String(length=40), nullable=True)
        batch_op.create_foreign_key(
            batch_op.f("fk_webhooks_partner_id_partners"),
            "partners",
            ["partner_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_index("ix_webhooks_partner_created", ["partner_id", "created_at"])
        batch_op.create_check_constraint(
            "one_owner", "(workspace_id IS NULL) <> (partner_id IS NULL)"
        )


def downgrade() -> None:
    op.execute("DELETE FROM webhooks WHERE partner_id IS NOT NULL")
    with op.batch_alter_table("webhooks", schema=None) as batch_op:
        batch_op.drop_constraint("one_owner", type_="check")
        batch_op.drop_index("ix_webhooks_partner_created")
        batch_op.drop_constraint(batch_op.f("fk_webhooks_partner_id_partners"), type_="foreignkey")
        batch_op.alter_column("workspace_id", existing_type=sa.String(length=40), nullable=False)
        batch_op.drop_column("partner_id")
