"""Appointments: booked through the API or mirrored from a scheduling tool (a connector).

Events: ``appointment.scheduled`` when one is created; ``appointment.rescheduled`` when its
start or end moves; ``appointment.canceled`` and ``appointment.completed`` when its status
becomes one of those; ``appointment.updated`` for any other change (a no-show, notes)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.appointments.models import Appointment
from core.appointments.repository import APPOINTMENT_SORTING, AppointmentRepository
from core.appointments.schemas import (
    AppointmentCreate,
    AppointmentFilters,
    AppointmentOut,
    AppointmentUpdate,
    check_times,
)
from core.errors import NotFound, ValidationFailed
from core.events.service import emit
from core.leads.repository import LeadRepository
from core.listing import ListParams, PageResult, paginate


class AppointmentNotFound(NotFound):
    def __init__(self, appointment_id: str) -> None:
        super().__init__(
            f"Appointment {appointment_id} does not exist.", details={"id": appointment_id}
        )


class AppointmentLeadNotFound(ValidationFailed):
    def __init__(self, lead_id: str) -> None:
        super().__init__(
            f"leadId: lead {lead_id} does not exist in this workspace.",
            details={"field": "leadId"},
        )


# A status an update moves to that has its own event.
STATUS_EVENTS = {"canceled": "appointment.canceled", "completed": "appointment.completed"}
OPEN_STATUSES = frozenset({"scheduled", "rescheduled"})


def _emit(session: AsyncSession, appointment: Appointment, event_type: str) -> None:
    emit(
        session,
        workspace_id=appointment.workspace_id,
        type=event_type,
        data=AppointmentOut.model_validate(appointment),
    )


def _values(data: AppointmentCreate | AppointmentUpdate, *, exclude_unset: bool) -> dict[str, Any]:
    values = data.model_dump(exclude_unset=exclude_unset)
    if values.get("join_url") is not None:
        values["join_url"] = str(values["join_url"])
    return values


class AppointmentService:
    async def create(
        self,
        session: AsyncSession,
        *,
        workspace_id: str,
        data: AppointmentCreate,
        source: str = "api",
    ) -> Appointment:
        """A new appointment (``source``: ``api``, or the connector that mirrored it)."""
        if data.lead_id is not None:
            await self._check_lead(session, workspace_id, data.lead_id)
        appointment = Appointment(
            workspace_id=workspace_id,
            **_values(data, exclude_unset=False),
            status="scheduled",
            source=source,
        )
        AppointmentRepository(session).add(appointment)
        await session.flush()
        _emit(session, appointment, "appointment.scheduled")
        return appointment

    async def list(
        self,
        session: AsyncSession,
        *,
        workspace_id: str,
        filters: AppointmentFilters,
        params: ListParams,
    ) -> PageResult:
        stmt = AppointmentRepository(session).query(workspace_id, filters)
        return await paginate(session, stmt, APPOINTMENT_SORTING, params)

    async def get(
        self, session: AsyncSession, *, workspace_id: str, appointment_id: str
    ) -> Appointment:
        appointment = await AppointmentRepository(session).get(workspace_id, appointment_id)
        if appointment is None:
            raise AppointmentNotFound(appointment_id)
        return appointment

    async def update(
        self,
        session: AsyncSession,
        *,
        workspace_id: str,
        appointment_id: str,
        data: AppointmentUpdate,
    ) -> Appointment:
        """Applies the given fields; emits at most one event (see the module docstring)."""
        appointment = await self.get(
            session, workspace_id=workspace_id, appointment_id=appointment_id
        )
        changes = {
            name: value
            for name, value in _values(data, exclude_unset=True).items()
            if getattr(appointment, name) != value
        }
        if not changes:
            return appointment
        if changes.get("lead_id") is not None:
            await self._check_lead(session, workspace_id, changes["lead_id"])
        starts_at = changes.get("starts_at", appointment.starts_at)
        ends_at = changes.get("ends_at", appointment.ends_at)
        try:
            check_times(starts_at, ends_at)
        except ValueError as exc:
            raise ValidationFailed(f"{exc}.", details={"field": "endsAt"}) from exc
        moved = "starts_at" in changes or "ends_at" in changes
        if moved and "status" not in changes:
            changes["status"] = "rescheduled"
        for name, value in changes.items():
            setattr(appointment, name, value)
        await session.flush()
        await session.refresh(appointment)
        if "status" in changes and appointment.status in STATUS_EVENTS:
            _emit(session, appointment, STATUS_EVENTS[appointment.status])
        elif moved and appointment.status in OPEN_STATUSES:
            _emit(session, appointment, "appointment.rescheduled")
        else:
            _emit(session, appointment, "appointment.updated")
        return appointment

    async def _check_lead(self, session: AsyncSession, workspace_id: str, lead_id: str) -> None:
        if await LeadRepository(session).get(workspace_id, lead_id) is None:
            raise AppointmentLeadNotFound(lead_id)


appointments = AppointmentService()
