from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from core.analytics.schemas import (
    AgentAnalytics,
    AnalyticsSummary,
    CallSeries,
    LeadSeries,
    Period,
    RevenueSeries,
    Series,
    period_params,
    series_params,
)
from core.analytics.service import analytics
from core.deps import ReadSession, require
from core.plugins.auth import Principal
from core.ratelimit.policy import ANALYTICS

router = APIRouter(prefix="/v1/analytics", tags=["Analytics"])

Reader = Annotated[Principal, require("analytics:read", endpoint_class=ANALYTICS)]


@router.get(
    "/summary",
    response_model=AnalyticsSummary,
    summary="Lead, call, chat, appointment and payment statistics for a period",
    description=(
        "Counts of the leads created, the calls started and the chat sessions and messages "
        "created in `[dateFrom, dateTo)`, and the appointments booked then (by current status, "
        "with the no-show rate), and the payments made then with their revenue by currency and "
        "by source."
    ),
)
async def analytics_summary(
    session: ReadSession, principal: Reader, period: Annotated[Period, Depends(period_params)]
) -> AnalyticsSummary:
    return await analytics.summary(session, workspace_id=principal.workspace_id, period=period)


@router.get(
    "/leads",
    response_model=LeadSeries,
    summary="Leads created per hour or day",
    description="A continuous series: buckets without leads are included with zero counts.",
)
async def analytics_leads(
    session: ReadSession, principal: Reader, series: Annotated[Series, Depends(series_params)]
) -> LeadSeries:
    return await analytics.lead_series(session, workspace_id=principal.workspace_id, series=series)


@router.get(
    "/calls",
    response_model=CallSeries,
    summary="Calls started per hour or day",
    description=(
        "A continuous series: buckets without calls are included with zero counts. `ended` and "
        "`failed` count calls by their current status."
    ),
)
async def analytics_calls(
    session: ReadSession, principal: Reader, series: Annotated[Series, Depends(series_params)]
) -> CallSeries:
    return await analytics.call_series(session, workspace_id=principal.workspace_id, series=series)


@router.get(
    "/agents",
    response_model=AgentAnalytics,
    summary="Calls, talk time, analysis scores and conversions by agent for a period",
    description=(
        "Per agent, over the calls that started in `[dateFrom, dateTo)`: how many, their total "
        "duration, the mean score of their latest succeeded analyses, and the share of the "
        "leads those calls reached that are now `converted`."
    ),
)
async def analytics_agents(
    session: ReadSession, principal: Reader, period: Annotated[Period, Depends(period_params)]
) -> AgentAnalytics:
    return await analytics.agents(session, workspace_id=principal.workspace_id, period=period)


@router.get(
    "/revenue",
    response_model=RevenueSeries,
    summary="Revenue per hour or day",
    description=(
        "Paid payments and their revenue net of refunds, per currency (minor units), by the "
        "time they were made. A continuous series: empty buckets are included."
    ),
)
async def analytics_revenue(
    session: ReadSession, principal: Reader, series: Annotated[Series, Depends(series_params)]
) -> RevenueSeries:
    return await analytics.revenue_series(
        session, workspace_id=principal.workspace_id, series=series
    )
