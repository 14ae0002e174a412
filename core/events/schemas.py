from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Query
from pydantic import Field

from core.errors import InvalidRequest
from core.filters import CreatedRange, created_range
from core.plugins.events import EVENT_FILTER_PATTERN
from core.schemas import ApiModel, Resource

_EXAMPLE: dict[str, Any] = {
    "id": "evt_3k9x2m7q1w8e4r6t5y0u",
    "type": "lead.created",
    "timestamp": "2026-01-05T09:30:00Z",
    "workspaceId": "ws_8f2k1m9x3q7w4e6r5t0y",
    "data": {"id": "lead_4x2k9m7q1w8e3r6t5y0u", "name": "Ada Lovelace", "status": "new"},
    "version": "1",
}


class EventOut(Resource):
    id: str
    type: str
    timestamp: datetime = Field(validation_alias="occurred_at")
    workspace_id: str
    data: dict[str, Any]
    version: str

    model_config = {"json_schema_extra": {"examples": [_EXAMPLE]}}


class EventTypeOut(ApiModel):
    name: str = Field(examples=["lead.created"])
    description: str
    source: str = Field(description="`core`, or the plugin that declares it.", examples=["core"])


class EventCatalogOut(ApiModel):
    data: list[EventTypeOut]


@dataclass(frozen=True, slots=True)
class EventFilters:
    types: list[str]
    created: CreatedRange


async def event_filters(
    type: Annotated[
        str | None,
        Query(
            max_length=500,
            description="Comma-separated event types; `lead.*` matches every lead event.",
            examples=["lead.created,call.*"],
        ),
    ] = None,
    created: Annotated[CreatedRange, Depends(created_range)] = CreatedRange(None, None),
) -> EventFilters:
    types = [t.strip() for t in (type or "").split(",") if t.strip()]
    invalid = [t for t in types if not EVENT_FILTER_PATTERN.match(t)]
    if invalid:
        raise InvalidRequest(
            "`type` takes event types such as `lead.created` or `lead.*`.",
            details={"param": "type", "invalid": invalid},
        )
    return EventFilters(types, created)
