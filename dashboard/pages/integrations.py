"""The integrations page: the connector catalog and the workspace's connections (connect,
test, force a sync and follow its job, pause, resume), and one connection's page (metrics,
the last two weeks, its concurrency limit, its settings)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from fastapi import Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from core.connections.endpoints import connection_service
from core.connections.schemas import (
    ConnectionCreate,
    ConnectionFilters,
    ConnectionUpdate,
    LogFilters,
    StatsPeriod,
)
from core.connectors.service import connectors
from core.database import utcnow
from core.deps import Session
from core.errors import HubwireError, NotFound, ValidationFailed
from core.jobs.models import Job
from core.jobs.service import jobs
from dashboard.browser import PREFIX, AdminViewer, CurrentViewer, Viewer, render
from dashboard.pages.common import ANY_TIME, list_params, page_router, problem
from dashboard.repository import DashboardRepository

router = page_router()


async def _integrations_page(
    request: Request,
    session: Session,
    viewer: Viewer,
    *,
    status: int = 200,
    error: str | None = None,
    notice: str | None = None,
    tested: dict[str, Any] | None = None,
    started: Job | None = None,
) -> Response:
    workspace_id = viewer.principal.workspace_id
    page = await connection_service(request).list(
        session,
        workspace_id=workspace_id,
        filters=ConnectionFilters(connector=None, status=None, created=ANY_TIME),
        params=list_params(100),
    )
    service = connection_service(request)
    logs = {
        c.id: (
            await service.logs(
                session,
                workspace_id=workspace_id,
                connection_id=c.id,
                filters=LogFilters(kind=None, level=None, created=ANY_TIME),
                params=list_params(5),
            )
        ).items
        for c in page.items
    }
    syncs = await DashboardRepository(session).running_syncs(workspace_id)
    if started is not None:
        syncs[str(started.input.get("connectionId"))] = started
    returned = request.query_params.get("status")
    if returned and notice is None and request.method == "GET":
        notice = {
            "active": "Connected.",
            "denied": "The connection was not authorized.",
        }.get(returned, "The connection failed; try again.")
    return render(
        request,
        "integrations.html",
        status,
        viewer=viewer,
        catalog=connectors.catalog(),
        connections=page.items,
        syncs=syncs,
        logs=logs,
        error=error,
        notice=notice,
        tested=tested,
    )


@router.get("/integrations")
async def integrations(request: Request, session: Session, viewer: CurrentViewer) -> Response:
    return await _integrations_page(request, session, viewer)


@router.post("/integrations/connect")
async def connect(request: Request, session: Session, viewer: AdminViewer) -> Response:
    """Starts the provider's OAuth consent; its callback brings the browser back here."""
    form = await request.form()
    back = f"{str(request.base_url).rstrip('/')}{PREFIX}/integrations"
    try:
        data = ConnectionCreate(connector=str(form.get("connector", "")), redirect_url=back)
        _, authorize_url = await connection_service(request).create(
            session, workspace_id=viewer.principal.workspace_id, data=data
        )
    except (HubwireError, ValidationError) as exc:
        return await _integrations_page(request, session, viewer, status=422, error=problem(exc))
    return RedirectResponse(authorize_url or back, status_code=303)


@router.post("/integrations/{connection_id}/test")
async def test_connection(
    request: Request, session: Session, viewer: AdminViewer, connection_id: str
) -> Response:
    result = await connection_service(request).test(
        session, workspace_id=viewer.principal.workspace_id, connection_id=connection_id
    )
    return await _integrations_page(
        request, session, viewer, tested={"id": connection_id, **result}
    )


@router.post("/integrations/{connection_id}/sync")
async def sync_connection(
    request: Request, session: Session, viewer: AdminViewer, connection_id: str
) -> Response:
    job = await connection_service(request).request_sync(
        session, workspace_id=viewer.principal.workspace_id, connection_id=connection_id
    )
    return await _integrations_page(request, session, viewer, notice="Sync started.", started=job)


STATS_DAYS = 14


@router.get("/integrations/{connection_id}")
async def connection_detail(
    request: Request, session: Session, viewer: CurrentViewer, connection_id: str
) -> Response:
    return await _connection_page(request, session, viewer, connection_id)


async def _connection_page(
    request: Request,
    session: Session,
    viewer: Viewer,
    connection_id: str,
    *,
    status: int = 200,
    notice: str | None = None,
    error: str | None = None,
) -> Response:
    """One connection: its metrics, the last two weeks per day (chart and table), its
    concurrency limit (a form for admins) and its recent logs."""
    service = connection_service(request)
    workspace_id = viewer.principal.workspace_id
    connection = await service.get(session, workspace_id=workspace_id, connection_id=connection_id)
    metrics = await service.metrics(session, workspace_id=workspace_id, connection_id=connection_id)
    today = utcnow().date()
    period = StatsPeriod(start=today - timedelta(days=STATS_DAYS - 1), end=today)
    stats = await service.period_stats(
        session, workspace_id=workspace_id, connection_id=connection_id, period=period
    )
    logs = await service.logs(
        session,
        workspace_id=workspace_id,
        connection_id=connection_id,
        filters=LogFilters(kind=None, level=None, created=ANY_TIME),
        params=list_params(20),
    )
    days = stats["days"]
    series = {
        "labels": [d["date"].isoformat() for d in days],
        "datasets": [
            {"label": "Pushed", "data": [d["pushed"] for d in days]},
            {"label": "Pulled", "data": [d["pulled"] for d in days], "color": "#027a48"},
            {"label": "Failed", "data": [d["failed"] for d in days], "color": "#b42318"},
        ],
    }
    return render(
        request,
        "connection.html",
        status,
        viewer=viewer,
        connection=connection,
        metrics=metrics,
        stats=stats,
        series=series,
        logs=logs.items,
        notice=notice,
        error=error,
    )


@router.post("/integrations/{connection_id}/concurrency")
async def set_concurrency(
    request: Request, session: Session, viewer: AdminViewer, connection_id: str
) -> Response:
    form = await request.form()
    raw = str(form.get("concurrency_limit", "")).strip()
    try:
        data = ConnectionUpdate.model_validate({"concurrency_limit": raw or None})
        connection = await connection_service(request).update(
            session,
            workspace_id=viewer.principal.workspace_id,
            connection_id=connection_id,
            data=data,
        )
    except ValidationError as exc:
        return await _connection_page(
            request, session, viewer, connection_id, status=422, error=problem(exc)
        )
    return await _connection_page(
        request,
        session,
        viewer,
        connection_id,
        notice=f"Concurrency limit set to {connection.concurrency_limit}.",
    )


@router.post("/integrations/{connection_id}/settings")
async def set_settings(
    request: Request, session: Session, viewer: AdminViewer, connection_id: str
) -> Response:
    """The connection's settings as JSON (a Slack connection's rules, …), checked by its
    connector as the API checks them."""
    form = await request.form()
    try:
        given = json.loads(str(form.get("settings", "")) or "{}")
    except ValueError:
        given = None
    if not isinstance(given, dict):
        return await _connection_page(
            request,
            session,
            viewer,
            connection_id,
            status=422,
            error="Settings must be a JSON object.",
        )
    try:
        await connection_service(request).update(
            session,
            workspace_id=viewer.principal.workspace_id,
            connection_id=connection_id,
            data=ConnectionUpdate.model_validate({"settings": given}),
        )
    except (ValidationError, ValidationFailed) as exc:
        return await _connection_page(
            request, session, viewer, connection_id, status=422, error=problem(exc)
        )
    return await _connection_page(request, session, viewer, connection_id, notice="Settings saved.")


@router.post("/integrations/{connection_id}/reconnect")
async def reconnect(
    request: Request, session: Session, viewer: AdminViewer, connection_id: str
) -> Response:
    """A new consent for the connection; the provider's callback brings the browser back."""
    back = f"{str(request.base_url).rstrip('/')}{PREFIX}/integrations"
    try:
        _, authorize_url = await connection_service(request).reconnect(
            session,
            workspace_id=viewer.principal.workspace_id,
            connection_id=connection_id,
            redirect_url=back,
        )
    except HubwireError as exc:
        return await _integrations_page(request, session, viewer, status=422, error=problem(exc))
    return RedirectResponse(authorize_url, status_code=303)


@router.post("/integrations/{connection_id}/delete")
async def delete_connection(
    request: Request, session: Session, viewer: AdminViewer, connection_id: str
) -> Response:
    service = connection_service(request)
    workspace_id = viewer.principal.workspace_id
    connection = await service.get(session, workspace_id=workspace_id, connection_id=connection_id)
    label = connection.name or connection.connector
    await service.delete(session, workspace_id=workspace_id, connection_id=connection_id)
    return await _integrations_page(request, session, viewer, notice=f"Deleted {label}.")


@router.post("/integrations/{connection_id}/{action}")
async def pause_or_resume(
    request: Request, session: Session, viewer: AdminViewer, connection_id: str, action: str
) -> Response:
    if action not in ("pause", "resume"):
        raise NotFound("No such action.")
    status = "paused" if action == "pause" else "active"
    connection = await connection_service(request).update(
        session,
        workspace_id=viewer.principal.workspace_id,
        connection_id=connection_id,
        data=ConnectionUpdate(status=status),
    )
    verb = "Paused" if status == "paused" else "Resumed"
    return await _integrations_page(
        request, session, viewer, notice=f"{verb} {connection.name or connection.connector}."
    )


@router.get("/jobs/{job_id}")
async def job_progress(
    request: Request, session: Session, viewer: CurrentViewer, job_id: str
) -> Response:
    """A sync's progress bar; it polls itself until the job has finished."""
    job = await jobs.get(session, workspace_id=viewer.principal.workspace_id, job_id=job_id)
    return render(request, "_job.html", viewer=viewer, job=job)
