from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from core.calls.models import Call
from core.chat.models import ChatMessage, ChatSession
from core.container import Services
from core.leads.models import Lead
from tests.conftest import Api, Tenant

RANGE = {"dateFrom": "2025-03-01", "dateTo": "2025-03-04"}
ZERO_STATUSES = {"new": 0, "contacted": 0, "qualified": 0, "converted": 0, "rejected": 0}


def at(text_time: str) -> datetime:
    return datetime.fromisoformat(text_time).replace(tzinfo=UTC)


async def seed(tenant: Tenant) -> None:
    """Known leads, calls and chats around 2025-03-01 .. 2025-03-04 (UTC)."""
    ws = tenant.id
    async with tenant.services.db.session() as session:
        leads = [
            ("2025-03-01T09:15:00", "new", "web"),
            ("2025-03-01T09:45:00", "converted", "web"),
            ("2025-03-01T11:05:00", "qualified", None),
            ("2025-03-03T23:59:59", "converted", "referral"),
            # Outside the range: just before it, and exactly at its exclusive end.
            ("2025-02-28T23:59:59", "new", "web"),
            ("2025-03-04T00:00:00", "rejected", "web"),
        ]
        for created, status, source in leads:
            session.add(
                Lead(
                    workspace_id=ws,
                    name="Lead",
                    status=status,
                    source=source,
                    created_at=at(created),
                    updated_at=at(created),
                )
            )
        calls: list[tuple[str, str, str | None, int | None]] = [
            ("2025-03-01T09:10:00", "ended", "booked", 100),
            ("2025-03-01T09:50:00", "failed", None, None),
            ("2025-03-02T14:00:00", "ended", "voicemail", 201),
            ("2025-03-03T08:00:00", "in_progress", None, None),
            ("2025-03-04T00:00:00", "ended", "booked", 999),
        ]
        for started, status, outcome, duration in calls:
            session.add(
                Call(
                    workspace_id=ws,
                    status=status,
                    outcome=outcome,
                    started_at=at(started),
                    duration_seconds=duration,
                )
            )
        inside = ChatSession(workspace_id=ws, created_at=at("2025-03-02T10:00:00"))
        session.add_all(
            [
                inside,
                ChatSession(workspace_id=ws, created_at=at("2025-03-03T10:00:00")),
                ChatSession(workspace_id=ws, created_at=at("2025-02-20T10:00:00")),
            ]
        )
        await session.flush()
        for created in ("2025-03-02T10:00:01", "2025-03-02T10:00:02", "2025-03-03T12:00:00"):
            session.add(
                ChatMessage(
                    workspace_id=ws,
                    session_id=inside.id,
                    role="user",
                    content="hi",
                    created_at=at(created),
                )
            )
        session.add(
            ChatMessage(
                workspace_id=ws,
                session_id=inside.id,
                role="user",
                content="late",
                created_at=at("2025-03-05T00:00:00"),
            )
        )


@pytest.fixture
async def seeded(api: Api, tenant: Tenant, make_tenant: Callable[[], Awaitable[Tenant]]) -> Api:
    await seed(tenant)
    # Another workspace with the same data must never leak into the counts.
    await seed(await make_tenant())
    return api


async def test_summary_counts_the_period(seeded: Api) -> None:
    response = await seeded.get("/v1/analytics/summary", params=RANGE)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "period": {"dateFrom": "2025-03-01T00:00:00Z", "dateTo": "2025-03-04T00:00:00Z"},
        "leads": {
            "total": 4,
            "byStatus": {**ZERO_STATUSES, "new": 1, "qualified": 1, "converted": 2},
            "bySource": {"web": 2, "referral": 1, "unknown": 1},
            "conversionRate": 0.5,
        },
        "calls": {
            "total": 4,
            "byStatus": {"ended": 2, "failed": 1, "in_progress": 1},
            "byOutcome": {"booked": 1, "voicemail": 1, "unknown": 2},
            "averageDurationSeconds": 150.5,
            "totalDurationSeconds": 301,
        },
        "chat": {"sessions": 2, "messages": 3},
        "appointments": {
            "booked": 0,
            "byStatus": dict.fromkeys(
                ("scheduled", "rescheduled", "canceled", "completed", "no_show"), 0
            ),
            "canceled": 0,
            "noShowRate": 0.0,
        },
        "payments": {
            "total": 0,
            "byStatus": dict.fromkeys(
                ("pending", "succeeded", "failed", "refunded", "partially_refunded"), 0
            ),
            "revenue": {},
            "refunded": {},
            "bySource": {},
        },
    }
    assert "X-RateLimit-Limit" in response.headers


async def test_summary_of_an_empty_period_is_all_zeros(seeded: Api) -> None:
    response = await seeded.get(
        "/v1/analytics/summary", params={"dateFrom": "2020-01-01", "dateTo": "2020-02-01"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["leads"] == {
        "total": 0,
        "byStatus": ZERO_STATUSES,
        "bySource": {},
        "conversionRate": 0,
    }
    assert body["calls"] == {
        "total": 0,
        "byStatus": {},
        "byOutcome": {},
        "averageDurationSeconds": None,
        "totalDurationSeconds": 0,
    }
    assert body["chat"] == {"sessions": 0, "messages": 0}


async def test_lead_series_by_day_is_zero_filled(seeded: Api) -> None:
    response = await seeded.get("/v1/analytics/leads", params=RANGE)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["groupBy"] == "day"
    assert body["period"] == {"dateFrom": "2025-03-01T00:00:00Z", "dateTo": "2025-03-04T00:00:00Z"}
    assert body["series"] == [
        {
            "time": "2025-03-01",
            "total": 3,
            "byStatus": {**ZERO_STATUSES, "new": 1, "qualified": 1, "converted": 1},
        },
        {"time": "2025-03-02", "total": 0, "byStatus": ZERO_STATUSES},
        {"time": "2025-03-03", "total": 1, "byStatus": {**ZERO_STATUSES, "converted": 1}},
    ]


async def test_lead_series_by_hour_reads_offsets_as_utc(seeded: Api) -> None:
    # 09:00+01:00 .. 13:00+01:00 is 08:00Z .. 12:00Z: four hourly buckets.
    response = await seeded.get(
        "/v1/analytics/leads",
        params={
            "dateFrom": "2025-03-01T09:00:00+01:00",
            "dateTo": "2025-03-01T13:00:00+01:00",
            "groupBy": "hour",
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["period"] == {"dateFrom": "2025-03-01T08:00:00Z", "dateTo": "2025-03-01T12:00:00Z"}
    assert [(b["time"], b["total"]) for b in body["series"]] == [
        ("2025-03-01T08:00:00Z", 0),
        ("2025-03-01T09:00:00Z", 2),
        ("2025-03-01T10:00:00Z", 0),
        ("2025-03-01T11:00:00Z", 1),
    ]
    assert body["series"][1]["byStatus"] == {**ZERO_STATUSES, "new": 1, "converted": 1}


async def test_a_partial_first_bucket_is_included(seeded: Api) -> None:
    # A naive datetime is UTC; the range starts mid-hour, so 09:00Z is the first bucket and
    # only the 09:45 lead of it falls inside the range.
    response = await seeded.get(
        "/v1/analytics/leads",
        params={
            "dateFrom": "2025-03-01T09:30:00",
            "dateTo": "2025-03-01T10:00:00",
            "groupBy": "hour",
        },
    )
    assert response.status_code == 200, response.text
    assert [(b["time"], b["total"]) for b in response.json()["series"]] == [
        ("2025-03-01T09:00:00Z", 1)
    ]


async def test_call_series_by_day_and_hour(seeded: Api) -> None:
    by_day = await seeded.get("/v1/analytics/calls", params=RANGE)
    assert by_day.status_code == 200, by_day.text
    assert by_day.json()["series"] == [
        {
            "time": "2025-03-01",
            "total": 2,
            "ended": 1,
            "failed": 1,
            "averageDurationSeconds": 100.0,
        },
        {
            "time": "2025-03-02",
            "total": 1,
            "ended": 1,
            "failed": 0,
            "averageDurationSeconds": 201.0,
        },
        {"time": "2025-03-03", "total": 1, "ended": 0, "failed": 0, "averageDurationSeconds": None},
    ]

    by_hour = await seeded.get(
        "/v1/analytics/calls",
        params={"dateFrom": "2025-03-01", "dateTo": "2025-03-02", "groupBy": "hour"},
    )
    assert by_hour.status_code == 200
    series = by_hour.json()["series"]
    assert len(series) == 24
    assert series[0] == {
        "time": "2025-03-01T00:00:00Z",
        "total": 0,
        "ended": 0,
        "failed": 0,
        "averageDurationSeconds": None,
    }
    assert series[9] == {
        "time": "2025-03-01T09:00:00Z",
        "total": 2,
        "ended": 1,
        "failed": 1,
        "averageDurationSeconds": 100.0,
    }
    assert sum(bucket["total"] for bucket in series) == 2


async def test_default_period_is_the_last_30_days(api: Api) -> None:
    created = await api.post("/v1/leads", json={"name": "Today", "status": "qualified"})
    assert created.status_code == 201
    response = await api.get("/v1/analytics/leads")
    assert response.status_code == 200
    body = response.json()
    start = datetime.fromisoformat(body["period"]["dateFrom"])
    end = datetime.fromisoformat(body["period"]["dateTo"])
    assert (end - start).days == 30
    # 30 days that do not start at midnight touch 31 calendar days.
    assert len(body["series"]) in (30, 31)
    assert body["series"][-1]["time"] == end.strftime("%Y-%m-%d")
    assert body["series"][-1]["byStatus"]["qualified"] == 1
    assert sum(bucket["total"] for bucket in body["series"]) == 1

    summary = (await api.get("/v1/analytics/summary")).json()
    assert summary["leads"]["total"] == 1


@pytest.mark.parametrize(
    ("path", "params", "status", "param"),
    [
        ("summary", {"dateFrom": "2025-03-04", "dateTo": "2025-03-01"}, 400, "dateFrom"),
        ("summary", {"dateFrom": "2025-03-01", "dateTo": "2025-03-01"}, 400, "dateFrom"),
        ("leads", {"dateFrom": "2024-01-01", "dateTo": "2025-01-02"}, 400, "dateFrom"),
        (
            "calls",
            {"dateFrom": "2025-01-01", "dateTo": "2025-02-02", "groupBy": "hour"},
            400,
            "groupBy",
        ),
        ("leads", {"groupBy": "week"}, 422, "groupBy"),
        ("summary", {"dateFrom": "yesterday"}, 422, "dateFrom"),
    ],
)
async def test_bad_ranges_are_refused(
    api: Api, path: str, params: dict[str, str], status: int, param: str
) -> None:
    response = await api.get(f"/v1/analytics/{path}", params=params)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    if status == 400:
        assert error["code"] == "INVALID_REQUEST"
        assert error["details"]["param"] == param
    else:
        assert error["code"] == "VALIDATION_FAILED"
        assert error["details"]["errors"][0]["field"] == param


async def test_hourly_series_allows_exactly_31_days(api: Api) -> None:
    response = await api.get(
        "/v1/analytics/calls",
        params={"dateFrom": "2025-01-01", "dateTo": "2025-02-01", "groupBy": "hour"},
    )
    assert response.status_code == 200
    series = response.json()["series"]
    assert len(series) == 31 * 24
    assert series[-1]["time"] == "2025-01-31T23:00:00Z"


async def test_analytics_needs_the_analytics_scope(http: httpx.AsyncClient, tenant: Tenant) -> None:
    anonymous = await http.get("/v1/analytics/summary")
    assert anonymous.status_code == 401
    limited = Api(http, await tenant.key(["leads:read"]))
    for path in ("summary", "leads", "calls"):
        response = await limited.get(f"/v1/analytics/{path}")
        assert response.status_code == 403
        assert response.json()["error"]["details"] == {"requiredScope": "analytics:read"}


@pytest.mark.postgres
async def test_buckets_are_utc_whatever_the_database_time_zone(
    seeded: Api, services: Services
) -> None:
    # A +05:30 session time zone shifts both hour and day boundaries if buckets are not UTC.
    database = services.db.engine.url.database
    assert database is not None

    async def alter(setting: str) -> None:
        async with services.db.engine.connect() as connection:
            await connection.execute(text(f'ALTER DATABASE "{database}" {setting}'))
            await connection.commit()
        # New connections pick the setting up.
        await services.db.engine.dispose()

    await alter("SET timezone TO 'Asia/Kolkata'")
    try:
        async with services.db.engine.connect() as connection:
            zone = await connection.scalar(text("SHOW timezone"))
        assert zone == "Asia/Kolkata"
        by_day: dict[str, Any] = (await seeded.get("/v1/analytics/leads", params=RANGE)).json()
        assert [(b["time"], b["total"]) for b in by_day["series"]] == [
            ("2025-03-01", 3),
            ("2025-03-02", 0),
            ("2025-03-03", 1),
        ]
        by_hour = (
            await seeded.get(
                "/v1/analytics/calls",
                params={"dateFrom": "2025-03-01", "dateTo": "2025-03-02", "groupBy": "hour"},
            )
        ).json()
        assert [b["time"] for b in by_hour["series"] if b["total"]] == ["2025-03-01T09:00:00Z"]
    finally:
        await alter("RESET timezone")
