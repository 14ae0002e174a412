"""The overview: today's figures and the alerts that need a person, refreshed by htmx."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import Request, Response

from core.database import utcnow
from core.deps import Session
from core.usage.service import usage
from dashboard.browser import PREFIX, CurrentViewer, dashboard_settings, render
from dashboard.pages.common import page_router
from dashboard.repository import DashboardRepository

router = page_router()


async def _figures(session: Session, workspace_id: str) -> dict[str, Any]:
    repo = DashboardRepository(session)
    midnight = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    totals = await usage.requests_since(session, workspace_id=workspace_id, since=midnight)
    deliveries = await repo.count_deliveries(workspace_id, midnight)
    connections = await repo.count_connections(workspace_id)
    return {
        "requests": totals.requests,
        "error_rate": round(100 * totals.failed / totals.requests, 1) if totals.requests else 0.0,
        "events": await repo.count_events(workspace_id, midnight),
        "appointments": await repo.count_appointments(workspace_id, midnight),
        "payments": await repo.count_payments(workspace_id, midnight),
        "deliveries": sum(deliveries.values()),
        "deliveries_failed": deliveries.get("failed", 0) + deliveries.get("dead", 0),
        "connections": connections.get("active", 0),
        "connections_in_error": connections.get("error", 0)
        + connections.get("reauthorization_required", 0),
        "syncs": await repo.count_running_syncs(workspace_id),
        "alerts": await _alerts(repo, workspace_id),
    }


async def _alerts(repo: DashboardRepository, workspace_id: str) -> list[dict[str, str]]:
    """What needs a person: disabled webhooks, connections in error, jobs failed in 24 h."""
    alerts = [
        {
            "kind": "webhook",
            "id": w.id,
            "text": f"Webhook {w.url} is disabled: {w.disabled_reason or 'switched off'}.",
            "href": f"{PREFIX}/webhooks#webhook-{w.id}",
        }
        for w in await repo.disabled_webhooks(workspace_id)
    ]
    alerts += [
        {
            "kind": "connection",
            "id": c.id,
            "text": f"Connection {c.name or c.connector} is in error"
            + (f": {c.last_error}" if c.last_error else "."),
            "href": f"{PREFIX}/integrations/{c.id}",
        }
        for c in await repo.connections_in_error(workspace_id)
    ]
    since = utcnow() - timedelta(hours=24)
    for job in await repo.failed_jobs(workspace_id, since):
        message = (job.error or {}).get("message") if isinstance(job.error, dict) else None
        alerts.append(
            {
                "kind": "job",
                "id": job.id,
                "text": f"Job {job.type} ({job.id}) failed" + (f": {message}" if message else "."),
                "href": "",
            }
        )
    return alerts


@router.get("")
async def overview(request: Request, session: Session, viewer: CurrentViewer) -> Response:
    figures = await _figures(session, viewer.principal.workspace_id)
    refresh = dashboard_settings().refresh_seconds
    return render(request, "overview.html", viewer=viewer, figures=figures, refresh=refresh)


@router.get("/overview/figures")
async def overview_figures(request: Request, session: Session, viewer: CurrentViewer) -> Response:
    """The figures alone, for the overview's htmx refresh."""
    figures = await _figures(session, viewer.principal.workspace_id)
    return render(request, "_figures.html", viewer=viewer, figures=figures)
