from __future__ import annotations

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.events.models import Event
from core.events.schemas import EventFilters
from core.listing import Sorting

EVENT_SORTING = Sorting(
    fields={"timestamp": Event.occurred_at}, id_column=Event.id, default="-timestamp"
)


class EventRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, workspace_id: str, event_id: str) -> Event | None:
        return await self.session.scalar(
            select(Event).where(Event.workspace_id == workspace_id, Event.id == event_id)
        )

    def query(self, workspace_id: str, filters: EventFilters) -> Select[tuple[Event]]:
        stmt = select(Event).where(Event.workspace_id == workspace_id)
        if filters.types:
            conditions = []
            for pattern in filters.types:
                if pattern.endswith(".*"):
                    conditions.append(Event.type.startswith(pattern[:-1], autoescape=True))
                elif pattern != "*":
                    conditions.append(Event.type == pattern)
                else:
                    conditions = []
                    break
            if conditions:
                stmt = stmt.where(or_(*conditions))
        return filters.created.apply(stmt, Event.occurred_at)
