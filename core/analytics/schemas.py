"""Analytics over a workspace's leads, calls and chats for a period (seed 002's period stats)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import Query
from pydantic import Field

from core.schemas import ApiModel, UtcDateTime
from core.timeseries import GroupBy, check_grouping, resolve_range

LEAD_STATUSES: tuple[str, ...] = ("new", "contacted", "qualified", "converted", "rejected")
UNKNOWN = "unknown"

APPOINTMENT_STATUSES: tuple[str, ...] = (
    "scheduled",
    "rescheduled",
    "canceled",
    "completed",
    "no_show",
)
_APPOINTMENT_STATUS_EXAMPLE: dict[str, Any] = {
    "scheduled": 6,
    "rescheduled": 3,
    "canceled": 4,
    "completed": 10,
    "no_show": 2,
}

_PAYMENT_EXAMPLE: dict[str, Any] = {
    "total": 12,
    "byStatus": {
        "pending": 1,
        "succeeded": 8,
        "failed": 1,
        "refunded": 1,
        "partially_refunded": 1,
    },
    "revenue": {"EUR": 48200, "USD": 9900},
    "refunded": {"EUR": 6400},
    "bySource": {"stripe": {"EUR": 39300, "USD": 9900}, "api": {"EUR": 8900}},
}

_PERIOD_EXAMPLE: dict[str, Any] = {
    "dateFrom": "2026-01-01T00:00:00Z",
    "dateTo": "2026-01-31T00:00:00Z",
}
_LEAD_STATUS_EXAMPLE: dict[str, Any] = {
    "new": 12,
    "contacted": 8,
    "qualified": 5,
    "converted": 3,
    "rejected": 2,
}


@dataclass(frozen=True, slots=True)
class Period:
    """A resolved ``[start, end)`` range in UTC."""

    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class Series:
    period: Period
    group_by: GroupBy


_DATE_FROM = (
    "Start of the period, inclusive: an ISO 8601 datetime or date (UTC when no offset is "
    "given). Default: 30 days before `dateTo`."
)
_DATE_TO = "End of the period, exclusive (ISO 8601, UTC when no offset). Default: now."


async def period_params(
    date_from: Annotated[
        UtcDateTime | None, Query(alias="dateFrom", description=_DATE_FROM)
    ] = None,
    date_to: Annotated[UtcDateTime | None, Query(alias="dateTo", description=_DATE_TO)] = None,
) -> Period:
    start, end = resolve_range(date_from, date_to)
    return Period(start, end)


async def series_params(
    date_from: Annotated[
        UtcDateTime | None, Query(alias="dateFrom", description=_DATE_FROM)
    ] = None,
    date_to: Annotated[UtcDateTime | None, Query(alias="dateTo", description=_DATE_TO)] = None,
    group_by: Annotated[
        GroupBy,
        Query(
            alias="groupBy",
            description="Bucket size (UTC). `hour` allows a period of at most 31 days.",
        ),
    ] = "day",
) -> Series:
    start, end = resolve_range(date_from, date_to)
    check_grouping(start, end, group_by)
    return Series(Period(start, end), group_by)


class PeriodOut(ApiModel):
    date_from: datetime = Field(examples=["2026-01-01T00:00:00Z"])
    date_to: datetime = Field(examples=["2026-01-31T00:00:00Z"])


class LeadStats(ApiModel):
    total: int = Field(examples=[30])
    by_status: dict[str, int] = Field(
        description="Every lead status, zero when none.", examples=[_LEAD_STATUS_EXAMPLE]
    )
    by_source: dict[str, int] = Field(
        description=("The 50 most frequent sources; leads without a source count under `unknown`."),
        examples=[{"website": 20, "referral": 7, "unknown": 3}],
    )
    conversion_rate: float = Field(
        description="Converted leads over all leads of the period (0 when there are none).",
        examples=[0.1],
    )


class CallStats(ApiModel):
    total: int = Field(description="Calls started in the period.", examples=[40])
    by_status: dict[str, int] = Field(examples=[{"ended": 31, "failed": 4, "in_progress": 5}])
    by_outcome: dict[str, int] = Field(
        description="Calls without an outcome count under `unknown`.",
        examples=[{"booked": 9, "voicemail": 12, "unknown": 19}],
    )
    average_duration_seconds: float | None = Field(
        description="Over calls with a duration; null when none has one.", examples=[184.5]
    )
    total_duration_seconds: int = Field(examples=[5720])


class AppointmentStats(ApiModel):
    booked: int = Field(description="Appointments booked in the period.", examples=[25])
    by_status: dict[str, int] = Field(
        description="Their current status; every status, zero when none.",
        examples=[_APPOINTMENT_STATUS_EXAMPLE],
    )
    canceled: int = Field(description="Of those, how many are canceled.", examples=[4])
    no_show_rate: float = Field(
        description=(
            "No-shows over appointments that took place (`completed` plus `no_show`); "
            "0 when none did."
        ),
        examples=[0.1667],
    )


class PaymentStats(ApiModel):
    total: int = Field(description="Payments made in the period (`occurredAt`).", examples=[12])
    by_status: dict[str, int] = Field(description="Every payment status, zero when none.")
    revenue: dict[str, int] = Field(
        description=(
            "Per currency, in minor units: what the paid payments kept, net of refunds. "
            "Currencies are never added together."
        )
    )
    refunded: dict[str, int] = Field(description="Per currency, the amounts refunded.")
    by_source: dict[str, dict[str, int]] = Field(
        description="Net revenue per provider (`api`, `stripe`…), then per currency."
    )


class ChatStats(ApiModel):
    sessions: int = Field(description="Chat sessions opened in the period.", examples=[14])
    messages: int = Field(description="Chat messages sent in the period.", examples=[162])


class AnalyticsSummary(ApiModel):
    period: PeriodOut
    leads: LeadStats
    calls: CallStats
    chat: ChatStats
    appointments: AppointmentStats
    payments: PaymentStats

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "period": _PERIOD_EXAMPLE,
                    "leads": {
                        "total": 30,
                        "byStatus": _LEAD_STATUS_EXAMPLE,
                        "bySource": {"website": 20, "referral": 7, "unknown": 3},
                        "conversionRate": 0.1,
                    },
                    "calls": {
                        "total": 40,
                        "byStatus": {"ended": 31, "failed": 4, "in_progress": 5},
                        "byOutcome": {"booked": 9, "voicemail": 12, "unknown": 19},
                        "averageDurationSeconds": 184.5,
                        "totalDurationSeconds": 5720,
                    },
                    "chat": {"sessions": 14, "messages": 162},
                    "appointments": {
                        "booked": 25,
                        "byStatus": _APPOINTMENT_STATUS_EXAMPLE,
                        "canceled": 4,
                        "noShowRate": 0.1667,
                    },
                    "payments": _PAYMENT_EXAMPLE,
                }
            ]
        }
    }


class LeadBucket(ApiModel):
    time: str = Field(
        description="`2026-01-01` (day) or `2026-01-01T10:00:00Z` (hour), UTC.",
        examples=["2026-01-15"],
    )
    total: int = Field(examples=[4])
    by_status: dict[str, int] = Field(
        description="Every lead status, zero when none.",
        examples=[{"new": 2, "contacted": 1, "qualified": 1, "converted": 0, "rejected": 0}],
    )


class LeadSeries(ApiModel):
    period: PeriodOut
    group_by: GroupBy
    series: list[LeadBucket] = Field(
        description="One bucket per hour or day of the period, in order, empty ones included."
    )


class CallBucket(ApiModel):
    time: str = Field(
        description="`2026-01-01` (day) or `2026-01-01T10:00:00Z` (hour), UTC.",
        examples=["2026-01-15"],
    )
    total: int = Field(description="Calls started in the bucket.", examples=[6])
    ended: int = Field(examples=[5])
    failed: int = Field(examples=[1])
    average_duration_seconds: float | None = Field(
        description="Over calls with a duration; null when none has one.", examples=[172.4]
    )


class CallSeries(ApiModel):
    period: PeriodOut
    group_by: GroupBy
    series: list[CallBucket] = Field(
        description="One bucket per hour or day of the period, in order, empty ones included."
    )


class AgentStats(ApiModel):
    agent_id: str = Field(examples=["agent_7q2k8x9m1w3e5r4t0y6u"])
    name: str = Field(examples=["Grace Hopper"])
    kind: str = Field(examples=["human"])
    status: str = Field(examples=["active"])
    calls: int = Field(
        description="Calls the agent took that started in the period.", examples=[12]
    )
    talk_time_seconds: int = Field(
        description="The sum of those calls' durations (calls without one count 0).",
        examples=[2210],
    )
    analysed_calls: int = Field(
        description="Of those calls, how many have a succeeded analysis.", examples=[9]
    )
    average_score: float | None = Field(
        description="The mean 0-10 score of each analysed call's latest analysis; null when "
        "none was analysed.",
        examples=[7.42],
    )
    leads_called: int = Field(
        description="Distinct leads the agent's calls of the period reached.", examples=[10]
    )
    leads_converted: int = Field(
        description="Of those leads, how many are `converted`.", examples=[3]
    )
    conversion_rate: float = Field(
        description="`leadsConverted / leadsCalled` (0 when no lead was called).", examples=[0.3]
    )


class AgentAnalytics(ApiModel):
    period: PeriodOut
    agents: list[AgentStats] = Field(
        description="Every agent with a call in the period, and every active agent (with zeros), "
        "the busiest first."
    )
    unassigned_calls: int = Field(
        description="Calls of the period that name no agent.", examples=[4]
    )


class RevenueBucket(ApiModel):
    time: str = Field(
        description="`2026-01-01` (day) or `2026-01-01T10:00:00Z` (hour), UTC.",
        examples=["2026-01-15"],
    )
    payments: int = Field(description="Paid payments made in the bucket.", examples=[3])
    revenue: dict[str, int] = Field(
        description="Per currency, minor units net of refunds; empty when none.",
        examples=[{"EUR": 14700}],
    )


class RevenueSeries(ApiModel):
    period: PeriodOut
    group_by: GroupBy
    series: list[RevenueBucket] = Field(
        description="One bucket per hour or day of the period, in order, empty ones included."
    )
