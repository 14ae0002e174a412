from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Depends, Query
from pydantic import Field

from core.filters import CreatedRange, created_range
from core.schemas import ApiModel, Resource

JobStatus = Literal["queued", "running", "succeeded", "failed"]
JobType = Literal["call.analysis", "connection.sync"]
FINISHED: frozenset[str] = frozenset({"succeeded", "failed"})

_JOB_EXAMPLE: dict[str, Any] = {
    "id": "job_4k9x2m7q1w8e3r6t5y0u",
    "type": "call.analysis",
    "status": "succeeded",
    "progress": 100,
    "input": {"callId": "call_5m2k8x9q1w3e4r7t0y6u"},
    "result": {"score": 7.9},
    "error": None,
    "callbackUrl": "https://partner.example.com/hooks/hubwire",
    "attempts": 1,
    "createdAt": "2026-01-05T09:35:00Z",
    "updatedAt": "2026-01-05T09:35:02Z",
    "startedAt": "2026-01-05T09:35:01Z",
    "finishedAt": "2026-01-05T09:35:02Z",
}


class JobError(ApiModel):
    code: str = Field(examples=["NOT_FOUND"])
    message: str = Field(examples=["Call call_5m2k8x9q1w3e4r7t0y6u no longer exists."])


class JobOut(Resource):
    id: str = Field(examples=["job_4k9x2m7q1w8e3r6t5y0u"])
    type: str = Field(examples=["call.analysis"])
    status: JobStatus
    progress: int = Field(ge=0, le=100, description="Percent done, 0-100.")
    input: dict[str, Any] = Field(description="What the job works on.")
    result: dict[str, Any] | None = Field(
        description="Set once the job `succeeded`; its shape depends on `type`."
    )
    error: JobError | None = Field(description="Set once the job `failed`.")
    callback_url: str | None = Field(description="Receives a signed callback when it finishes.")
    attempts: int = Field(description="How many times a worker started the job.")
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    model_config = {"json_schema_extra": {"examples": [_JOB_EXAMPLE]}}


class JobQueued(ApiModel):
    """The answer to a request that started a job: poll `GET /v1/jobs/{jobId}`."""

    job_id: str = Field(examples=["job_4k9x2m7q1w8e3r6t5y0u"])
    status: JobStatus = Field(examples=["queued"])


class CallbackSecretOut(ApiModel):
    secret: str = Field(
        description="Standard Webhooks secret that signs this workspace's job callbacks.",
        examples=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
    )


@dataclass(frozen=True, slots=True)
class JobFilters:
    status: JobStatus | None
    type: JobType | None
    created: CreatedRange


async def job_filters(
    created: Annotated[CreatedRange, Depends(created_range)],
    status: Annotated[JobStatus | None, Query()] = None,
    type: Annotated[JobType | None, Query()] = None,
) -> JobFilters:
    return JobFilters(status, type, created)
