"""Agents: each agent's calls, talk time, average analysis score and conversions over the
last 30 days (the figures of ``GET /v1/analytics/agents``)."""

from __future__ import annotations

from datetime import timedelta

from fastapi import Request, Response

from core.analytics.schemas import Period
from core.analytics.service import analytics
from core.database import utcnow
from core.deps import Session
from dashboard.browser import CurrentViewer, render
from dashboard.pages.common import page_router

router = page_router()
DAYS = 30


@router.get("/agents")
async def agents_page(request: Request, session: Session, viewer: CurrentViewer) -> Response:
    now = utcnow()
    figures = await analytics.agents(
        session,
        workspace_id=viewer.principal.workspace_id,
        period=Period(now - timedelta(days=DAYS), now + timedelta(seconds=1)),
    )
    return render(request, "agents.html", 200, viewer=viewer, figures=figures, days=DAYS)
