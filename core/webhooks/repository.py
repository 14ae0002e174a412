from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.webhooks.models import Delivery


class DeliveryRepository:
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
