from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Depends, Query
from pydantic import EmailStr, Field, StringConstraints

from core.filters import CreatedRange, created_range
from core.leads.schemas import CustomFields, Phone
from core.schemas import ApiInput, ApiPatch, Resource

AgentKind = Literal["human", "ai"]
AgentStatus = Literal["active", "inactive"]
Extension = Annotated[str, StringConstraints(min_length=1, max_length=20, pattern=r"^[0-9*#]+$")]

_EXAMPLE: dict[str, Any] = {
    "name": "Grace Hopper",
    "email": "grace@example.com",
    "phone": "+44 20 7946 0101",
    "extension": "101",
    "kind": "human",
    "customFields": {"team": "sales"},
}


class AgentCreate(ApiInput):
    name: str = Field(min_length=1, max_length=200)
    email: EmailStr | None = None
    phone: Phone | None = None
    extension: Extension | None = Field(default=None, description="A switchboard extension.")
    kind: AgentKind = Field(default="human", description="`human`, or `ai` for a voice agent.")
    status: AgentStatus = "active"
    custom_fields: CustomFields = Field(default_factory=dict)

    model_config = {"json_schema_extra": {"examples": [_EXAMPLE]}}


class AgentUpdate(ApiPatch):
    not_null = ("name", "kind", "status", "custom_fields")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    email: EmailStr | None = None
    phone: Phone | None = None
    extension: Extension | None = None
    kind: AgentKind | None = None
    status: AgentStatus | None = Field(
        default=None, description="An `inactive` agent keeps its calls; new calls may not use it."
    )
    custom_fields: CustomFields | None = None

    model_config = {"json_schema_extra": {"examples": [{"status": "inactive"}]}}


class AgentOut(Resource):
    id: str = Field(examples=["agent_7q2k8x9m1w3e5r4t0y6u"])
    name: str
    email: str | None
    phone: str | None
    extension: str | None
    kind: AgentKind
    status: AgentStatus
    custom_fields: dict[str, Any]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class AgentFilters:
    kind: AgentKind | None
    status: AgentStatus | None
    email: str | None
    search: str | None
    created: CreatedRange


async def agent_filters(
    created: Annotated[CreatedRange, Depends(created_range)],
    kind: Annotated[AgentKind | None, Query()] = None,
    status: Annotated[AgentStatus | None, Query()] = None,
    email: Annotated[str | None, Query(max_length=320)] = None,
    search: Annotated[
        str | None, Query(max_length=200, description="Matches name, email or extension.")
    ] = None,
) -> AgentFilters:
    return AgentFilters(kind, status, email, search, created)
