from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, case, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.timeseries import GroupBy, time_bucket
from core.usage.models import UsageLog


class UsageRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _scope(
        self, workspace_id: str, client_id: str, start: datetime, end: datetime
    ) -> list[ColumnElement[bool]]:
        return [
            UsageLog.workspace_id == workspace_id,
            UsageLog.client_id == client_id,
            UsageLog.timestamp >= start,
            UsageLog.timestamp < end,
        ]

    async def totals(
        self, workspace_id: str, client_id: str, start: datetime, end: datetime
    ) -> Any:
        failed = case((UsageLog.status_code >= 400, 1), else_=0)
        limited = case((UsageLog.status_code == 429, 1), else_=0)
        return (
            await self.session.execute(
                select(
                    func.count(),
                    func.coalesce(func.sum(failed), 0),
                    func.coalesce(func.sum(limited), 0),
                    func.coalesce(func.avg(UsageLog.response_time_ms), 0.0),
                ).where(*self._scope(workspace_id, client_id, start, end))
            )
        ).one()

    async def by_endpoint(
        self, workspace_id: str, client_id: str, start: datetime, end: datetime, limit: int = 50
    ) -> list[Any]:
        count = func.count().label("count")
        result = await self.session.execute(
            select(UsageLog.endpoint, UsageLog.method, count, func.avg(UsageLog.response_time_ms))
            .where(*self._scope(workspace_id, client_id, start, end))
            .group_by(UsageLog.endpoint, UsageLog.method)
            .order_by(count.desc(), UsageLog.endpoint)
            .limit(limit)
        )
        return list(result.all())

    async def by_time(
        self, workspace_id: str, client_id: str, start: datetime, end: datetime, group_by: GroupBy
    ) -> list[Any]:
        bucket = time_bucket(self.session, UsageLog.timestamp, group_by).label("bucket")
        failed = case((UsageLog.status_code >= 400, 1), else_=0)
        result = await self.session.execute(
            select(bucket, func.count(), func.coalesce(func.sum(failed), 0))
            .where(*self._scope(workspace_id, client_id, start, end))
            .group_by(bucket)
            .order_by(bucket)
        )
        return list(result.all())

    async def top_errors(
        self, workspace_id: str, client_id: str, start: datetime, end: datetime, limit: int = 10
    ) -> list[Any]:
        count = func.count().label("count")
        result = await self.session.execute(
            select(UsageLog.status_code, count)
            .where(*self._scope(workspace_id, client_id, start, end), UsageLog.status_code >= 400)
            .group_by(UsageLog.status_code)
            .order_by(count.desc())
            .limit(limit)
        )
        return list(result.all())

    async def delete_before(self, cutoff: datetime) -> int:
        result = await self.session.execute(delete(UsageLog).where(UsageLog.timestamp < cutoff))
        return int(getattr(result, "rowcount", 0))
