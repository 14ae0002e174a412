"""calls: the (workspace_id, started_at) index also holds the sort columns

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 09:00:00

A `startedAfter`/`startedBefore` window listed by another column reads the window's ids and
sort values from this index alone (an index-only scan), sorts them and fetches only the
page's rows (docs/operations/scale.md). PostgreSQL only (INCLUDE); SQLite keeps the plain
index. Built with CREATE INDEX CONCURRENTLY under a temporary name, then swapped in, so
writes to a large calls table go on meanwhile; each step is safe to run again after a
failed upgrade (drop an INVALID ``ix_calls_workspace_started_cover`` first).
"""

from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

NAME = "ix_calls_workspace_started"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    with op.get_context().autocommit_block():
        op.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {NAME}_cover ON calls"
            " (workspace_id, started_at) INCLUDE (created_at, updated_at, id)"
        )
        op.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {NAME}")
        op.execute(f"ALTER INDEX IF EXISTS {NAME}_cover RENAME TO {NAME}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP INDEX IF EXISTS {NAME}")
    op.create_index(NAME, "calls", ["workspace_id", "started_at"])
