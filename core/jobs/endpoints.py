from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from core.deps import ReadSession, Session, require, services_of
from core.jobs.schemas import CallbackSecretOut, JobFilters, JobOut, job_filters
from core.jobs.service import callback_secret, jobs
from core.listing import FieldsParam, ListParams, list_params, page_response, resource_response
from core.plugins.auth import Principal
from core.responses import JsonResponse
from core.schemas import Page

router = APIRouter(prefix="/v1/jobs", tags=["Jobs"])


@router.get("", response_model=Page[JobOut], summary="List jobs")
async def list_jobs(
    session: ReadSession,
    principal: Annotated[Principal, require("jobs:read")],
    params: Annotated[ListParams, Depends(list_params)],
    filters: Annotated[JobFilters, Depends(job_filters)],
) -> JsonResponse:
    page = await jobs.list(
        session, workspace_id=principal.workspace_id, filters=filters, params=params
    )
    return page_response(JobOut, page, params.fields)


# Declared before `/{job_id}` so the literal path is not taken for a job id.
@router.get(
    "/callback-secret",
    response_model=CallbackSecretOut,
    summary="Get the secret that signs job callbacks",
    description="Job callbacks follow Standard Webhooks: verify their `webhook-signature` "
    "with this secret. It is created on first use and is the same for the whole workspace.",
)
async def get_callback_secret(
    request: Request, session: Session, principal: Annotated[Principal, require("jobs:read")]
) -> JsonResponse:
    secret = await callback_secret(session, services_of(request).secrets, principal.workspace_id)
    return JsonResponse(CallbackSecretOut(secret=secret).model_dump(by_alias=True))


@router.get("/{job_id}", response_model=JobOut, summary="Get a job's status, progress and result")
async def get_job(
    session: ReadSession,
    principal: Annotated[Principal, require("jobs:read")],
    job_id: str,
    fields: FieldsParam = None,
) -> JsonResponse:
    job = await jobs.get(session, workspace_id=principal.workspace_id, job_id=job_id)
    return resource_response(JobOut, job, fields)
