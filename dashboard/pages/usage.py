"""The usage page: the workspace's requests per hour by endpoint and by status class, then
each API client today against its busiest credential's daily limit."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from fastapi import Request, Response

from core.api_clients.models import ApiClient
from core.api_keys.models import ApiKey
from core.database import utcnow
from core.deps import Session
from core.ratelimit.policy import daily_limit
from core.usage.schemas import OTHER_ENDPOINTS
from core.usage.service import usage
from dashboard.browser import CurrentViewer, render
from dashboard.pages.common import QUOTA_WARNING, page_router
from dashboard.repository import DashboardRepository

router = page_router()


# The periods the usage page offers (``?period=``), each counted by hour.
USAGE_PERIODS: dict[str, tuple[str, timedelta]] = {
    "24h": ("the last 24 hours", timedelta(hours=24)),
    "7d": ("the last 7 days", timedelta(days=7)),
}
# The status classes' colours in the usage page's chart (core.usage.schemas.STATUS_CLASSES).
STATUS_COLORS = {
    "2xx": "#027a48",
    "3xx": "#2156d9",
    "4xx": "#b54708",
    "429": "#6941c6",
    "5xx": "#b42318",
}
OTHER_COLOR = "#98a2b3"


def _stacked(
    labels: list[str], names: list[str], counts: list[dict[str, int]], colors: dict[str, str]
) -> dict[str, Any]:
    """A stacked bar chart's ``data-series``: one dataset per name, one bar per label."""
    return {
        "labels": labels,
        "stacked": True,
        "datasets": [
            {"label": name, "data": [c[name] for c in counts]}
            | ({"color": colors[name]} if name in colors else {})
            for name in names
        ],
    }


@router.get("/usage")
async def usage_page(
    request: Request, session: Session, viewer: CurrentViewer, period: str = "24h"
) -> Response:
    """The workspace's requests per hour over the chosen period, by endpoint and by status
    class (two stacked charts, each with a table of its figures), then each client today."""
    if period not in USAGE_PERIODS:
        period = "24h"
    workspace_id = viewer.principal.workspace_id
    end = utcnow()
    timeline = await usage.timeline(
        session, workspace_id=workspace_id, start=end - USAGE_PERIODS[period][1], end=end
    )
    fmt = "%H:00" if period == "24h" else "%m-%d %H:00"
    labels = [h.hour.strftime(fmt) for h in timeline.hours]
    charts = {
        "endpoints": _stacked(
            labels,
            timeline.endpoints,
            [h.by_endpoint for h in timeline.hours],
            {OTHER_ENDPOINTS: OTHER_COLOR},
        ),
        "statuses": _stacked(
            labels, timeline.statuses, [h.by_status for h in timeline.hours], STATUS_COLORS
        ),
    }
    clients = await _client_usage(session, workspace_id)
    return render(
        request,
        "usage.html",
        viewer=viewer,
        period=period,
        periods={key: words for key, (words, _) in USAGE_PERIODS.items()},
        timeline=timeline,
        hours=[h for h in timeline.hours if h.requests],
        charts=charts,
        clients=clients,
    )


@dataclass(frozen=True)
class CredentialQuota:
    """One credential's requests today against its own daily limit (limits apply per API
    key and per OAuth token, not per client)."""

    label: str
    used: int
    limit: int

    @property
    def share(self) -> float:
        return self.used / self.limit

    @property
    def percent(self) -> float:
        return round(100 * self.share, 1)


def _busiest_credential(
    client: ApiClient, keys: list[ApiKey], used: dict[tuple[str | None, str | None], int]
) -> CredentialQuota:
    """The client's credential closest to its daily limit: its keys, and its OAuth tokens
    (counted together against one token's limit, so this errs towards warning early)."""
    quotas = [
        CredentialQuota(
            f"key “{key.name}”",
            used.get((client.id, key.id), 0),
            daily_limit(key.tier or client.rate_limit_tier, key.rate_limit_override),
        )
        for key in keys
    ]
    quotas.append(
        CredentialQuota(
            "OAuth tokens",
            used.get((client.id, None), 0),
            daily_limit(client.rate_limit_tier, None),
        )
    )
    return max(quotas, key=lambda q: (q.share, q.used))


async def _client_usage(session: Session, workspace_id: str) -> list[dict[str, Any]]:
    """Per API client, today (UTC): requests by endpoint, top errors, 429s, and the busiest
    of its credentials against that credential's daily limit (core.ratelimit.policy)."""
    now = utcnow()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    repo = DashboardRepository(session)
    keys: dict[str, list[ApiKey]] = defaultdict(list)
    for key in await repo.keys(workspace_id):
        keys[key.client_id].append(key)
    used = await usage.requests_by_credential(session, workspace_id=workspace_id, since=midnight)
    result = []
    for client in await repo.clients(workspace_id):
        stats = await usage.statistics(
            session,
            workspace_id=workspace_id,
            client_id=client.id,
            start=midnight,
            end=now + timedelta(seconds=1),
            group_by="hour",
        )
        quota = _busiest_credential(client, keys[client.id], used)
        result.append(
            {
                "client": client,
                "stats": stats,
                "quota": quota,
                "warning": quota.share >= QUOTA_WARNING,
            }
        )
    return result
