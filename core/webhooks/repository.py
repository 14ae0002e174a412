from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Select,
    Table,
    bindparam,
    cast,
    column,
    delete,
    func,
    or_,
    select,
    update,
    values,
)
from sqlalchemy.ext.asyncio import AsyncSession

from core.database import insert_ignoring_conflicts
from core.events.catalog import TEST_EVENT_TYPE
from core.listing import Sorting
from core.webhooks.models import Delivery, DeliveryAttempt, Webhook
from core.webhooks.schemas import DeliveryFilters, WebhookFilters

WEBHOOK_SORTING = Sorting(
    fields={"createdAt": Webhook.created_at, "updatedAt": Webhook.updated_at},
    id_column=Webhook.id,
)
DELIVERY_SORTING = Sorting(fields={"createdAt": Delivery.created_at}, id_column=Delivery.id)

_deliveries: Table = Delivery.__table__  # type: ignore[assignment]


class WebhookRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, workspace_id: str, webhook_id: str) -> Webhook | None:
        return await self.session.scalar(
            select(Webhook).where(Webhook.workspace_id == workspace_id, Webhook.id == webhook_id)
        )

    def query(self, workspace_id: str, filters: WebhookFilters) -> Select[tuple[Webhook]]:
        stmt = select(Webhook).where(Webhook.workspace_id == workspace_id)
        if filters.active is not None:
            stmt = stmt.where(Webhook.active == filters.active)
        return filters.created.apply(stmt, Webhook.created_at)

    async def active_in(self, workspace_ids: Collection[str]) -> Sequence[Any]:
        """(id, workspace_id, url, events, created_at) of these workspaces' active subscriptions."""
        stmt = select(
            Webhook.id, Webhook.workspace_id, Webhook.url, Webhook.events, Webhook.created_at
        ).where(Webhook.workspace_id.in_(workspace_ids), Webhook.active.is_(True))
        return (await self.session.execute(stmt)).all()

    async def by_ids(self, ids: Collection[str]) -> Sequence[Webhook]:
        return (await self.session.scalars(select(Webhook).where(Webhook.id.in_(ids)))).all()

    async def for_sending(self, ids: Collection[str]) -> Sequence[Any]:
        """What the delivery engine needs to sign and send (columns, no ORM objects)."""
        if not ids:
            return []
        stmt = select(
            Webhook.id,
            Webhook.workspace_id,
            Webhook.url,
            Webhook.active,
            Webhook.retry_config,
            Webhook.secret_sealed,
            Webhook.previous_secret_sealed,
            Webhook.previous_secret_expires_at,
        ).where(Webhook.id.in_(ids))
        return (await self.session.execute(stmt)).all()

    def add(self, webhook: Webhook) -> None:
        self.session.add(webhook)

    async def delete(self, webhook: Webhook) -> None:
        await self.session.delete(webhook)

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


class DeliveryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def delete_for_webhook(self, webhook_id: str) -> None:
        await self.session.execute(delete(Delivery).where(Delivery.webhook_id == webhook_id))

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

    async def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> Sequence[Any]:
        """Leases up to ``limit`` due deliveries in one statement. PostgreSQL: the rows are
        locked with SKIP LOCKED so concurrent workers split them; SQLite has one writer, and
        the repeated lease condition keeps a second claimer from taking leased rows."""
        lease_free = or_(Delivery.locked_until.is_(None), Delivery.locked_until <= now)
        due = (
            select(Delivery.id)
            .where(Delivery.status == "pending", Delivery.next_attempt_at <= now, lease_free)
            .order_by(Delivery.next_attempt_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        stmt = (
            update(Delivery)
            .where(Delivery.id.in_(due.scalar_subquery()), Delivery.status == "pending", lease_free)
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
        return (await self.session.execute(stmt)).all()

    async def insert_new(self, rows: Sequence[dict[str, Any]]) -> None:
        """Fan-out rows; an existing (webhook, event) pair is skipped, so a re-run is safe."""
        if rows:
            stmt = insert_ignoring_conflicts(self.session, Delivery, ["webhook_id", "event_id"])
            await self.session.execute(stmt, list(rows))

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
        )
        await self.session.execute(
            update(Delivery)
            .where(Delivery.id.in_(held.scalar_subquery()))
            .values(locked_until=lease_until)
            .execution_options(synchronize_session=False)
        )

    async def insert_attempts(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            stmt = insert_ignoring_conflicts(
                self.session, DeliveryAttempt, ["delivery_id", "number"]
            )
            await self.session.execute(stmt, list(rows))

    async def apply_results(self, rows: Sequence[dict[str, Any]]) -> None:
        """One executemany for a batch. A row applies only if nobody recorded this attempt
        first (a worker whose lease ran out while it was still sending)."""
        if not rows:
            return
        t = _deliveries
        if self.session.get_bind().dialect.name == "postgresql":
            await self._apply_results_pg(rows)
            return
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
        """PostgreSQL: the whole batch as one ``UPDATE … FROM (VALUES …)``."""
        t = _deliveries
        names = [
            ("b_id", t.c.id.type),
            ("b_previous", t.c.attempts.type),
            ("b_status", t.c.status.type),
            ("b_attempts", t.c.attempts.type),
            ("b_next", t.c.next_attempt_at.type),
            ("b_code", t.c.last_status_code.type),
            ("b_error", t.c.last_error.type),
            ("b_latency", t.c.last_latency_ms.type),
            ("b_completed", t.c.completed_at.type),
        ]
        v = values(*(column(name, type_) for name, type_ in names), name="b").data(
            [tuple(row[name] for name, _ in names) for row in rows]
        )
        stmt = (
            update(t)
            .where(t.c.id == v.c.b_id, t.c.attempts == v.c.b_previous, t.c.status == "pending")
            # NULLs are rendered bare (typed text in VALUES): cast every column back.
            .values(
                status=v.c.b_status,
                attempts=v.c.b_attempts,
                next_attempt_at=cast(v.c.b_next, t.c.next_attempt_at.type),
                locked_until=None,
                last_status_code=cast(v.c.b_code, t.c.last_status_code.type),
                last_error=cast(v.c.b_error, t.c.last_error.type),
                last_latency_ms=cast(v.c.b_latency, t.c.last_latency_ms.type),
                completed_at=cast(v.c.b_completed, t.c.completed_at.type),
            )
            .execution_options(synchronize_session=False)
        )
        await self.session.execute(stmt)

    async def kill_pending(self, webhook_ids: Collection[str], reason: str, now: datetime) -> int:
        """Dead-letters every pending delivery of these subscriptions (they were disabled)."""
        if not webhook_ids:
            return 0
        result = await self.session.execute(
            update(Delivery)
            .where(Delivery.webhook_id.in_(webhook_ids), Delivery.status == "pending")
            .values(
                status="dead",
                last_error=reason,
                next_attempt_at=None,
                locked_until=None,
                completed_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def get(self, webhook_id: str, delivery_id: str) -> Delivery | None:
        return await self.session.scalar(
            select(Delivery).where(Delivery.webhook_id == webhook_id, Delivery.id == delivery_id)
        )

    def query(self, webhook_id: str, filters: DeliveryFilters) -> Select[tuple[Delivery]]:
        stmt = select(Delivery).where(Delivery.webhook_id == webhook_id)
        if filters.status is not None:
            stmt = stmt.where(Delivery.status == filters.status)
        if filters.event_type is not None:
            stmt = stmt.where(Delivery.event_type == filters.event_type)
        return filters.created.apply(stmt, Delivery.created_at)

    async def attempts_of(self, delivery_id: str) -> Sequence[DeliveryAttempt]:
        stmt = (
            select(DeliveryAttempt)
            .where(DeliveryAttempt.delivery_id == delivery_id)
            .order_by(DeliveryAttempt.number)
        )
        return (await self.session.scalars(stmt)).all()

    async def requeue_dead(
        self, webhook_id: str, since: datetime, until: datetime | None, now: datetime
    ) -> int:
        """Replays dead deliveries created in [since, until); test messages are not replayed."""
        stmt = update(Delivery).where(
            Delivery.webhook_id == webhook_id,
            Delivery.status == "dead",
            Delivery.event_type != TEST_EVENT_TYPE,
            Delivery.created_at >= since,
        )
        if until is not None:
            stmt = stmt.where(Delivery.created_at < until)
        result = await self.session.execute(
            stmt.values(
                status="pending", next_attempt_at=now, locked_until=None, completed_at=None
            ).execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)
