from __future__ import annotations

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.agents.models import Agent
from core.agents.schemas import AgentFilters
from core.filters import like_pattern
from core.listing import Sorting

AGENT_SORTING = Sorting(
    fields={"createdAt": Agent.created_at, "name": Agent.name, "updatedAt": Agent.updated_at},
    id_column=Agent.id,
)


class AgentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, workspace_id: str, agent_id: str) -> Agent | None:
        return await self.session.scalar(
            select(Agent).where(Agent.workspace_id == workspace_id, Agent.id == agent_id)
        )

    async def names(self, workspace_id: str, agent_ids: list[str]) -> dict[str, Agent]:
        rows = await self.session.scalars(
            select(Agent).where(Agent.workspace_id == workspace_id, Agent.id.in_(agent_ids))
        )
        return {agent.id: agent for agent in rows}

    def query(self, workspace_id: str, filters: AgentFilters) -> Select[Agent]:
        stmt = select(Agent).where(Agent.workspace_id == workspace_id)
        if filters.kind is not None:
            stmt = stmt.where(Agent.kind == filters.kind)
        if filters.status is not None:
            stmt = stmt.where(Agent.status == filters.status)
        if filters.email is not None:
            stmt = stmt.where(func.lower(Agent.email) == filters.email.lower())
        if filters.search:
            pattern = like_pattern(filters.search)
            stmt = stmt.where(
                or_(
                    func.lower(Agent.name).like(pattern, escape="\\"),
                    func.lower(Agent.email).like(pattern, escape="\\"),
                    func.lower(Agent.extension).like(pattern, escape="\\"),
                )
            )
        return filters.created.apply(stmt, Agent.created_at)

    def add(self, agent: Agent) -> None:
        self.session.add(agent)
