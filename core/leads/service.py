from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from core.database import utcnow
from core.errors import NotFound
from core.events.service import emit
from core.leads.models import Lead
from core.leads.names import NameParts, resolve
from core.leads.repository import LEAD_SORTING, LeadRepository
from core.leads.schemas import LeadCreate, LeadFilters, LeadOut, LeadUpdate
from core.listing import ListParams, PageResult, paginate
from core.response_targets.service import response_targets


class LeadNotFound(NotFound):
    def __init__(self, lead_id: str) -> None:
        super().__init__(f"Lead {lead_id} does not exist.", details={"id": lead_id})


# A status change to one of these also emits its own event, after `lead.updated`.
STATUS_EVENTS = {
    "qualified": "lead.qualified",
    "converted": "lead.converted",
    "rejected": "lead.rejected",
}


def _emit(session: AsyncSession, lead: Lead, event_type: str) -> None:
    emit(
        session, workspace_id=lead.workspace_id, type=event_type, data=LeadOut.model_validate(lead)
    )


class LeadService:
    async def create(self, session: AsyncSession, *, workspace_id: str, data: LeadCreate) -> Lead:
        fields = data.model_dump()
        names = resolve(data.model_dump(exclude_none=True))  # a null part is no part here
        assert names is not None
        lead = Lead(workspace_id=workspace_id, **(fields | names.as_fields()))
        if lead.email_consent != "unknown":
            lead.email_consent_at = utcnow()
        LeadRepository(session).add(lead)
        await session.flush()
        _emit(session, lead, "lead.created")
        await response_targets.lead_created(session, lead)
        return lead

    async def list(
        self, session: AsyncSession, *, workspace_id: str, filters: LeadFilters, params: ListParams
    ) -> PageResult:
        stmt = await LeadRepository(session).query(workspace_id, filters)
        return await paginate(session, stmt, LEAD_SORTING, params, plain_rows=True)

    async def get(self, session: AsyncSession, *, workspace_id: str, lead_id: str) -> Lead:
        lead = await LeadRepository(session).get(workspace_id, lead_id)
        if lead is None:
            raise LeadNotFound(lead_id)
        return lead

    async def update(
        self, session: AsyncSession, *, workspace_id: str, lead_id: str, data: LeadUpdate
    ) -> Lead:
        lead = await self.get(session, workspace_id=workspace_id, lead_id=lead_id)
        previous_status, previous_consent = lead.status, lead.email_consent
        fields = data.model_dump(exclude_unset=True)
        names = resolve(fields, NameParts(lead.name, lead.first_name, lead.last_name))
        if names is not None:
            fields |= names.as_fields()
        for name, value in fields.items():
            setattr(lead, name, value)
        if lead.email_consent != previous_consent:
            lead.email_consent_at = utcnow()
        await session.flush()
        await session.refresh(lead)
        _emit(session, lead, "lead.updated")
        if lead.status != previous_status:
            await response_targets.answered(session, lead.id)
        if lead.status != previous_status and lead.status in STATUS_EVENTS:
            _emit(session, lead, STATUS_EVENTS[lead.status])
        return lead

    async def delete(self, session: AsyncSession, *, workspace_id: str, lead_id: str) -> None:
        lead = await self.get(session, workspace_id=workspace_id, lead_id=lead_id)
        _emit(session, lead, "lead.deleted")
        await LeadRepository(session).delete(lead)
        await session.flush()


leads = LeadService()
