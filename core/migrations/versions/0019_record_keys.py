"""the id map: a provider's second, stable id of a record (``external_key``)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 05:10:00

A provider may re-key a record when one of its fields changes (Mailchimp's member id is the
MD5 of its address); ``external_key`` holds an id that survives that (its ``contact_id``),
so a pulled record whose id changed is matched to the lead it mirrors (docs/operations/sync.md).
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("connection_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("external_key", sa.String(length=200), nullable=True))
        batch_op.create_index(
            "ix_connection_records_external_key",
            ["connection_id", "object_type", "external_key"],
        )


def downgrade() -> None:
    with op.batch_alter_table("connection_records", schema=None) as batch_op:
        batch_op.drop_index("ix_connection_records_external_key")
        batch_op.drop_column("external_key")
