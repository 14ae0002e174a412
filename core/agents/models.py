from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.database import Base, TimestampMixin
from core.ids import new_id


class Agent(TimestampMixin, Base):
    """Who handles calls for a workspace: a person or an AI voice agent."""

    __tablename__ = "agents"
    __table_args__ = (Index("ix_agents_workspace_created", "workspace_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("agent"))
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(40))
    extension: Mapped[str | None] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(8), default="human")
    status: Mapped[str] = mapped_column(String(16), default="active")
    custom_fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
