from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import Depends, Query
from pydantic import Field, StringConstraints, field_validator

from core.errors import InvalidRequest
from core.filters import CreatedRange, created_range
from core.schemas import ApiInput, ApiModel, ApiPatch, Resource, WebUrl

ConnectionStatus = Literal["pending", "active", "paused", "error", "reauthorization_required"]
LogKind = Literal["push", "pull", "webhook", "auth", "test"]
LogLevel = Literal["info", "warning", "error"]
MAX_STATS_DAYS = 366
MAX_SETTINGS = 50
MAX_FIELD_MAPPINGS = 200

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,31}$")]
FieldName = Annotated[str, StringConstraints(min_length=1, max_length=100, strip_whitespace=True)]
SettingName = Annotated[str, StringConstraints(min_length=1, max_length=64)]

_CONNECTION_EXAMPLE: dict[str, Any] = {
    "id": "conn_7x2k9m4q1w8e3r6t5y0u",
    "connector": "hubspot",
    "name": "Sales HubSpot",
    "status": "active",
    "accountId": "62515",
    "concurrencyLimit": 2,
    "fieldMapping": {"company": "company_name"},
    "settings": {},
    "lastError": None,
    "activatedAt": "2026-01-05T09:31:12Z",
    "lastSyncedAt": "2026-01-05T10:00:03Z",
    "createdAt": "2026-01-05T09:30:00Z",
    "updatedAt": "2026-01-05T10:00:03Z",
}


def _bounded_settings(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is not None and len(value) > MAX_SETTINGS:
        raise ValueError(f"at most {MAX_SETTINGS} settings")
    return value


class ConnectionCreate(ApiInput):
    connector: Slug = Field(description="The connector's slug (see `GET /v1/connectors`).")
    name: str | None = Field(default=None, max_length=200)
    redirect_url: WebUrl | None = Field(
        default=None,
        description="OAuth connectors: where the browser is sent after the consent, with "
        "`?connection=<id>&status=active|denied|error` added. Without it the callback shows "
        "a small page.",
    )
    api_key: str | None = Field(
        default=None,
        min_length=1,
        max_length=2000,
        repr=False,
        description="API-key connectors: the key, checked with the provider before the "
        "connection is saved (stored encrypted, never shown again).",
    )
    settings: dict[SettingName, Any] = Field(
        default_factory=dict, description="The connector's non-secret options."
    )
    concurrency_limit: int = Field(
        default=2, ge=1, le=10, description="How many sync steps may run at once (1-10)."
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "connector": "hubspot",
                    "name": "Sales HubSpot",
                    "redirectUrl": "https://app.example.com/integrations/done",
                }
            ]
        }
    }

    _settings_bound = field_validator("settings")(_bounded_settings)


class ConnectionUpdate(ApiPatch):
    not_null = ("status", "concurrency_limit", "field_mapping", "settings")

    name: str | None = Field(default=None, max_length=200)
    status: Literal["active", "paused"] | None = Field(
        default=None,
        description="`paused` stops syncing (work keeps queueing); `active` resumes and "
        "pushes what queued meanwhile.",
    )
    concurrency_limit: int | None = Field(default=None, ge=1, le=10)
    field_mapping: dict[FieldName, FieldName] | None = Field(
        default=None,
        description="Hubwire field -> provider field overrides; replaces the whole mapping.",
    )
    settings: dict[SettingName, Any] | None = Field(
        default=None, description="Replaces the connector's options."
    )

    model_config = {
        "json_schema_extra": {
            "examples": [{"status": "paused", "concurrencyLimit": 4, "fieldMapping": {}}]
        }
    }

    _settings_bound = field_validator("settings")(_bounded_settings)

    @field_validator("field_mapping")
    @classmethod
    def _bounded_mapping(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        if value is not None and len(value) > MAX_FIELD_MAPPINGS:
            raise ValueError(f"at most {MAX_FIELD_MAPPINGS} field mappings")
        return value


class ConnectionOut(Resource):
    """A connection as the API shows it: never its credentials."""

    id: str = Field(examples=["conn_7x2k9m4q1w8e3r6t5y0u"])
    connector: str = Field(examples=["hubspot"])
    name: str | None
    status: ConnectionStatus = Field(
        description="`pending` (waiting for consent), `active`, `paused`, `error` "
        "(the credentials stopped working: connect again), or `reauthorization_required` "
        "(the provider revoked the grant, e.g. the app was uninstalled: connect again)."
    )
    account_id: str | None = Field(description="The provider account (HubSpot's portal id).")
    concurrency_limit: int
    field_mapping: dict[str, str]
    settings: dict[str, Any]
    last_error: str | None
    activated_at: datetime | None
    last_synced_at: datetime | None
    created_at: datetime
    updated_at: datetime

    model_config = {"json_schema_extra": {"examples": [_CONNECTION_EXAMPLE]}}


class ConnectionCreated(ConnectionOut):
    authorize_url: str | None = Field(
        description="OAuth connectors: send the user here to consent (null for API keys).",
        examples=["https://app.hubspot.com/oauth/authorize?response_type=code&client_id=…"],
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    **_CONNECTION_EXAMPLE,
                    "status": "pending",
                    "accountId": None,
                    "activatedAt": None,
                    "lastSyncedAt": None,
                    "authorizeUrl": "https://app.hubspot.com/oauth/authorize?response_type="
                    "code&client_id=…&redirect_uri=…&scope=…&state=…&code_challenge=…"
                    "&code_challenge_method=S256",
                }
            ]
        }
    }


class ReconnectRequest(ApiInput):
    """What ``POST /v1/connections/{connectionId}/reconnect`` may say (the body is optional)."""

    redirect_url: WebUrl | None = Field(
        default=None,
        description="Where the browser is sent after the consent, as when connecting.",
    )

    model_config = {
        "json_schema_extra": {"examples": [{"redirectUrl": "https://app.example/integrations"}]}
    }


class SyncRequest(ApiInput):
    """What ``POST /v1/connections/{connectionId}/sync`` may say (the body is optional)."""

    full: bool = Field(
        default=False,
        description="Pull from the beginning instead of the stored cursor, and queue every "
        "lead and call of the workspace for a push (those already in sync are skipped "
        "without a provider call), as `hubwire sync run --full` does. What a new connection "
        "does by itself once.",
    )
    object: str | None = Field(
        default=None,
        max_length=64,
        description="Only this provider object (one of the connector's objects, e.g. `contact`).",
        examples=["contact"],
    )

    model_config = {"json_schema_extra": {"examples": [{"full": True}]}}


class ConnectionTestOut(ApiModel):
    ok: bool = Field(description="Whether the provider accepted the credentials.")
    account: str | None = Field(description="The provider account, when it said.")
    detail: str = Field(examples=["the API key was refused"])
    latency_ms: int = Field(description="How long the check took.")


class SyncLogOut(Resource):
    id: str = Field(examples=["log_2m9x4k1q8w3e5r7t0y6u"])
    connection_id: str
    level: LogLevel
    kind: LogKind = Field(
        description="`push`/`pull`: a sync step; `webhook`: a provider webhook; `auth`: "
        "connected or token refresh; `test`: `POST …/test`."
    )
    object_type: str | None
    processed: int
    failed: int
    provider_calls: int
    duration_ms: int
    message: str
    created_at: datetime


class ConnectionMetrics(ApiModel):
    records_pushed: int = Field(description="Records pushed to the provider (all time).")
    records_pulled: int = Field(description="Records pulled from the provider (all time).")
    failed: int = Field(description="Records whose push or pull failed.")
    provider_calls: int = Field(description="HTTP calls made to the provider.")
    pending_items: int = Field(description="Push work waiting (e.g. while paused).")
    failed_items: int = Field(description="Push work that gave up after its retries.")
    last_synced_at: datetime | None
    error_rate: float | None = Field(
        description="failed / (pushed + pulled + failed), or null before any sync step."
    )
    average_duration_ms: float | None = Field(description="Mean duration of a sync step.")
    daily_allowance_used: float | None = Field(
        default=None,
        description="Share of the provider's daily request allowance (a rate limit of the "
        "connector over 24 h, e.g. Salesforce's) the calls of the last 24 h used; null when "
        "the connector has none.",
    )


class SyncTotals(ApiModel):
    pushed: int
    pulled: int
    failed: int
    provider_calls: int


class SyncDay(SyncTotals):
    date: date


class ConnectionPeriodStats(ApiModel):
    connection_id: str
    start_date: date
    end_date: date
    days: list[SyncDay] = Field(description="Every day of the period, zeros included.")
    totals: SyncTotals


class ConnectionTotals(ApiModel):
    connection_id: str
    connector: str
    name: str | None
    totals: SyncTotals


class ConnectionsPeriodStats(ApiModel):
    start_date: date
    end_date: date
    connections: int = Field(description="How many connections the workspace has.")
    days: list[SyncDay] = Field(description="Summed over every connection.")
    totals: SyncTotals
    per_connection: list[ConnectionTotals]


@dataclass(frozen=True, slots=True)
class StatsPeriod:
    """Whole UTC days, ``start`` to ``end`` inclusive."""

    start: date
    end: date

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


async def stats_period(
    start_date: Annotated[
        date, Query(alias="startDate", description="First day (YYYY-MM-DD, UTC), inclusive.")
    ],
    end_date: Annotated[
        date, Query(alias="endDate", description="Last day (YYYY-MM-DD, UTC), inclusive.")
    ],
) -> StatsPeriod:
    if end_date < start_date:
        raise InvalidRequest("endDate must not be before startDate.", details={"param": "endDate"})
    if end_date >= date.max:
        raise InvalidRequest("endDate is out of range.", details={"param": "endDate"})
    if (end_date - start_date).days + 1 > MAX_STATS_DAYS:
        raise InvalidRequest(
            f"The period may span at most {MAX_STATS_DAYS} days.",
            details={"param": "endDate", "maxDays": MAX_STATS_DAYS},
        )
    return StatsPeriod(start_date, end_date)


@dataclass(frozen=True, slots=True)
class ConnectionFilters:
    connector: str | None
    status: ConnectionStatus | None
    created: CreatedRange


async def connection_filters(
    created: Annotated[CreatedRange, Depends(created_range)],
    connector: Annotated[str | None, Query(max_length=32)] = None,
    status: Annotated[ConnectionStatus | None, Query()] = None,
) -> ConnectionFilters:
    return ConnectionFilters(connector, status, created)


@dataclass(frozen=True, slots=True)
class LogFilters:
    kind: LogKind | None
    level: LogLevel | None
    created: CreatedRange


async def log_filters(
    created: Annotated[CreatedRange, Depends(created_range)],
    kind: Annotated[LogKind | None, Query()] = None,
    level: Annotated[LogLevel | None, Query()] = None,
) -> LogFilters:
    return LogFilters(kind, level, created)
