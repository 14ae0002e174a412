from __future__ import annotations

from datetime import datetime

from pydantic import Field

from core.schemas import ApiModel


class EndpointUsage(ApiModel):
    endpoint: str = Field(examples=["/v1/leads"])
    method: str = Field(examples=["GET"])
    count: int
    avg_response_time: float = Field(description="Milliseconds.")


class TimeBucket(ApiModel):
    time: str = Field(examples=["2026-01-15"])
    count: int
    errors: int


class ErrorCount(ApiModel):
    status_code: int = Field(examples=[400])
    count: int


class UsageStatistics(ApiModel):
    date_from: str
    date_to: str
    group_by: str
    total_requests: int
    successful_requests: int
    failed_requests: int
    rate_limited_requests: int
    average_response_time: float = Field(description="Milliseconds.")
    requests_by_endpoint: list[EndpointUsage]
    requests_by_time: list[TimeBucket]
    top_error_codes: list[ErrorCount]


# The workspace-wide series of the dashboard (not part of the public API).

STATUS_CLASSES = ("2xx", "3xx", "4xx", "429", "5xx")
OTHER_ENDPOINTS = "other"


class RequestTotals(ApiModel):
    requests: int
    failed: int = Field(description="Status 400 and above.")


class HourlyRequests(ApiModel):
    hour: datetime = Field(description="The start of the hour, UTC.")
    requests: int
    failed: int = Field(description="Status 400 and above.")
    rate_limited: int = Field(description="Status 429.")


class TimelineHour(HourlyRequests):
    by_endpoint: dict[str, int] = Field(
        description="Requests per series of ``UsageTimeline.endpoints``, every one present."
    )
    by_status: dict[str, int] = Field(
        description="Requests per status class (2xx, 3xx, 4xx but 429, 429, 5xx)."
    )


class UsageTimeline(ApiModel):
    start: datetime
    end: datetime
    endpoints: list[str] = Field(
        description="The series, busiest first: ``METHOD /route``, then ``other`` for the "
        "endpoints beyond the top ones (when there are any)."
    )
    statuses: list[str] = Field(default_factory=lambda: list(STATUS_CLASSES))
    hours: list[TimelineHour] = Field(description="Every hour that [start, end) touches.")
    endpoint_totals: dict[str, int]
    status_totals: dict[str, int]
    requests: int
