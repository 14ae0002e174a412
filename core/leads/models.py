from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.database import Base, TimestampMixin
from core.ids import new_id


class Lead(TimestampMixin, Base):
    __tablename__ = "leads"
    __table_args__ = (
        Index("ix_leads_workspace_created", "workspace_id", "created_at"),
        Index("ix_leads_workspace_email", "workspace_id", "email"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("lead"))
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    name: Mapped[str | None] = mapped_column(String(200))
    first_name: Mapped[str | None] = mapped_column(String(200))
    last_name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(40))
    company: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16), default="new")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    custom_fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Email marketing consent: unknown, granted or revoked; when it last changed and where
    # from (docs/resources/leads.md, "Email marketing consent").
    email_consent: Mapped[str] = mapped_column(String(16), default="unknown")
    email_consent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    email_consent_source: Mapped[str | None] = mapped_column(String(100))
