from __future__ import annotations

from typing import Any

from pydantic import Field

from core.schemas import ApiModel


class TierLimitsOut(ApiModel):
    requests_per_minute: int = Field(examples=[120])
    requests_per_hour: int = Field(examples=[5_000])
    requests_per_day: int = Field(examples=[50_000])
    burst: int = Field(description="Requests allowed within one second.", examples=[20])


class RateLimitTiers(ApiModel):
    basic: TierLimitsOut
    standard: TierLimitsOut
    premium: TierLimitsOut
    enterprise: TierLimitsOut


class CurrentLimits(TierLimitsOut):
    tier: str = Field(examples=["standard"])
    override: int | None = Field(
        description=(
            "The credential's own requests-per-minute limit, if set. It replaces the tier's "
            "per-minute limit and scales the burst, hourly and daily limits in proportion."
        ),
        examples=[None],
    )


_TIER_EXAMPLE: dict[str, Any] = {
    "basic": {
        "requestsPerMinute": 60,
        "requestsPerHour": 1000,
        "requestsPerDay": 10000,
        "burst": 10,
    },
    "standard": {
        "requestsPerMinute": 120,
        "requestsPerHour": 5000,
        "requestsPerDay": 50000,
        "burst": 20,
    },
    "premium": {
        "requestsPerMinute": 300,
        "requestsPerHour": 15000,
        "requestsPerDay": 150000,
        "burst": 50,
    },
    "enterprise": {
        "requestsPerMinute": 600,
        "requestsPerHour": 50000,
        "requestsPerDay": 500000,
        "burst": 100,
    },
}


class RateLimitsOut(ApiModel):
    data: RateLimitTiers = Field(description="The limits of every tier.")
    current: CurrentLimits = Field(description="The limits that apply to the calling credential.")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "data": _TIER_EXAMPLE,
                    "current": {
                        "tier": "standard",
                        "requestsPerMinute": 120,
                        "requestsPerHour": 5000,
                        "requestsPerDay": 50000,
                        "burst": 20,
                        "override": None,
                    },
                }
            ]
        }
    }
