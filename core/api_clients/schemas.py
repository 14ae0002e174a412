from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Query
from pydantic import AliasChoices, EmailStr, Field, field_validator

from core.auth.scopes import unknown_scopes
from core.ratelimit.policy import Tier
from core.schemas import ApiInput, ApiModel, Resource, WebUrl

ClientStatus = Literal["active", "suspended"]
Metadata = Annotated[dict[str, Any], Field(max_length=50)]


def _check_scopes(scopes: list[str] | None) -> list[str] | None:
    if scopes is None:
        return None
    unknown = unknown_scopes(scopes)
    if unknown:
        raise ValueError(f"unknown scope(s): {', '.join(unknown)}")
    return sorted(set(scopes))


class ApiClientCreate(ApiInput):
    name: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    website: WebUrl | None = None
    logo_url: WebUrl | None = None
    contact_email: EmailStr
    redirect_uris: list[WebUrl] = Field(default_factory=list, max_length=20)
    rate_limit_tier: Tier = "basic"
    scopes: list[str] = Field(default_factory=list, max_length=50)
    metadata: Metadata = Field(default_factory=dict)

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "name": "Acme CRM bridge",
                    "description": "Syncs leads into Acme",
                    "website": "https://acme.example",
                    "contactEmail": "dev@acme.example",
                    "rateLimitTier": "standard",
                    "scopes": ["leads:read", "leads:write"],
                }
            ]
        }
    }

    _scopes = field_validator("scopes")(_check_scopes)


class ApiClientUpdate(ApiInput):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    website: WebUrl | None = None
    logo_url: WebUrl | None = None
    contact_email: EmailStr | None = None
    redirect_uris: list[WebUrl] | None = Field(default=None, max_length=20)
    status: ClientStatus | None = None
    rate_limit_tier: Tier | None = None
    scopes: list[str] | None = Field(default=None, max_length=50)
    metadata: Metadata | None = None

    model_config = {"json_schema_extra": {"examples": [{"rateLimitTier": "premium"}]}}

    _scopes = field_validator("scopes")(_check_scopes)


class ApiClientOut(Resource):
    id: str = Field(examples=["cli_3k9x2m4q8w1e5r7t0y6u"])
    name: str
    description: str | None
    website: str | None
    logo_url: str | None
    contact_email: str
    redirect_uris: list[str]
    status: ClientStatus
    rate_limit_tier: Tier
    scopes: list[str]
    metadata: dict[str, Any] = Field(validation_alias=AliasChoices("extra", "metadata"))
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class ApiClientFilters:
    status: ClientStatus | None
    rate_limit_tier: Tier | None
    contact_email: str | None
    search: str | None


async def api_client_filters(
    status: Annotated[ClientStatus | None, Query()] = None,
    rate_limit_tier: Annotated[Tier | None, Query(alias="rateLimitTier")] = None,
    contact_email: Annotated[str | None, Query(alias="contactEmail", max_length=320)] = None,
    search: Annotated[
        str | None, Query(max_length=200, description="Matches name or contact email.")
    ] = None,
) -> ApiClientFilters:
    return ApiClientFilters(status, rate_limit_tier, contact_email, search)


class KeyCounts(ApiModel):
    total: int
    active: int
    revoked: int
    expired: int


class UsageWindow(ApiModel):
    requests: int
    errors: int
    average_response_time_ms: float


class RateLimitInfo(ApiModel):
    tier: Tier
    requests_per_minute: int
    requests_per_hour: int
    requests_per_day: int
    burst: int


class ApiClientDashboard(ApiModel):
    client: ApiClientOut
    keys: KeyCounts
    usage_last_24_hours: UsageWindow
    usage_last_30_days: UsageWindow
    rate_limit: RateLimitInfo
