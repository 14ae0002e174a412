"""A workspace's response target and, per lead created while one was set, when the answer is
due, when it came and whether the lead went overdue (docs/resources/response-target.md)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.database import Base, utcnow


class ResponseTarget(Base):
    __tablename__ = "response_targets"

    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    target_seconds: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class LeadResponse(Base):
    """One lead's clock: ``due_at`` is its creation plus the target then in force; the
    first status change or linked call sets ``responded_at``; the sweeper sets
    ``overdue_at`` (once) when ``due_at`` passed with no response, emitting
    ``lead.response_overdue`` in the same transaction."""

    __tablename__ = "lead_responses"
    __table_args__ = (Index("ix_lead_responses_due", "due_at"),)

    lead_id: Mapped[str] = mapped_column(
        ForeignKey("leads.id", ondelete="CASCADE"), primary_key=True
    )
    workspace_id: Mapped[str] = mapped_column(String(40), index=True)
    due_at: Mapped[datetime]
    responded_at: Mapped[datetime | None]
    overdue_at: Mapped[datetime | None]
