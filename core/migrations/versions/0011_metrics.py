"""metrics: a partial index of dead deliveries

/metrics counts the dead-lettered deliveries at scrape time; without this index that count
reads the whole deliveries table (mostly succeeded rows). Per webhook, it also serves the
dead letters a recover replays.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 02:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

DEAD = sa.text("status = 'dead'")


def upgrade() -> None:
    with op.batch_alter_table("webhook_deliveries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_webhook_deliveries_dead",
            ["webhook_id"],
            unique=False,
            postgresql_where=DEAD,
            sqlite_where=DEAD,
        )


def downgrade() -> None:
    with op.batch_alter_table("webhook_deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_webhook_deliveries_dead", postgresql_where=DEAD, sqlite_where=DEAD)
