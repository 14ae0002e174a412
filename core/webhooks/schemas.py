from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Depends, Query
from pydantic import Field, StringConstraints

from core.filters import CreatedRange, created_range
from core.schemas import ApiInput, ApiModel, ApiPatch, Resource, UtcDateTime, WebUrl

DeliveryStatus = Literal["pending", "succeeded", "dead"]
CircuitState = Literal["closed", "open"]
EventFilter = Annotated[str, StringConstraints(min_length=1, max_length=100, strip_whitespace=True)]

_RETRY_EXAMPLE: dict[str, Any] = {
    "maxRetries": 5,
    "retryDelay": 60,
    "backoffMultiplier": 2,
    "timeout": 10,
}
_CREATE_EXAMPLE: dict[str, Any] = {
    "url": "https://example.com/hooks/hubwire",
    "events": ["lead.*", "call.ended"],
    "description": "CRM bridge",
    "retryConfig": _RETRY_EXAMPLE,
    "maxConcurrency": 5,
    "maxRate": 20,
}
# The operator's settings bound these further (webhook_endpoint_concurrency_max,
# webhook_endpoint_rate_max); the service refuses values above them.
_MAX_CONCURRENCY = Field(
    default=None,
    ge=1,
    le=1000,
    description="Requests in flight to this endpoint at once; null: the operator's default "
    "(10). At most the operator's maximum (100 by default).",
)
_MAX_RATE = Field(
    default=None,
    gt=0,
    le=100_000,
    description="Requests per second this endpoint takes at most; null: no throttle. At most "
    "the operator's maximum (1000 by default).",
)


class RetryConfig(ApiInput):
    """A subscription's own schedule: ``maxRetries`` tries after the first, waiting
    ``retryDelay`` seconds and multiplying the wait by ``backoffMultiplier`` each time
    (one wait is at most 24 h); ``timeout`` seconds per try."""

    max_retries: int = Field(default=3, ge=0, le=20)
    retry_delay: float = Field(default=60, ge=0.1, le=86_400)
    backoff_multiplier: float = Field(default=2, ge=1, le=10)
    timeout: float | None = Field(default=None, ge=0.1, le=60)

    model_config = {"json_schema_extra": {"examples": [_RETRY_EXAMPLE]}}


class RetryConfigOut(ApiModel):
    max_retries: int
    retry_delay: float
    backoff_multiplier: float
    timeout: float | None = None


class WebhookCreate(ApiInput):
    url: WebUrl
    events: list[EventFilter] = Field(
        min_length=1,
        max_length=50,
        description="Event types, `lead.*` for every lead event, or `*` for all of them.",
    )
    description: str | None = Field(default=None, max_length=500)
    active: bool = True
    retry_config: RetryConfig | None = None
    max_concurrency: int | None = _MAX_CONCURRENCY
    max_rate: float | None = _MAX_RATE

    model_config = {"json_schema_extra": {"examples": [_CREATE_EXAMPLE]}}


class WebhookUpdate(ApiPatch):
    not_null = ("url", "events", "active")

    url: WebUrl | None = None
    events: list[EventFilter] | None = Field(default=None, min_length=1, max_length=50)
    description: str | None = Field(default=None, max_length=500)
    active: bool | None = Field(
        default=None, description="`true` re-enables a subscription Hubwire disabled."
    )
    retry_config: RetryConfig | None = Field(
        default=None, description="`null` returns to the default schedule."
    )
    max_concurrency: int | None = _MAX_CONCURRENCY
    max_rate: float | None = _MAX_RATE

    model_config = {
        "json_schema_extra": {"examples": [{"events": ["lead.created"], "active": True}]}
    }


class WebhookHealth(ApiModel):
    success_count: int
    failure_count: int
    success_rate: float | None = Field(
        description="Successful attempts / all attempts, or null before the first attempt."
    )
    consecutive_failures: int
    failing_since: datetime | None
    last_success_at: datetime | None
    last_failure_at: datetime | None
    last_error: str | None


class WebhookCircuit(ApiModel):
    state: CircuitState = Field(
        description="`open`: the endpoint kept timing out or refusing connections; its "
        "deliveries wait (they are not tried, and use none of their retries) while one probe "
        "delivery tests it after a cool-off. An answer of any status closes it."
    )
    reason: str | None = Field(description="Why it opened (the last failure); null if closed.")
    opened_at: datetime | None
    probe_at: datetime | None = Field(description="When the next probe goes out (open only).")
    unreachable_count: int = Field(
        description="Timeouts and connection failures in a row (any answer resets it)."
    )


class WebhookOut(Resource):
    id: str = Field(examples=["wh_4k2m9x1q8w3e5r7t0y6u"])
    url: str
    description: str | None
    events: list[str]
    active: bool
    disabled_reason: str | None = Field(
        description="Why Hubwire switched the subscription off (410, sustained failures)."
    )
    retry_config: RetryConfigOut | None
    max_concurrency: int = Field(description="Requests in flight to this endpoint at once.")
    max_rate: float | None = Field(description="Requests per second at most; null: no throttle.")
    health: WebhookHealth
    circuit: WebhookCircuit
    created_at: datetime
    updated_at: datetime


class WebhookWithSecret(WebhookOut):
    secret: str = Field(
        description="The signing secret (`whsec_…`).",
        examples=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
    )


class WebhookSecretOut(ApiModel):
    secret: str = Field(examples=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"])
    previous_secret: str | None = Field(
        default=None, description="Still signs, alongside `secret`, until it expires."
    )
    previous_secret_expires_at: datetime | None = None


class AttemptOut(ApiModel):
    number: int
    status_code: int | None
    error: str | None
    latency_ms: int
    attempted_at: datetime
    response_body: str | None = Field(
        default=None,
        description="The first 1 KB of the receiver's answer as text (null: no body, or "
        "no answer at all).",
    )


class DeliveryOut(Resource):
    id: str = Field(
        description="Also the `webhook-id` header.", examples=["msg_9x2k4m1q8w3e5r7t0y6u"]
    )
    workspace_id: str = Field(
        description="The workspace whose event it carries (for a partner's subscription, "
        "one of the workspaces it manages).",
        examples=["ws_8f2k1m9x3q7w4e6r5t0y"],
    )
    webhook_id: str | None
    event_id: str | None
    event_type: str
    status: DeliveryStatus
    attempts: int
    response_code: int | None = Field(validation_alias="last_status_code")
    latency_ms: int | None = Field(validation_alias="last_latency_ms")
    error: str | None = Field(validation_alias="last_error")
    next_attempt_at: datetime | None = Field(
        description="When the next try is due (pending deliveries only)."
    )
    created_at: datetime
    completed_at: datetime | None


class DeliveryDetail(DeliveryOut):
    payload: dict[str, Any] = Field(description="The body as sent.")
    attempt_log: list[AttemptOut]


class TestResult(ApiModel):
    delivery_id: str
    success: bool
    attempt: AttemptOut


class RecoverInput(ApiInput):
    since: UtcDateTime = Field(description="Re-send dead deliveries created at or after this.")
    until: UtcDateTime | None = Field(default=None, description="… and before this (exclusive).")

    model_config = {"json_schema_extra": {"examples": [{"since": "2026-01-05T00:00:00Z"}]}}


class RecoverOut(ApiModel):
    recovered: int = Field(description="How many deliveries were queued again.")


@dataclass(frozen=True, slots=True)
class WebhookFilters:
    active: bool | None
    created: CreatedRange


async def webhook_filters(
    created: Annotated[CreatedRange, Depends(created_range)],
    active: Annotated[bool | None, Query()] = None,
) -> WebhookFilters:
    return WebhookFilters(active, created)


@dataclass(frozen=True, slots=True)
class DeliveryFilters:
    status: DeliveryStatus | None
    event_type: str | None
    created: CreatedRange


async def delivery_filters(
    created: Annotated[CreatedRange, Depends(created_range)],
    status: Annotated[DeliveryStatus | None, Query()] = None,
    event_type: Annotated[str | None, Query(alias="eventType", max_length=100)] = None,
) -> DeliveryFilters:
    return DeliveryFilters(status, event_type, created)
