"""The partner API: a partner key onboards and manages its customers' workspaces."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from core.api_keys.schemas import ApiKeyWithSecret
from core.api_keys.service import issued_view
from core.deps import ReadSession, Session, require, services_of
from core.listing import ListParams, list_params, page_response, resource_response
from core.partners.schemas import (
    BoundKeyCreate,
    ManagedWorkspaceCreate,
    ManagedWorkspaceFilters,
    ManagedWorkspaceOut,
    managed_workspace_filters,
)
from core.partners.service import partner_of, partners
from core.plugins.auth import Principal
from core.ratelimit.policy import CREDENTIALS
from core.responses import JsonResponse
from core.schemas import Page

router = APIRouter(prefix="/v1/partner", tags=["Partners"])

Reader = Annotated[Principal, require("partner:read")]
Writer = Annotated[Principal, require("partner:write")]
_NOT_MANAGED: dict[int | str, dict[str, Any]] = {
    404: {"description": "No workspace of this id is managed by the partner."}
}


@router.post(
    "/workspaces",
    response_model=ManagedWorkspaceOut,
    status_code=201,
    summary="Create a workspace the partner manages",
    description="Onboards a business: a new workspace (with its default API client) managed "
    "by the calling partner. A taken `slug` is a 409.",
)
async def create_managed_workspace(
    session: Session, principal: Writer, body: ManagedWorkspaceCreate
) -> JsonResponse:
    workspace = await partners.create_workspace(
        session, partner_id=partner_of(principal), data=body
    )
    return resource_response(ManagedWorkspaceOut, workspace, status_code=201)


@router.get(
    "/workspaces",
    response_model=Page[ManagedWorkspaceOut],
    summary="List and search the workspaces the partner manages",
)
async def list_managed_workspaces(
    session: ReadSession,
    principal: Reader,
    params: Annotated[ListParams, Depends(list_params)],
    filters: Annotated[ManagedWorkspaceFilters, Depends(managed_workspace_filters)],
) -> JsonResponse:
    page = await partners.list_workspaces(
        session, partner_id=partner_of(principal), filters=filters, params=params
    )
    return page_response(ManagedWorkspaceOut, page, params.fields)


@router.get(
    "/workspaces/{workspace_id}",
    response_model=ManagedWorkspaceOut,
    summary="Get a managed workspace",
    responses=_NOT_MANAGED,
)
async def get_managed_workspace(
    session: ReadSession, principal: Reader, workspace_id: str
) -> JsonResponse:
    workspace = await partners.get_workspace(
        session, partner_id=partner_of(principal), workspace_id=workspace_id
    )
    return resource_response(ManagedWorkspaceOut, workspace)


@router.post(
    "/workspaces/{workspace_id}/suspend",
    response_model=ManagedWorkspaceOut,
    summary="Suspend a managed workspace",
    description="Every credential of the workspace (its keys, the partner acting in it) is "
    "refused with a 403 until it is reactivated. Nothing is deleted.",
    responses=_NOT_MANAGED,
)
async def suspend_managed_workspace(
    request: Request, session: Session, principal: Writer, workspace_id: str
) -> JsonResponse:
    workspace = await partners.set_status(
        session,
        partner_id=partner_of(principal),
        workspace_id=workspace_id,
        status="suspended",
        authenticator=services_of(request).authenticator,
    )
    return resource_response(ManagedWorkspaceOut, workspace)


@router.post(
    "/workspaces/{workspace_id}/reactivate",
    response_model=ManagedWorkspaceOut,
    summary="Reactivate a suspended workspace",
    responses=_NOT_MANAGED,
)
async def reactivate_managed_workspace(
    request: Request, session: Session, principal: Writer, workspace_id: str
) -> JsonResponse:
    workspace = await partners.set_status(
        session,
        partner_id=partner_of(principal),
        workspace_id=workspace_id,
        status="active",
        authenticator=services_of(request).authenticator,
    )
    return resource_response(ManagedWorkspaceOut, workspace)


@router.post(
    "/workspaces/{workspace_id}/keys",
    response_model=ApiKeyWithSecret,
    status_code=201,
    summary="Mint an API key bound to a managed workspace (the full key is returned only here)",
    description="The key belongs to the workspace's default API client and holds at most the "
    "scopes the partner was granted; like every workspace key it never reaches another "
    "workspace.",
    responses=_NOT_MANAGED,
)
async def mint_bound_key(
    session: Session,
    principal: Annotated[
        Principal, require("partner:write", endpoint_class=CREDENTIALS, returns_secret=True)
    ],
    workspace_id: str,
    body: BoundKeyCreate,
) -> JsonResponse:
    issued = await partners.mint_key(
        session, principal=principal, workspace_id=workspace_id, data=body
    )
    return resource_response(ApiKeyWithSecret, issued_view(issued), status_code=201)
