from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Literal

from fastapi import Query
from pydantic import EmailStr, Field, field_validator

from core.api_keys.schemas import Environment
from core.auth.scopes import ALL_SCOPES, unknown_scopes
from core.schemas import ApiInput, Resource

WorkspaceStatus = Literal["active", "suspended"]


class ManagedWorkspaceCreate(ApiInput):
    name: str = Field(min_length=1, max_length=200, examples=["Rosa's Plumbing"])
    slug: str | None = Field(
        default=None,
        max_length=63,
        description="2-63 lowercase letters, digits or dashes; made from the name when omitted.",
        examples=["rosas-plumbing"],
    )
    contact_email: EmailStr = Field(examples=["owner@rosas-plumbing.example"])

    model_config = {
        "json_schema_extra": {
            "examples": [{"name": "Rosa's Plumbing", "contactEmail": "rosa@example.com"}]
        }
    }


class ManagedWorkspaceOut(Resource):
    id: str = Field(examples=["ws_8f2k1m9x3q7w4e6r5t0y"])
    slug: str
    name: str
    status: WorkspaceStatus
    created_at: datetime
    updated_at: datetime


class BoundKeyCreate(ApiInput):
    name: str = Field(min_length=1, max_length=200, examples=["Rosa's call tracker"])
    scopes: list[str] = Field(
        min_length=1, max_length=50, description="At most the scopes the partner was granted."
    )
    environment: Environment = "live"
    expires_in_days: int | None = Field(default=None, ge=1, le=3650)

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "name": "Call tracker",
                    "scopes": ["agents:write", "calls:write", "calls:read", "jobs:read"],
                }
            ]
        }
    }

    @field_validator("scopes")
    @classmethod
    def _known_scopes(cls, scopes: list[str]) -> list[str]:
        unknown = unknown_scopes(scopes)
        if unknown:
            raise ValueError(
                f"unknown scope(s): {', '.join(unknown)}; valid scopes: "
                f"{', '.join(sorted(ALL_SCOPES))}"
            )
        return sorted(set(scopes))


@dataclass(frozen=True, slots=True)
class ManagedWorkspaceFilters:
    status: WorkspaceStatus | None
    search: str | None


async def managed_workspace_filters(
    status: Annotated[WorkspaceStatus | None, Query()] = None,
    search: Annotated[
        str | None, Query(max_length=200, description="Matches the name or the slug.")
    ] = None,
) -> ManagedWorkspaceFilters:
    return ManagedWorkspaceFilters(status, search)
