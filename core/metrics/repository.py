"""The counts behind the state gauges: each a GROUP BY a few rows wide, read by an index."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.connections.models import Connection
from core.jobs.models import Job
from core.webhooks.models import Delivery

# Succeeded deliveries are most of the table and say nothing about trouble: not counted.
COUNTED_DELIVERY_STATES = ("pending", "dead")


class StateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def deliveries_by_status(self) -> dict[str, int]:
        stmt = (
            select(Delivery.status, func.count())
            .where(Delivery.status.in_(COUNTED_DELIVERY_STATES))
            .group_by(Delivery.status)
        )
        counts = {status: 0 for status in COUNTED_DELIVERY_STATES}
        counts.update({status: n for status, n in (await self.session.execute(stmt)).all()})
        return counts

    async def jobs_by_status(self) -> dict[str, int]:
        stmt = select(Job.status, func.count()).group_by(Job.status)
        return {status: n for status, n in (await self.session.execute(stmt)).all()}

    async def connections_by_state(self) -> dict[tuple[str, str], int]:
        stmt = select(Connection.connector, Connection.status, func.count()).group_by(
            Connection.connector, Connection.status
        )
        return {(c, s): n for c, s, n in (await self.session.execute(stmt)).all()}
