from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, case, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.timeseries import GroupBy, time_bucket
from core.usage.models import UsageLog


class HourlyGroup(NamedTuple):
    """Requests of one hour with one status code (and one endpoint, when asked for)."""

    hour: str  # core.timeseries.time_bucket's label: 2026-01-01T10:00:00Z
    status_code: int
    method: str | None
    endpoint: str | None
    requests: int


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

    async def requests_since(self, workspace_id: str, since: datetime) -> tuple[int, int]:
        """(requests, failed requests) of the workspace since ``since``."""
        failed = case((UsageLog.status_code >= 400, 1), else_=0)
        row = (
            await self.session.execute(
                select(func.count(), func.coalesce(func.sum(failed), 0)).where(
                    UsageLog.workspace_id == workspace_id, UsageLog.timestamp >= since
                )
            )
        ).one()
        return int(row[0]), int(row[1])

    async def requests_by_credential(
        self, workspace_id: str, since: datetime
    ) -> list[tuple[str | None, str | None, int]]:
        """(client id, key id, requests) of the workspace since ``since``; a key id of None
        is traffic without an API key (OAuth tokens)."""
        rows = await self.session.execute(
            select(UsageLog.client_id, UsageLog.key_id, func.count())
            .where(UsageLog.workspace_id == workspace_id, UsageLog.timestamp >= since)
            .group_by(UsageLog.client_id, UsageLog.key_id)
        )
        return [(client_id, key_id, int(count)) for client_id, key_id, count in rows.all()]

    async def hourly_groups(
        self,
        workspace_id: str,
        start: datetime,
        end: datetime | None = None,
        *,
        key_id: str | None = None,
        by_endpoint: bool = False,
    ) -> list[HourlyGroup]:
        """The workspace's (or one key's) requests in ``[start, end)`` counted per hour and
        status code, and per method and endpoint too with ``by_endpoint``.

        The hour is truncated in SQL by ``time_bucket`` (``strftime`` on SQLite,
        ``date_trunc`` on PostgreSQL) and grouped there with the other columns, so the
        database returns at most hours x status codes (x endpoints) rows however many
        requests there were; the callers only fold those few rows in Python."""
        hour = time_bucket(self.session, UsageLog.timestamp, "hour").label("bucket")
        keys: list[Any] = [hour, UsageLog.status_code]
        if by_endpoint:
            keys += [UsageLog.method, UsageLog.endpoint]
        scope = [UsageLog.workspace_id == workspace_id, UsageLog.timestamp >= start]
        if end is not None:
            scope.append(UsageLog.timestamp < end)
        if key_id is not None:
            scope.append(UsageLog.key_id == key_id)
        stmt = select(*keys, func.count()).where(*scope).group_by(*keys)
        return [
            HourlyGroup(
                hour=str(row[0]),
                status_code=int(row[1]),
                method=str(row[2]) if by_endpoint else None,
                endpoint=str(row[3]) if by_endpoint else None,
                requests=int(row[-1]),
            )
            for row in (await self.session.execute(stmt)).all()
        ]

    async def delete_before(self, cutoff: datetime) -> int:
        result = await self.session.execute(delete(UsageLog).where(UsageLog.timestamp < cutoff))
        return int(getattr(result, "rowcount", 0))
