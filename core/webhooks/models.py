from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    func,
    literal_column,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.database import Base, TimestampMixin, utcnow
from core.ids import new_id


class Webhook(TimestampMixin, Base):
    """A subscription: where to send which events, signed with its secret. It belongs to a
    workspace, or to a partner and then receives the events of every workspace the partner
    manages (docs/partners.md, "Partner webhooks")."""

    __tablename__ = "webhooks"
    __table_args__ = (
        Index("ix_webhooks_workspace_created", "workspace_id", "created_at"),
        Index("ix_webhooks_partner_created", "partner_id", "created_at"),
        CheckConstraint("(workspace_id IS NULL) <> (partner_id IS NULL)", name="one_owner"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("wh"))
    workspace_id: Mapped[str | None] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE")
    )
    partner_id: Mapped[str | None] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(2048))
    description: Mapped[str | None] = mapped_column(String(500))
    # Event type filters: exact names or wildcards such as `lead.*` and `*`.
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    # Why the subscription was switched off by Hubwire (410, sustained failures); None if on.
    disabled_reason: Mapped[str | None] = mapped_column(String(200))
    # {"maxRetries", "retryDelay", "backoffMultiplier", "timeout"}; None: the default schedule.
    retry_config: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Signing secrets (`whsec_…`), encrypted with the server's secret key.
    secret_sealed: Mapped[str] = mapped_column(Text)
    previous_secret_sealed: Mapped[str | None] = mapped_column(Text)
    previous_secret_expires_at: Mapped[datetime | None]
    # Health, updated after every attempt.
    success_count: Mapped[int] = mapped_column(default=0)
    failure_count: Mapped[int] = mapped_column(default=0)
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    failing_since: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    last_failure_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    # Isolation (docs/webhooks.md, "Isolation"): requests in flight at once and requests per
    # second this endpoint takes; None: the operator's default / no throttle.
    max_concurrency: Mapped[int | None]
    max_rate: Mapped[float | None]
    # The circuit breaker: "open" after a run of timeouts or refused connections; while open
    # nothing is sent but one probe at ``circuit_probe_at``, and an answer closes it again.
    circuit_state: Mapped[str] = mapped_column(String(16), default="closed")
    circuit_reason: Mapped[str | None] = mapped_column(String(500))
    circuit_opened_at: Mapped[datetime | None]
    circuit_probe_at: Mapped[datetime | None]
    # Timeouts and connection failures in a row (any answer resets it).
    unreachable_count: Mapped[int] = mapped_column(default=0)


class Delivery(Base):
    """One message to one endpoint; its id is the `webhook-id` header on every try.

    ``status``: ``pending`` (due at ``next_attempt_at``), ``succeeded``, ``dead`` (tries
    exhausted, 410, or the subscription disabled; can be replayed). A worker claims a
    pending delivery by setting ``locked_until``; if it dies the lease runs out and another
    worker takes it over, so a delivery is sent at least once and may be sent twice."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("webhook_id", "event_id"),
        # Also serves lookups by webhook_id alone (the FK, deletes, dead-letter replays).
        Index("ix_webhook_deliveries_webhook_created", "webhook_id", "created_at"),
        # What the engine claims from, pending rows only (a delivery that completes leaves
        # them). PostgreSQL's claim finds the endpoints with pending rows by skipping
        # through the first, then reads each endpoint's oldest free rows from it and its
        # count of leased rows from the second, instead of ranking every due row on every
        # claim (sync/pipeline/repository.py, docs/operations/reliability.md). SQLite's
        # ranking reads its pending rows from the first.
        Index(
            "ix_webhook_deliveries_endpoint_due",
            func.coalesce(literal_column("webhook_id"), literal_column("workspace_id")),
            "next_attempt_at",
            "id",
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
        Index(
            "ix_webhook_deliveries_endpoint_leased",
            func.coalesce(literal_column("webhook_id"), literal_column("workspace_id")),
            "locked_until",
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
        # Dead letters only: /metrics counts them at every scrape (core.metrics).
        Index(
            "ix_webhook_deliveries_dead",
            "webhook_id",
            postgresql_where=text("status = 'dead'"),
            sqlite_where=text("status = 'dead'"),
        ),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("msg"))
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    # A subscription's delivery, or (webhook_id None) a job's signed callback.
    webhook_id: Mapped[str | None] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"))
    event_id: Mapped[str | None] = mapped_column(String(40))
    event_type: Mapped[str] = mapped_column(String(100))
    url: Mapped[str] = mapped_column(String(2048))
    # The exact body, frozen at fan-out so every retry is signed over the same bytes.
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    locked_until: Mapped[datetime | None]
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    last_latency_ms: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]


class DeliveryAttempt(Base):
    """Every try, recorded once: (delivery, number) is unique, so a worker that re-runs a
    batch after a crash cannot record the same try twice."""

    __tablename__ = "webhook_delivery_attempts"
    __table_args__ = (
        UniqueConstraint("delivery_id", "number"),
        # Retention finds the old attempts by time (core.retention).
        Index("ix_webhook_delivery_attempts_attempted", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    delivery_id: Mapped[str] = mapped_column(
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE")
    )
    number: Mapped[int]
    status_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(String(500))
    latency_ms: Mapped[int]
    attempted_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The first 1 KB of the receiver's answer, as text (core.webhooks.sender).
    response_body: Mapped[str | None] = mapped_column(Text)
