from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    Select,
    delete,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from core.events.catalog import TEST_EVENT_TYPE
from core.listing import Sorting
from core.webhooks.models import Delivery, DeliveryAttempt, Webhook
from core.webhooks.schemas import DeliveryFilters, WebhookFilters

WEBHOOK_SORTING = Sorting(
    fields={"createdAt": Webhook.created_at, "updatedAt": Webhook.updated_at},
    id_column=Webhook.id,
)
DELIVERY_SORTING = Sorting(fields={"createdAt": Delivery.created_at}, id_column=Delivery.id)


class WebhookOwner(NamedTuple):
    """Whose subscriptions: a workspace's, or (``partner_id``) a partner's, which receive the
    events of every workspace it manages. Each sees only its own: another's is a 404."""

    workspace_id: str | None = None
    partner_id: str | None = None

    def owns(self) -> Any:
        if self.partner_id is not None:
            return Webhook.partner_id == self.partner_id
        return Webhook.workspace_id == self.workspace_id


class WebhookRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, owner: WebhookOwner, webhook_id: str) -> Webhook | None:
        return await self.session.scalar(
            select(Webhook).where(owner.owns(), Webhook.id == webhook_id)
        )

    def query(self, owner: WebhookOwner, filters: WebhookFilters) -> Select[tuple[Webhook]]:
        stmt = select(Webhook).where(owner.owns())
        if filters.active is not None:
            stmt = stmt.where(Webhook.active == filters.active)
        return filters.created.apply(stmt, Webhook.created_at)

    def add(self, webhook: Webhook) -> None:
        self.session.add(webhook)

    async def delete(self, webhook: Webhook) -> None:
        await self.session.delete(webhook)


class DeliveryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def delete_for_webhook(self, webhook_id: str) -> None:
        await self.session.execute(delete(Delivery).where(Delivery.webhook_id == webhook_id))

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
