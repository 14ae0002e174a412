from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from core.database import utcnow
from core.schemas import as_utc
from core.timeseries import GroupBy, bucket_labels
from core.usage.repository import HourlyGroup, UsageRepository
from core.usage.schemas import (
    OTHER_ENDPOINTS,
    STATUS_CLASSES,
    EndpointUsage,
    ErrorCount,
    HourlyRequests,
    RequestTotals,
    TimeBucket,
    TimelineHour,
    UsageStatistics,
    UsageTimeline,
)

TOP_ENDPOINTS = 6


def status_class(status_code: int) -> str:
    """``2xx``, ``3xx``, ``4xx`` (but 429), ``429`` or ``5xx`` (anything below 300 is 2xx)."""
    if status_code == 429:
        return "429"
    if status_code >= 500:
        return "5xx"
    if status_code >= 400:
        return "4xx"
    if status_code >= 300:
        return "3xx"
    return "2xx"


def _by_hour(groups: Iterable[HourlyGroup]) -> dict[datetime, list[HourlyGroup]]:
    """The repository's groups under the hour they count (an aware UTC datetime), in order:
    the one bucketing step every hourly series shares."""
    hours: dict[datetime, list[HourlyGroup]] = {}
    for group in groups:
        hours.setdefault(datetime.fromisoformat(group.hour), []).append(group)
    return dict(sorted(hours.items()))


def _counts(hour: datetime, groups: Iterable[HourlyGroup]) -> HourlyRequests:
    requests = failed = limited = 0
    for g in groups:
        requests += g.requests
        failed += g.requests if g.status_code >= 400 else 0
        limited += g.requests if g.status_code == 429 else 0
    return HourlyRequests(hour=hour, requests=requests, failed=failed, rate_limited=limited)


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

    async def requests_since(
        self, session: AsyncSession, *, workspace_id: str, since: datetime
    ) -> RequestTotals:
        """The workspace's requests (and failed ones) since ``since``."""
        requests, failed = await UsageRepository(session).requests_since(workspace_id, since)
        return RequestTotals(requests=requests, failed=failed)

    async def requests_by_credential(
        self, session: AsyncSession, *, workspace_id: str, since: datetime
    ) -> dict[tuple[str | None, str | None], int]:
        """Requests since ``since`` per (client id, key id): what each credential used of
        its own rate-limit windows (key id None: OAuth tokens)."""
        rows = await UsageRepository(session).requests_by_credential(workspace_id, since)
        return {(client_id, key_id): count for client_id, key_id, count in rows}

    async def hourly(
        self,
        session: AsyncSession,
        *,
        workspace_id: str,
        start: datetime,
        end: datetime | None = None,
        key_id: str | None = None,
    ) -> list[HourlyRequests]:
        """Requests, failed and rate-limited requests per hour of the workspace (or of one
        of its keys) in ``[start, end)``; only the hours that had requests, oldest first."""
        groups = await UsageRepository(session).hourly_groups(
            workspace_id, start, end, key_id=key_id
        )
        return [_counts(hour, rows) for hour, rows in _by_hour(groups).items()]

    async def timeline(
        self,
        session: AsyncSession,
        *,
        workspace_id: str,
        start: datetime,
        end: datetime,
        top_endpoints: int = TOP_ENDPOINTS,
    ) -> UsageTimeline:
        """The workspace's requests per hour in ``[start, end)``, every hour present, each
        counted by endpoint (``METHOD /route``: the busiest ``top_endpoints`` of the period,
        the rest together as ``other``) and by status class."""
        start, end = as_utc(start), as_utc(end)
        groups = await UsageRepository(session).hourly_groups(
            workspace_id, start, end, by_endpoint=True
        )
        per_endpoint: Counter[str] = Counter()
        for g in groups:
            per_endpoint[f"{g.method} {g.endpoint}"] += g.requests
        ranked = sorted(per_endpoint.items(), key=lambda item: (-item[1], item[0]))
        top = [name for name, _ in ranked[:top_endpoints]]
        series = top + ([OTHER_ENDPOINTS] if len(ranked) > top_endpoints else [])
        kept = set(top)

        by_hour = _by_hour(groups)
        hours = []
        for label in bucket_labels(start, end, "hour"):
            hour = datetime.fromisoformat(label)
            rows = by_hour.get(hour, [])
            endpoints = dict.fromkeys(series, 0)
            statuses = dict.fromkeys(STATUS_CLASSES, 0)
            for g in rows:
                name = f"{g.method} {g.endpoint}"
                endpoints[name if name in kept else OTHER_ENDPOINTS] += g.requests
                statuses[status_class(g.status_code)] += g.requests
            counts = _counts(hour, rows)
            hours.append(
                TimelineHour(**counts.model_dump(), by_endpoint=endpoints, by_status=statuses)
            )
        return UsageTimeline(
            start=start,
            end=end,
            endpoints=series,
            statuses=list(STATUS_CLASSES),
            hours=hours,
            endpoint_totals={name: sum(h.by_endpoint[name] for h in hours) for name in series},
            status_totals={name: sum(h.by_status[name] for h in hours) for name in STATUS_CLASSES},
            requests=sum(h.requests for h in hours),
        )

    async def cleanup(self, session: AsyncSession, *, older_than_days: int) -> int:
        return await UsageRepository(session).delete_before(
            utcnow() - timedelta(days=older_than_days)
        )


usage = UsageService()
