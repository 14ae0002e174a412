from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from core.appointments.schemas import (
    AppointmentCreate,
    AppointmentFilters,
    AppointmentOut,
    AppointmentUpdate,
    appointment_filters,
)
from core.appointments.service import appointments
from core.deps import ReadSession, Session, require
from core.listing import FieldsParam, ListParams, list_params, page_response, resource_response
from core.plugins.auth import Principal
from core.responses import JsonResponse
from core.schemas import Page

router = APIRouter(prefix="/v1/appointments", tags=["Appointments"])


@router.get("", response_model=Page[AppointmentOut], summary="List appointments")
async def list_appointments(
    session: ReadSession,
    principal: Annotated[Principal, require("appointments:read")],
    params: Annotated[ListParams, Depends(list_params)],
    filters: Annotated[AppointmentFilters, Depends(appointment_filters)],
) -> JsonResponse:
    page = await appointments.list(
        session, workspace_id=principal.workspace_id, filters=filters, params=params
    )
    return page_response(AppointmentOut, page, params.fields)


@router.post(
    "",
    response_model=AppointmentOut,
    status_code=201,
    summary="Book an appointment",
    description="Creates an appointment with status `scheduled` (source `api`).",
)
async def create_appointment(
    session: Session,
    principal: Annotated[Principal, require("appointments:write")],
    body: AppointmentCreate,
) -> JsonResponse:
    appointment = await appointments.create(session, workspace_id=principal.workspace_id, data=body)
    return resource_response(AppointmentOut, appointment, status_code=201)


@router.get("/{appointment_id}", response_model=AppointmentOut, summary="Get an appointment")
async def get_appointment(
    session: ReadSession,
    principal: Annotated[Principal, require("appointments:read")],
    appointment_id: str,
    fields: FieldsParam = None,
) -> JsonResponse:
    appointment = await appointments.get(
        session, workspace_id=principal.workspace_id, appointment_id=appointment_id
    )
    return resource_response(AppointmentOut, appointment, fields)


@router.patch(
    "/{appointment_id}",
    response_model=AppointmentOut,
    summary="Update, reschedule, cancel or complete an appointment",
    description=(
        "Moving `startsAt` or `endsAt` reschedules it (status `rescheduled`, event "
        "`appointment.rescheduled`); status `canceled` or `completed` emits its own event."
    ),
)
async def update_appointment(
    session: Session,
    principal: Annotated[Principal, require("appointments:write")],
    appointment_id: str,
    body: AppointmentUpdate,
) -> JsonResponse:
    appointment = await appointments.update(
        session, workspace_id=principal.workspace_id, appointment_id=appointment_id, data=body
    )
    return resource_response(AppointmentOut, appointment)
