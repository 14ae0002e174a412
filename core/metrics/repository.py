"""The counts behind the state gauges, each read through an index: pending and dead
deliveries through their partial indexes (one count each, so the planner can use them),
jobs through their status index, connections being few."""

from __future__ import annotations

from sqlalchemy import func, literal, select
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
        counts = {}
        for status in COUNTED_DELIVERY_STATES:
            # Inline, not a bind parameter: a partial index's predicate must match as written.
            matches = Delivery.status == literal(status, literal_execute=True)
            stmt = select(func.count()).select_from(Delivery).where(matches)
            counts[status] = int((await self.session.execute(stmt)).scalar_one())
        return counts

    async def jobs_by_status(self) -> dict[str, int]:
        stmt = select(Job.status, func.count()).group_by(Job.status)
        return {status: n for status, n in (await self.session.execute(stmt)).all()}

    async def connections_by_state(self) -> dict[tuple[str, str], int]:
        stmt = select(Connection.connector, Connection.status, func.count()).group_by(
            Connection.connector, Connection.status
        )
        return {(c, s): n for c, s, n in (await self.session.execute(stmt)).all()}
