"""Every query of the event pipeline (docs/architecture.md, "The event pipeline"): the
outbox the relay takes events from, the subscriptions the fan-out and the engine send to,
and the delivery queue the engine claims, leases and records. The API's own reads and
edits of subscriptions and deliveries are in ``core.webhooks.repository``."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Table, bindparam, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.connections.models import Connection, SyncItem
from core.database import insert_ignoring_conflicts
from core.events.models import Event
from core.webhooks.models import Delivery, DeliveryAttempt, Webhook
from core.workspaces.models import Workspace

# Paused connections still queue push work (nothing is lost while paused).
QUEUEING_STATUSES = ("active", "paused")

_deliveries: Table = Delivery.__table__  # type: ignore[assignment]


class DueDelivery(NamedTuple):
    """What the delivery engine needs of a delivery it holds (claimed or handed over)."""

    id: str
    workspace_id: str
    webhook_id: str | None
    url: str
    payload: str
    event_type: str
    attempts: int


class SendingInfo(NamedTuple):
    """What the delivery engine needs of a subscription to sign and send."""

    id: str
    workspace_id: str
    url: str
    active: bool
    retry_config: dict[str, Any] | None
    secret_sealed: str
    previous_secret_sealed: str | None
    previous_secret_expires_at: datetime | None


class FanOutTarget(NamedTuple):
    """An active subscription as the fan-out sees it, with what sending it needs."""

    id: str
    workspace_id: str
    url: str
    events: list[str]
    created_at: datetime
    sending: SendingInfo


# PostgreSQL: a whole batch in ONE statement of fixed text, its rows passed as one array per
# column (unnest). The statement is prepared once per connection and never recompiled, however
# many rows a batch has; the SQLite paths below use executemany instead.
_PG_INSERT_DELIVERIES = text(
    """
    INSERT INTO webhook_deliveries (id, workspace_id, webhook_id, event_id, event_type, url,
        payload, status, attempts, next_attempt_at, locked_until, created_at)
    SELECT r.id, r.workspace_id, r.webhook_id, r.event_id, r.event_type, r.url, r.payload,
        'pending', 0, :now, r.locked_until, :now
    FROM unnest(CAST(:ids AS VARCHAR[]), CAST(:workspace_ids AS VARCHAR[]),
        CAST(:webhook_ids AS VARCHAR[]), CAST(:event_ids AS VARCHAR[]),
        CAST(:event_types AS VARCHAR[]), CAST(:urls AS VARCHAR[]), CAST(:payloads AS TEXT[]),
        CAST(:locked_until AS TIMESTAMPTZ[]))
        AS r(id, workspace_id, webhook_id, event_id, event_type, url, payload, locked_until)
    ON CONFLICT (webhook_id, event_id) DO NOTHING
    RETURNING id
    """
)

_PG_INSERT_ATTEMPTS = text(
    """
    INSERT INTO webhook_delivery_attempts (delivery_id, number, status_code, error, latency_ms,
        attempted_at, response_body)
    SELECT * FROM unnest(CAST(:delivery_ids AS VARCHAR[]), CAST(:numbers AS INTEGER[]),
        CAST(:status_codes AS INTEGER[]), CAST(:errors AS VARCHAR[]),
        CAST(:latencies AS INTEGER[]), CAST(:attempted_at AS TIMESTAMPTZ[]),
        CAST(:response_bodies AS TEXT[]))
    ON CONFLICT (delivery_id, number) DO NOTHING
    """
)

# Every condition on ``d`` is a join condition against ``r``; the status a result applies
# to ("pending") comes in as a column of ``r`` too. A plain ``d.status = 'pending'`` (or any
# constant test on ``d``) is a restriction the planner estimates from statistics, and with
# statistics from a quiet moment ("nothing pending") it drove the join from ``d``: every
# pending delivery compared with every result, 40-200 ms per batch in a burst. As join
# conditions, only the primary key can find ``d``'s rows, whatever the statistics say.
PG_APPLY_RESULTS = text(
    """
    UPDATE webhook_deliveries AS d
    SET status = r.status, attempts = r.attempts, next_attempt_at = r.next_at,
        locked_until = NULL, last_status_code = r.code, last_error = r.error,
        last_latency_ms = r.latency, completed_at = r.completed
    FROM unnest(CAST(:ids AS VARCHAR[]), CAST(:previous AS INTEGER[]),
        CAST(:statuses AS VARCHAR[]), CAST(:attempts AS INTEGER[]),
        CAST(:next_at AS TIMESTAMPTZ[]), CAST(:codes AS INTEGER[]), CAST(:errors AS VARCHAR[]),
        CAST(:latencies AS INTEGER[]), CAST(:completed AS TIMESTAMPTZ[]),
        CAST(:applies_to AS VARCHAR[]))
        AS r(id, previous, status, attempts, next_at, code, error, latency, completed,
            applies_to)
    WHERE d.id = r.id AND d.attempts = r.previous AND d.status = r.applies_to
    """
)

_SENDING_COLUMNS = (
    Webhook.id,
    Webhook.workspace_id,
    Webhook.url,
    Webhook.active,
    Webhook.retry_config,
    Webhook.secret_sealed,
    Webhook.previous_secret_sealed,
    Webhook.previous_secret_expires_at,
)


class FanOutEvent(NamedTuple):
    """An event as the fan-out reads it: the attributes of :class:`Event` that the
    envelope and the connectors' push routing read, without an ORM object per event."""

    id: str
    workspace_id: str
    type: str
    version: str
    data: dict[str, Any]
    occurred_at: datetime


class OutboxRepository:
    """The relay's side of the outbox (the events table): what is not dispatched yet."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def has_undispatched(self) -> bool:
        found = await self.session.scalar(
            select(Event.id).where(Event.dispatched_at.is_(None)).limit(1)
        )
        return found is not None

    async def take_undispatched(self, limit: int, now: datetime) -> list[FanOutEvent]:
        """Marks the oldest ``limit`` undispatched events dispatched at ``now`` and returns
        them, oldest first, in one statement. On PostgreSQL the rows are locked with SKIP
        LOCKED, so concurrent dispatchers split them; the caller's transaction writes their
        deliveries, so a rollback leaves them undispatched again."""
        events = [
            FanOutEvent(*row) for row in await self.session.execute(self.take_statement(limit, now))
        ]
        events.sort(key=lambda e: (e.occurred_at, e.id))
        return events

    def take_statement(self, limit: int, now: datetime) -> Any:
        """The ``UPDATE … RETURNING`` of :meth:`take_undispatched`."""
        # A materialised CTE: the locking subquery runs once. Written as
        # ``WHERE id IN (subquery)``, PostgreSQL may plan a semi join that re-runs the sort
        # and the row locks for every candidate row (seen: 225 loops for 75 rows).
        oldest = (
            select(Event.id)
            .where(Event.dispatched_at.is_(None))
            .order_by(Event.occurred_at, Event.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .cte("oldest")
            .prefix_with("MATERIALIZED")
        )
        # PostgreSQL locked the rows in the CTE (their condition re-checked on the newest
        # version), so the update finds them by id alone. Repeating the condition there let
        # the planner, with statistics from a quiet moment ("no undispatched events"), drive
        # the join from the dispatched_at index and compare every undispatched event with
        # every taken one: quadratic, 100-340 ms per batch of 500 in a burst of 5,000.
        # SQLite takes no row locks: the repeated condition is what keeps two takers apart.
        taken = [Event.id == oldest.c.id]
        if self.session.get_bind().dialect.name != "postgresql":
            taken.append(Event.dispatched_at.is_(None))
        return (
            update(Event)
            .where(*taken)
            .values(dispatched_at=now)
            .returning(
                Event.id,
                Event.workspace_id,
                Event.type,
                Event.version,
                Event.data,
                Event.occurred_at,
            )
            .execution_options(synchronize_session=False)
        )


class TargetRepository:
    """Subscriptions as the pipeline sees them: whom an event goes to, how to sign and send
    to them, and their health after each recorded batch."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def for_sending(self, ids: Collection[str]) -> list[SendingInfo]:
        """What the delivery engine needs to sign and send (columns, no ORM objects)."""
        if not ids:
            return []
        stmt = select(*_SENDING_COLUMNS).where(Webhook.id.in_(ids))
        return [SendingInfo(*row) for row in await self.session.execute(stmt)]

    async def fan_out_targets(self, workspace_ids: Collection[str]) -> list[FanOutTarget]:
        """These workspaces' active subscriptions, with what the delivery engine needs to
        send to them (so a dispatcher can hand its new deliveries over ready to send)."""
        if not workspace_ids:
            return []
        stmt = select(Webhook.events, Webhook.created_at, *_SENDING_COLUMNS).where(
            Webhook.workspace_id.in_(workspace_ids), Webhook.active.is_(True)
        )
        targets = []
        for events, created_at, *sending in await self.session.execute(stmt):
            info = SendingInfo(*sending)
            targets.append(
                FanOutTarget(info.id, info.workspace_id, info.url, events, created_at, info)
            )
        return targets

    async def record_health(
        self,
        webhook_id: str,
        *,
        successes: int,
        failures: int,
        trailing_failures: int | None,
        failing_since: datetime | None,
        last_success_at: datetime | None,
        last_failure_at: datetime | None,
        last_error: str | None,
    ) -> None:
        """Adds one batch's outcomes. ``trailing_failures`` is None when the batch had no
        success (the streak continues), else the failures after its last success."""
        values: dict[str, Any] = {
            "success_count": Webhook.success_count + successes,
            "failure_count": Webhook.failure_count + failures,
        }
        if trailing_failures is None:
            values["consecutive_failures"] = Webhook.consecutive_failures + failures
            values["failing_since"] = func.coalesce(Webhook.failing_since, failing_since)
        else:
            values["consecutive_failures"] = trailing_failures
            values["failing_since"] = failing_since
        if last_success_at is not None:
            values["last_success_at"] = last_success_at
        if last_failure_at is not None:
            values["last_failure_at"] = last_failure_at
            values["last_error"] = last_error
        await self.session.execute(
            update(Webhook)
            .where(Webhook.id == webhook_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )

    async def disable(
        self, ids: Collection[str], reason: str, *, failing_before: datetime | None = None
    ) -> Sequence[str]:
        """Switches active subscriptions off; with ``failing_before`` only those failing
        (without a success) since before then. Returns the ids actually disabled."""
        if not ids:
            return []
        stmt = update(Webhook).where(Webhook.id.in_(ids), Webhook.active.is_(True))
        if failing_before is not None:
            stmt = stmt.where(Webhook.failing_since <= failing_before)
        result = await self.session.execute(
            stmt.values(active=False, disabled_reason=reason)
            .returning(Webhook.id)
            .execution_options(synchronize_session=False)
        )
        return list(result.scalars().all())

    async def callback_secrets(self, workspace_ids: Collection[str]) -> dict[str, str | None]:
        """Each workspace's sealed callback secret: job callbacks (deliveries without a
        subscription) are signed with it."""
        if not workspace_ids:
            return {}
        rows = await self.session.execute(
            select(Workspace.id, Workspace.callback_secret_sealed).where(
                Workspace.id.in_(workspace_ids)
            )
        )
        return {row.id: row.callback_secret_sealed for row in rows}

    async def queueing_connections(self, workspace_ids: Collection[str]) -> list[Connection]:
        """These workspaces' connections that take push work (active or paused)."""
        rows = await self.session.scalars(
            select(Connection).where(
                Connection.workspace_id.in_(workspace_ids),
                Connection.status.in_(QUEUEING_STATUSES),
            )
        )
        return list(rows)

    async def add_push_items(self, rows: Sequence[dict[str, Any]]) -> None:
        """Pending push items; an existing (connection, object, event) item is kept."""
        if not rows:
            return
        stmt = insert_ignoring_conflicts(
            self.session, SyncItem, ["connection_id", "object_type", "event_id"]
        )
        await self.session.execute(stmt, list(rows))


class DeliveryQueueRepository:
    """The deliveries table as a queue: fan-out inserts, the engine claims (leases), renews,
    releases and records."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def has_due(self, now: datetime) -> bool:
        """Whether a pending delivery is due and not leased to a live worker."""
        found = await self.session.scalar(
            select(Delivery.id)
            .where(
                Delivery.status == "pending",
                Delivery.next_attempt_at <= now,
                or_(Delivery.locked_until.is_(None), Delivery.locked_until <= now),
            )
            .limit(1)
        )
        return found is not None

    async def claim_due(
        self, now: datetime, lease_until: datetime, limit: int
    ) -> list[DueDelivery]:
        """Leases up to ``limit`` due deliveries in one statement. PostgreSQL: the rows are
        locked with SKIP LOCKED so concurrent workers split them; SQLite has one writer, and
        the repeated lease condition keeps a second claimer from taking leased rows."""
        stmt = self.claim_statement(now, lease_until, limit)
        return [DueDelivery(*row) for row in await self.session.execute(stmt)]

    def claim_statement(self, now: datetime, lease_until: datetime, limit: int) -> Any:
        """The ``UPDATE … RETURNING`` of :meth:`claim_due`."""
        lease_free = or_(Delivery.locked_until.is_(None), Delivery.locked_until <= now)
        # A materialised CTE, so the locking subquery runs once (see take_undispatched).
        due = (
            select(Delivery.id)
            .where(Delivery.status == "pending", Delivery.next_attempt_at <= now, lease_free)
            .order_by(Delivery.next_attempt_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .cte("due")
            .prefix_with("MATERIALIZED")
        )
        # By id alone on PostgreSQL, as in take_undispatched: the rows are locked in the CTE.
        claimed = [Delivery.id == due.c.id]
        if self.session.get_bind().dialect.name != "postgresql":
            claimed += [Delivery.status == "pending", lease_free]
        return (
            update(Delivery)
            .where(*claimed)
            .values(locked_until=lease_until)
            .returning(
                Delivery.id,
                Delivery.workspace_id,
                Delivery.webhook_id,
                Delivery.url,
                Delivery.payload,
                Delivery.event_type,
                Delivery.attempts,
            )
            .execution_options(synchronize_session=False)
        )

    async def insert_new(
        self,
        rows: Sequence[dict[str, Any]],
        *,
        now: datetime,
        leased: int = 0,
        lease_until: datetime | None = None,
    ) -> set[str]:
        """Fan-out rows (keys ``id``, ``workspace_id``, ``webhook_id``, ``event_id``,
        ``event_type``, ``url``, ``payload``), pending and due ``now``; the first ``leased``
        of them already leased until ``lease_until`` (handed straight to this process's
        engine). An existing (webhook, event) pair is skipped, so a re-run is safe.
        Returns the ids actually inserted."""
        if not rows:
            return set()
        if self.session.get_bind().dialect.name == "postgresql":
            params = {
                "now": now,
                "ids": [r["id"] for r in rows],
                "workspace_ids": [r["workspace_id"] for r in rows],
                "webhook_ids": [r["webhook_id"] for r in rows],
                "event_ids": [r["event_id"] for r in rows],
                "event_types": [r["event_type"] for r in rows],
                "urls": [r["url"] for r in rows],
                "payloads": [r["payload"] for r in rows],
                "locked_until": [lease_until] * leased + [None] * (len(rows) - leased),
            }
            result = await self.session.execute(_PG_INSERT_DELIVERIES, params)
            return set(result.scalars().all())
        full = [
            {
                **row,
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
                "locked_until": lease_until if n < leased else None,
            }
            for n, row in enumerate(rows)
        ]
        stmt = insert_ignoring_conflicts(self.session, Delivery, ["webhook_id", "event_id"])
        await self.session.execute(stmt, full)
        # The ids are new: those found now are the rows this call inserted.
        ids = [row["id"] for row in rows]
        found = await self.session.scalars(select(Delivery.id).where(Delivery.id.in_(ids)))
        return set(found.all())

    async def release_leases(self, ids: Collection[str]) -> None:
        """Gives back deliveries a worker holds but will not send (it is shutting down), so
        any worker can claim them at once instead of when the lease runs out."""
        if not ids:
            return
        await self.session.execute(
            update(Delivery)
            .where(Delivery.id.in_(ids), Delivery.status == "pending")
            .values(locked_until=None)
            .execution_options(synchronize_session=False)
        )

    async def renew_leases(self, ids: Collection[str], lease_until: datetime) -> None:
        """Extends the lease of deliveries a worker still holds (claimed, not yet recorded)."""
        if not ids:
            return
        # Rows the recorder is writing right now are skipped, not waited for: the recorder
        # finishes them anyway, and waiting on each other's row locks in different orders
        # deadlocked the two (seen on PostgreSQL under load).
        held = (
            select(Delivery.id)
            .where(
                Delivery.id.in_(ids),
                Delivery.status == "pending",
                Delivery.locked_until.is_not(None),
            )
            .with_for_update(skip_locked=True)
            .cte("held")
            .prefix_with("MATERIALIZED")
        )
        await self.session.execute(
            update(Delivery)
            .where(Delivery.id == held.c.id)
            .values(locked_until=lease_until)
            .execution_options(synchronize_session=False)
        )

    async def insert_attempts(self, rows: Sequence[dict[str, Any]]) -> None:
        if not rows:
            return
        if self.session.get_bind().dialect.name == "postgresql":
            params = {
                "delivery_ids": [r["delivery_id"] for r in rows],
                "numbers": [r["number"] for r in rows],
                "status_codes": [r["status_code"] for r in rows],
                "errors": [r["error"] for r in rows],
                "latencies": [r["latency_ms"] for r in rows],
                "attempted_at": [r["attempted_at"] for r in rows],
                "response_bodies": [r["response_body"] for r in rows],
            }
            await self.session.execute(_PG_INSERT_ATTEMPTS, params)
            return
        stmt = insert_ignoring_conflicts(self.session, DeliveryAttempt, ["delivery_id", "number"])
        await self.session.execute(stmt, list(rows))

    async def apply_results(self, rows: Sequence[dict[str, Any]]) -> None:
        """One statement for a batch (PostgreSQL; an executemany on SQLite). A row applies
        only if nobody recorded this attempt first (a worker whose lease ran out while it was
        still sending)."""
        if not rows:
            return
        if self.session.get_bind().dialect.name == "postgresql":
            await self._apply_results_pg(rows)
            return
        t = _deliveries
        stmt = (
            update(t)
            .where(
                t.c.id == bindparam("b_id"),
                t.c.attempts == bindparam("b_previous"),
                t.c.status == "pending",
            )
            .values(
                status=bindparam("b_status"),
                attempts=bindparam("b_attempts"),
                next_attempt_at=bindparam("b_next"),
                locked_until=None,
                last_status_code=bindparam("b_code"),
                last_error=bindparam("b_error"),
                last_latency_ms=bindparam("b_latency"),
                completed_at=bindparam("b_completed"),
            )
        )
        await self.session.execute(stmt, list(rows))

    async def _apply_results_pg(self, rows: Sequence[dict[str, Any]]) -> None:
        """PostgreSQL: the whole batch as one ``UPDATE … FROM unnest(…)``."""
        params = {
            "ids": [r["b_id"] for r in rows],
            "previous": [r["b_previous"] for r in rows],
            "statuses": [r["b_status"] for r in rows],
            "attempts": [r["b_attempts"] for r in rows],
            "next_at": [r["b_next"] for r in rows],
            "codes": [r["b_code"] for r in rows],
            "errors": [r["b_error"] for r in rows],
            "latencies": [r["b_latency"] for r in rows],
            "completed": [r["b_completed"] for r in rows],
            "applies_to": ["pending"] * len(rows),
        }
        await self.session.execute(PG_APPLY_RESULTS, params)
