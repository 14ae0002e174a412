from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from core.api_clients.schemas import (
    ApiClientCreate,
    ApiClientDashboard,
    ApiClientFilters,
    ApiClientOut,
    ApiClientUpdate,
    api_client_filters,
)
from core.api_clients.service import ApiClientService
from core.api_keys.endpoints import Keys
from core.api_keys.schemas import ApiKeyOut
from core.api_keys.service import key_view
from core.deps import ReadSession, Session, require, services_of
from core.listing import FieldsParam, ListParams, list_params, page_response, resource_response
from core.plugins.auth import Principal
from core.ratelimit.policy import ANALYTICS
from core.responses import JsonResponse
from core.schemas import Page, UtcDateTime
from core.timeseries import GroupBy, resolve_range
from core.usage.schemas import UsageStatistics
from core.usage.service import usage

router = APIRouter(prefix="/v1/api-clients", tags=["API clients"])


async def client_service(request: Request) -> ApiClientService:
    return ApiClientService(services_of(request).authenticator)


Clients = Annotated[ApiClientService, Depends(client_service)]


@router.get("", response_model=Page[ApiClientOut], summary="List API clients")
async def list_clients(
    session: ReadSession,
    principal: Annotated[Principal, require("clients:read")],
    clients: Clients,
    params: Annotated[ListParams, Depends(list_params)],
    filters: Annotated[ApiClientFilters, Depends(api_client_filters)],
) -> JsonResponse:
    page = await clients.list(
        session, workspace_id=principal.workspace_id, filters=filters, params=params
    )
    return page_response(ApiClientOut, page, params.fields)


@router.post("", response_model=ApiClientOut, status_code=201, summary="Create an API client")
async def create_client(
    session: Session,
    principal: Annotated[Principal, require("clients:write")],
    clients: Clients,
    body: ApiClientCreate,
) -> JsonResponse:
    client = await clients.create(session, workspace_id=principal.workspace_id, data=body)
    return resource_response(ApiClientOut, client, status_code=201)


@router.get("/{client_id}", response_model=ApiClientOut, summary="Get an API client")
async def get_client(
    session: ReadSession,
    principal: Annotated[Principal, require("clients:read")],
    clients: Clients,
    client_id: str,
    fields: FieldsParam = None,
) -> JsonResponse:
    client = await clients.get(session, workspace_id=principal.workspace_id, client_id=client_id)
    return resource_response(ApiClientOut, client, fields)


@router.patch("/{client_id}", response_model=ApiClientOut, summary="Update an API client")
async def update_client(
    session: Session,
    principal: Annotated[Principal, require("clients:write")],
    clients: Clients,
    client_id: str,
    body: ApiClientUpdate,
) -> JsonResponse:
    client = await clients.update(
        session, workspace_id=principal.workspace_id, client_id=client_id, data=body
    )
    return resource_response(ApiClientOut, client)


@router.delete(
    "/{client_id}",
    status_code=204,
    summary="Delete an API client and all of its keys",
    description="Refused with 409 for the client of the key making the request (it would "
    "revoke that key mid-request).",
    responses={409: {"description": "The client holds the key making the request."}},
)
async def delete_client(
    session: Session,
    principal: Annotated[Principal, require("clients:write")],
    clients: Clients,
    client_id: str,
) -> Response:
    await clients.delete(
        session,
        workspace_id=principal.workspace_id,
        client_id=client_id,
        caller_client_id=principal.client_id if principal.kind == "api_key" else None,
    )
    return Response(status_code=204)


@router.get(
    "/{client_id}/dashboard",
    response_model=ApiClientDashboard,
    summary="Usage, keys and rate limits of an API client at a glance",
)
async def client_dashboard(
    session: ReadSession,
    principal: Annotated[Principal, require("clients:read", endpoint_class=ANALYTICS)],
    clients: Clients,
    client_id: str,
) -> ApiClientDashboard:
    return await clients.dashboard(
        session, workspace_id=principal.workspace_id, client_id=client_id
    )


@router.get(
    "/{client_id}/api-keys",
    response_model=Page[ApiKeyOut],
    summary="List an API client's keys (masked)",
)
async def list_client_keys(
    session: ReadSession,
    principal: Annotated[Principal, require("keys:read")],
    keys: Keys,
    client_id: str,
    params: Annotated[ListParams, Depends(list_params)],
) -> JsonResponse:
    page = await keys.list_for_client(
        session, workspace_id=principal.workspace_id, client_id=client_id, params=params
    )
    return page_response(
        ApiKeyOut, page.with_items([key_view(k) for k in page.items]), params.fields
    )


@router.delete("/{client_id}/api-keys/{key_id}", status_code=204, summary="Revoke an API key")
async def revoke_client_key(
    session: Session,
    principal: Annotated[Principal, require("keys:write")],
    keys: Keys,
    client_id: str,
    key_id: str,
) -> Response:
    await keys.revoke(
        session, workspace_id=principal.workspace_id, key_id=key_id, client_id=client_id
    )
    return Response(status_code=204)


@router.get(
    "/{client_id}/usage",
    response_model=UsageStatistics,
    summary="Usage statistics of an API client",
)
async def client_usage(
    session: ReadSession,
    principal: Annotated[Principal, require("usage:read", endpoint_class=ANALYTICS)],
    clients: Clients,
    client_id: str,
    date_from: Annotated[
        UtcDateTime | None, Query(alias="dateFrom", description="Default: 30 days ago.")
    ] = None,
    date_to: Annotated[
        UtcDateTime | None, Query(alias="dateTo", description="Default: now.")
    ] = None,
    group_by: Annotated[GroupBy, Query(alias="groupBy")] = "day",
) -> UsageStatistics:
    await clients.get(session, workspace_id=principal.workspace_id, client_id=client_id)
    start, end = resolve_range(date_from, date_to)
    return await usage.statistics(
        session,
        workspace_id=principal.workspace_id,
        client_id=client_id,
        start=start,
        end=end,
        group_by=group_by,
    )
