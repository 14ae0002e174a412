"""The OAuth apps page: the workspace's app registrations (register, new client secret,
the secret shown once)."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from pydantic import ValidationError

from core.deps import Session
from core.errors import HubwireError
from core.ratelimit.policy import TIERS
from dashboard.browser import AdminViewer, Viewer, render
from dashboard.pages.common import grantable_scopes, list_params, page_router, problem
from oauth.apps.schemas import OAuthAppCreate
from oauth.apps.service import oauth_apps

router = page_router()


async def _oauth_apps_page(
    request: Request,
    session: Session,
    viewer: Viewer,
    *,
    status: int = 200,
    created: dict[str, Any] | None = None,
    error: str | None = None,
) -> Response:
    page = await oauth_apps.list(
        session, workspace_id=viewer.principal.workspace_id, params=list_params(100)
    )
    return render(
        request,
        "oauth_apps.html",
        status,
        viewer=viewer,
        apps=page.items,
        scopes=grantable_scopes(viewer),
        tiers=TIERS,
        created=created,
        error=error,
    )


@router.get("/oauth-apps")
async def oauth_apps_page(request: Request, session: Session, viewer: AdminViewer) -> Response:
    return await _oauth_apps_page(request, session, viewer)


@router.post("/oauth-apps")
async def register_oauth_app(request: Request, session: Session, viewer: AdminViewer) -> Response:
    form = await request.form()
    try:
        data = OAuthAppCreate(
            name=str(form.get("name", "")),
            client_type=str(form.get("client_type", "confidential")),
            redirect_uris=str(form.get("redirect_uris", "")).split(),
            scopes=[str(s) for s in form.getlist("scopes")],
            website=str(form.get("website", "")) or None,
            rate_limit_tier=str(form.get("tier", "basic")),
        )
        registered = await oauth_apps.create(
            session, workspace_id=viewer.principal.workspace_id, data=data
        )
    except (HubwireError, ValidationError) as exc:
        return await _oauth_apps_page(request, session, viewer, status=422, error=problem(exc))
    created = {
        "name": registered.app.name,
        "client_id": registered.app.id,
        "secret": registered.client_secret,
        "verb": "registered",
    }
    return await _oauth_apps_page(request, session, viewer, status=201, created=created)


@router.post("/oauth-apps/{app_id}/rotate-secret")
async def rotate_oauth_app_secret(
    request: Request, session: Session, viewer: AdminViewer, app_id: str
) -> Response:
    registered = await oauth_apps.rotate_secret(
        session, workspace_id=viewer.principal.workspace_id, app_id=app_id
    )
    created = {
        "name": registered.app.name,
        "client_id": registered.app.id,
        "secret": registered.client_secret,
        "verb": "given a new client secret",
    }
    return await _oauth_apps_page(request, session, viewer, created=created)
