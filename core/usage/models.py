from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.database import Base

_BigId = BigInteger().with_variant(Integer, "sqlite")


class UsageLog(Base):
    """One API request. Written in batches by the usage recorder, never on the request path."""

    __tablename__ = "usage_logs"
    __table_args__ = (Index("ix_usage_logs_client_time", "client_id", "timestamp"),)

    id: Mapped[int] = mapped_column(_BigId, primary_key=True, autoincrement=True)
    timestamp: Mapped[datetime] = mapped_column(index=True)
    workspace_id: Mapped[str | None] = mapped_column(String(40))
    client_id: Mapped[str | None] = mapped_column(String(40))
    key_id: Mapped[str | None] = mapped_column(String(40))
    request_id: Mapped[str] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(8))
    endpoint: Mapped[str] = mapped_column(String(255))
    status_code: Mapped[int]
    response_time_ms: Mapped[float]
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(512))
    request_bytes: Mapped[int] = mapped_column(default=0)
    response_bytes: Mapped[int] = mapped_column(default=0)
