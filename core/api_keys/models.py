from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.database import Base, TimestampMixin


class ApiKey(TimestampMixin, Base):
    """A credential of an API client. Only SHA-256 digests of its secret are stored."""

    __tablename__ = "api_keys"

    # `key_<publicId>`; the public id is also the middle part of the key string.
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    client_id: Mapped[str] = mapped_column(
        ForeignKey("api_clients.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(40))
    secret_hash: Mapped[str] = mapped_column(String(64))
    # After a rotation the previous secret keeps working until this moment.
    previous_secret_hash: Mapped[str | None] = mapped_column(String(64))
    previous_secret_expires_at: Mapped[datetime | None]
    environment: Mapped[str] = mapped_column(String(8), default="live")
    status: Mapped[str] = mapped_column(String(16), default="active", index=True)
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    tier: Mapped[str | None] = mapped_column(String(16))
    rate_limit_override: Mapped[int | None]
    ip_allowlist: Mapped[list[str]] = mapped_column(JSON, default=list)
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
