"""The usage service's workspace-wide hourly series (what the dashboard charts), on SQLite
and PostgreSQL: requests per hour by endpoint and status class, per key, and since a time."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy import insert

from core.container import Services
from core.database import utcnow
from core.usage.models import UsageLog
from core.usage.service import status_class, usage
from tests.conftest import Tenant

# (minutes after the first hour, method, endpoint, status, key, how many)
Row = tuple[int, str, str, int, str | None, int]


async def _log(services: Services, tenant: Tenant, start: datetime, rows: list[Row]) -> None:
    async with services.db.session() as session:
        await session.execute(
            insert(UsageLog),
            [
                {
                    "timestamp": start + timedelta(minutes=minutes),
                    "workspace_id": tenant.id,
                    "client_id": tenant.client_id,
                    "key_id": key_id,
                    "request_id": f"req_{minutes}_{method}_{endpoint}_{status}_{n}",
                    "method": method,
                    "endpoint": endpoint,
                    "status_code": status,
                    "response_time_ms": 5.0,
                }
                for minutes, method, endpoint, status, key_id, count in rows
                for n in range(count)
            ],
        )


@pytest.fixture
def first_hour() -> datetime:
    """The start of the hour three hours ago: the series below spans three whole hours."""
    return utcnow().replace(minute=0, second=0, microsecond=0) - timedelta(hours=3)


@pytest.fixture
async def traffic(services: Services, tenant: Tenant, first_hour: datetime) -> Tenant:
    await _log(
        services,
        tenant,
        first_hour,
        [
            (-1, "GET", "/v1/leads", 200, None, 4),  # before the range
            (5, "GET", "/v1/leads", 200, "key_a", 3),
            (10, "GET", "/v1/leads", 304, "key_a", 1),
            (15, "POST", "/v1/leads", 201, "key_b", 2),
            (20, "POST", "/v1/leads", 422, "key_b", 1),
            (70, "GET", "/v1/leads/{lead_id}", 404, "key_a", 2),
            (75, "GET", "/v1/calls", 429, "key_a", 5),
            (80, "GET", "/v1/calls", 503, None, 1),
            (179, "GET", "/v1/chats", 200, "key_b", 1),
            (180, "GET", "/v1/leads", 200, None, 6),  # at the end of the range: outside
        ],
    )
    return tenant


def test_status_classes() -> None:
    assert [status_class(s) for s in (200, 204, 301, 304, 400, 404, 429, 500, 503)] == [
        "2xx",
        "2xx",
        "3xx",
        "3xx",
        "4xx",
        "4xx",
        "429",
        "5xx",
        "5xx",
    ]


async def test_the_timeline_counts_every_hour_by_endpoint_and_status_class(
    services: Services, traffic: Tenant, first_hour: datetime
) -> None:
    end = first_hour + timedelta(hours=3)
    async with services.db.session() as session:
        timeline = await usage.timeline(session, workspace_id=traffic.id, start=first_hour, end=end)
    assert [h.hour for h in timeline.hours] == [first_hour + timedelta(hours=n) for n in range(3)]
    assert timeline.requests == 16
    # Busiest first, ties by name; fewer endpoints than the top six: no "other".
    assert timeline.endpoints == [
        "GET /v1/calls",
        "GET /v1/leads",
        "POST /v1/leads",
        "GET /v1/leads/{lead_id}",
        "GET /v1/chats",
    ]
    assert timeline.endpoint_totals == {
        "GET /v1/calls": 6,
        "GET /v1/leads": 4,
        "POST /v1/leads": 3,
        "GET /v1/leads/{lead_id}": 2,
        "GET /v1/chats": 1,
    }
    assert timeline.statuses == ["2xx", "3xx", "4xx", "429", "5xx"]
    assert timeline.status_totals == {"2xx": 6, "3xx": 1, "4xx": 3, "429": 5, "5xx": 1}
    first, second, third = timeline.hours
    assert first.by_endpoint == {
        "GET /v1/calls": 0,
        "GET /v1/leads": 4,
        "POST /v1/leads": 3,
        "GET /v1/leads/{lead_id}": 0,
        "GET /v1/chats": 0,
    }
    assert first.by_status == {"2xx": 5, "3xx": 1, "4xx": 1, "429": 0, "5xx": 0}
    assert (first.requests, first.failed, first.rate_limited) == (7, 1, 0)
    assert second.by_status == {"2xx": 0, "3xx": 0, "4xx": 2, "429": 5, "5xx": 1}
    assert (second.requests, second.failed, second.rate_limited) == (8, 8, 5)
    assert third.by_endpoint["GET /v1/chats"] == 1 and third.requests == 1


async def test_the_timeline_folds_the_quieter_endpoints_into_other(
    services: Services, traffic: Tenant, first_hour: datetime
) -> None:
    async with services.db.session() as session:
        timeline = await usage.timeline(
            session,
            workspace_id=traffic.id,
            start=first_hour,
            end=first_hour + timedelta(hours=3),
            top_endpoints=2,
        )
    assert timeline.endpoints == ["GET /v1/calls", "GET /v1/leads", "other"]
    assert timeline.endpoint_totals == {"GET /v1/calls": 6, "GET /v1/leads": 4, "other": 6}
    assert [h.by_endpoint["other"] for h in timeline.hours] == [3, 2, 1]
    assert all(sum(h.by_endpoint.values()) == h.requests for h in timeline.hours)


async def test_an_empty_timeline_still_has_its_hours(
    services: Services, tenant: Tenant, make_tenant: Callable[[], Awaitable[Tenant]]
) -> None:
    end = utcnow()
    other = await make_tenant()
    await _log(services, other, end - timedelta(minutes=5), [(0, "GET", "/v1/leads", 200, None, 3)])
    async with services.db.session() as session:
        timeline = await usage.timeline(
            session, workspace_id=tenant.id, start=end - timedelta(hours=24), end=end
        )
    assert len(timeline.hours) in (24, 25)  # 25 unless the range starts on the hour
    assert timeline.endpoints == [] and timeline.requests == 0
    assert all(h.requests == 0 and h.by_endpoint == {} for h in timeline.hours)
    assert all(set(h.by_status.values()) == {0} for h in timeline.hours)


async def test_hourly_lists_the_hours_with_requests_of_the_workspace_or_one_key(
    services: Services, traffic: Tenant, first_hour: datetime
) -> None:
    end = first_hour + timedelta(hours=3)
    async with services.db.session() as session:
        workspace = await usage.hourly(session, workspace_id=traffic.id, start=first_hour, end=end)
        key_a = await usage.hourly(
            session, workspace_id=traffic.id, start=first_hour, end=end, key_id="key_a"
        )
        unbounded = await usage.hourly(session, workspace_id=traffic.id, start=first_hour)
        other = await usage.hourly(session, workspace_id="ws_nope", start=first_hour)
    hours = [first_hour + timedelta(hours=n) for n in range(4)]
    assert [(h.hour, h.requests, h.failed, h.rate_limited) for h in workspace] == [
        (hours[0], 7, 1, 0),
        (hours[1], 8, 8, 5),
        (hours[2], 1, 0, 0),
    ]
    assert [(h.hour, h.requests, h.failed, h.rate_limited) for h in key_a] == [
        (hours[0], 4, 0, 0),
        (hours[1], 7, 7, 5),
    ]
    # Without an end, every request since the start: the 6 on the hour after the range too.
    assert [(h.hour, h.requests) for h in unbounded][-1] == (hours[3], 6)
    assert other == []


async def test_requests_since_counts_the_workspace_and_its_failures(
    services: Services, traffic: Tenant, first_hour: datetime
) -> None:
    async with services.db.session() as session:
        everything = await usage.requests_since(
            session, workspace_id=traffic.id, since=first_hour - timedelta(hours=1)
        )
        later = await usage.requests_since(
            session, workspace_id=traffic.id, since=first_hour + timedelta(hours=1)
        )
    assert (everything.requests, everything.failed) == (26, 9)
    assert (later.requests, later.failed) == (15, 8)


async def test_requests_by_credential_counts_each_key_and_the_keyless(
    services: Services, traffic: Tenant, first_hour: datetime
) -> None:
    async with services.db.session() as session:
        since_start = await usage.requests_by_credential(
            session, workspace_id=traffic.id, since=first_hour
        )
        later = await usage.requests_by_credential(
            session, workspace_id=traffic.id, since=first_hour + timedelta(hours=1)
        )
        other = await usage.requests_by_credential(
            session, workspace_id="ws_nope", since=first_hour
        )
    client = traffic.client_id
    assert since_start == {(client, "key_a"): 11, (client, "key_b"): 4, (client, None): 7}
    assert later == {(client, "key_a"): 7, (client, "key_b"): 1, (client, None): 7}
    assert other == {}
