from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.jobs.models import Job

# A running job not updated for this long belongs to a worker that died.
STALE_RUNNING = timedelta(minutes=5)
# A queued job younger than this is probably on its way to a worker already.
QUEUED_GRACE = timedelta(seconds=30)


class JobRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def needing_a_worker(self, now: datetime, limit: int = 500) -> Sequence[str]:
        """Queued jobs nobody picked up, and running jobs whose worker went silent."""
        stmt = (
            select(Job.id)
            .where(
                or_(
                    (Job.status == "queued") & (Job.updated_at <= now - QUEUED_GRACE),
                    (Job.status == "running") & (Job.updated_at <= now - STALE_RUNNING),
                )
            )
            .order_by(Job.updated_at)
            .limit(limit)
        )
        return (await self.session.scalars(stmt)).all()
