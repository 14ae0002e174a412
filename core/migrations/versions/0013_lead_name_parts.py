"""leads gain first_name and last_name, split from existing names

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 01:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_BATCH = 1000


def upgrade() -> None:
    op.add_column("leads", sa.Column("first_name", sa.String(length=200), nullable=True))
    op.add_column("leads", sa.Column("last_name", sa.String(length=200), nullable=True))
    # Existing names are split as the API splits a name sent alone (core/leads/names.py:
    # the last word is the last name), in keyset batches so a large table is not held in
    # memory. The rule is repeated here rather than imported: a migration must keep doing
    # what it did when it was written.
    leads = sa.table(
        "leads",
        sa.column("id", sa.String),
        sa.column("name", sa.String),
        sa.column("first_name", sa.String),
        sa.column("last_name", sa.String),
    )
    bind = op.get_bind()
    after = ""
    while True:
        rows = bind.execute(
            sa.select(leads.c.id, leads.c.name)
            .where(leads.c.id > after, leads.c.name.is_not(None))
            .order_by(leads.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            break
        updates = []
        for lead_id, name in rows:
            words = name.split()
            if words:
                updates.append(
                    {"b_id": lead_id, "first": " ".join(words[:-1]) or None, "last": words[-1]}
                )
        if updates:
            bind.execute(
                leads.update()
                .where(leads.c.id == sa.bindparam("b_id"))
                .values(first_name=sa.bindparam("first"), last_name=sa.bindparam("last")),
                updates,
            )
        after = rows[-1][0]


def downgrade() -> None:
    op.drop_column("leads", "last_name")
    op.drop_column("leads", "first_name")
