from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.database import Base, utcnow
from core.ids import new_id


class Event(Base):
    """One change, written in the same transaction as the change itself (the outbox).

    ``dispatched_at`` stays empty until the event has been fanned out to its subscribers'
    deliveries; the sweeper re-sends the fan-out for any event left undispatched."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_workspace_occurred", "workspace_id", "occurred_at"),
        Index("ix_events_workspace_type_occurred", "workspace_id", "type", "occurred_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("evt"))
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(8), default="1")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    dispatched_at: Mapped[datetime | None] = mapped_column(index=True)


class EventFields(Protocol):
    """What the envelope and the fan-out read of an event: an ``Event`` row, or the plain
    tuple the dispatcher takes without building ORM objects."""

    @property
    def id(self) -> str: ...
    @property
    def workspace_id(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def data(self) -> dict[str, Any]: ...
    @property
    def occurred_at(self) -> datetime: ...
