"""speed to lead: a workspace response target and each lead's response clock

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 23:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "response_targets",
        sa.Column("workspace_id", sa.String(length=40), nullable=False),
        sa.Column("target_seconds", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_response_targets_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", name=op.f("pk_response_targets")),
    )
    op.create_table(
        "lead_responses",
        sa.Column("lead_id", sa.String(length=40), nullable=False),
        sa.Column("workspace_id", sa.String(length=40), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("overdue_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["lead_id"],
            ["leads.id"],
            name=op.f("fk_lead_responses_lead_id_leads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("lead_id", name=op.f("pk_lead_responses")),
    )
    op.create_index("ix_lead_responses_due", "lead_responses", ["due_at"])
    op.create_index(
        op.f("ix_lead_responses_workspace_id"), "lead_responses", ["workspace_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_lead_responses_workspace_id"), table_name="lead_responses")
    op.drop_index("ix_lead_responses_due", table_name="lead_responses")
    op.drop_table("lead_responses")
    op.drop_table("response_targets")
