from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, Select, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.jobs.models import Job
from core.jobs.schemas import JobFilters
from core.listing import Sorting
from core.workspaces.models import Workspace

# A running job not updated for this long belongs to a worker that died.
STALE_RUNNING = timedelta(minutes=5)
# A queued job younger than this is probably on its way to a worker already.
QUEUED_GRACE = timedelta(seconds=30)

JOB_SORTING = Sorting(
    fields={"createdAt": Job.created_at, "updatedAt": Job.updated_at},
    id_column=Job.id,
)


def _rowcount(result: Any) -> int:
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


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

    async def get(self, workspace_id: str, job_id: str) -> Job | None:
        return await self.session.scalar(
            select(Job).where(Job.workspace_id == workspace_id, Job.id == job_id)
        )

    async def by_id(self, job_id: str) -> Job | None:
        """Any workspace's job: for the worker, which is handed a bare id."""
        return await self.session.scalar(
            select(Job).where(Job.id == job_id).execution_options(populate_existing=True)
        )

    def query(self, workspace_id: str, filters: JobFilters) -> Select[tuple[Job]]:
        stmt = select(Job).where(Job.workspace_id == workspace_id)
        if filters.status is not None:
            stmt = stmt.where(Job.status == filters.status)
        if filters.type is not None:
            stmt = stmt.where(Job.type == filters.type)
        return filters.created.apply(stmt, Job.created_at)

    def add(self, job: Job) -> None:
        self.session.add(job)

    async def claim(self, job_id: str, now: datetime) -> bool:
        """Atomically moves a queued job (or a stale running one) to ``running`` and counts
        the attempt. Only one of several workers handed the same id wins."""
        result = await self.session.execute(
            update(Job)
            .where(
                Job.id == job_id,
                or_(
                    Job.status == "queued",
                    (Job.status == "running") & (Job.updated_at <= now - STALE_RUNNING),
                ),
            )
            .values(status="running", attempts=Job.attempts + 1, started_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1

    async def set_progress(self, job_id: str, attempt: int, progress: int, now: datetime) -> None:
        # Also the heartbeat: a fresh `updated_at` keeps the sweeper from taking the job over.
        await self.session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == "running", Job.attempts == attempt)
            .values(progress=progress, updated_at=now)
            .execution_options(synchronize_session=False)
        )

    async def finish(self, job_id: str, attempt: int, now: datetime, **values: Any) -> bool:
        """Stores the outcome unless another worker took the job over meanwhile."""
        result = await self.session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == "running", Job.attempts == attempt)
            .values(updated_at=now, finished_at=now, **values)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1

    async def callback_secret(self, workspace_id: str) -> str | None:
        return await self.session.scalar(
            select(Workspace.callback_secret_sealed).where(Workspace.id == workspace_id)
        )

    async def set_callback_secret_once(self, workspace_id: str, sealed: str) -> bool:
        """Stores the sealed secret unless one exists (two first uses race: one wins)."""
        result = await self.session.execute(
            update(Workspace)
            .where(Workspace.id == workspace_id, Workspace.callback_secret_sealed.is_(None))
            .values(callback_secret_sealed=sealed)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1
