from __future__ import annotations

from pydantic import Field

from core.schemas import ApiInput, ApiModel

MIN_TARGET_SECONDS = 60
MAX_TARGET_SECONDS = 7 * 24 * 3600


class ResponseTargetIn(ApiInput):
    target_seconds: int | None = Field(
        ge=MIN_TARGET_SECONDS,
        le=MAX_TARGET_SECONDS,
        description="How soon a new lead should be answered (a status change or a linked "
        "call), in seconds; `null` turns the target off. Applies to leads created after.",
        examples=[300],
    )

    model_config = {"json_schema_extra": {"examples": [{"targetSeconds": 300}]}}


class ResponseTargetOut(ApiModel):
    target_seconds: int | None = Field(examples=[300])


class ResponseStats(ApiModel):
    """Leads created in the period while a target was set."""

    leads: int
    answered_within_target: int
    answered_late: int
    overdue: int = Field(description="Still waiting, past their target.")
    waiting: int = Field(description="Still waiting, within their target.")
    share_within_target: float | None = Field(
        description="answeredWithinTarget / leads (null without leads).", examples=[0.82]
    )
