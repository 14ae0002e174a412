from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import Depends, Query
from pydantic import AfterValidator, Field, model_validator

from core.filters import CreatedRange, created_range
from core.leads.schemas import CustomFields
from core.schemas import ApiInput, ApiPatch, Resource, UtcDateTime, WebUrl

AppointmentStatus = Literal["scheduled", "rescheduled", "canceled", "completed", "no_show"]
# A year: longer is a client bug (a wrong year in endsAt).
MAX_LENGTH_SECONDS = 366 * 24 * 3600


def _time_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"{value!r} is not an IANA time zone (like Europe/Paris)") from exc
    return value


TimeZone = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_time_zone)]

_EXAMPLE: dict[str, Any] = {
    "leadId": "lead_8x2k4m9q1w3e5r7t0y6u",
    "title": "Product demo",
    "startsAt": "2026-01-08T14:00:00Z",
    "endsAt": "2026-01-08T14:30:00Z",
    "timeZone": "Europe/London",
    "joinUrl": "https://meet.example.com/abc-defg-hij",
    "notes": "Wants to see the reporting.",
    "customFields": {"campaign": "spring"},
}


class AppointmentCreate(ApiInput):
    lead_id: str | None = Field(default=None, max_length=40)
    title: str | None = Field(default=None, max_length=200)
    starts_at: UtcDateTime
    ends_at: UtcDateTime
    time_zone: TimeZone | None = Field(default=None, description="The invitee's IANA time zone.")
    location: str | None = Field(default=None, max_length=500)
    join_url: WebUrl | None = None
    notes: str | None = Field(default=None, max_length=10_000)
    custom_fields: CustomFields = Field(default_factory=dict)

    model_config = {"json_schema_extra": {"examples": [_EXAMPLE]}}

    @model_validator(mode="after")
    def _ordered(self) -> AppointmentCreate:
        check_times(self.starts_at, self.ends_at)
        return self


class AppointmentUpdate(ApiPatch):
    not_null = ("starts_at", "ends_at", "status", "custom_fields")

    lead_id: str | None = Field(default=None, max_length=40)
    title: str | None = Field(default=None, max_length=200)
    starts_at: UtcDateTime | None = Field(
        default=None, description="Moving the start or end reschedules the appointment."
    )
    ends_at: UtcDateTime | None = None
    time_zone: TimeZone | None = None
    status: AppointmentStatus | None = Field(
        default=None, description="`canceled`, `completed` or `no_show` close the appointment."
    )
    location: str | None = Field(default=None, max_length=500)
    join_url: WebUrl | None = None
    notes: str | None = Field(default=None, max_length=10_000)
    cancel_reason: str | None = Field(default=None, max_length=500)
    custom_fields: CustomFields | None = None

    model_config = {
        "json_schema_extra": {"examples": [{"status": "completed", "notes": "Went well."}]}
    }


def check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise ValueError("endsAt must be after startsAt")
    if (ends_at - starts_at).total_seconds() > MAX_LENGTH_SECONDS:
        raise ValueError("an appointment lasts at most a year; check startsAt and endsAt")


class AppointmentOut(Resource):
    id: str = Field(examples=["appt_4k2m8x9q1w3e5r7t0y6u"])
    lead_id: str | None
    title: str | None
    starts_at: datetime
    ends_at: datetime
    time_zone: str | None
    status: AppointmentStatus
    location: str | None
    join_url: str | None
    source: str = Field(
        description="`api`, or the slug of the connector that mirrored it (`calendly`).",
        examples=["calendly"],
    )
    notes: str | None
    cancel_reason: str | None
    custom_fields: dict[str, Any]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class AppointmentFilters:
    lead_id: str | None
    status: AppointmentStatus | None
    source: str | None
    created: CreatedRange
    starts: CreatedRange


async def appointment_filters(
    created: Annotated[CreatedRange, Depends(created_range)],
    lead_id: Annotated[str | None, Query(alias="leadId", max_length=40)] = None,
    status: Annotated[AppointmentStatus | None, Query()] = None,
    source: Annotated[
        str | None, Query(max_length=32, description="`api` or a connector's slug.")
    ] = None,
    starts_after: Annotated[
        UtcDateTime | None, Query(alias="startsAfter", description="ISO 8601, inclusive.")
    ] = None,
    starts_before: Annotated[
        UtcDateTime | None, Query(alias="startsBefore", description="ISO 8601, exclusive.")
    ] = None,
) -> AppointmentFilters:
    return AppointmentFilters(
        lead_id, status, source, created, CreatedRange(starts_after, starts_before)
    )
