"""One lead's page (the Slack cards link here): the lead, its calls, and where it went: its
events, their webhook deliveries, and each connection's sync state for it, so "did this
lead reach our CRM?" has one answer."""

from __future__ import annotations

from collections import defaultdict

from fastapi import Request, Response

from core.deps import Session
from core.leads.service import leads
from core.webhooks.models import Delivery
from dashboard.browser import CurrentViewer, render
from dashboard.pages.common import page_router
from dashboard.repository import DashboardRepository

router = page_router()


@router.get("/leads/{lead_id}")
async def lead_page(
    request: Request, session: Session, viewer: CurrentViewer, lead_id: str
) -> Response:
    workspace_id = viewer.principal.workspace_id
    lead = await leads.get(session, workspace_id=workspace_id, lead_id=lead_id)
    repo = DashboardRepository(session)
    events = await repo.lead_events(workspace_id, lead_id)
    deliveries: dict[str, list[Delivery]] = defaultdict(list)
    for delivery in await repo.deliveries_of([e.id for e in events]):
        deliveries[delivery.event_id or ""].append(delivery)
    return render(
        request,
        "lead.html",
        viewer=viewer,
        lead=lead,
        calls=await repo.lead_calls(workspace_id, lead_id),
        events=events,
        deliveries=deliveries,
        syncs=await repo.lead_sync_state(workspace_id, lead_id),
    )
