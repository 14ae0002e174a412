"""Agents: the people and AI voice agents who handle a workspace's calls.

Events: ``agent.created``; ``agent.updated`` for any change (a status too)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from core.agents.models import Agent
from core.agents.repository import AGENT_SORTING, AgentRepository
from core.agents.schemas import AgentCreate, AgentFilters, AgentOut, AgentUpdate
from core.errors import NotFound, ValidationFailed
from core.events.service import emit
from core.listing import ListParams, PageResult, paginate


class AgentNotFound(NotFound):
    def __init__(self, agent_id: str) -> None:
        super().__init__(f"Agent {agent_id} does not exist.", details={"id": agent_id})


class UnknownAgent(ValidationFailed):
    """A record names an agent that is not one of this workspace's active agents."""

    def __init__(self, agent_id: str, reason: str) -> None:
        super().__init__(f"agentId: agent {agent_id} {reason}.", details={"field": "agentId"})


def _emit(session: AsyncSession, agent: Agent, event_type: str) -> None:
    emit(
        session,
        workspace_id=agent.workspace_id,
        type=event_type,
        data=AgentOut.model_validate(agent),
    )


class AgentService:
    async def create(self, session: AsyncSession, *, workspace_id: str, data: AgentCreate) -> Agent:
        agent = Agent(workspace_id=workspace_id, **data.model_dump())
        AgentRepository(session).add(agent)
        await session.flush()
        _emit(session, agent, "agent.created")
        return agent

    async def list(
        self, session: AsyncSession, *, workspace_id: str, filters: AgentFilters, params: ListParams
    ) -> PageResult:
        stmt = AgentRepository(session).query(workspace_id, filters)
        return await paginate(session, stmt, AGENT_SORTING, params)

    async def get(self, session: AsyncSession, *, workspace_id: str, agent_id: str) -> Agent:
        agent = await AgentRepository(session).get(workspace_id, agent_id)
        if agent is None:
            raise AgentNotFound(agent_id)
        return agent

    async def update(
        self, session: AsyncSession, *, workspace_id: str, agent_id: str, data: AgentUpdate
    ) -> Agent:
        agent = await self.get(session, workspace_id=workspace_id, agent_id=agent_id)
        changes = {
            name: value
            for name, value in data.model_dump(exclude_unset=True).items()
            if getattr(agent, name) != value
        }
        if not changes:
            return agent
        for name, value in changes.items():
            setattr(agent, name, value)
        await session.flush()
        await session.refresh(agent)
        _emit(session, agent, "agent.updated")
        return agent

    async def check_assignable(
        self, session: AsyncSession, *, workspace_id: str, agent_id: str
    ) -> None:
        """Refuses (422) an agent of another workspace, or an inactive one, on a call."""
        agent = await AgentRepository(session).get(workspace_id, agent_id)
        if agent is None:
            raise UnknownAgent(agent_id, "does not exist in this workspace")
        if agent.status != "active":
            raise UnknownAgent(agent_id, "is inactive")


agents = AgentService()
