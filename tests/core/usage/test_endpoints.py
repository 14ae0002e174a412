from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from core.container import Services
from core.database import utcnow
from core.usage.models import UsageLog
from tests.conftest import Api, Tenant

LEADS = "/v1/leads"
LEAD = "/v1/leads/{lead_id}"


class Traffic:
    """Sends requests and remembers what each should contribute to the client's usage."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, int]] = []

    async def send(self, api: Api, method: str, url: str, endpoint: str, **kwargs: Any) -> Any:
        response = await api.request(method, url, **kwargs)
        self.calls.append((method, endpoint, response.status_code))
        return response

    @property
    def statuses(self) -> list[int]:
        return [status for _, _, status in self.calls]


async def partner_key(api: Api, client_id: str, scopes: list[str], **fields: Any) -> Api:
    response = await api.post(
        "/v1/api-keys", json={"clientId": client_id, "name": "k", "scopes": scopes, **fields}
    )
    assert response.status_code == 201, response.text
    return Api(api.http, response.json()["key"])


async def make_traffic(api: Api) -> tuple[str, Traffic]:
    """Traffic of a new partner client (``api``'s own requests belong to another client)."""
    created = await api.post(
        "/v1/api-clients",
        json={
            "name": "Partner",
            "contactEmail": "p@example.com",
            "scopes": ["leads:read", "leads:write"],
        },
    )
    client_id = created.json()["id"]
    traffic = Traffic()
    writer = await partner_key(api, client_id, ["leads:read", "leads:write"])
    reader = await partner_key(api, client_id, ["leads:read"])
    throttled = await partner_key(api, client_id, ["leads:read"], tier="basic", rateLimitOverride=1)

    lead_ids = []
    for name in ("Ada", "Grace"):
        created = await traffic.send(writer, "POST", LEADS, LEADS, json={"name": name})
        assert created.status_code == 201
        lead_ids.append(created.json()["id"])
    for _ in range(3):
        await traffic.send(reader, "GET", LEADS, LEADS)
    for lead_id in lead_ids:
        await traffic.send(reader, "GET", f"{LEADS}/{lead_id}", LEAD)
    await traffic.send(reader, "GET", f"{LEADS}/lead_missing", LEAD)
    await traffic.send(writer, "POST", LEADS, LEADS, json={"email": "not-an-email"})
    await traffic.send(reader, "POST", LEADS, LEADS, json={"name": "denied"})
    # One request a minute: the second (or, across a window edge, a later one) is a 429.
    for _ in range(5):
        limited = await traffic.send(throttled, "GET", LEADS, LEADS)
        if limited.status_code == 429:
            break
    assert traffic.statuses.count(429) == 1
    assert Counter(traffic.statuses)[404] == 1
    # Requests whose credentials fail are nobody's usage.
    forged = Api(api.http, "hw_live_" + "a" * 16 + "_" + "b" * 40)
    assert (await forged.get(LEADS)).status_code == 401
    return client_id, traffic


async def test_statistics_match_the_traffic(api: Api, services: Services) -> None:
    client_id, traffic = await make_traffic(api)
    await services.usage.flush()

    response = await api.get(f"/v1/api-clients/{client_id}/usage")
    assert response.status_code == 200, response.text
    stats = response.json()
    assert {
        "totalRequests",
        "successfulRequests",
        "failedRequests",
        "averageResponseTime",
        "requestsByEndpoint",
        "requestsByTime",
        "topErrorCodes",
    } <= set(stats)

    statuses = traffic.statuses
    failed = sum(status >= 400 for status in statuses)
    assert stats["totalRequests"] == len(statuses)
    assert stats["failedRequests"] == failed == 4
    assert stats["successfulRequests"] == len(statuses) - failed
    assert stats["rateLimitedRequests"] == 1
    assert stats["groupBy"] == "day"

    async with services.db.session() as session:
        rows = (
            await session.scalars(select(UsageLog).where(UsageLog.client_id == client_id))
        ).all()
    assert len(rows) == len(statuses)
    average = sum(row.response_time_ms for row in rows) / len(rows)
    assert stats["averageResponseTime"] == pytest.approx(average, abs=0.01)
    assert stats["averageResponseTime"] > 0

    per_endpoint = Counter((method, endpoint) for method, endpoint, _ in traffic.calls)
    by_endpoint = {(e["method"], e["endpoint"]): e for e in stats["requestsByEndpoint"]}
    assert {key: e["count"] for key, e in by_endpoint.items()} == dict(per_endpoint)
    assert all(e["avgResponseTime"] > 0 for e in stats["requestsByEndpoint"])
    counts = [e["count"] for e in stats["requestsByEndpoint"]]
    assert counts == sorted(counts, reverse=True)

    errors = Counter(status for status in statuses if status >= 400)
    assert {e["statusCode"]: e["count"] for e in stats["topErrorCodes"]} == dict(errors)
    assert {e["statusCode"] for e in stats["topErrorCodes"]} == {403, 404, 422, 429}

    days = Counter(row.timestamp.astimezone(UTC).strftime("%Y-%m-%d") for row in rows)
    assert {b["time"]: b["count"] for b in stats["requestsByTime"]} == dict(days)
    assert sum(b["errors"] for b in stats["requestsByTime"]) == failed


async def test_statistics_by_hour(api: Api, services: Services) -> None:
    client_id, traffic = await make_traffic(api)
    await services.usage.flush()

    response = await api.get(f"/v1/api-clients/{client_id}/usage", params={"groupBy": "hour"})
    assert response.status_code == 200, response.text
    stats = response.json()
    assert stats["groupBy"] == "hour"
    async with services.db.session() as session:
        stamps = (
            await session.scalars(select(UsageLog.timestamp).where(UsageLog.client_id == client_id))
        ).all()
    hours = Counter(stamp.astimezone(UTC).strftime("%Y-%m-%dT%H:00:00Z") for stamp in stamps)
    assert {b["time"]: b["count"] for b in stats["requestsByTime"]} == dict(hours)
    assert sum(b["count"] for b in stats["requestsByTime"]) == len(traffic.calls)
    times = [b["time"] for b in stats["requestsByTime"]]
    assert times == sorted(times)


async def test_date_range_limits_the_statistics(api: Api, services: Services) -> None:
    client_id, traffic = await make_traffic(api)
    await services.usage.flush()
    url = f"/v1/api-clients/{client_id}/usage"
    now = utcnow()

    def iso(moment: datetime) -> str:
        return moment.isoformat().replace("+00:00", "Z")

    around = await api.get(
        url,
        params={"dateFrom": iso(now - timedelta(hours=1)), "dateTo": iso(now + timedelta(hours=1))},
    )
    assert around.json()["totalRequests"] == len(traffic.calls)

    future = await api.get(
        url,
        params={"dateFrom": iso(now + timedelta(hours=1)), "dateTo": iso(now + timedelta(hours=2))},
    )
    assert future.status_code == 200
    assert future.json()["totalRequests"] == 0
    assert future.json()["requestsByEndpoint"] == []
    assert future.json()["requestsByTime"] == []
    assert future.json()["topErrorCodes"] == []
    assert future.json()["averageResponseTime"] == 0

    past = await api.get(url, params={"dateTo": iso(now - timedelta(days=1))})
    assert past.json()["totalRequests"] == 0

    # Without an offset a time is UTC.
    naive = await api.get(
        url, params={"dateFrom": (now - timedelta(hours=1)).replace(tzinfo=None).isoformat()}
    )
    assert naive.status_code == 200, naive.text
    assert naive.json()["totalRequests"] == len(traffic.calls)
    assert naive.json()["dateFrom"].startswith(
        (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    )


async def test_invalid_usage_queries(api: Api, tenant: Tenant) -> None:
    url = f"/v1/api-clients/{tenant.client_id}/usage"
    now = utcnow()
    reversed_range = await api.get(
        url, params={"dateFrom": now.isoformat(), "dateTo": (now - timedelta(days=1)).isoformat()}
    )
    assert reversed_range.status_code == 400
    assert reversed_range.json()["error"]["code"] == "INVALID_REQUEST"

    too_long = await api.get(url, params={"dateFrom": (now - timedelta(days=400)).isoformat()})
    assert too_long.status_code == 400

    assert (await api.get(url, params={"groupBy": "week"})).status_code == 422
    assert (await api.get(url, params={"dateFrom": "yesterday"})).status_code == 422
    assert (await api.get("/v1/api-clients/cli_nope/usage")).status_code == 404


async def test_usage_of_other_workspaces_is_invisible(
    tenant: Tenant, http: httpx.AsyncClient, make_tenant: Any
) -> None:
    other = Api(http, await (await make_tenant()).key())
    response = await other.get(f"/v1/api-clients/{tenant.client_id}/usage")
    assert response.status_code == 404


async def test_usage_needs_the_usage_scope(tenant: Tenant, http: httpx.AsyncClient) -> None:
    denied = await Api(http, await tenant.key(["clients:read"])).get(
        f"/v1/api-clients/{tenant.client_id}/usage"
    )
    assert denied.status_code == 403
    assert denied.json()["error"]["details"]["requiredScope"] == "usage:read"


async def test_last_used_at_is_set_after_a_flush(
    api: Api, tenant: Tenant, http: httpx.AsyncClient, services: Services
) -> None:
    created = await api.post(
        "/v1/api-keys",
        json={"clientId": tenant.client_id, "name": "tracked", "scopes": ["leads:read"]},
    )
    key = created.json()
    assert key["lastUsedAt"] is None
    # Failing credentials do not count as use.
    assert (
        await http.get(LEADS, headers={"Authorization": f"Bearer {key['prefix']}_{'x' * 40}"})
    ).status_code == 401
    await services.usage.flush()
    assert (await api.get(f"/v1/api-keys/{key['id']}")).json()["lastUsedAt"] is None

    before = utcnow()
    assert (await Api(http, key["key"]).get(LEADS)).status_code == 200
    await services.usage.flush()
    last_used = (await api.get(f"/v1/api-keys/{key['id']}")).json()["lastUsedAt"]
    assert last_used is not None
    assert before <= datetime.fromisoformat(last_used) <= utcnow()
