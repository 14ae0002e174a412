from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from core.deps import Session, require
from core.listing import FieldsParam, ListParams, list_params, page_response, resource_response
from core.plugins.auth import Principal
from core.ratelimit.policy import CREDENTIALS
from core.responses import JsonResponse
from core.schemas import Page
from oauth.apps.schemas import OAuthAppCreate, OAuthAppOut, OAuthAppUpdate, OAuthAppWithSecret
from oauth.apps.service import app_view, oauth_apps

router = APIRouter(prefix="/v1/oauth-apps", tags=["OAuth apps"])


@router.get("", response_model=Page[OAuthAppOut], summary="List the workspace's OAuth apps")
async def list_apps(
    session: Session,
    principal: Annotated[Principal, require("apps:read")],
    params: Annotated[ListParams, Depends(list_params)],
) -> JsonResponse:
    page = await oauth_apps.list(session, workspace_id=principal.workspace_id, params=params)
    return page_response(
        OAuthAppOut, page.with_items([app_view(a) for a in page.items]), params.fields
    )


@router.post(
    "",
    response_model=OAuthAppWithSecret,
    status_code=201,
    summary="Register an OAuth app (a confidential app's secret is returned only here)",
)
async def create_app(
    session: Session,
    principal: Annotated[
        Principal, require("apps:write", endpoint_class=CREDENTIALS, returns_secret=True)
    ],
    body: OAuthAppCreate,
) -> JsonResponse:
    registered = await oauth_apps.create(session, workspace_id=principal.workspace_id, data=body)
    return resource_response(
        OAuthAppWithSecret,
        app_view(registered.app, registered.client_secret),
        status_code=201,
    )


@router.get("/{app_id}", response_model=OAuthAppOut, summary="Get an OAuth app")
async def get_app(
    session: Session,
    principal: Annotated[Principal, require("apps:read")],
    app_id: str,
    fields: FieldsParam = None,
) -> JsonResponse:
    app = await oauth_apps.get(session, workspace_id=principal.workspace_id, app_id=app_id)
    return resource_response(OAuthAppOut, app_view(app), fields)


@router.patch("/{app_id}", response_model=OAuthAppOut, summary="Update an OAuth app")
async def update_app(
    session: Session,
    principal: Annotated[Principal, require("apps:write")],
    app_id: str,
    body: OAuthAppUpdate,
) -> JsonResponse:
    app = await oauth_apps.update(
        session, workspace_id=principal.workspace_id, app_id=app_id, data=body
    )
    return resource_response(OAuthAppOut, app_view(app))


@router.post(
    "/{app_id}/rotate-secret",
    response_model=OAuthAppWithSecret,
    summary="Issue a new client secret (the old one stops working at once)",
)
async def rotate_app_secret(
    session: Session,
    principal: Annotated[
        Principal, require("apps:write", endpoint_class=CREDENTIALS, returns_secret=True)
    ],
    app_id: str,
) -> JsonResponse:
    registered = await oauth_apps.rotate_secret(
        session, workspace_id=principal.workspace_id, app_id=app_id
    )
    return resource_response(OAuthAppWithSecret, app_view(registered.app, registered.client_secret))


@router.delete("/{app_id}", status_code=204, summary="Delete an OAuth app and every token it holds")
async def delete_app(
    session: Session, principal: Annotated[Principal, require("apps:write")], app_id: str
) -> Response:
    await oauth_apps.delete(session, workspace_id=principal.workspace_id, app_id=app_id)
    return Response(status_code=204)
