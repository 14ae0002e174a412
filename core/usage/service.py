from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from core.database import utcnow
from core.timeseries import GroupBy
from core.usage.repository import UsageRepository
from core.usage.schemas import EndpointUsage, ErrorCount, TimeBucket, UsageStatistics


class UsageService:
    async def statistics(
        self,
        session: AsyncSession,
        *,
        workspace_id: str,
        client_id: str,
        start: datetime,
        end: datetime,
        group_by: GroupBy,
    ) -> UsageStatistics:
        repo = UsageRepository(session)
        total, failed, limited, average = await repo.totals(workspace_id, client_id, start, end)
        return UsageStatistics(
            date_from=start.isoformat(),
            date_to=end.isoformat(),
            group_by=group_by,
            total_requests=int(total),
            successful_requests=int(total) - int(failed),
            failed_requests=int(failed),
            rate_limited_requests=int(limited),
            average_response_time=round(float(average), 3),
            requests_by_endpoint=[
                EndpointUsage(
                    endpoint=e, method=m, count=int(c), avg_response_time=round(float(a), 3)
                )
                for e, m, c, a in await repo.by_endpoint(workspace_id, client_id, start, end)
            ],
            requests_by_time=[
                TimeBucket(time=t, count=int(c), errors=int(f))
                for t, c, f in await repo.by_time(workspace_id, client_id, start, end, group_by)
            ],
            top_error_codes=[
                ErrorCount(status_code=int(s), count=int(c))
                for s, c in await repo.top_errors(workspace_id, client_id, start, end)
            ],
        )

    async def cleanup(self, session: AsyncSession, *, older_than_days: int) -> int:
        return await UsageRepository(session).delete_before(
            utcnow() - timedelta(days=older_than_days)
        )


usage = UsageService()
