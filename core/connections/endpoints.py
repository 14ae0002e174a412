from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from core.connections.schemas import (
    ConnectionCreate,
    ConnectionCreated,
    ConnectionFilters,
    ConnectionMetrics,
    ConnectionOut,
    ConnectionPeriodStats,
    ConnectionsPeriodStats,
    ConnectionTestOut,
    ConnectionUpdate,
    LogFilters,
    ReconnectRequest,
    StatsPeriod,
    SyncLogOut,
    SyncRequest,
    connection_filters,
    log_filters,
    stats_period,
)
from core.connections.service import ConnectionService, connected_page
from core.deps import ReadSession, Session, on_loop, require, services_of
from core.errors import render, request_id_of
from core.jobs.schemas import JobQueued
from core.listing import FieldsParam, ListParams, list_params, page_response, resource_response
from core.plugins.auth import Principal
from core.responses import JsonResponse
from core.schemas import Page

router = APIRouter(prefix="/v1/connections", tags=["Connections"])


def connection_service(request: Request) -> ConnectionService:
    services = services_of(request)
    return ConnectionService(
        services.settings, services.secrets, services.vault, services.event_catalog
    )


Connections = Annotated[ConnectionService, Depends(on_loop(connection_service))]
Reader = Annotated[Principal, require("connections:read")]
Writer = Annotated[Principal, require("connections:write")]
Period = Annotated[StatsPeriod, Depends(stats_period)]
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "The connection does not exist."}
}
_UNAVAILABLE: dict[int | str, dict[str, Any]] = {
    409: {"description": "The connection is pending, paused or in error."}
}


@router.get("", response_model=Page[ConnectionOut], summary="List connections")
async def list_connections(
    session: ReadSession,
    principal: Reader,
    connections: Connections,
    params: Annotated[ListParams, Depends(list_params)],
    filters: Annotated[ConnectionFilters, Depends(connection_filters)],
) -> JsonResponse:
    page = await connections.list(
        session, workspace_id=principal.workspace_id, filters=filters, params=params
    )
    return page_response(ConnectionOut, page, params.fields)


@router.post(
    "",
    response_model=ConnectionCreated,
    status_code=201,
    summary="Connect a provider account through a connector",
    description="OAuth 2.0 connectors answer `pending` with the `authorizeUrl` to send the "
    "user to; the provider's consent ends at `GET /v1/connections/callback`, which makes the "
    "connection `active`. API-key connectors check `apiKey` with the provider and answer "
    "`active` at once (422 when the provider refuses it). An unknown connector is 422 with "
    "the installed ones in `details.installed`.",
    responses={
        503: {"description": "The provider could not be reached to check the key."},
    },
)
async def create_connection(
    session: Session, principal: Writer, connections: Connections, body: ConnectionCreate
) -> JsonResponse:
    connection, authorize_url = await connections.create(
        session, workspace_id=principal.workspace_id, data=body
    )
    view = {**ConnectionOut.model_validate(connection).model_dump(), "authorize_url": authorize_url}
    return resource_response(ConnectionCreated, view, status_code=201)


@router.get(
    "/callback",
    response_class=HTMLResponse,
    summary="The OAuth redirect URI: where the provider sends the user after consent",
    description="Public (the browser arrives from the provider without a Hubwire "
    "credential); `state` identifies the consent. Exchanges `code` for tokens (with the PKCE "
    "verifier), stores them encrypted, checks them, makes the connection `active`, emits "
    "`connection.connected` and starts a first pull. Then redirects to the connection's "
    "`redirectUrl` with `?connection=<id>&status=active|denied|error`, or shows a small page. "
    "An unknown or already used `state` is 400.",
    responses={
        302: {"description": "Back to the `redirectUrl` given when the connection was made."},
        503: {"description": "The provider's token endpoint could not be reached."},
    },
)
async def connection_callback(
    request: Request,
    session: Session,
    connections: Connections,
    state: Annotated[str, Query(min_length=1, max_length=512)],
    code: Annotated[str | None, Query(max_length=4096)] = None,
    error: Annotated[str | None, Query(max_length=200)] = None,
    error_description: Annotated[str | None, Query(max_length=2000)] = None,
) -> Response:
    outcome = await connections.callback(
        session, state=state, code=code, error=error, error_description=error_description
    )
    if outcome.redirect_to is not None:
        return RedirectResponse(outcome.redirect_to, status_code=302)
    if outcome.error is not None:
        # Rendered, not raised: the refusal is recorded on the connection (committed).
        return render(outcome.error, request_id_of(request))
    return HTMLResponse(connected_page(outcome.connector_title))


# Declared before `/{connection_id}` so the literal path is not taken for an id.
@router.get(
    "/period-stats",
    response_model=ConnectionsPeriodStats,
    summary="Sync statistics per day, summed over all the workspace's connections",
    description="Records pushed, pulled and failed and provider calls per UTC day from "
    "`startDate` to `endDate` (inclusive, at most 366 days), with each connection's totals.",
)
async def all_connections_period_stats(
    session: ReadSession, principal: Reader, connections: Connections, period: Period
) -> JsonResponse:
    stats = await connections.workspace_period_stats(
        session, workspace_id=principal.workspace_id, period=period
    )
    return resource_response(ConnectionsPeriodStats, stats)


@router.get(
    "/{connection_id}",
    response_model=ConnectionOut,
    summary="Get a connection",
    responses=_NOT_FOUND,
)
async def get_connection(
    session: ReadSession,
    principal: Reader,
    connections: Connections,
    connection_id: str,
    fields: FieldsParam = None,
) -> JsonResponse:
    connection = await connections.get(
        session, workspace_id=principal.workspace_id, connection_id=connection_id
    )
    return resource_response(ConnectionOut, connection, fields)


@router.patch(
    "/{connection_id}",
    response_model=ConnectionOut,
    summary="Rename, pause or resume a connection; set its concurrency, field mapping, settings",
    responses={**_NOT_FOUND, **_UNAVAILABLE},
)
async def update_connection(
    session: Session,
    principal: Writer,
    connections: Connections,
    connection_id: str,
    body: ConnectionUpdate,
) -> JsonResponse:
    connection = await connections.update(
        session, workspace_id=principal.workspace_id, connection_id=connection_id, data=body
    )
    return resource_response(ConnectionOut, connection)


@router.delete(
    "/{connection_id}",
    status_code=204,
    summary="Disconnect: delete the connection and its sync state",
    responses=_NOT_FOUND,
)
async def delete_connection(
    session: Session, principal: Writer, connections: Connections, connection_id: str
) -> Response:
    await connections.delete(
        session, workspace_id=principal.workspace_id, connection_id=connection_id
    )
    return Response(status_code=204)


@router.post(
    "/{connection_id}/reconnect",
    response_model=ConnectionCreated,
    summary="Connect again: a new consent for an OAuth connection",
    description="For a connection in `error` or `reauthorization_required` (or to move it to "
    "a fresh grant): answers the `authorizeUrl` to send the user to. The connection keeps its "
    "id, its synced-record map and its cursors; it is `active` again when the consent "
    "completes at `GET /v1/connections/callback`, and what queued meanwhile is pushed. "
    "API-key connections are 422: delete them and connect with the new key.",
    responses=_NOT_FOUND,
)
async def reconnect_connection(
    session: Session,
    principal: Writer,
    connections: Connections,
    connection_id: str,
    body: ReconnectRequest | None = None,
) -> JsonResponse:
    connection, authorize_url = await connections.reconnect(
        session,
        workspace_id=principal.workspace_id,
        connection_id=connection_id,
        redirect_url=(body or ReconnectRequest()).redirect_url,
    )
    view = {**ConnectionOut.model_validate(connection).model_dump(), "authorize_url": authorize_url}
    return resource_response(ConnectionCreated, view)


@router.post(
    "/{connection_id}/test",
    response_model=ConnectionTestOut,
    summary="Check the connection's credentials with the provider now",
    responses={**_NOT_FOUND, **_UNAVAILABLE},
)
async def test_connection(
    session: Session, principal: Writer, connections: Connections, connection_id: str
) -> JsonResponse:
    result = await connections.test(
        session, workspace_id=principal.workspace_id, connection_id=connection_id
    )
    return resource_response(ConnectionTestOut, result)


@router.post(
    "/{connection_id}/sync",
    response_model=JobQueued,
    status_code=202,
    summary="Sync now (async job)",
    description="Queues a `connection.sync` job that pushes the queued work and pulls what "
    'changed at the provider; with `{"full": true}` it pulls everything and pushes every '
    "lead and call (a backfill). Poll `GET /v1/jobs/{jobId}`. Only `active` connections sync "
    "(409 otherwise); an `object` the connector does not have is 422.",
    responses={**_NOT_FOUND, **_UNAVAILABLE},
)
async def sync_connection(
    session: Session,
    principal: Writer,
    connections: Connections,
    connection_id: str,
    body: SyncRequest | None = None,
) -> JsonResponse:
    request = body or SyncRequest()
    job = await connections.request_sync(
        session,
        workspace_id=principal.workspace_id,
        connection_id=connection_id,
        full=request.full,
        object_type=request.object,
    )
    return JsonResponse(
        JobQueued(job_id=job.id, status="queued").model_dump(by_alias=True),
        status_code=202,
        headers={"Location": f"/v1/jobs/{job.id}"},
    )


@router.get(
    "/{connection_id}/logs",
    response_model=Page[SyncLogOut],
    summary="The connection's sync log, newest first",
    responses=_NOT_FOUND,
)
async def list_connection_logs(
    session: ReadSession,
    principal: Reader,
    connections: Connections,
    connection_id: str,
    params: Annotated[ListParams, Depends(list_params)],
    filters: Annotated[LogFilters, Depends(log_filters)],
) -> JsonResponse:
    page = await connections.logs(
        session,
        workspace_id=principal.workspace_id,
        connection_id=connection_id,
        filters=filters,
        params=params,
    )
    return page_response(SyncLogOut, page, params.fields)


@router.get(
    "/{connection_id}/metrics",
    response_model=ConnectionMetrics,
    summary="Totals of what the connection synced, its queue and error rate",
    responses=_NOT_FOUND,
)
async def get_connection_metrics(
    session: ReadSession, principal: Reader, connections: Connections, connection_id: str
) -> JsonResponse:
    metrics = await connections.metrics(
        session, workspace_id=principal.workspace_id, connection_id=connection_id
    )
    return resource_response(ConnectionMetrics, metrics)


@router.get(
    "/{connection_id}/period-stats",
    response_model=ConnectionPeriodStats,
    summary="The connection's sync statistics per day",
    description="Records pushed, pulled and failed and provider calls per UTC day from "
    "`startDate` to `endDate` (inclusive, at most 366 days; 400 otherwise).",
    responses=_NOT_FOUND,
)
async def get_connection_period_stats(
    session: ReadSession,
    principal: Reader,
    connections: Connections,
    connection_id: str,
    period: Period,
) -> JsonResponse:
    stats = await connections.period_stats(
        session, workspace_id=principal.workspace_id, connection_id=connection_id, period=period
    )
    return resource_response(ConnectionPeriodStats, stats)
