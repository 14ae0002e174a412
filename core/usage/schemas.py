from __future__ import annotations

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
