"""covering index for call windows, tags indexed per workspace, trigram statistics

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 09:00:00

PostgreSQL only; SQLite keeps its plain index and its scans (docs/operations/scale.md).

- A `startedAfter`/`startedBefore` window listed by another column reads the window's ids
  and sort values from ``ix_calls_workspace_started`` alone (an index-only scan), sorts them
  and fetches only the page's rows. Built with CREATE INDEX CONCURRENTLY under a temporary
  name, then swapped in, so writes to a large calls table go on meanwhile; each step is safe
  to run again after a failed upgrade (drop an INVALID ``ix_calls_workspace_started_cover``
  first).
- ``ix_leads_workspace_tags``: GIN over the workspace and the tags (the ``btree_gin``
  extension, trusted since PostgreSQL 13), so a small workspace's `tag` filter reads its own
  leads' entries: through ``ix_leads_tags`` alone, which holds every workspace's, a
  1,000-lead workspace's count read the 100,000 `vip` entries of a large one. The planner
  keeps ``ix_leads_tags`` for a large workspace, whose entries it reads more cheaply without
  intersecting them with the workspace's. Built concurrently.
- ``leads_<column>_trigrams``: statistics on the trigrams of the searched columns (their
  most common trigrams and the share of rows holding each), kept by every ANALYZE, so a
  `search` looks each column up by the part of its term with the rarest trigrams.
  Expression statistics need PostgreSQL 14; older servers skip them and search by the whole
  term. Creating them reads nothing; the ANALYZE samples the table (no lock on writes).
"""

from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

NAME = "ix_calls_workspace_started"
SEARCHED = ("name", "email", "company")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    with op.get_context().autocommit_block():
        op.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {NAME}_cover ON calls"
            " (workspace_id, started_at) INCLUDE (created_at, updated_at, id)"
        )
        op.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {NAME}")
        op.execute(f"ALTER INDEX IF EXISTS {NAME}_cover RENAME TO {NAME}")
        op.execute(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_leads_workspace_tags ON leads"
            " USING gin (workspace_id, (tags::jsonb) jsonb_path_ops)"
        )
    if (bind.dialect.server_version_info or (0,)) >= (14,):
        for column in SEARCHED:
            op.execute(
                f"CREATE STATISTICS IF NOT EXISTS leads_{column}_trigrams"
                f" ON (show_trgm(lower({column}))) FROM leads"
            )
        op.execute("ANALYZE leads")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in SEARCHED:
        op.execute(f"DROP STATISTICS IF EXISTS leads_{column}_trigrams")
    op.execute(f"DROP INDEX IF EXISTS {NAME}")
    op.create_index(NAME, "calls", ["workspace_id", "started_at"])
    op.execute("DROP INDEX IF EXISTS ix_leads_workspace_tags")
