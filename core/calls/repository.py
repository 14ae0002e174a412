from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.calls.models import Call
from core.calls.schemas import CallFilters
from core.listing import Sorting

CALL_SORTING = Sorting(
    fields={
        "createdAt": Call.created_at,
        "startedAt": Call.started_at,
        "updatedAt": Call.updated_at,
    },
    id_column=Call.id,
)


class CallRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, workspace_id: str, call_id: str) -> Call | None:
        return await self.session.scalar(
            select(Call).where(Call.workspace_id == workspace_id, Call.id == call_id)
        )

    def query(self, workspace_id: str, filters: CallFilters) -> Select[Call]:
        stmt = select(Call).where(Call.workspace_id == workspace_id)
        if filters.status is not None:
            stmt = stmt.where(Call.status == filters.status)
        if filters.direction is not None:
            stmt = stmt.where(Call.direction == filters.direction)
        if filters.outcome is not None:
            stmt = stmt.where(Call.outcome == filters.outcome)
        if filters.lead_id is not None:
            stmt = stmt.where(Call.lead_id == filters.lead_id)
        if filters.agent_id is not None:
            stmt = stmt.where(Call.agent_id == filters.agent_id)
        stmt = filters.created.apply(stmt, Call.created_at, never_earlier=[Call.updated_at])
        return filters.started.apply(stmt, Call.started_at)

    def add(self, call: Call) -> None:
        self.session.add(call)
