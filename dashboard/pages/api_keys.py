"""The API keys page: create, rotate and revoke keys (the secret shown once), and one key's
usage against its daily limit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import Request, Response
from pydantic import ValidationError

from core.api_clients.models import ApiClient
from core.api_keys.endpoints import key_service
from core.api_keys.schemas import ApiKeyCreate
from core.api_keys.service import key_view
from core.database import utcnow
from core.deps import Session
from core.errors import HubwireError
from core.ratelimit.policy import TIERS, daily_limit
from core.usage.service import usage
from dashboard.browser import AdminViewer, Viewer, render
from dashboard.pages.common import QUOTA_WARNING, grantable_scopes, page_router, problem
from dashboard.repository import DashboardRepository

router = page_router()

ENVIRONMENTS = ("live", "test")


async def _keys_page(
    request: Request,
    session: Session,
    viewer: Viewer,
    *,
    status: int = 200,
    created: dict[str, Any] | None = None,
    error: str | None = None,
    notice: str | None = None,
) -> Response:
    repo = DashboardRepository(session)
    workspace_id = viewer.principal.workspace_id
    return render(
        request,
        "api_keys.html",
        status,
        viewer=viewer,
        keys=[key_view(k) for k in await repo.keys(workspace_id)],
        clients=await repo.clients(workspace_id),
        scopes=grantable_scopes(viewer),
        tiers=TIERS,
        environments=ENVIRONMENTS,
        created=created,
        error=error,
        notice=notice,
    )


@router.get("/api-keys")
async def api_keys(request: Request, session: Session, viewer: AdminViewer) -> Response:
    return await _keys_page(request, session, viewer)


@router.post("/api-keys")
async def create_api_key(request: Request, session: Session, viewer: AdminViewer) -> Response:
    form = await request.form()
    expires = str(form.get("expires_in_days", "")).strip()
    tier = str(form.get("tier", "")).strip()
    try:
        # The form's text goes to pydantic as is: "abc", "-5" or "²" days is a 422, never a
        # 500 or a key that silently never expires.
        data = ApiKeyCreate.model_validate(
            {
                "client_id": str(form.get("client_id", "")),
                "name": str(form.get("name", "")),
                "scopes": [str(s) for s in form.getlist("scopes")],
                "environment": str(form.get("environment", "live")),
                "tier": tier or None,
                "expires_in_days": expires or None,
                "ip_allowlist": str(form.get("ip_allowlist", "")).split(),
            }
        )
        issued = await key_service(request).create(
            session,
            workspace_id=viewer.principal.workspace_id,
            data=data,
            grantor_scopes=viewer.principal.scopes,
        )
    except (HubwireError, ValidationError) as exc:
        return await _keys_page(request, session, viewer, status=422, error=problem(exc))
    created = {"name": issued.key.name, "key": issued.plaintext, "verb": "created"}
    return await _keys_page(request, session, viewer, status=201, created=created)


@router.get("/api-keys/{key_id}")
async def api_key_usage(
    request: Request, session: Session, viewer: AdminViewer, key_id: str
) -> Response:
    """One key's requests over the last 24 hours (chart and table) against its daily limit."""
    workspace_id = viewer.principal.workspace_id
    key = await key_service(request).get(session, workspace_id=workspace_id, key_id=key_id)
    client = await session.get(ApiClient, key.client_id)
    tier = key.tier or (client.rate_limit_tier if client else "basic")
    day_limit = daily_limit(tier, key.rate_limit_override)
    now = utcnow()
    hours = await usage.hourly(
        session, workspace_id=workspace_id, start=now - timedelta(hours=24), key_id=key.id
    )
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    today = sum(h.requests for h in hours if h.hour >= midnight)
    share = today / day_limit
    series = {
        "labels": [h.hour.strftime("%H:00") for h in hours],
        "datasets": [
            {"label": "Requests", "data": [h.requests for h in hours]},
            {"label": "Errors", "data": [h.failed for h in hours], "color": "#b42318"},
            {"label": "Rate-limited", "data": [h.rate_limited for h in hours], "color": "#b54708"},
        ],
    }
    return render(
        request,
        "api_key.html",
        viewer=viewer,
        key=key_view(key),
        tier=tier,
        hours=hours,
        series=series,
        quota={
            "today": today,
            "limit": day_limit,
            "percent": round(100 * share, 1),
            "warning": share >= QUOTA_WARNING,
        },
    )


@router.post("/api-keys/{key_id}/rotate")
async def rotate_api_key(
    request: Request, session: Session, viewer: AdminViewer, key_id: str
) -> Response:
    """A new secret, shown once; the old one works for the configured grace period."""
    issued = await key_service(request).rotate(
        session,
        workspace_id=viewer.principal.workspace_id,
        key_id=key_id,
        grace_period_hours=None,
        grantor_scopes=viewer.principal.scopes,
    )
    created = {"name": issued.key.name, "key": issued.plaintext, "verb": "rotated"}
    return await _keys_page(request, session, viewer, created=created)


@router.post("/api-keys/{key_id}/revoke")
async def revoke_api_key(
    request: Request, session: Session, viewer: AdminViewer, key_id: str
) -> Response:
    key = await key_service(request).revoke(
        session, workspace_id=viewer.principal.workspace_id, key_id=key_id
    )
    return await _keys_page(request, session, viewer, notice=f"Revoked {key.name}.")
