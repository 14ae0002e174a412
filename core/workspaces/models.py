from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.database import Base, TimestampMixin
from core.ids import new_id


class Workspace(TimestampMixin, Base):
    """A tenant: every record belongs to exactly one workspace."""

    __tablename__ = "workspaces"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("ws"))
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Signs job callbacks (`callbackUrl`), encrypted; created on first use.
    callback_secret_sealed: Mapped[str | None] = mapped_column(Text)
    # The partner that manages the workspace (created it through the partner API), if any.
    partner_id: Mapped[str | None] = mapped_column(
        ForeignKey("partners.id", ondelete="SET NULL"), index=True
    )
    # `active` or `suspended`: a suspended workspace's credentials are refused (403).
    status: Mapped[str] = mapped_column(String(16), default="active")
