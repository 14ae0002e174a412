from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from core.deps import ReadSession, require, services_of
from core.events.schemas import EventCatalogOut, EventFilters, EventOut, event_filters
from core.events.service import events
from core.listing import FieldsParam, ListParams, list_params, page_response, resource_response
from core.plugins.auth import Principal
from core.responses import JsonResponse
from core.schemas import Page

router = APIRouter(prefix="/v1/events", tags=["Events"])
catalog_router = APIRouter(prefix="/v1/webhook-events", tags=["Webhooks"])


@router.get(
    "",
    response_model=Page[EventOut],
    summary="List events (newest first; `sort=timestamp` with a cursor reads the feed in order)",
)
async def list_events(
    session: ReadSession,
    principal: Annotated[Principal, require("events:read")],
    params: Annotated[ListParams, Depends(list_params)],
    filters: Annotated[EventFilters, Depends(event_filters)],
) -> JsonResponse:
    page = await events.list(
        session, workspace_id=principal.workspace_id, filters=filters, params=params
    )
    return page_response(EventOut, page, params.fields)


@router.get("/{event_id}", response_model=EventOut, summary="Get an event")
async def get_event(
    session: ReadSession,
    principal: Annotated[Principal, require("events:read")],
    event_id: str,
    fields: FieldsParam = None,
) -> JsonResponse:
    event = await events.get(session, workspace_id=principal.workspace_id, event_id=event_id)
    return resource_response(EventOut, event, fields)


@catalog_router.get(
    "", response_model=EventCatalogOut, summary="The event types webhooks can subscribe to"
)
async def list_event_types(
    request: Request, principal: Annotated[Principal, require("webhooks:read")]
) -> JsonResponse:
    catalog = services_of(request).event_catalog
    return JsonResponse(
        {
            "data": [
                {"name": t.name, "description": t.description, "source": t.source}
                for t in catalog.all()
            ]
        }
    )
