from __future__ import annotations

from sqlalchemy import Select, Text, cast, func, or_, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from core.filters import like_pattern
from core.leads.models import Lead
from core.leads.schemas import LeadFilters
from core.listing import Sorting

LEAD_SORTING = Sorting(
    fields={"createdAt": Lead.created_at, "updatedAt": Lead.updated_at, "status": Lead.status},
    id_column=Lead.id,
)


class LeadRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, workspace_id: str, lead_id: str) -> Lead | None:
        return await self.session.scalar(
            select(Lead).where(Lead.workspace_id == workspace_id, Lead.id == lead_id)
        )

    def query(self, workspace_id: str, filters: LeadFilters) -> Select[Lead]:
        stmt = select(Lead).where(Lead.workspace_id == workspace_id)
        if filters.status is not None:
            stmt = stmt.where(Lead.status == filters.status)
        if filters.source is not None:
            stmt = stmt.where(Lead.source == filters.source)
        if filters.email is not None:
            stmt = stmt.where(func.lower(Lead.email) == filters.email.lower())
        if filters.tag is not None:
            if self.session.get_bind().dialect.name == "postgresql":
                # Containment over the JSONB cast, the expression the GIN index holds.
                stmt = stmt.where(cast(Lead.tags, JSONB).contains([filters.tag]))
            else:
                # A JSON array of quote-free strings: match the quoted element in its text.
                tagged = cast(Lead.tags, Text).contains(f'"{filters.tag}"', autoescape=True)
                stmt = stmt.where(tagged)
        if filters.search:
            # lower(column) LIKE '%text%' is what the trigram indexes serve on PostgreSQL.
            pattern = like_pattern(filters.search)
            stmt = stmt.where(
                or_(
                    func.lower(Lead.name).like(pattern, escape="\\"),
                    func.lower(Lead.email).like(pattern, escape="\\"),
                    func.lower(Lead.company).like(pattern, escape="\\"),
                )
            )
        return filters.created.apply(stmt, Lead.created_at)

    async def find_by_contact(
        self, workspace_id: str, email: str | None, phone: str | None
    ) -> Lead | None:
        """The workspace's oldest lead with ``email`` (any case), else with ``phone``."""
        base = select(Lead).where(Lead.workspace_id == workspace_id).order_by(Lead.created_at)
        if email:
            found = await self.session.scalar(base.where(func.lower(Lead.email) == email.lower()))
            if found is not None:
                return found
        if phone:
            return await self.session.scalar(base.where(Lead.phone == phone))
        return None

    def add(self, lead: Lead) -> None:
        self.session.add(lead)

    async def delete(self, lead: Lead) -> None:
        await self.session.delete(lead)
