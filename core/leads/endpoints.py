from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from core.deps import ReadSession, Session, require
from core.leads.schemas import LeadCreate, LeadFilters, LeadOut, LeadUpdate, lead_filters
from core.leads.service import leads
from core.listing import FieldsParam, ListParams, list_params, page_response, resource_response
from core.plugins.auth import Principal
from core.responses import JsonResponse
from core.schemas import Page

router = APIRouter(prefix="/v1/leads", tags=["Leads"])


@router.get("", response_model=Page[LeadOut], summary="List leads")
async def list_leads(
    session: ReadSession,
    principal: Annotated[Principal, require("leads:read")],
    params: Annotated[ListParams, Depends(list_params)],
    filters: Annotated[LeadFilters, Depends(lead_filters)],
) -> JsonResponse:
    page = await leads.list(
        session, workspace_id=principal.workspace_id, filters=filters, params=params
    )
    return page_response(LeadOut, page, params.fields)


@router.post("", response_model=LeadOut, status_code=201, summary="Create a lead")
async def create_lead(
    session: Session, principal: Annotated[Principal, require("leads:write")], body: LeadCreate
) -> JsonResponse:
    lead = await leads.create(session, workspace_id=principal.workspace_id, data=body)
    return resource_response(LeadOut, lead, status_code=201)


@router.get("/{lead_id}", response_model=LeadOut, summary="Get a lead")
async def get_lead(
    session: ReadSession,
    principal: Annotated[Principal, require("leads:read")],
    lead_id: str,
    fields: FieldsParam = None,
) -> JsonResponse:
    lead = await leads.get(session, workspace_id=principal.workspace_id, lead_id=lead_id)
    return resource_response(LeadOut, lead, fields)


@router.patch("/{lead_id}", response_model=LeadOut, summary="Update a lead")
async def update_lead(
    session: Session,
    principal: Annotated[Principal, require("leads:write")],
    lead_id: str,
    body: LeadUpdate,
) -> JsonResponse:
    lead = await leads.update(
        session, workspace_id=principal.workspace_id, lead_id=lead_id, data=body
    )
    return resource_response(LeadOut, lead)


@router.delete("/{lead_id}", status_code=204, summary="Delete a lead")
async def delete_lead(
    session: Session, principal: Annotated[Principal, require("leads:delete")], lead_id: str
) -> Response:
    await leads.delete(session, workspace_id=principal.workspace_id, lead_id=lead_id)
    return Response(status_code=204)
