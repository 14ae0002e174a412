from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Depends, Query
from pydantic import Field, StringConstraints, model_validator

from core.filters import CreatedRange, created_range
from core.leads.schemas import CustomFields, Phone
from core.schemas import ApiInput, ApiModel, ApiPatch, Resource, UtcDateTime, WebUrl

CallDirection = Literal["inbound", "outbound"]
CallStatus = Literal["queued", "in_progress", "ended", "failed"]
CallOutcome = Literal["connected", "no_answer", "busy", "voicemail", "failed", "booked"]

# A week: longer is a client bug, and it keeps every value inside a 32-bit INTEGER column.
MAX_DURATION_SECONDS = 7 * 24 * 3600
MAX_TRANSCRIPT_CHARS = 200_000
MAX_SEGMENTS = 5000


Duration = Annotated[int, Field(ge=0, le=MAX_DURATION_SECONDS)]
LanguageTag = Annotated[
    str,
    StringConstraints(max_length=16, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"),
]
Offset = Annotated[float, Field(ge=0, le=MAX_DURATION_SECONDS, allow_inf_nan=False)]

_CALL_EXAMPLE: dict[str, Any] = {
    "direction": "inbound",
    "fromNumber": "+44 20 7946 0000",
    "toNumber": "+44 20 7946 0999",
    "startedAt": "2026-01-05T09:30:00Z",
    "endedAt": "2026-01-05T09:34:10Z",
    "outcome": "booked",
    "summary": "Booked a demo for Thursday.",
    "customFields": {"campaign": "spring"},
}


class CallCreate(ApiInput):
    direction: CallDirection = "inbound"
    status: CallStatus | None = Field(
        default=None, description="Defaults to `ended` when `endedAt` is given, else `in_progress`."
    )
    from_number: Phone | None = None
    to_number: Phone | None = None
    started_at: UtcDateTime | None = Field(default=None, description="Defaults to now.")
    ended_at: UtcDateTime | None = None
    duration_seconds: Duration | None = Field(
        default=None, description="Computed from `startedAt` and `endedAt` when omitted."
    )
    outcome: CallOutcome | None = None
    summary: str | None = Field(default=None, max_length=10_000)
    lead_id: str | None = Field(default=None, max_length=40)
    agent_id: str | None = Field(
        default=None, max_length=40, description="The workspace's active agent who took the call."
    )
    custom_fields: CustomFields = Field(default_factory=dict)

    model_config = {"json_schema_extra": {"examples": [_CALL_EXAMPLE]}}


class CallUpdate(ApiPatch):
    not_null = ("direction", "status", "started_at", "custom_fields")

    direction: CallDirection | None = None
    status: CallStatus | None = None
    from_number: Phone | None = None
    to_number: Phone | None = None
    started_at: UtcDateTime | None = None
    ended_at: UtcDateTime | None = Field(
        default=None,
        description="Setting it recomputes `durationSeconds` and ends the call "
        "unless `status` is given too.",
    )
    duration_seconds: Duration | None = None
    outcome: CallOutcome | None = None
    summary: str | None = Field(default=None, max_length=10_000)
    lead_id: str | None = Field(default=None, max_length=40)
    agent_id: str | None = Field(default=None, max_length=40)
    custom_fields: CustomFields | None = None

    model_config = {
        "json_schema_extra": {
            "examples": [{"endedAt": "2026-01-05T09:34:10Z", "outcome": "connected"}]
        }
    }


class TranscriptSegmentIn(ApiInput):
    speaker: Annotated[str, StringConstraints(min_length=1, max_length=50)] = Field(
        examples=["agent"], description="`agent`, `caller` or any speaker label."
    )
    text: str = Field(max_length=10_000)
    start_seconds: Offset
    end_seconds: Offset

    @model_validator(mode="after")
    def _ordered(self) -> TranscriptSegmentIn:
        if self.end_seconds < self.start_seconds:
            raise ValueError("endSeconds must not be before startSeconds")
        return self


class TranscriptUpload(ApiInput):
    text: str = Field(min_length=1, max_length=MAX_TRANSCRIPT_CHARS)
    segments: list[TranscriptSegmentIn] | None = Field(default=None, max_length=MAX_SEGMENTS)
    language: LanguageTag | None = Field(default=None, examples=["en-GB"])

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "text": "Agent: Hello, how can I help? Caller: I'd like to book a demo.",
                    "segments": [
                        {
                            "speaker": "agent",
                            "text": "Hello, how can I help?",
                            "startSeconds": 0.0,
                            "endSeconds": 2.4,
                        },
                        {
                            "speaker": "caller",
                            "text": "I'd like to book a demo.",
                            "startSeconds": 2.9,
                            "endSeconds": 5.1,
                        },
                    ],
                    "language": "en-GB",
                }
            ]
        }
    }


class TranscriptSegmentOut(ApiModel):
    speaker: str
    text: str
    start_seconds: float
    end_seconds: float


class TranscriptOut(ApiModel):
    text: str
    segments: list[TranscriptSegmentOut] | None
    language: str | None
    transcribed_at: datetime | None


class CallOut(Resource):
    id: str = Field(examples=["call_5m2k8x9q1w3e4r7t0y6u"])
    lead_id: str | None
    agent_id: str | None = None
    direction: CallDirection
    status: CallStatus
    from_number: str | None
    to_number: str | None
    started_at: datetime
    ended_at: datetime | None
    duration_seconds: int | None
    outcome: CallOutcome | None
    summary: str | None
    transcript: TranscriptOut | None = Field(
        default=None, description="Present once a transcript was uploaded."
    )
    custom_fields: dict[str, Any]
    created_at: datetime
    updated_at: datetime

    @model_validator(mode="before")
    @classmethod
    def _collect_transcript(cls, data: Any) -> Any:
        # The model keeps the transcript in flat columns; the API nests it.
        if isinstance(data, dict) or not hasattr(data, "transcript_text"):
            return data
        values = {name: getattr(data, name) for name in cls.model_fields if name != "transcript"}
        if data.transcript_text is not None:
            values["transcript"] = {
                "text": data.transcript_text,
                "segments": data.transcript_segments,
                "language": data.transcript_language,
                "transcribed_at": data.transcribed_at,
            }
        return values


@dataclass(frozen=True, slots=True)
class CallFilters:
    status: CallStatus | None
    direction: CallDirection | None
    outcome: CallOutcome | None
    lead_id: str | None
    created: CreatedRange
    started: CreatedRange
    agent_id: str | None = None


async def call_filters(
    created: Annotated[CreatedRange, Depends(created_range)],
    status: Annotated[CallStatus | None, Query()] = None,
    direction: Annotated[CallDirection | None, Query()] = None,
    outcome: Annotated[CallOutcome | None, Query()] = None,
    lead_id: Annotated[str | None, Query(alias="leadId", max_length=40)] = None,
    agent_id: Annotated[str | None, Query(alias="agentId", max_length=40)] = None,
    started_after: Annotated[
        UtcDateTime | None, Query(alias="startedAfter", description="ISO 8601, inclusive.")
    ] = None,
    started_before: Annotated[
        UtcDateTime | None, Query(alias="startedBefore", description="ISO 8601, exclusive.")
    ] = None,
) -> CallFilters:
    started = CreatedRange(started_after, started_before)
    return CallFilters(status, direction, outcome, lead_id, created, started, agent_id)


class AnalysisRequest(ApiInput):
    callback_url: WebUrl | None = Field(
        default=None,
        description="Receives a signed `job.completed` or `job.failed` callback when the "
        "analysis finishes (verify it with `GET /v1/jobs/callback-secret`).",
    )

    model_config = {
        "json_schema_extra": {"examples": [{"callbackUrl": "https://partner.example.com/hooks"}]}
    }
