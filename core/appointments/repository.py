from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.appointments.models import Appointment
from core.appointments.schemas import AppointmentFilters
from core.listing import Sorting

APPOINTMENT_SORTING = Sorting(
    fields={
        "createdAt": Appointment.created_at,
        "startsAt": Appointment.starts_at,
        "updatedAt": Appointment.updated_at,
    },
    id_column=Appointment.id,
)


class AppointmentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, workspace_id: str, appointment_id: str) -> Appointment | None:
        return await self.session.scalar(
            select(Appointment).where(
                Appointment.workspace_id == workspace_id, Appointment.id == appointment_id
            )
        )

    def query(self, workspace_id: str, filters: AppointmentFilters) -> Select[Appointment]:
        stmt = select(Appointment).where(Appointment.workspace_id == workspace_id)
        if filters.lead_id is not None:
            stmt = stmt.where(Appointment.lead_id == filters.lead_id)
        if filters.status is not None:
            stmt = stmt.where(Appointment.status == filters.status)
        if filters.source is not None:
            stmt = stmt.where(Appointment.source == filters.source)
        stmt = filters.created.apply(stmt, Appointment.created_at)
        return filters.starts.apply(stmt, Appointment.starts_at)

    def add(self, appointment: Appointment) -> None:
        self.session.add(appointment)
