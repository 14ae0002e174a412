from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends

from core.calls.schemas import (
    AnalysisRequest,
    CallCreate,
    CallFilters,
    CallOut,
    CallUpdate,
    TranscriptUpload,
    call_filters,
)
from core.calls.service import calls
from core.deps import ReadSession, Session, require
from core.jobs.schemas import JobQueued
from core.listing import FieldsParam, ListParams, list_params, page_response, resource_response
from core.plugins.auth import Principal
from core.responses import JsonResponse
from core.schemas import Page

router = APIRouter(prefix="/v1/calls", tags=["Calls"])


@router.get("", response_model=Page[CallOut], summary="List calls")
async def list_calls(
    session: ReadSession,
    principal: Annotated[Principal, require("calls:read")],
    params: Annotated[ListParams, Depends(list_params)],
    filters: Annotated[CallFilters, Depends(call_filters)],
) -> JsonResponse:
    page = await calls.list(
        session, workspace_id=principal.workspace_id, filters=filters, params=params
    )
    return page_response(CallOut, page, params.fields)


@router.post("", response_model=CallOut, status_code=201, summary="Log a call")
async def create_call(
    session: Session, principal: Annotated[Principal, require("calls:write")], body: CallCreate
) -> JsonResponse:
    call = await calls.create(session, workspace_id=principal.workspace_id, data=body)
    return resource_response(CallOut, call, status_code=201)


@router.get("/{call_id}", response_model=CallOut, summary="Get a call")
async def get_call(
    session: ReadSession,
    principal: Annotated[Principal, require("calls:read")],
    call_id: str,
    fields: FieldsParam = None,
) -> JsonResponse:
    call = await calls.get(session, workspace_id=principal.workspace_id, call_id=call_id)
    return resource_response(CallOut, call, fields)


@router.patch("/{call_id}", response_model=CallOut, summary="Update a call")
async def update_call(
    session: Session,
    principal: Annotated[Principal, require("calls:write")],
    call_id: str,
    body: CallUpdate,
) -> JsonResponse:
    call = await calls.update(
        session, workspace_id=principal.workspace_id, call_id=call_id, data=body
    )
    return resource_response(CallOut, call)


@router.post("/{call_id}/transcript", response_model=CallOut, summary="Upload a call's transcript")
async def upload_transcript(
    session: Session,
    principal: Annotated[Principal, require("calls:write")],
    call_id: str,
    body: TranscriptUpload,
) -> JsonResponse:
    call = await calls.upload_transcript(
        session, workspace_id=principal.workspace_id, call_id=call_id, data=body
    )
    return resource_response(CallOut, call)


@router.post(
    "/{call_id}/analysis",
    response_model=JobQueued,
    status_code=202,
    summary="Analyse a call's transcript (async job)",
    description="Queues a `call.analysis` job: talk-time split, keywords, sentiment and a "
    "0-10 score. Poll `GET /v1/jobs/{jobId}` or pass `callbackUrl` to be called back. "
    "A call without a transcript is refused with 409.",
)
async def analyse_call(
    session: Session,
    principal: Annotated[Principal, require("calls:write")],
    call_id: str,
    body: Annotated[AnalysisRequest | None, Body()] = None,
) -> JsonResponse:
    callback_url = None if body is None or body.callback_url is None else str(body.callback_url)
    job = await calls.request_analysis(
        session, workspace_id=principal.workspace_id, call_id=call_id, callback_url=callback_url
    )
    return JsonResponse(
        JobQueued(job_id=job.id, status="queued").model_dump(by_alias=True),
        status_code=202,
        headers={"Location": f"/v1/jobs/{job.id}"},
    )
