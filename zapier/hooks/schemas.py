from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from core.schemas import ApiInput, ApiModel, WebUrl

_EXAMPLE: dict[str, Any] = {
    "targetUrl": "https://hooks.zapier.com/hooks/standard/123/abc/",
    "event": "lead.created",
}


class HookCreate(ApiInput):
    """What Zapier sends when a Zap with a Hubwire trigger is turned on."""

    target_url: WebUrl = Field(description="Where Hubwire POSTs each event.")
    event: Annotated[
        str, StringConstraints(min_length=1, max_length=500, strip_whitespace=True)
    ] = Field(
        description=(
            "An event type from `GET /v1/webhook-events`, or several separated by commas "
            "(`lead.qualified,lead.converted`); `lead.*` matches every lead event."
        ),
        examples=["lead.created"],
    )

    model_config = {"json_schema_extra": {"examples": [_EXAMPLE]}}


class HookOut(ApiModel):
    id: str = Field(examples=["wh_4x2k9m1q8w4e6r5t0y3z"])
    target_url: str = Field(examples=[_EXAMPLE["targetUrl"]])
    event: str = Field(examples=["lead.created"])
    events: list[str] = Field(examples=[["lead.created"]])
    active: bool
    created_at: datetime
