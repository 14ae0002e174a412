"""inbound webhooks: provider event ids (a repeated event is not acted on twice) and a
connection's second pull after a webhook (connections.pull_again_at)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 02:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("connections") as batch:
        batch.add_column(sa.Column("pull_again_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "inbound_webhook_events",
        sa.Column("connector", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=200), nullable=False),
        sa.Column("event_id", sa.String(length=200), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "connector", "account_id", "event_id", name=op.f("pk_inbound_webhook_events")
        ),
    )
    op.create_index(
        op.f("ix_inbound_webhook_events_received_at"),
        "inbound_webhook_events",
        ["received_at"],
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_inbound_webhook_events_received_at"), table_name="inbound_webhook_events"
    )
    op.drop_table("inbound_webhook_events")
    with op.batch_alter_table("connections") as batch:
        batch.drop_column("pull_again_at")
