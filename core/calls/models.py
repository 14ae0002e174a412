from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.database import Base, TimestampMixin
from core.ids import new_id


class Call(TimestampMixin, Base):
    __tablename__ = "calls"
    __table_args__ = (
        Index("ix_calls_workspace_created", "workspace_id", "created_at"),
        # On PostgreSQL it also holds the sort columns, so a `startedAt` window listed by
        # another column is sorted from the index alone (migration 0021).
        Index(
            "ix_calls_workspace_started",
            "workspace_id",
            "started_at",
            postgresql_include=["created_at", "updated_at", "id"],
        ),
        Index("ix_calls_workspace_updated", "workspace_id", "updated_at"),
        # Serve a rare value (a few failed calls among a million) without walking the rest.
        Index("ix_calls_workspace_status_created", "workspace_id", "status", "created_at"),
        Index("ix_calls_workspace_outcome_created", "workspace_id", "outcome", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("call"))
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    lead_id: Mapped[str | None] = mapped_column(
        ForeignKey("leads.id", ondelete="SET NULL"), index=True
    )
    agent_id: Mapped[str | None] = mapped_column(
        ForeignKey("agents.id", ondelete="SET NULL"), index=True
    )
    direction: Mapped[str] = mapped_column(String(16), default="inbound")
    status: Mapped[str] = mapped_column(String(16), default="in_progress")
    from_number: Mapped[str | None] = mapped_column(String(40))
    to_number: Mapped[str | None] = mapped_column(String(40))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    duration_seconds: Mapped[int | None]
    outcome: Mapped[str | None] = mapped_column(String(32))
    summary: Mapped[str | None] = mapped_column(Text)
    transcript_text: Mapped[str | None] = mapped_column(Text)
    transcript_segments: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    transcript_language: Mapped[str | None] = mapped_column(String(16))
    transcribed_at: Mapped[datetime | None]
    custom_fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
