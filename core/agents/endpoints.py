from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from core.agents.schemas import AgentCreate, AgentFilters, AgentOut, AgentUpdate, agent_filters
from core.agents.service import agents
from core.deps import ReadSession, Session, require
from core.listing import FieldsParam, ListParams, list_params, page_response, resource_response
from core.plugins.auth import Principal
from core.responses import JsonResponse
from core.schemas import Page

router = APIRouter(prefix="/v1/agents", tags=["Agents"])


@router.get("", response_model=Page[AgentOut], summary="List agents")
async def list_agents(
    session: ReadSession,
    principal: Annotated[Principal, require("agents:read")],
    params: Annotated[ListParams, Depends(list_params)],
    filters: Annotated[AgentFilters, Depends(agent_filters)],
) -> JsonResponse:
    page = await agents.list(
        session, workspace_id=principal.workspace_id, filters=filters, params=params
    )
    return page_response(AgentOut, page, params.fields)


@router.post("", response_model=AgentOut, status_code=201, summary="Create an agent")
async def create_agent(
    session: Session,
    principal: Annotated[Principal, require("agents:write")],
    body: AgentCreate,
) -> JsonResponse:
    agent = await agents.create(session, workspace_id=principal.workspace_id, data=body)
    return resource_response(AgentOut, agent, status_code=201)


@router.get("/{agent_id}", response_model=AgentOut, summary="Get an agent")
async def get_agent(
    session: ReadSession,
    principal: Annotated[Principal, require("agents:read")],
    agent_id: str,
    fields: FieldsParam = None,
) -> JsonResponse:
    agent = await agents.get(session, workspace_id=principal.workspace_id, agent_id=agent_id)
    return resource_response(AgentOut, agent, fields)


@router.patch(
    "/{agent_id}",
    response_model=AgentOut,
    summary="Update an agent",
    description="`status: inactive` retires an agent: its calls stay, new calls may not name it.",
)
async def update_agent(
    session: Session,
    principal: Annotated[Principal, require("agents:write")],
    agent_id: str,
    body: AgentUpdate,
) -> JsonResponse:
    agent = await agents.update(
        session, workspace_id=principal.workspace_id, agent_id=agent_id, data=body
    )
    return resource_response(AgentOut, agent)
