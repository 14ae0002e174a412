"""A connection and the sync state that belongs to it: cursors, the id map, the push queue
and the sync log. Credentials are stored sealed (``core.crypto``), never in clear."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.database import Base, TimestampMixin, utcnow
from core.ids import new_id

# pending: waiting for the user's consent; active: syncing; paused: kept but not syncing;
# error: the credentials stopped working (reconnect); reauthorization_required: the provider
# revoked the grant (the app was uninstalled, the refresh token refused), so only a new
# consent helps; the row is deleted on disconnect.
CONNECTION_STATUSES = ("pending", "active", "paused", "error", "reauthorization_required")
# The statuses in which a connection's credentials cannot be used.
UNUSABLE_STATUSES = ("pending", "error", "reauthorization_required")


class Connection(TimestampMixin, Base):
    __tablename__ = "connections"
    __table_args__ = (
        Index("ix_connections_workspace_created", "workspace_id", "created_at"),
        Index("ix_connections_connector_account", "connector", "account_id"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("conn"))
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    connector: Mapped[str] = mapped_column(String(32))
    name: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(32), default="pending")
    auth_type: Mapped[str] = mapped_column(String(16))
    # The provider account the credentials reach (HubSpot's portal id): inbound webhooks
    # carry it and are routed by it.
    account_id: Mapped[str | None] = mapped_column(String(200))
    # Where the provider is reached: its API root (a sandbox in demos and tests) and the
    # OAuth endpoints resolved when the connection was created.
    base_url: Mapped[str | None] = mapped_column(String(2048))
    token_url: Mapped[str | None] = mapped_column(String(2048))
    # JSON of {"access_token", "refresh_token"} or {"api_key"}, sealed with the secret key.
    credentials_sealed: Mapped[str | None] = mapped_column(Text)
    token_expires_at: Mapped[datetime | None]
    # The consent in flight: a hash of the OAuth `state`, and the sealed PKCE verifier.
    oauth_state_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    code_verifier_sealed: Mapped[str | None] = mapped_column(Text)
    redirect_after: Mapped[str | None] = mapped_column(String(2048))
    # Which provider objects each Hubwire event type pushes, copied from the connector's
    # manifest when the connection is made: {"lead.created": ["contact"], ...}.
    push_routes: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    field_mapping: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    concurrency_limit: Mapped[int] = mapped_column(Integer, default=2)
    refresh_failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    activated_at: Mapped[datetime | None]
    last_synced_at: Mapped[datetime | None]
    # A pull is due at this time whatever the schedule (an inbound webhook's second pull,
    # Manifest.webhook_settle_seconds); the pull that starts after it clears it.
    pull_again_at: Mapped[datetime | None]


class SyncCursor(Base):
    """Where the next incremental pull of one object starts (the connector's opaque cursor),
    saved in the transaction that applied the page before it: a crash resumes from here."""

    __tablename__ = "connection_cursors"

    connection_id: Mapped[str] = mapped_column(
        ForeignKey("connections.id", ondelete="CASCADE"), primary_key=True
    )
    object_type: Mapped[str] = mapped_column(String(64), primary_key=True)
    cursor: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ExternalRecord(Base):
    """The id map: a Hubwire record and the provider record it is synced with. ``fields_hash``
    is the hash of the fields both sides last agreed on; a change whose fields hash the same
    is an echo and is not sent back. ``external_key`` is the provider's second id of the
    record when it has one that survives a change of ``external_id`` (Mailchimp's
    ``contact_id``: its member id is the hash of the address)."""

    __tablename__ = "connection_records"
    __table_args__ = (
        UniqueConstraint("connection_id", "object_type", "hubwire_id"),
        UniqueConstraint("connection_id", "object_type", "external_id"),
        Index("ix_connection_records_external_key", "connection_id", "object_type", "external_key"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    connection_id: Mapped[str] = mapped_column(ForeignKey("connections.id", ondelete="CASCADE"))
    object_type: Mapped[str] = mapped_column(String(64))
    hubwire_id: Mapped[str] = mapped_column(String(40))
    external_id: Mapped[str] = mapped_column(String(200))
    external_key: Mapped[str | None] = mapped_column(String(200))
    fields_hash: Mapped[str | None] = mapped_column(String(64))
    remote_updated_at: Mapped[datetime | None]
    synced_at: Mapped[datetime] = mapped_column(default=utcnow)


class SyncItem(Base):
    """Push work: one Hubwire record to send to one provider object. Written with the event
    fan-out; the engine claims pending items, coalesces them per record and pushes batches.
    ``state``: pending, done, failed (after ``attempts`` tries; ``error`` says why); a
    pending item that failed waits until ``next_attempt_at`` (backing off)."""

    __tablename__ = "connection_sync_items"
    __table_args__ = (
        Index("ix_connection_sync_items_pending", "connection_id", "state", "id"),
        UniqueConstraint("connection_id", "object_type", "event_id"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    connection_id: Mapped[str] = mapped_column(ForeignKey("connections.id", ondelete="CASCADE"))
    object_type: Mapped[str] = mapped_column(String(64))
    hubwire_id: Mapped[str] = mapped_column(String(40))
    event_id: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(500))
    # After a failed try, a pending item waits until then (None: due now).
    next_attempt_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None]


class SyncLog(Base):
    """One sync step (a pushed batch or a pulled page), or a connection event worth showing
    (connected, refresh failed): what ``/v1/connections/{id}/logs`` lists and the metrics
    and period statistics aggregate."""

    __tablename__ = "connection_logs"
    __table_args__ = (
        Index("ix_connection_logs_connection_created", "connection_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("log"))
    connection_id: Mapped[str] = mapped_column(ForeignKey("connections.id", ondelete="CASCADE"))
    workspace_id: Mapped[str] = mapped_column(String(40))
    level: Mapped[str] = mapped_column(String(8), default="info")
    # push, pull, webhook, auth, test
    kind: Mapped[str] = mapped_column(String(16))
    object_type: Mapped[str | None] = mapped_column(String(64))
    processed: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    provider_calls: Mapped[int] = mapped_column(Integer, default=0)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class InboundWebhookEvent(Base):
    """A provider event id Hubwire has received (``Connector.webhook_event_ids``): a provider
    that sends an event again (HubSpot retries a batch it thinks failed, Stripe resends) is
    answered without acting twice. Kept ``INBOUND_EVENT_RETENTION`` long (core/retention
    prunes), longer than any provider's retry schedule."""

    __tablename__ = "inbound_webhook_events"

    connector: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
