from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.database import Base


class IdempotencyRecord(Base):
    """The first response to a POST with an Idempotency-Key, kept to be replayed."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("principal_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    principal_id: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))  # processing | completed
    response_status: Mapped[int | None]
    response_body: Mapped[str | None] = mapped_column(Text)
    response_content_type: Mapped[str | None] = mapped_column(String(100))
    # Responses that carry a secret keep only the resource id and are never replayed.
    secret_withheld: Mapped[bool] = mapped_column(default=False)
    locked_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
