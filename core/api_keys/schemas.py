from __future__ import annotations

import ipaddress
from datetime import UTC, datetime
from typing import Literal

from pydantic import Field, field_validator, model_validator

from core.auth.scopes import ALL_SCOPES, unknown_scopes
from core.ratelimit.policy import Tier
from core.schemas import ApiInput, Resource

Environment = Literal["live", "test"]
KeyStatus = Literal["active", "revoked"]


class ApiKeyCreate(ApiInput):
    client_id: str = Field(max_length=40, examples=["cli_3k9x2m4q8w1e5r7t0y6u"])
    name: str = Field(min_length=1, max_length=200)
    scopes: list[str] = Field(min_length=1, max_length=50)
    environment: Environment = "live"
    tier: Tier | None = Field(default=None, description="Defaults to the client's tier.")
    expires_at: datetime | None = None
    expires_in_days: int | None = Field(default=None, ge=1, le=3650)
    rate_limit_override: int | None = Field(
        default=None, ge=1, le=100_000, description="Requests per minute, replacing the tier's."
    )
    ip_allowlist: list[str] = Field(
        default_factory=list, max_length=100, description="IP addresses or CIDR networks."
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "clientId": "cli_3k9x2m4q8w1e5r7t0y6u",
                    "name": "Production key",
                    "scopes": ["leads:read", "leads:write"],
                    "environment": "live",
                    "expiresInDays": 365,
                    "ipAllowlist": ["203.0.113.0/24"],
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

    @field_validator("expires_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        # A timestamp without an offset is read as UTC, like every time in the API.
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value

    @field_validator("ip_allowlist")
    @classmethod
    def _networks(cls, entries: list[str]) -> list[str]:
        networks = []
        for entry in entries:
            try:
                networks.append(str(ipaddress.ip_network(entry.strip(), strict=False)))
            except ValueError as exc:
                raise ValueError(f"'{entry}' is not an IP address or network") from exc
        return networks

    @model_validator(mode="after")
    def _one_expiry(self) -> ApiKeyCreate:
        if self.expires_at is not None and self.expires_in_days is not None:
            raise ValueError("give expiresAt or expiresInDays, not both")
        return self


class ApiKeyRotate(ApiInput):
    grace_period_hours: int | None = Field(
        default=None,
        ge=0,
        le=168,
        description="How long the old secret keeps working (default 24; 0 ends it at once).",
    )

    model_config = {"json_schema_extra": {"examples": [{"gracePeriodHours": 24}]}}


class ApiKeyOut(Resource):
    id: str = Field(examples=["key_4m9q1w3e5r7t0y6u"])
    client_id: str
    name: str
    prefix: str = Field(examples=["hw_live_4m9q1w3e5r7t0y6u"])
    masked_key: str = Field(examples=["hw_live_4m9q1w3e5r7t0y6u_********"])
    environment: Environment
    status: KeyStatus
    scopes: list[str]
    tier: Tier | None
    rate_limit_override: int | None
    ip_allowlist: list[str]
    expires_at: datetime | None
    last_used_at: datetime | None
    previous_secret_expires_at: datetime | None
    revoked_at: datetime | None
    created_at: datetime


class ApiKeyWithSecret(ApiKeyOut):
    key: str = Field(
        description="The full key. It is shown only in this response; store it now.",
        examples=["hw_live_4m9q1w3e5r7t0y6u_Xr8…"],
    )
