"""indexes for the delivery claim: each endpoint's free rows and its leased count

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 11:10:00

PostgreSQL's claim used to rank every due delivery within its endpoint on every claim, a
sort of the whole backlog (about 10 ms at 5,000 due rows, half of PostgreSQL's CPU per
delivery in a burst). It now finds the endpoints with pending rows by skipping through
``ix_webhook_deliveries_endpoint_due`` and reads, per endpoint, its count of leased rows
from ``ix_webhook_deliveries_endpoint_leased`` and its oldest free rows, up to its budget,
from the first (sync/pipeline/repository.py, docs/operations/reliability.md). Both are
partial (pending rows only).

They replace ``ix_webhook_deliveries_pending_due`` (pending rows by due time): beside them,
statistics taken at a quiet moment ("nothing pending") made the planner read every
endpoint's rows through it, sorting them each time. SQLite's claim, which still ranks, reads
its pending rows from the first new index.

On PostgreSQL the indexes are built with CREATE INDEX CONCURRENTLY, so deliveries go on
meanwhile; each step is safe to run again after a failed upgrade (drop an INVALID index
first).
"""

from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

ENDPOINT = "(coalesce(webhook_id, workspace_id))"
INDEXES = {
    "ix_webhook_deliveries_endpoint_due": f"{ENDPOINT}, next_attempt_at, id",
    "ix_webhook_deliveries_endpoint_leased": f"{ENDPOINT}, locked_until",
}
REPLACED = "ix_webhook_deliveries_pending_due"
PENDING = "WHERE status = 'pending'"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        for name, columns in INDEXES.items():
            op.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON webhook_deliveries ({columns}) {PENDING}"
            )
        op.execute(f"DROP INDEX IF EXISTS {REPLACED}")
        return
    with op.get_context().autocommit_block():
        for name, columns in INDEXES.items():
            op.execute(
                f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON webhook_deliveries"
                f" ({columns}) {PENDING}"
            )
        op.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {REPLACED}")


def downgrade() -> None:
    op.execute(
        f"CREATE INDEX IF NOT EXISTS {REPLACED} ON webhook_deliveries (next_attempt_at) {PENDING}"
    )
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
