"""Speed to lead: the workspace's response target (a form for admins) and how the last 30
days went against it (the share of leads answered within the target)."""

from __future__ import annotations

from datetime import timedelta

from fastapi import Request, Response
from pydantic import ValidationError

from core.database import utcnow
from core.deps import Session
from core.response_targets.schemas import ResponseTargetIn
from core.response_targets.service import response_targets
from dashboard.browser import AdminViewer, CurrentViewer, Viewer, render
from dashboard.pages.common import page_router, problem

router = page_router()
STATS_DAYS = 30


async def _page(
    request: Request,
    session: Session,
    viewer: Viewer,
    *,
    status: int = 200,
    notice: str | None = None,
    error: str | None = None,
) -> Response:
    workspace_id = viewer.principal.workspace_id
    now = utcnow()
    seconds = await response_targets.get(session, workspace_id)
    stats = await response_targets.stats(
        session, workspace_id, now - timedelta(days=STATS_DAYS), now + timedelta(seconds=1)
    )
    return render(
        request,
        "speed_to_lead.html",
        status,
        viewer=viewer,
        minutes=None if seconds is None else seconds // 60,
        stats=stats,
        days=STATS_DAYS,
        notice=notice,
        error=error,
    )


@router.get("/speed-to-lead")
async def speed_to_lead(request: Request, session: Session, viewer: CurrentViewer) -> Response:
    return await _page(request, session, viewer)


@router.post("/speed-to-lead")
async def set_target(request: Request, session: Session, viewer: AdminViewer) -> Response:
    raw = str((await request.form()).get("minutes", "")).strip()
    try:
        minutes = int(raw) if raw else None
        seconds = None if minutes is None else minutes * 60
        data = ResponseTargetIn.model_validate({"target_seconds": seconds})
    except ValueError as exc:  # a ValidationError is a ValueError
        message = problem(exc) if isinstance(exc, ValidationError) else "Give whole minutes."
        return await _page(request, session, viewer, status=422, error=message)
    await response_targets.set(session, viewer.principal.workspace_id, data.target_seconds)
    notice = (
        "Response target turned off."
        if data.target_seconds is None
        else f"Response target set to {data.target_seconds // 60} minutes."
    )
    return await _page(request, session, viewer, notice=notice)
