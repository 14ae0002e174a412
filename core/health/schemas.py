from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from core.schemas import ApiModel

CheckStatus = Literal["ok", "fail", "not_configured"]


class Check(ApiModel):
    status: CheckStatus = Field(examples=["ok"])
    latency_ms: float | None = Field(
        default=None, description="Absent when the dependency is not configured.", examples=[1.42]
    )
    error: str | None = Field(
        default=None,
        description="Present when the check failed: `timeout` or `unavailable`.",
        examples=["timeout"],
    )


class HealthChecks(ApiModel):
    database: Check
    redis: Check = Field(description="`not_configured` in embedded mode (no Redis).")


_EXAMPLE: dict[str, Any] = {
    "status": "ok",
    "version": "0.1.0",
    "time": "2026-01-15T10:30:00Z",
    "checks": {
        "database": {"status": "ok", "latencyMs": 1.42},
        "redis": {"status": "ok", "latencyMs": 0.61},
    },
}


class HealthReport(ApiModel):
    status: Literal["ok", "degraded"] = Field(
        description="`degraded` when a configured dependency failed its check."
    )
    version: str = Field(examples=["0.1.0"])
    time: datetime = Field(description="Server time (UTC).")
    checks: HealthChecks

    model_config = {"json_schema_extra": {"examples": [_EXAMPLE]}}

    @property
    def healthy(self) -> bool:
        return self.status == "ok"
