"""indexes for filters, search and retention at scale

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 02:00:00

On PostgreSQL every index is built with CREATE INDEX CONCURRENTLY (outside the migration's
transaction), so writes to a large leads, calls or attempts table go on while it builds.
A concurrent build that fails leaves an INVALID index behind: drop it and run the upgrade
again (``IF NOT EXISTS`` would otherwise keep the invalid one).
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

# (name, table, columns) on both backends.
PLAIN = [
    ("ix_leads_workspace_email_lower", "leads", "workspace_id, lower(email)"),
    ("ix_leads_workspace_updated", "leads", "workspace_id, updated_at"),
    ("ix_leads_workspace_status_created", "leads", "workspace_id, status, created_at"),
    ("ix_leads_workspace_source_created", "leads", "workspace_id, source, created_at"),
    ("ix_calls_workspace_updated", "calls", "workspace_id, updated_at"),
    ("ix_calls_workspace_status_created", "calls", "workspace_id, status, created_at"),
    ("ix_calls_workspace_outcome_created", "calls", "workspace_id, outcome, created_at"),
    ("ix_webhook_delivery_attempts_attempted", "webhook_delivery_attempts", "attempted_at"),
]
# PostgreSQL only: GIN over tags as JSONB, and trigrams for `search` (LIKE '%text%').
POSTGRES_ONLY = [
    ("ix_leads_tags", "leads", "gin ((tags::jsonb) jsonb_path_ops)"),
    ("ix_leads_name_trgm", "leads", "gin (lower(name) gin_trgm_ops)"),
    ("ix_leads_email_trgm", "leads", "gin (lower(email) gin_trgm_ops)"),
    ("ix_leads_company_trgm", "leads", "gin (lower(company) gin_trgm_ops)"),
]
# Superseded: every email lookup compares lower(email), which this index cannot serve.
DROPPED = ("ix_leads_workspace_email", "leads", ["workspace_id", "email"])


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        for name, table, columns in PLAIN:
            op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")
        op.drop_index(DROPPED[0], table_name=DROPPED[1])
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    with op.get_context().autocommit_block():
        for name, table, columns in PLAIN:
            op.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} ({columns})")
        for name, table, using in POSTGRES_ONLY:
            op.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} USING {using}")
        op.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {DROPPED[0]}")


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    names = [name for name, _, _ in PLAIN] + (
        [name for name, _, _ in POSTGRES_ONLY] if postgres else []
    )
    for name in names:
        op.execute(sa.text(f"DROP INDEX IF EXISTS {name}"))
    op.create_index(DROPPED[0], DROPPED[1], DROPPED[2])
