from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.database import Base, TimestampMixin
from core.ids import new_id


class ApiClient(TimestampMixin, Base):
    """A partner application that consumes the API through its keys."""

    __tablename__ = "api_clients"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("cli"))
    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(String(2048))
    logo_url: Mapped[str | None] = mapped_column(String(2048))
    contact_email: Mapped[str] = mapped_column(String(320), index=True)
    redirect_uris: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="active", index=True)
    rate_limit_tier: Mapped[str] = mapped_column(String(16), default="basic")
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    # `metadata` is reserved by SQLAlchemy's declarative base, hence the attribute name.
    extra: Mapped[dict[str, Any]] = mapped_column("metadata", JSON, default=dict)
